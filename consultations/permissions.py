"""Who may create, manage and see a consultation (ARCHITECTURE.md §4)."""

from accounts.permissions import is_official, is_staff_role
from consultations.models import Consultation


def can_create_consultation(user) -> bool:
    return is_official(user)


def can_manage_consultation(user, consultation: Consultation) -> bool:
    return is_official(user)


def can_view_consultation(user, consultation: Consultation) -> bool:
    return consultation.is_public or is_staff_role(user)


def can_view_unpublished_text(user, consultation: Consultation) -> bool:
    """Draft versions being prepared are internal until they are published."""
    return is_staff_role(user)
