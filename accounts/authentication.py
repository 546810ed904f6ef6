import binascii
import functools
from hmac import compare_digest

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework.exceptions import AuthenticationFailed

from accounts.permissions import ROLE_GROUPS


@functools.cache
def _tokens():
    """Tokens with what every API call needs, built once per process: building the joins
    and the EXISTS cost a fifth of a millisecond on every call (`filter()` copies a
    QuerySet, never changes it).

    One EXISTS over the role groups, so the token's query also answers "is this staff?";
    one, not one per group: compiling each costs about a quarter of a millisecond on every
    call. Members (every vote) learn here that they hold no role; a staff user's groups
    are read by `accounts.permissions.in_group` when first asked."""
    role_groups = Group.user_set.through.objects.filter(
        user_id=OuterRef("user_id"), group__name__in=ROLE_GROUPS
    )
    return AuthToken.objects.select_related(
        "user__membership__organization", "user__privacy"
    ).annotate(_holds_a_role=Exists(role_groups))


class MemberTokenAuthentication(TokenAuthentication):
    """django-rest-knox tokens (hashed, expiring, one per device), loaded in one query with
    what every vote needs: the user's membership, its organization and whether the user
    holds a role group (staff never act for an organization, so the vote asks). A user in no
    organization gets None cached as `membership`, so asking again costs no query.

    Unlike knox's own lookup it does not sweep the user's other tokens on every request
    (one more query each time); an expired token is deleted when it is presented, the
    others when the user asks for a new one.
    """

    def authenticate_credentials(self, key):
        failed = AuthenticationFailed(_("Invalid token."))
        try:
            key = key.decode("ascii")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise failed from None
        for token in _tokens().filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, token.digest):
                continue
            if token.expiry is not None and token.expiry < timezone.now():
                token.delete()
                raise failed
            if not token.user.is_active:
                raise AuthenticationFailed(_("User inactive or deleted."))
            if not token._holds_a_role:
                token.user._role_groups = set()
            if knox_settings.AUTO_REFRESH and token.expiry is not None:
                self.renew_token(token)  # sliding expiry; writes at most once a minute
            return (token.user, token)
        raise failed


class MemberTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token <key>` in the OpenAPI schema (/api/docs/)."""

    target_class = MemberTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
