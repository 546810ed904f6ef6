from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


class MemberTokenAuthentication(TokenAuthentication):
    """Token auth that loads the user's membership and organization in the same query
    (select_related): every vote needs them for the eligibility check. A user in no
    organization gets None cached as `membership`, so asking again costs no query."""

    def authenticate_credentials(self, key):
        tokens = Token.objects.select_related("user__membership__organization")
        try:
            token = tokens.get(key=key)
        except Token.DoesNotExist:
            raise AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
