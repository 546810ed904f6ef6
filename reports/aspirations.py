"""The final report's section "Aspirasi yang ditampung": how many proposals the consultation's
plan received and accepted, per kecamatan and per category, with the pagu accepted, and the
accepted proposals with their programmes. Reads aspirations' selectors; writes nothing."""

from aspirations import selectors
from consultations.models import Consultation


def section(consultation: Consultation) -> dict | None:
    """None when the consultation received no proposal (a policy draft, say)."""
    totals = selectors.report_totals(consultation)
    if not totals["proposed"]:
        return None
    totals["accepted_count"] = len(totals["accepted"])
    totals["accepted_pagu"] = sum(a.pagu or 0 for a in totals["accepted"])
    return totals
