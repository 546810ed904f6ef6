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
    if not is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_role_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_groups = cache
    return name in cache


def is_official(user) -> bool:
    return in_group(user, OFFICIALS)


def is_planner(user) -> bool:
    return in_group(user, PLANNERS)


def is_moderator(user) -> bool:
    return in_group(user, MODERATORS)


def is_staff_role(user) -> bool:
    """Officials, planners and moderators see drafts and internal pages."""
    return is_official(user) or is_planner(user) or is_moderator(user)


def membership_of(user) -> Membership | None:
    if not is_authenticated(user):
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
    return is_authenticated(user) and membership_of(user) is None


def can_verify_organization(user) -> bool:
    return is_official(user)


def can_view_organization(user, organization: Organization) -> bool:
    """Verified organizations are public; others only to their members and officials."""
    if organization.is_verified:
        return True
    return is_official(user) or organization_of(user) == organization


def can_manage_members(user, organization: Organization) -> bool:
    return is_official(user) or is_representative_of(user, organization)


def can_view_members(user, organization: Organization) -> bool:
    """Who sits in an organization is known to its own members and to officials."""
    return is_official(user) or organization_of(user) == organization


def can_view_organization_contact(user, organization: Organization) -> bool:
    """Contact details and status reasons are for officials and the organization itself."""
    return can_view_members(user, organization)


def can_manage_agencies(user) -> bool:
    return is_official(user)
