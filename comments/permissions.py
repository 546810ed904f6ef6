"""Who may comment, report, edit, moderate and respond (ARCHITECTURE.md §4)."""

from django.db.models import Q

from accounts.models import Organization
from accounts.permissions import (
    is_authenticated,
    is_moderator,
    is_official,
    is_planner,
    verified_organization_of,
)
from comments.models import TrustedFlagger
from consultations.models import Consultation
from consultations.permissions import can_view_consultation


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


def can_record_written_comments(user) -> bool:
    """Paper forms, letters and e-mails are typed in (imported) by officials and planners."""
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


def can_name_trusted_flaggers(user) -> bool:
    return is_moderator(user)


def is_trusted_flagger(user) -> bool:
    """Named by a moderator, in person or through their verified organization: one report
    of theirs hides a comment pending review."""
    if not is_authenticated(user):
        return False
    organization = verified_organization_of(user)
    named = Q(user=user)
    if organization is not None:
        named |= Q(organization=organization)
    return TrustedFlagger.objects.filter(named).exists()


def can_edit_comment(user, comment) -> bool:
    return is_authenticated(user) and comment.author_id == user.pk and not comment.is_removed


def can_delete_comment(user, comment) -> bool:
    return can_edit_comment(user, comment)


def can_see_response_matrix(user, consultation: Consultation) -> bool:
    """The "you said, we did" report is public once concluded, internal before."""
    if consultation.status == Consultation.Status.CONCLUDED:
        return True
    return can_respond(user) or is_moderator(user)
