"""Who may vote, and when (ARCHITECTURE.md §4): plain predicates shared by API, pages and tests.

`vote_denial` answers *why not* as the domain error a service would raise, so
the API, the pages and the buttons show the same message.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as consultation_permissions
from accounts.models import Membership, Organization
from backend.errors import Conflict, DomainError, NotAllowed
from backend.templatetags.waktu import waktu
from consultations import permissions as consultations_permissions
from consultations.models import Item
from hearings.models import Attendance
from voting import selectors


def membership_with_organization(user) -> Membership | None:
    """The user's membership and its organization in one query, cached on the user.

    None for staff roles even with a (legacy) membership row: they never act for an LSM."""
    if not consultation_permissions.can_join_organization(user):
        return None
    cache = user._state.fields_cache
    if "membership" in cache:
        return cache["membership"]
    membership = Membership.objects.select_related("organization").filter(user=user).first()
    cache["membership"] = membership
    return membership


def organization_denial(user) -> DomainError | None:
    """Whether the user may act for an organization in a vote at all, whatever the item."""
    if not consultation_permissions.is_authenticated(user):
        return NotAllowed(_("Sign in as your organization's representative to vote."))
    membership = membership_with_organization(user)
    if membership is None:
        return NotAllowed(_("Only registered organizations vote; you are not in one."))
    if not membership.is_representative:
        return NotAllowed(_("Only your organization's representative may vote."))
    organization = membership.organization
    if organization.status == Organization.Status.PENDING:
        return NotAllowed(_("Your organization is not verified yet, so it cannot vote."))
    if not organization.is_verified:
        return NotAllowed(_("Your organization is suspended and cannot vote."))
    today = timezone.localdate()
    if organization.registration_expires_on is None:
        return NotAllowed(_("Your organization's SKT has no expiry date on record."))
    if not organization.registration_valid_on(today):
        return NotAllowed(
            _("Your organization's SKT expired on %(date)s.")
            % {"date": waktu(organization.registration_expires_on)}
        )
    return None


def vote_denial(user, item: Item) -> DomainError | None:
    """None when `user` may cast, change or withdraw their organization's vote on `item`."""
    denial = organization_denial(user)
    if denial is not None:
        return denial
    consultation = item.consultation
    if not selectors.voting_is_open(consultation):
        return Conflict(_("Voting on this consultation is closed."))
    windows = selectors.live_voting_windows(item)
    if windows and all(hearing.check_in_required for hearing in windows):
        organization = user.membership.organization
        checked_in = Attendance.objects.filter(
            hearing__in=windows, organization=organization
        ).exists()
        if not checked_in:
            return NotAllowed(_("Check in at the hearing before voting on this item."))
    return None


def can_vote(user, item: Item) -> bool:
    return vote_denial(user, item) is None


def voting_organization(user, item: Item) -> Organization:
    """The organization `user` votes for on `item`; raises the reason when they may not."""
    denial = vote_denial(user, item)
    if denial is not None:
        raise denial
    return user.membership.organization


def can_view_votes(user, item: Item) -> bool:
    return consultations_permissions.can_view_consultation(user, item.consultation)


def can_see_own_vote(user) -> bool:
    """Members see their own organization's votes and receipts, whatever the ballot."""
    return membership_with_organization(user) is not None


def can_see_organization_votes(user, organization: Organization) -> bool:
    """The organization's own people see all its votes; others only open-ballot ones."""
    membership = membership_with_organization(user)
    return membership is not None and membership.organization_id == organization.pk
