"""Reads of organizations and their memberships."""

from django.db.models import Q, QuerySet

from accounts import permissions
from accounts.models import Membership, Organization


def organizations_visible_to(user) -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if permissions.is_official(user):
        return qs
    own = permissions.organization_of(user)
    condition = Q(status=Organization.Status.VERIFIED)
    if own is not None:
        condition |= Q(pk=own.pk)
    return qs.filter(condition)


def memberships_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__username")
