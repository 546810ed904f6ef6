"""A password change ends the account's API tokens.

Django calls every configured password validator's `password_changed` after a user with a
new password is saved, whichever way the password changed: the password-change and reset
pages, the admin, `manage.py changepassword`. Hooking in there covers them all; sessions
end by themselves (Django's session hash follows the password).
"""

from accounts import services


class RevokeTokensOnPasswordChange:
    def validate(self, password, user=None):
        """Accepts every password: this validator only reacts to changes."""

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            services.user_tokens_revoke_all(actor=user)

    def get_help_text(self):
        return ""
