"""Consultation domain models, one module per concern (ARCHITECTURE.md §3)."""

from consultations.models.comments import (
    Comment,
    CommentEdit,
    CommentReport,
    ModerationAction,
    Response,
)
from consultations.models.consultations import Consultation, DraftVersion, Item, Section
from consultations.models.hearings import (
    AgendaItem,
    Attendance,
    Hearing,
    ManualCount,
    SpeakerRequest,
)
from consultations.models.organizations import Agency, Membership, Organization

__all__ = [
    "AgendaItem",
    "Agency",
    "Attendance",
    "Comment",
    "CommentEdit",
    "CommentReport",
    "Consultation",
    "DraftVersion",
    "Hearing",
    "Item",
    "ManualCount",
    "Membership",
    "ModerationAction",
    "Organization",
    "Response",
    "Section",
    "SpeakerRequest",
]
