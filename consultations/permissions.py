"""Permission predicates (ARCHITECTURE.md §4), shared by API, pages, consumers and templates.

Each takes a user (possibly anonymous or None) and answers a plain bool.
"""

from consultations.models import Consultation, Membership, Organization

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


# --- Organizations ---------------------------------------------------------------


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


# --- Consultations ---------------------------------------------------------------


def can_create_consultation(user) -> bool:
    return is_official(user)


def can_manage_consultation(user, consultation: Consultation) -> bool:
    return is_official(user)


def can_view_consultation(user, consultation: Consultation) -> bool:
    return consultation.is_public or is_staff_role(user)


def can_view_unpublished_text(user, consultation: Consultation) -> bool:
    """Draft versions being prepared are internal until they are published."""
    return is_staff_role(user)


def can_manage_agencies(user) -> bool:
    return is_official(user)


# --- Feedback: dashboard, exports, minutes (issue 6: branch exports) ---


def can_view_dashboard(user, consultation: Consultation) -> bool:
    """Planners and officials follow a consultation's figures; moderators help them."""
    return is_planner(user) or is_official(user) or is_moderator(user)


def can_export_consultation(user, consultation: Consultation) -> bool:
    return can_view_dashboard(user, consultation)


def can_view_minutes(user) -> bool:
    return is_official(user) or is_planner(user)


def can_edit_agreements(user) -> bool:
    """The agreements in the Berita Acara are the officials' record of the hearing."""
    return is_official(user)


# --- Comments, moderation, responses (issue 3: branch comments) ---


def can_see_all_comments(user) -> bool:
    """Moderators and officials see pending, hidden and rejected comments too."""
    return is_moderator(user) or is_official(user)


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_see_moderation_log(user) -> bool:
    return is_moderator(user) or is_official(user)


def can_respond(user) -> bool:
    """Tanggapan come from officials and planners."""
    return is_official(user) or is_planner(user)


def commenting_organization(user, consultation: Consultation) -> Organization | None:
    """On whose behalf `user` comments: their verified organization, or None as an individual.

    Raises nothing; `can_comment` says whether an individual may comment at all.
    """
    return verified_organization_of(user)


def can_comment(user, consultation: Consultation) -> bool:
    """LSM consultations need a verified organization; public ones take individuals too."""
    if not is_authenticated(user) or not can_view_consultation(user, consultation):
        return False
    if consultation.audience == Consultation.Audience.PUBLIC:
        return True
    return verified_organization_of(user) is not None


def can_report_comment(user, comment) -> bool:
    return is_authenticated(user) and comment.author_id != user.pk


def can_edit_comment(user, comment) -> bool:
    return is_authenticated(user) and comment.author_id == user.pk and not comment.is_removed


def can_delete_comment(user, comment) -> bool:
    return can_edit_comment(user, comment)


def can_see_response_matrix(user, consultation: Consultation) -> bool:
    """The "you said, we did" report is public once concluded, internal before."""
    if consultation.status == Consultation.Status.CONCLUDED:
        return True
    return can_respond(user) or is_moderator(user)


# --- Hearings (issue 5: branch hearings) ---
# Officers who run a hearing in the room: officials and moderators.


def can_manage_hearing(user, hearing=None) -> bool:
    """Create, reschedule and set the agenda of a hearing."""
    return is_official(user)


def can_run_hearing(user, hearing=None) -> bool:
    """Chair the live session: start/advance/end, voting window, screen, speakers, counts."""
    return is_official(user) or is_moderator(user)


def can_view_hearing(user, hearing) -> bool:
    return can_view_consultation(user, hearing.consultation)


def can_see_display_key(user, hearing=None) -> bool:
    return can_run_hearing(user, hearing)


def can_screen_comments(user, hearing=None) -> bool:
    """Only a moderator (or an official) puts comments on the big screen."""
    return can_run_hearing(user, hearing)


def speaking_organization(user, hearing) -> Organization | None:
    """The verified organization on whose behalf the user may ask for the floor."""
    return verified_organization_of(user)


def can_request_floor(user, hearing) -> bool:
    return hearing.is_live and speaking_organization(user, hearing) is not None


def can_check_in_by_qr(user, hearing) -> bool:
    return verified_organization_of(user) is not None
