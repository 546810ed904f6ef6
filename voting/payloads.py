"""The tally on the wire: one shape for `GET items/{id}/tally/`, `tally.updated`, the
closing `voting.closed` and the hearing snapshot (ARCHITECTURE.md §5: `item, counts {choice:
n}, total, hidden`, plus the `chain` head the counts belong to). Never who chose what; under
a secret ballot before the close nothing but the fact that it is hidden and the chain head
(the rule: `selectors.tally_visible`). Also the chain head alone and a receipt check.
"""

from django.utils import timezone

from backend.isotime import isotime
from consultations.models import Consultation, Item
from hearings import payloads as hearing_payloads
from voting import selectors
from voting.models import Tally, VoteChain, VoteRecord

TALLY = ("item", "counts", "total", "hidden", "chain")
CHAIN = ("length", "head")
VOTING_CLOSED = ("hearing", "item", "tally", "closed_at")
RECEIPT = (
    "receipt",
    "consultation",
    "seq",
    "chain",
    "sealed",
    "item",
    "action",
    "at",
    "current",
    "choice",
    "organization",
)

# Event `data` per type (docs/REALTIME.md's table is checked against these).
EVENT_DATA = {
    "tally.updated": TALLY,
    "voting.closed": VOTING_CLOSED,
}


def chain(head: VoteChain) -> dict:
    """The chain head anyone can write down: how many records, and the last one's hash."""
    return {"length": head.length, "head": head.head}


def head_of(consultation_id: int) -> VoteChain:
    """The consultation's chain head row; before its first vote, the empty chain."""
    head = VoteChain.objects.filter(consultation_id=consultation_id).first()
    return head if head is not None else VoteChain(consultation_id=consultation_id)


def tally(item: Item, row: Tally | None, *, head: VoteChain | None = None) -> dict:
    """`row` is the item's Tally (None: no vote yet); reads `item.consultation`.

    `head` is the chain head these counts belong to: the vote passes the head it holds
    locked, after its record is written; without it the head row is read now.
    """
    consultation = item.consultation
    head_data = chain(head if head is not None else head_of(item.consultation_id))
    if not selectors.tally_visible(consultation):
        return {"item": item.pk, "counts": {}, "total": None, "hidden": True, "chain": head_data}
    counts = {
        choice: (row.count(choice) if row is not None else 0)
        for choice in consultation.vote_choices()
    }
    return {
        "item": item.pk,
        "counts": counts,
        "total": sum(counts.values()),
        "hidden": False,
        "chain": head_data,
    }


def tally_of(item: Item) -> dict:
    """One item's tally: two primary-key rows (the tally and the chain head)."""
    return tally(item, Tally.objects.filter(item_id=item.pk).first())


def tallies_of(consultation: Consultation) -> list[dict]:
    """Every item's tally; the chain head is read once for all of them."""
    head = head_of(consultation.pk)
    rows = []
    for item in selectors.items_with_tallies(consultation):
        item.consultation = consultation
        rows.append(tally(item, getattr(item, "tally", None), head=head))
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


def receipt(record: VoteRecord, *, own: bool = False) -> dict:
    """What the receipt check says about one record (`GET receipts/{hash}/`, /tanda-terima/).

    Anyone learns that the record is in the chain, where, and the head. Under a secret
    ballot still open the rest stays sealed, as in the published log: the hashes are
    public there, so answering item, action, time or "still current" for any hash would
    rebuild the running counts. The organization's own members (`own`) see which item,
    what and when, and whether it still stands, but not the choice. Organization names
    only under an open ballot.
    """
    consultation = record.consultation
    sealed = selectors.log_sealed(consultation)
    details = not sealed or own
    return {
        "receipt": record.hash,
        "consultation": {"id": consultation.pk, "title": consultation.title},
        "seq": record.seq,
        "chain": chain(head_of(consultation.pk)),
        "sealed": sealed,
        "item": {"id": record.item_id, "title": record.item.title} if details else None,
        "action": record.action if details else None,
        "at": isotime(record.recorded_at) if details else None,
        "current": selectors.record_is_current(record) if details else None,
        "choice": (record.choice or None) if not sealed else None,
        "organization": (
            {"id": record.organization_id, "name": record.organization.name}
            if selectors.choices_public(consultation)
            else None
        ),
    }
