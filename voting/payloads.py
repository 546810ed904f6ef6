"""The tally on the wire: one shape for `GET items/{id}/tally/`, `tally.updated`, the
closing `voting.closed` and the hearing snapshot (ARCHITECTURE.md §5: `item, counts {choice:
n}, total, hidden`). Never who chose what; under a secret ballot before the close nothing
but the fact that it is hidden (the rule: `selectors.tally_visible`).
"""

from django.utils import timezone

from backend.isotime import isotime
from consultations.models import Consultation, Item
from hearings import payloads as hearing_payloads
from voting import selectors
from voting.models import Tally

TALLY = ("item", "counts", "total", "hidden")
VOTING_CLOSED = ("hearing", "item", "tally", "closed_at")

# Event `data` per type (docs/REALTIME.md's table is checked against these).
EVENT_DATA = {
    "tally.updated": TALLY,
    "voting.closed": VOTING_CLOSED,
}


def tally(item: Item, row: Tally | None) -> dict:
    """`row` is the item's Tally (None: no vote yet); reads `item.consultation`."""
    consultation = item.consultation
    if not selectors.tally_visible(consultation):
        return {"item": item.pk, "counts": {}, "total": None, "hidden": True}
    counts = {
        choice: (row.count(choice) if row is not None else 0)
        for choice in consultation.vote_choices()
    }
    return {"item": item.pk, "counts": counts, "total": sum(counts.values()), "hidden": False}


def tally_of(item: Item) -> dict:
    """One item's tally: one primary-key row."""
    return tally(item, Tally.objects.filter(item_id=item.pk).first())


def tallies_of(consultation: Consultation) -> list[dict]:
    rows = []
    for item in selectors.items_with_tallies(consultation):
        item.consultation = consultation
        rows.append(tally(item, getattr(item, "tally", None)))
    return rows


def voting_closed(hearing, item: Item) -> dict:
    """A hearing's voting window closed: the item and its tally frozen at this moment
    (still hidden under a secret ballot)."""
    return {
        "hearing": hearing.pk,
        "item": hearing_payloads.item(item),
        "tally": tally_of(item),
        "closed_at": isotime(timezone.now()),
    }
