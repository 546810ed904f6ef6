from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from accounts import services

        def revoke_api_tokens(sender, request, user, **kwargs):
            """Signing out of the site (or the admin) signs every device out of the API too:
            whoever leaves a shared computer leaves no working token behind."""
            if user is not None and user.is_authenticated:
                services.user_tokens_revoke_all(actor=user)

        user_logged_out.connect(
            revoke_api_tokens, weak=False, dispatch_uid="accounts.revoke_api_tokens"
        )

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        def give_pseudonym(sender, instance, created, raw=False, **kwargs):
            """Every account has its privacy choices row from the start (name hidden, a stored
            pseudonym), so SQL exports can print the pseudonym without Python."""
            if created and not raw:
                services.privacy_choice_of(instance)

        post_save.connect(
            give_pseudonym,
            sender=get_user_model(),
            weak=False,
            dispatch_uid="accounts.give_pseudonym",
        )
