from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class MemberTokenAuthentication(TokenAuthentication):
    """Token auth that loads the user's membership and organization in the same query.

    Every vote needs them for the eligibility check; this saves a round trip per vote.
    """

    def authenticate_credentials(self, key):
        token = (
            self.get_model()
            .objects.select_related("user__membership__organization")
            .filter(key=key)
            .first()
        )
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
