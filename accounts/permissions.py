"""Role predicates (ARCHITECTURE.md §4) and who may manage organizations: plain functions
used by the API, the pages, the consumers and the templates."""

from accounts.models import Membership, Organization

OFFICIALS = "officials"


PLANNERS = "planners"


MODERATORS = "moderators"


ROLE_GROUPS = (OFFICIALS, PLANNERS, MODERATORS)


def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def in_group(user, name: str) -> bool:
    """Whether the user holds the role group `name` (one of ROLE_GROUPS).

    The user's role groups are read once and kept on the user object as `_role_groups`;
    the token authentication fills it (empty) in its own query for a user who holds none,
    so a member's API call pays nothing here.
    """
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_role_groups", None)
    if cache is None:
        cache = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._role_groups = cache
    return name in cache


def is_official(user) -> bool:
    return in_group(user, OFFICIALS)


def is_planner(user) -> bool:
    return in_group(user, PLANNERS)


def is_moderator(user) -> bool:
    return in_group(user, MODERATORS)


def is_staff_role(user) -> bool:
    """Officials, planners and moderators (and superusers, who hold every role) see drafts
    and internal pages."""
    return is_official(user) or is_planner(user) or is_moderator(user)


def can_join_organization(user) -> bool:
    """Staff roles never sit in an organization: they oversee the LSMs, so they must not
    vote or comment as one (ARCHITECTURE.md §4)."""
    return is_authenticated(user) and not is_staff_role(user)


def membership_of(user) -> Membership | None:
    """The membership the user acts through; None for staff, even with a (legacy) row."""
    if not can_join_organization(user):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def organization_of(user) -> Organization | None:
    membership = membership_of(user)
    return membership.organization if membership else None


def verified_organization_of(user) -> Organization | None:
    organization = organization_of(user)
    return organization if organization and organization.is_verified else None


def is_representative_of(user, organization: Organization) -> bool:
    membership = membership_of(user)
    return bool(
        membership
        and membership.organization_id == organization.pk
        and membership.is_representative
    )


def can_register_organization(user) -> bool:
    return can_join_organization(user) and membership_of(user) is None


def can_verify_organization(user) -> bool:
    return is_official(user)


def can_view_organization(user, organization: Organization) -> bool:
    """Verified organizations are public; others only to their members and officials."""
    if organization.is_verified:
        return True
    return is_official(user) or organization_of(user) == organization


def can_invite_members(user, organization: Organization) -> bool:
    """Only a representative invites: an official who could would let staff into an LSM."""
    return is_representative_of(user, organization)


def can_manage_members(user, organization: Organization) -> bool:
    """Change a member's role or remove them: the representatives, and Bakesbangpol."""
    return is_official(user) or is_representative_of(user, organization)


def can_view_organization_changes(user, organization: Organization) -> bool:
    """Who joined, left or was invited, and renames: the representatives and Bakesbangpol,
    the people who notice a take-over."""
    return is_official(user) or is_representative_of(user, organization)


def can_view_members(user, organization: Organization) -> bool:
    """Who sits in an organization is known to its own members and to officials."""
    return is_official(user) or organization_of(user) == organization


def can_view_organization_contact(user, organization: Organization) -> bool:
    """Contact details and status reasons are for officials and the organization itself."""
    return can_view_members(user, organization)


def can_manage_agencies(user) -> bool:
    return is_official(user)
