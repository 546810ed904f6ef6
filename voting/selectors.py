"""Reads of votes and tallies, and the secret-ballot rule — written once, here.

Every channel that shows a tally or a choice (API, pages, WebSocket events,
exports) asks `tally_visible` / `choices_public` / `log_sealed` first.
"""

import functools

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from accounts.models import Organization
from consultations.models import Choice, Consultation, Item
from hearings.models import Hearing
from voting.chain import public_fields
from voting.models import Tally, Vote, VoteChain, VoteRecord

# --- The secret-ballot rule -----------------------------------------------------------


def voting_is_open(consultation: Consultation) -> bool:
    """Votes are accepted while the consultation is open (Consultation.is_open)."""
    return consultation.is_open


def tally_visible(consultation: Consultation) -> bool:
    """Open ballot: always. Secret ballot: only once voting has closed."""
    return consultation.ballot == Consultation.Ballot.OPEN or not voting_is_open(consultation)


def choices_public(consultation: Consultation) -> bool:
    """Which organization chose what: public under an open ballot, never under a secret one."""
    return consultation.ballot == Consultation.Ballot.OPEN


def log_sealed(consultation: Consultation) -> bool:
    """Under a secret ballot the log stays sealed while voting is open.

    Replaying an unsealed log would reveal the running tally, and counting its casts and
    withdrawals per item the turnout (under approval, the tally itself), so until the
    close each record shows only its place in the chain: seq and hashes.
    """
    return not tally_visible(consultation)


def sealed_consultations() -> QuerySet[Consultation]:
    """`log_sealed` as a query (the admin hides these ballots' counts): secret ballots
    still open on the database's clock."""
    return Consultation.objects.open_now().filter(ballot=Consultation.Ballot.SECRET)


# --- Tallies ---------------------------------------------------------------------------


def items_with_tallies(consultation: Consultation) -> QuerySet[Item]:
    """The consultation's items joined to their tally rows (one query)."""
    return (
        Item.objects.filter(consultation=consultation)
        .select_related("consultation", "tally")
        .order_by("position", "id")
    )


def tallies_and_head(consultation: Consultation) -> tuple[dict[int, Tally], VoteChain]:
    """The consultation's tally rows by item and its chain head, in one query.

    The head rides on the tally rows: a vote makes its item's tally row and the chain
    head in one transaction and neither is ever deleted, so no tally row means no chain.
    """
    head_row = VoteChain.objects.filter(consultation_id=consultation.pk)
    rows = Tally.objects.filter(item__consultation=consultation).annotate(
        chain_length=Subquery(head_row.values("length")[:1]),
        chain_head=Subquery(head_row.values("head")[:1]),
    )
    tallies = {row.item_id: row for row in rows}
    head = VoteChain(consultation_id=consultation.pk)
    for row in tallies.values():
        if row.chain_head is not None:
            head.length, head.head = row.chain_length, row.chain_head
        break
    return tallies, head


# --- Votes -----------------------------------------------------------------------------


def live_voting_windows(item: Item) -> list[Hearing]:
    """Live hearings whose voting window is on this item (memoised on the item)."""
    cached = getattr(item, "_voting_windows", None)
    if cached is None:
        cached = list(Hearing.objects.filter(voting_item=item, status=Hearing.Status.LIVE))
        item._voting_windows = cached
    return cached


@functools.cache
def _items_for_voting() -> QuerySet[Item]:
    """Items with their consultation and whether a live window is on them, built once per
    process: every vote starts here, and building this query (the join, the EXISTS) cost
    as much Python as running it. `get()` and `filter()` copy a QuerySet, never change it."""
    live_window = Hearing.objects.filter(voting_item=OuterRef("pk"), status=Hearing.Status.LIVE)
    return Item.objects.select_related("consultation").annotate(has_live_window=Exists(live_window))


def item_for_voting(item_id: int) -> Item | None:
    """The item with its consultation; knows in the same query whether a live window is on
    it (every vote starts here, and most items have none)."""
    try:
        item = _items_for_voting().get(pk=item_id)
    except Item.DoesNotExist:
        return None
    if not item.has_live_window:
        item._voting_windows = []
    return item


def vote_of(organization: Organization | None, item: Item) -> Vote | None:
    if organization is None:
        return None
    return Vote.objects.filter(organization=organization, item=item).first()


def votes_used(organization: Organization, consultation: Consultation) -> int:
    """How many items of the consultation the organization has a vote on (approval usage)."""
    return Vote.objects.filter(organization=organization, item__consultation=consultation).count()


def organization_votes(organization: Organization, *, own: bool) -> QuerySet[Vote]:
    """Votes for the organization page; outsiders never see secret-ballot choices."""
    qs = Vote.objects.filter(organization=organization).select_related("item__consultation")
    if not own:
        qs = qs.filter(item__consultation__ballot=Consultation.Ballot.OPEN)
    return qs.order_by("-updated_at", "-id")


# --- The published log -----------------------------------------------------------------


def vote_log(consultation: Consultation) -> QuerySet[VoteRecord]:
    qs = VoteRecord.objects.filter(consultation=consultation)
    if choices_public(consultation):
        qs = qs.select_related("organization")
    return qs.order_by("seq")


def log_entry(record: VoteRecord, consultation: Consultation) -> dict:
    """A record as the world sees it: sealed or pseudonymous as the ballot requires.

    Sealed, it keeps its place in the chain (seq and the two hashes: receipts and a
    written-down head can be found, the links checked) and nothing per item, choice,
    organization or time.
    """
    if log_sealed(consultation):
        return {
            "seq": record.seq,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
            "sealed": True,
        }
    entry = public_fields(record)
    entry.update(prev_hash=record.prev_hash, hash=record.hash, sealed=False)
    if choices_public(consultation):
        entry["organization"] = {"id": record.organization_id, "name": record.organization.name}
    return entry


def recount(item: Item) -> dict[str, int]:
    """Count the item's votes per choice from the Vote rows (the truth tallies are checked on)."""
    rows = Vote.objects.filter(item=item).values_list("choice").annotate(n=Count("id"))
    counts = {str(choice): 0 for choice in Choice.values}
    counts.update(dict(rows))
    return counts


# --- Receipts --------------------------------------------------------------------------


def record_by_receipt(receipt: str) -> VoteRecord | None:
    """The chain record whose hash is the receipt (`chain.parse_receipt` checked its form)."""
    return (
        VoteRecord.objects.select_related("consultation", "item", "organization")
        .filter(hash=receipt)
        .first()
    )


def record_is_current(record: VoteRecord) -> bool:
    """No later record of the same organization on the same item: what it recorded still
    stands (a choice the organization holds, or a withdrawal it has not undone)."""
    later = VoteRecord.objects.filter(
        consultation_id=record.consultation_id,
        organization_id=record.organization_id,
        item_id=record.item_id,
        seq__gt=record.seq,
    )
    return not later.exists()


def votes_cast_in(*, consultation: Consultation, **_signal) -> bool:
    """consultations.signals.votes_cast: has anyone voted in this consultation? Any record
    in its log counts (a withdrawn vote was cast too); the notice period before an earlier
    close protects them."""
    return VoteRecord.objects.filter(consultation_id=consultation.pk).exists()
