from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from backend import rows
from consultations.models import Membership, Organization


class MemberTokenAuthentication(TokenAuthentication):
    """Token auth that loads the user's membership and organization in the same query.

    Every vote needs them for the eligibility check; one hand-written join saves a
    round trip and the ORM's compile time on every authenticated API call
    (backend/rows.py).
    """

    def authenticate_credentials(self, key):
        user_model = get_user_model()
        row = rows.execute(
            f"SELECT {rows.columns(Token, 't')}, {rows.columns(user_model, 'u')},"  # noqa: S608
            f" {rows.columns(Membership, 'm')}, {rows.columns(Organization, 'o')}"
            f" FROM {rows.table(Token)} t INNER JOIN {rows.table(user_model)} u ON u.id = t.user_id"
            f" LEFT JOIN {rows.table(Membership)} m ON m.user_id = u.id"
            f" LEFT JOIN {rows.table(Organization)} o ON o.id = m.organization_id"
            " WHERE t.key = %s",
            [key],
        )
        if row is None:
            raise AuthenticationFailed(_("Invalid token."))
        token, at = rows.load(Token, row)
        user, at = rows.load(user_model, row, at)
        token.user = user
        membership = None
        if row[at] is not None:
            membership, at = rows.load(Membership, row, at)
            organization, at = rows.load(Organization, row, at)
            membership.organization = organization
            membership.user = user
        # What select_related would cache: user.membership (None = "has none").
        user._state.fields_cache["membership"] = membership
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
