"""Who records follow-ups and who reads them (ARCHITECTURE.md §4)."""

from accounts.permissions import is_official
from consultations.models import Consultation


def can_record_follow_up(user) -> bool:
    """Officials answer for what the government does with accepted input."""
    return is_official(user)


def can_view_follow_ups(user, consultation: Consultation) -> bool:
    """Anyone, for a published consultation; a draft has nothing followed up (404)."""
    return consultation.is_public
