"""Server-side checks behind `check_tallies` and `verify_votes` (docs/VOTING.md)."""

from collections import Counter

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


def verify_consultation(consultation: Consultation) -> tuple[list[str], dict[int, Counter]]:
    """Recompute the chain from the database and hold votes and tallies against it."""
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
    head = VoteChain.objects.filter(consultation=consultation).first()
    head_hash = records[-1].hash if records else chain.GENESIS
    if head is not None and (head.length != len(records) or head.head != head_hash):
        problems.append(
            f"chain head says {head.length} records ending {head.head[:12]}…, "
            f"the log has {len(records)} ending {head_hash[:12]}… (records removed or added)"
        )
    # The current Vote rows must be exactly what the chain replays to.
    voters = {org: chain.pseudonym("voter", salt, org) for org, salt in salts.items()}
    replay_state: dict[tuple[str, int], str] = {}
    for entry in public:
        key = (entry["voter"], entry["item"])
        if entry["action"] == VoteRecord.Action.WITHDRAW:
            replay_state.pop(key, None)
        else:
            replay_state[key] = entry["choice"]
    stored_state = {
        (voters.get(vote.organization_id, "?"), vote.item_id): vote.choice
        for vote in Vote.objects.filter(item__consultation=consultation)
    }
    for key in sorted(set(replay_state) | set(stored_state), key=str):
        if replay_state.get(key) != stored_state.get(key):
            problems.append(
                f"item {key[1]}: vote row says {stored_state.get(key)!r}, "
                f"the chain says {replay_state.get(key)!r}"
            )
    for item_id, stored in stored_tallies(consultation).items():
        counted = {c: n for c, n in replayed.get(item_id, Counter()).items() if n}
        stored = {c: n for c, n in stored.items() if n}
        if counted != stored:
            problems.append(f"item {item_id}: tally {stored} != chain {counted}")
    return problems, replayed


def stored_tallies(consultation: Consultation) -> dict[int, dict[str, int]]:
    """Raw tally counts of every item, regardless of the secret ballot (internal check only)."""
    result = {}
    for item in selectors.items_with_tallies(consultation):
        tally = getattr(item, "tally", None)
        result[item.pk] = {c: (tally.count(c) if tally else 0) for c in Choice.values}
    return result
