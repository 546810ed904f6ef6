"""Who may see the dashboard, export a consultation and read or edit the Berita Acara."""

from accounts.permissions import is_moderator, is_official, is_planner
from consultations.models import Consultation


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
