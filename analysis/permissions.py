"""Who may read the analysis, ask for a fresh one, and import written submissions."""

from accounts.permissions import is_moderator, is_official, is_planner
from consultations.models import Consultation


def can_view_analysis(user, consultation: Consultation) -> bool:
    """Themes and duplicate groups are a working tool of the staff who read and answer the
    comments (planners, officials, moderators); the public sees their summary in the final
    report once the consultation is concluded, never a "campaign" label on its comments."""
    return is_planner(user) or is_official(user) or is_moderator(user)


def can_refresh_analysis(user) -> bool:
    return is_planner(user) or is_official(user)
