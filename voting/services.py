"""Every change to votes (ARCHITECTURE.md §2 rule 1; the integrity story is docs/VOTING.md).

Lock order, the same in every function so two votes never deadlock:
ballot row (organization × consultation; approval only) → vote row (organization ×
item) → tally row (item) → chain head (consultation) → event stream rows. The
per-consultation locks (chain head, stream) come last, so the part of a vote that is
serialized across a whole consultation stays short.

A vote is the platform's hottest write (issue 4, docs/PERFORMANCE.md "Votes"), so
the statements on its path are few and written out (backend/rows.py): one upsert
locks the vote row and returns it, one moves the tally and advances the chain head
and returns both, one writes record, head and vote with the `tally.updated` event
(realtime.events.publish_with). They are plain SQL that PostgreSQL and SQLite both
accept.
"""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend import rows
from backend.errors import Conflict, Invalid, NotFound
from consultations.models import Consultation, Item, Organization
from realtime import events
from voting import chain, permissions, selectors
from voting.models import Ballot, Choice, Tally, Vote, VoteChain, VoteRecord

BALLOT = rows.table(Ballot)
VOTE = rows.table(Vote)
TALLY = rows.table(Tally)
CHAIN = rows.table(VoteChain)
COUNT_COLUMNS = ("for_count", "against_count", "abstain_count", "approve_count")


def _valid_choice(consultation: Consultation, choice) -> str:
    allowed = selectors.choices_for(consultation)
    if not isinstance(choice, str) or choice not in allowed:
        raise Invalid(
            _("Unknown choice. Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)},
            field="choice",
        )
    return choice


def _lock_ballot(organization: Organization, consultation_id: int, *, lock=True) -> Ballot:
    """Lock (creating on first use) the organization's ballot in a consultation.

    Approval takes it before anything else: it serializes all of the organization's
    votes in the consultation, which keeps the `max_choices` limit exact.
    """
    for_update = lock and connection.features.has_select_for_update
    sql = (
        f"SELECT id, salt FROM {BALLOT}"  # noqa: S608
        f" WHERE organization_id = %s AND consultation_id = %s{' FOR UPDATE' if for_update else ''}"
    )
    params = [organization.pk, consultation_id]
    row = rows.execute(sql, params)
    if row is None:
        Ballot.objects.bulk_create(
            [Ballot(organization=organization, consultation_id=consultation_id)],
            ignore_conflicts=True,
        )
        row = rows.execute(sql, params)
    return Ballot(
        id=row[0], organization=organization, consultation_id=consultation_id, salt=row[1]
    )


def _lock_vote(organization, item: Item, actor, choice: str | None):
    """Lock the organization's vote row on the item: (ballot, vote, whether it is new).

    Casting (`choice` given) upserts the row, so there is always a row to lock and two
    submissions for the same organization and item queue on it; a row this statement
    inserted has an empty receipt until `_record_and_vote` writes it. The upsert returns
    the row as committed by whoever held the lock before, which a plain SELECT started
    before the wait would not see (READ COMMITTED). Withdrawing locks the existing row.
    """
    salt = f"(SELECT salt FROM {BALLOT} WHERE organization_id = %s AND consultation_id = %s)"  # noqa: S608
    ballot_params = [organization.pk, item.consultation_id]
    if choice is None:
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        row = rows.execute(
            f"SELECT {rows.columns(Vote)}, {salt} FROM {VOTE}"  # noqa: S608
            f" WHERE organization_id = %s AND item_id = %s{lock}",
            [*ballot_params, organization.pk, item.pk],
        )
        if row is None:
            return None, None, False
    else:
        now = timezone.now()
        placeholder = {"organization_id": organization.pk, "item_id": item.pk, "choice": choice}
        placeholder.update(cast_by_id=actor.pk, cast_at=now, updated_at=now, receipt="")
        insert, params = rows.insert_sql(Vote, placeholder)
        row = rows.execute(
            f"{insert} ON CONFLICT (organization_id, item_id) DO UPDATE"
            f" SET choice = {VOTE}.choice RETURNING {rows.columns(Vote)}, {salt}",
            [*params, *ballot_params],
        )
    vote, at = rows.load(Vote, row)
    vote.organization, vote.item = organization, item
    if row[at] is None:  # the organization's first vote in this consultation
        ballot = _lock_ballot(organization, item.consultation_id, lock=False)
    else:
        ballot = Ballot(organization=organization, consultation_id=item.consultation_id)
        ballot.salt = row[at]
    return ballot, vote, vote.receipt == ""


def _move_tally_and_chain(item: Item, *, add: str | None, remove: str | None):
    """Move the item's counts and reserve the next link of the consultation's chain, in one
    round trip on PostgreSQL: (tally as the locked UPDATE left it, (seq, previous hash)).

    The tally row (one exact UPDATE under its row lock) comes before the chain head, the
    lock order above. The head's lock is what keeps the chain from forking; it is held
    until commit, and `_record_and_vote` points the head at the new record.
    """
    changes = [f"{Tally.COLUMNS[add]} = {Tally.COLUMNS[add]} + 1"] if add else []
    if remove:
        changes.append(f"{Tally.COLUMNS[remove]} = {Tally.COLUMNS[remove]} - 1")
    move = (
        f"UPDATE {TALLY} SET {', '.join(changes)}, updated_at = %s WHERE item_id = %s",  # noqa: S608
        [rows.prepare(Tally, "updated_at", timezone.now()), item.pk],
        ", ".join(COUNT_COLUMNS),
    )
    advance = (
        f"UPDATE {CHAIN} SET length = length + 1 WHERE consultation_id = %s",  # noqa: S608
        [item.consultation_id],
        "length, head",
    )
    counts, link = rows.together(move, advance)
    if counts is None:  # the item's first vote: its tally row is made now
        Tally.objects.bulk_create([Tally(item_id=item.pk)], ignore_conflicts=True)
        counts = rows.together(move)[0]
    if link is None:  # the consultation's first vote: so is its chain
        VoteChain.objects.bulk_create(
            [VoteChain(consultation_id=item.consultation_id)], ignore_conflicts=True
        )
        link = rows.together(advance)[0]
    return Tally(item_id=item.pk, **dict(zip(COUNT_COLUMNS, counts, strict=True))), link


def _new_record(*, actor, ballot: Ballot, item: Item, choice: str, action: str, link) -> VoteRecord:
    """The chain's next record, hashed over the previous one (`link` = seq, previous hash)."""
    seq, prev_hash = link
    record = VoteRecord(
        consultation_id=ballot.consultation_id,
        seq=seq,
        item=item,
        organization_id=ballot.organization_id,
        actor=actor,
        voter=chain.pseudonym("voter", ballot.salt, ballot.organization_id),
        actor_token=chain.pseudonym("actor", ballot.salt, actor.pk),
        choice=choice,
        action=action,
        nonce=chain.new_nonce(),
        recorded_at=timezone.now(),
        prev_hash=prev_hash,
    )
    record.hash = chain.compute_hash(record)
    return record


def _record_and_vote(
    record: VoteRecord, vote: Vote, actor, *, tally_event: dict | None, new: bool = False
) -> Vote:
    """Write the chain record, move the head to it, write the organization's vote (change
    the locked row in place, or delete it for a withdrawal) and publish `tally_event`
    (`_tally_event_data`) — one round trip on PostgreSQL. The vote's receipt is the
    record's hash.
    """
    fields = ["consultation_id", "seq", "item_id", "organization_id", "actor_id", "voter"]
    fields += ["actor_token", "choice", "action", "nonce", "recorded_at", "prev_hash", "hash"]
    record_sql, record_params = rows.insert_sql(
        VoteRecord, {name: getattr(record, name) for name in fields}
    )
    head = (
        f"UPDATE {CHAIN} SET head = %s WHERE consultation_id = %s",  # noqa: S608
        [record.hash, record.consultation_id],
        "",
    )
    if record.action == VoteRecord.Action.WITHDRAW:
        write = (f"DELETE FROM {VOTE} WHERE id = %s", [vote.pk], "")  # noqa: S608
    else:
        vote.choice, vote.cast_by, vote.receipt = record.choice, actor, record.hash
        vote.updated_at = record.recorded_at
        if new:
            vote.cast_at = record.recorded_at
        moment = rows.prepare(Vote, "updated_at", record.recorded_at)
        write = (
            f"UPDATE {VOTE} SET choice = %s, cast_by_id = %s, cast_at = %s, updated_at = %s,"  # noqa: S608
            " receipt = %s WHERE id = %s",
            [record.choice, actor.pk, rows.prepare(Vote, "cast_at", vote.cast_at), moment]
            + [record.hash, vote.pk],
            "",
        )
    writes = [(record_sql, record_params, "id"), head, write]
    record.id, _head, _vote = _publish_tally(record.item, tally_event, writes)
    return vote


def _tally_event_data(item: Item, tally: Tally) -> dict | None:
    """The item's full tally for `tally.updated`, as the locked UPDATE returned it.

    None while a secret ballot is open: then nothing is published at all.
    """
    if not selectors.tally_visible(item.consultation):
        return None
    return selectors.tally_data(item, tally)


def _publish_tally(item: Item, data: dict | None, writes=()) -> list:
    """Run `writes` (rows.together statements) and publish `tally.updated` with `data`
    (nothing when it is None) in the same statement; returns the writes' results."""
    if data is None:
        return rows.together(*writes) if writes else []
    results, _event = events.publish_with(writes, item.consultation.stream, "tally.updated", data)
    for hearing in selectors.live_voting_windows(item):
        events.publish(hearing.stream, "tally.updated", data)
    return results


def vote_cast(*, actor, item: Item, choice: str) -> Vote:
    """Cast or change the organization's vote on an item; one row per (organization, item).

    Submitting the same choice again changes nothing and returns the same receipt.
    """
    consultation = item.consultation
    choice = _valid_choice(consultation, choice)
    organization = permissions.voting_organization(actor, item)
    approval = consultation.voting_method == Consultation.VotingMethod.APPROVAL
    with transaction.atomic():
        if approval:
            _lock_ballot(organization, consultation.pk)
        ballot, vote, new = _lock_vote(organization, item, actor, choice)
        if not new and vote.choice == choice:
            return vote
        # The new row is already counted: the limit is exceeded past max_choices.
        if (
            new
            and approval
            and selectors.votes_used(organization, consultation) > (consultation.max_choices)
        ):
            raise Conflict(
                _(
                    "Your organization has used all %(max)d of its choices; "
                    "withdraw one before approving another."
                )
                % {"max": consultation.max_choices}
            )
        tally, link = _move_tally_and_chain(item, add=choice, remove=None if new else vote.choice)
        record = _new_record(
            actor=actor,
            ballot=ballot,
            item=item,
            choice=choice,
            action=VoteRecord.Action.CAST if new else VoteRecord.Action.CHANGE,
            link=link,
        )
        vote = _record_and_vote(
            record, vote, actor, tally_event=_tally_event_data(item, tally), new=new
        )
    return vote


def vote_withdraw(*, actor, item: Item) -> VoteRecord:
    """Withdraw the organization's vote; the returned record's hash is the receipt."""
    organization = permissions.voting_organization(actor, item)
    with transaction.atomic():
        if item.consultation.voting_method == Consultation.VotingMethod.APPROVAL:
            _lock_ballot(organization, item.consultation_id)
        ballot, vote, _new = _lock_vote(organization, item, actor, None)
        if vote is None:
            raise NotFound(_("Your organization has no vote on this item to withdraw."))
        tally, link = _move_tally_and_chain(item, add=None, remove=vote.choice)
        record = _new_record(
            actor=actor,
            ballot=ballot,
            item=item,
            choice="",
            action=VoteRecord.Action.WITHDRAW,
            link=link,
        )
        _record_and_vote(record, vote, actor, tally_event=_tally_event_data(item, tally))
    return record


def tally_recount(*, actor, item: Item) -> tuple[dict, dict]:
    """Repair an item's tally from its votes (check_tallies --fix): (before, after) counts."""
    with transaction.atomic():
        Tally.objects.bulk_create([Tally(item_id=item.pk)], ignore_conflicts=True)
        tally = Tally.objects.select_for_update().get(item_id=item.pk)
        before = {choice: tally.count(choice) for choice in Choice.values}
        after = selectors.recount(item)
        for choice, column in Tally.COLUMNS.items():
            setattr(tally, column, after.get(str(choice), 0))
        tally.updated_at = timezone.now()
        tally.save()
        _publish_tally(item, _tally_event_data(item, tally))
    return before, after


def tallies_announce(*, actor, consultation: Consultation) -> int:
    """Publish every item's tally, e.g. when a secret ballot closes; returns the event count.

    Called by whoever closes voting (consultation close, a hearing's close-voting)
    inside their transaction; publishes nothing while the tallies are still hidden.
    """
    if not selectors.tally_visible(consultation):
        return 0
    with transaction.atomic():
        rows = selectors.tallies_of(consultation)
        for data in rows:
            events.publish(consultation.stream, "tally.updated", data)
    return len(rows)
