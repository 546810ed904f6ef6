"""Server-side checks behind `check_tallies` and `verify_votes` (docs/VOTING.md)."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from consultations.models import Choice, Consultation, Item
from voting import chain, selectors
from voting.models import Ballot, Tally, Vote, VoteChain, VoteRecord
from voting.verify_log import verify


def tally_drift(items=None) -> list[tuple[Item, dict, dict]]:
    """Items whose Tally row differs from COUNT(votes): [(item, stored, recounted)]."""
    items = Item.objects.all() if items is None else items
    recounted: dict[int, Counter] = {}
    rows = (
        Vote.objects.filter(item__in=items).values_list("item_id", "choice").annotate(n=Count("id"))
    )
    for item_id, choice, n in rows:
        recounted.setdefault(item_id, Counter())[choice] = n
    tallies = {t.item_id: t for t in Tally.objects.filter(item__in=items)}
    drift = []
    for item in items.select_related("consultation").order_by("pk"):
        tally = tallies.get(item.pk)
        stored = {c: (tally.count(c) if tally else 0) for c in Choice.values}
        counted = {c: recounted.get(item.pk, Counter())[c] for c in Choice.values}
        if stored != counted:
            drift.append((item, stored, counted))
    return drift


def verify_consultation(
    consultation: Consultation, *, heads: Iterable[str] = ()
) -> tuple[list[str], dict[int, Counter]]:
    """Recompute the chain from the database and hold votes and tallies against it.

    `heads` are chain heads someone wrote down earlier (the consultation page, the API, a
    `tally.updated` event, the Berita Acara): the chain must still pass through each. A
    truncation that also winds the head back and repairs the votes and tallies leaves a
    consistent database; only a head from before it shows what is gone.
    """
    records = list(VoteRecord.objects.filter(consultation=consultation).order_by("seq"))
    public = []
    problems = []
    salts = dict(
        Ballot.objects.filter(consultation=consultation).values_list("organization_id", "salt")
    )
    for record in records:
        entry = chain.public_fields(record)
        entry.update(prev_hash=record.prev_hash, hash=record.hash)
        public.append(entry)
        salt = salts.get(record.organization_id)
        if salt is None or record.voter != chain.pseudonym("voter", salt, record.organization_id):
            problems.append(f"record {record.seq}: organization does not match its voter pseudonym")
        if salt is None or record.actor_token != chain.pseudonym("actor", salt, record.actor_id):
            problems.append(f"record {record.seq}: actor does not match its actor pseudonym")
    chain_problems, replayed = verify(public)
    problems.extend(chain_problems)
    problems.extend(_head_problems(consultation, records))
    hashes = {record.hash for record in records}
    for head in heads:
        if head != chain.GENESIS and head not in hashes:
            problems.append(
                f"the chain no longer reaches the head {head} written down earlier "
                "(records removed or rewritten)"
            )
    problems.extend(_vote_row_problems(consultation, records))
    for item_id, stored in stored_tallies(consultation).items():
        counted = {c: n for c, n in replayed.get(item_id, Counter()).items() if n}
        stored = {c: n for c, n in stored.items() if n}
        if counted != stored:
            problems.append(f"item {item_id}: tally {stored} != chain {counted}")
    return problems, replayed


def _head_problems(consultation: Consultation, records: list[VoteRecord]) -> list[str]:
    """The VoteChain row must exist once there are records, and point at the last one."""
    head = VoteChain.objects.filter(consultation=consultation).first()
    head_hash = records[-1].hash if records else chain.GENESIS
    if head is None:
        if records or Vote.objects.filter(item__consultation=consultation).exists():
            return [f"the chain head row is missing; the log has {len(records)} records"]
        return []
    if head.length != len(records) or head.head != head_hash:
        return [
            f"chain head says {head.length} records ending {head.head[:12]}…, "
            f"the log has {len(records)} ending {head_hash[:12]}… (records removed or added)"
        ]
    return []


def _vote_row_problems(consultation: Consultation, records: list[VoteRecord]) -> list[str]:
    """Every current Vote row is exactly its latest record: choice, receipt and who cast it;
    and every organization whose latest record on an item is not a withdrawal has one."""
    latest = {(record.organization_id, record.item_id): record for record in records}
    votes = {
        (vote.organization_id, vote.item_id): vote
        for vote in Vote.objects.filter(item__consultation=consultation)
    }
    problems = []
    for organization_id, item_id in sorted(set(latest) | set(votes)):
        where = f"item {item_id}, organization {organization_id}"
        record = latest.get((organization_id, item_id))
        if record is not None and record.action == VoteRecord.Action.WITHDRAW:
            record = None
        vote = votes.get((organization_id, item_id))
        if vote is None and record is None:
            continue
        if vote is None:
            problems.append(f"{where}: record {record.seq} stands, but there is no vote row")
            continue
        if record is None:
            problems.append(f"{where}: a vote row the chain does not have")
            continue
        for field, stored, recorded in (
            ("choice", vote.choice, record.choice),
            ("receipt", vote.receipt, record.hash),
            ("cast_by", vote.cast_by_id, record.actor_id),
        ):
            if stored != recorded:
                problems.append(
                    f"{where}: vote row's {field} is {stored!r}, "
                    f"its latest record {record.seq} says {recorded!r}"
                )
    return problems


def stored_tallies(consultation: Consultation) -> dict[int, dict[str, int]]:
    """Raw tally counts of every item, regardless of the secret ballot (internal check only)."""
    result = {}
    for item in selectors.items_with_tallies(consultation):
        tally = getattr(item, "tally", None)
        result[item.pk] = {c: (tally.count(c) if tally else 0) for c in Choice.values}
    return result
