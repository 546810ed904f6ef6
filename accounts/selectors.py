"""Reads of organizations and their memberships."""

from django.db.models import Q, QuerySet

from accounts import permissions
from accounts.models import Invitation, Membership, Organization, OrganizationChange


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


def pending_invitations_of(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(status=Invitation.Status.PENDING).select_related(
        "invited_by"
    )


def invitations_for(user) -> QuerySet[Invitation]:
    """The open invitations the user may accept (none for staff, who never join)."""
    if not permissions.can_join_organization(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user, status=Invitation.Status.PENDING).select_related(
        "organization", "invited_by"
    )


def changes_of(organization: Organization) -> QuerySet[OrganizationChange]:
    return organization.changes.order_by("-created_at", "-id")
