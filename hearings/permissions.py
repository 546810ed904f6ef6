"""Who may do what with a hearing (ARCHITECTURE.md §4); used by the API, the pages, the
WebSocket consumers and the templates alike."""

import hmac

from accounts.models import Organization
from accounts.permissions import (
    is_authenticated,
    is_moderator,
    is_official,
    is_representative_of,
    membership_of,
    verified_organization_of,
)
from comments.permissions import can_comment
from consultations.permissions import can_view_consultation


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


def can_use_display_key(hearing, key) -> bool:
    """A big screen proves itself with the hearing's current display key instead of a login
    (HTTP screen page, its QR code, heartbeats, replay, WebSocket `?key=`). Compared in
    constant time, as bytes: any text a client sends (non-ASCII, a lone surrogate from
    JSON) is just a wrong key; an empty or rotated key never matches."""
    if not key or not isinstance(key, str) or not hearing.display_key:
        return False
    given = key.encode("utf-8", "surrogatepass")
    return hmac.compare_digest(given, hearing.display_key.encode("utf-8", "surrogatepass"))


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


def can_upvote_questions(user, hearing) -> bool:
    """Whoever may take part in the consultation (comment on it) may push the room's
    questions up; nobody upvotes their own (checked by the service: a 409, not a 403)."""
    return is_authenticated(user) and can_comment(user, hearing.consultation)


def can_moderate_questions(user, hearing=None) -> bool:
    """Mark answered, merge duplicates, put a question on the big screen: the chair."""
    return can_run_hearing(user, hearing)


def can_invite_to_hearing(user, hearing=None) -> bool:
    """Send an undangan (letter, e-mail, calendar entry): the officials who schedule."""
    return is_official(user)


def can_view_invitation(user, invitation) -> bool:
    """The chair sees every undangan of a hearing; an organization's members see its own."""
    if can_run_hearing(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.organization_id == invitation.organization_id


def can_reply_to_invitation(user, invitation) -> bool:
    """Whether the organization comes is its representative's word."""
    return is_representative_of(user, invitation.organization)
