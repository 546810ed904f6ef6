"""Every change to votes (ARCHITECTURE.md §2 rule 1; the integrity story is docs/VOTING.md).

Lock order, the same in every function so two votes never deadlock:
ballot row (organization × consultation; approval only) → vote row (organization ×
item) → chain head (consultation) → tally row (item) → event stream row
(`realtime.events.publish`). Each is a row lock taken by `select_for_update()` or by an
UPDATE and held until commit. The chain head is taken after the vote row, so a repeated
choice (no change) never queues on the consultation; the tally's row is the one lock the
write statement takes, once the vote row and the head are held (`tally_recount` takes
the tally and then the stream, the same order).

The chain head's lock is also what a vote and the consultation's close serialise on. A
vote locks the head only while it is open: not closed (`VoteChain.closed_at`) and its
consultation open on the database's clock (`Consultation.objects.open_now()`), one query.
The close takes the same lock and writes `closed_at` before it announces the final
tallies. A vote that waited for the close meets the head as the close left it
(PostgreSQL re-reads a row it waited for and applies the query's conditions to it again,
"READ COMMITTED" in its documentation) and is refused. So a vote either commits before
the close reads the tallies (and is in them) or waits for the close and is refused.

It is the ORM but for one statement: the write of a change (record, head, vote and
tally together, `VoteRecord.objects.append`; docs/DECISIONS.md "Vote path"). A row that a
lock needs and that does not exist yet (the first ballot, vote, tally or chain head) is
made with `bulk_create(ignore_conflicts=True)` and then locked, so two first votes race
harmlessly. The queries every vote runs are built once per process (`_open_heads`).
"""

import functools

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from backend.errors import Conflict, Invalid, NotFound, require
from consultations.models import Consultation, Item
from hearings import payloads as hearing_payloads
from hearings import permissions as hearing_permissions
from hearings import selectors as hearing_selectors
from realtime import events
from voting import chain, payloads, permissions, selectors, signals
from voting.models import Ballot, Choice, Tally, Vote, VoteChain, VoteRecord


def _valid_choice(consultation: Consultation, choice) -> str:
    allowed = consultation.vote_choices()
    if not isinstance(choice, str) or choice not in allowed:
        raise Invalid(
            _("Unknown choice. Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)},
            field="choice",
        )
    return choice


def _locked(queryset):
    """The one row of a unique lookup, locked until commit; None when there is none.

    `get()`, not `first()`: `first()` orders by the model's Meta.ordering, which for a
    vote joins the item, the organization and the consultation; and FOR UPDATE OF the
    row's own table only, as the vote's query joins the item for the ballot's salt.
    """
    try:
        return queryset.select_for_update(of=("self",)).get()
    except queryset.model.DoesNotExist:
        return None


def _locked_or_made(queryset, first_row):
    """The one row of a unique lookup, locked until commit; `first_row` is inserted first
    when there is none (a concurrent insert of the same row is ignored, then locked).
    None only when the row exists but the queryset's own conditions leave it out."""
    row = _locked(queryset)
    if row is None:
        type(first_row).objects.bulk_create([first_row], ignore_conflicts=True)
        row = _locked(queryset)
    return row


def _lock_ballot(organization: Organization, consultation_id: int) -> Ballot:
    """Lock (creating on first use) the organization's ballot in a consultation.

    Approval takes it before anything else: it serializes all of the organization's
    votes in the consultation, which keeps the `max_choices` limit exact.
    """
    return _locked_or_made(
        Ballot.objects.filter(organization=organization, consultation_id=consultation_id),
        Ballot(organization=organization, consultation_id=consultation_id),
    )


def _create_ballot(organization: Organization, consultation_id: int) -> None:
    Ballot.objects.bulk_create(
        [Ballot(organization=organization, consultation_id=consultation_id)],
        ignore_conflicts=True,
    )


@functools.cache
def _votes_with_salt():
    """Votes with their ballot's salt, built once per process (see `_open_heads`)."""
    salt = Ballot.objects.filter(
        organization=OuterRef("organization_id"), consultation=OuterRef("item__consultation_id")
    ).values("salt")
    return Vote.objects.annotate(ballot_salt=Subquery(salt))


@functools.cache
def _open_heads():
    """Chain heads a vote may append to: not closed, and the consultation open on the
    database's clock. Built once per process: every vote asks it, and building its
    conditions cost as much Python as running the query. `filter()` copies a QuerySet,
    never changes it."""
    return VoteChain.objects.filter(
        closed_at__isnull=True, consultation__in=Consultation.objects.open_now()
    )


def _lock_vote(organization, item: Item, actor, choice: str | None, *, ballot=None):
    """Lock the organization's vote row on the item: (ballot, vote, whether it is new).

    Casting (`choice` given) makes the row first when there is none, so there is always
    a row to lock and two submissions for the same organization and item queue on it; a
    row made here has an empty receipt until `_record_and_vote` writes it, in the same
    transaction. After waiting for the lock, `select_for_update()` returns the row as its
    previous holder committed it (PostgreSQL re-reads a row it waited for). Withdrawing
    locks the existing row. Unless the caller holds the ballot already (approval), the
    ballot's salt for the pseudonyms comes in the same query.
    """
    votes = (Vote.objects if ballot is not None else _votes_with_salt()).filter(
        organization=organization, item=item
    )
    vote = _locked(votes)
    while vote is None and choice is not None:
        # Loops only if a withdrawal deleted the row between this insert and the lock.
        now = timezone.now()
        placeholder = Vote(organization=organization, item=item, choice=choice, cast_by=actor)
        placeholder.cast_at = placeholder.updated_at = now
        Vote.objects.bulk_create([placeholder], ignore_conflicts=True)
        vote = _locked(votes)
    if vote is None:
        return None, None, False
    vote.organization, vote.item = organization, item
    if ballot is None:
        consultation_id = item.consultation_id
        if vote.ballot_salt is None:  # the organization's first vote in this consultation
            _create_ballot(organization, consultation_id)
            ballot = Ballot.objects.get(organization=organization, consultation_id=consultation_id)
        else:
            ballot = Ballot(organization=organization, consultation_id=consultation_id)
            ballot.salt = vote.ballot_salt
    return ballot, vote, vote.receipt == ""


def _lock_open_chain_head(item: Item) -> VoteChain:
    """Lock the consultation's chain head while voting is open (see the module's
    docstring); Conflict when it is not. The lock keeps the chain from forking and is
    what the close waits for; it is held until commit, and `_record_and_vote` points the
    head at the new record."""
    head = _locked_or_made(
        _open_heads().filter(consultation_id=item.consultation_id),
        VoteChain(consultation_id=item.consultation_id),
    )
    if head is None:
        raise Conflict(_("Voting on this consultation is closed."))
    return head


def _lock_chain_head(consultation_id: int) -> VoteChain:
    """Lock (creating on first use) the consultation's chain head, open or closed."""
    return _locked_or_made(
        VoteChain.objects.filter(consultation_id=consultation_id),
        VoteChain(consultation_id=consultation_id),
    )


def _new_record(
    *, actor, ballot: Ballot, item: Item, choice: str, action: str, head: VoteChain
) -> VoteRecord:
    """The chain's next record after the locked `head`, hashed over the previous one."""
    record = VoteRecord(
        consultation_id=ballot.consultation_id,
        seq=head.length + 1,
        item=item,
        organization_id=ballot.organization_id,
        actor=actor,
        voter=chain.pseudonym("voter", ballot.salt, ballot.organization_id),
        actor_token=chain.pseudonym("actor", ballot.salt, actor.pk),
        choice=choice,
        action=action,
        nonce=chain.new_nonce(),
        recorded_at=timezone.now(),
        prev_hash=head.head,
    )
    record.hash = chain.compute_hash(record)
    return record


def _record_and_vote(
    record: VoteRecord, vote: Vote, head: VoteChain, actor, *, add, remove, new=False
) -> Tally:
    """Write the chain record, move the locked head to it, write the organization's vote
    (change the locked row, or delete it for a withdrawal) and move the item's counts:
    one statement (`VoteRecord.objects.append`). The vote's receipt is the record's hash.
    Returns the item's tally as this change left it."""
    head.length, head.head = record.seq, record.hash
    if record.action != VoteRecord.Action.WITHDRAW:
        vote.choice, vote.cast_by, vote.receipt = record.choice, actor, record.hash
        vote.updated_at = record.recorded_at
        if new:
            vote.cast_at = record.recorded_at
    return VoteRecord.objects.append(record, head=head, vote=vote, add=add, remove=remove)


def _tally_event_data(item: Item, tally: Tally, head: VoteChain | None = None) -> dict | None:
    """The item's full tally for `tally.updated`, with the chain head it belongs to.

    None while a secret ballot is open: then nothing is published at all.
    """
    if not selectors.tally_visible(item.consultation):
        return None
    return payloads.tally(item, tally, head=head)


def _publish_tally(item: Item, data: dict | None) -> None:
    """Publish `tally.updated` with `data` on the consultation and on every live hearing
    voting on the item; nothing when it is None (a hidden tally)."""
    if data is None:
        return
    events.publish(item.consultation.stream, "tally.updated", data)
    for hearing in selectors.live_voting_windows(item):
        events.publish(hearing.stream, "tally.updated", data)


def vote_cast(*, actor, item: Item, choice: str) -> Vote:
    """Cast or change the organization's vote on an item; one row per (organization, item).

    Submitting the same choice again changes nothing and returns the same receipt.
    """
    consultation = item.consultation
    choice = _valid_choice(consultation, choice)
    organization = permissions.voting_organization(actor, item)
    approval = consultation.voting_method == Consultation.VotingMethod.APPROVAL
    with transaction.atomic():
        ballot = _lock_ballot(organization, consultation.pk) if approval else None
        ballot, vote, new = _lock_vote(organization, item, actor, choice, ballot=ballot)
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
        head = _lock_open_chain_head(item)
        record = _new_record(
            actor=actor,
            ballot=ballot,
            item=item,
            choice=choice,
            action=VoteRecord.Action.CAST if new else VoteRecord.Action.CHANGE,
            head=head,
        )
        remove = None if new else vote.choice
        tally = _record_and_vote(record, vote, head, actor, add=choice, remove=remove, new=new)
        _publish_tally(item, _tally_event_data(item, tally, head))
    return vote


def vote_withdraw(*, actor, item: Item) -> VoteRecord:
    """Withdraw the organization's vote; the returned record's hash is the receipt."""
    organization = permissions.voting_organization(actor, item)
    with transaction.atomic():
        ballot = None
        if item.consultation.voting_method == Consultation.VotingMethod.APPROVAL:
            ballot = _lock_ballot(organization, item.consultation_id)
        ballot, vote, _new = _lock_vote(organization, item, actor, None, ballot=ballot)
        if vote is None:
            raise NotFound(_("Your organization has no vote on this item to withdraw."))
        head = _lock_open_chain_head(item)
        record = _new_record(
            actor=actor,
            ballot=ballot,
            item=item,
            choice="",
            action=VoteRecord.Action.WITHDRAW,
            head=head,
        )
        tally = _record_and_vote(record, vote, head, actor, add=None, remove=vote.choice)
        _publish_tally(item, _tally_event_data(item, tally, head))
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
        rows = payloads.tallies_of(consultation)
        for data in rows:
            events.publish(consultation.stream, "tally.updated", data)
    return len(rows)


# --- A hearing's live voting window, and the hooks of the layers below ----------------


def _require_hearing_runner(actor, hearing) -> None:
    require(
        hearing_permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may run a hearing."),
    )


def hearing_open_voting(*, actor, hearing, item: Item):
    """Open the live voting window on one item of the hearing's consultation."""
    _require_hearing_runner(actor, hearing)
    if item is None:
        raise Invalid(_("Choose the item to vote on."), field="item")
    with transaction.atomic():
        hearing = hearing_selectors.hearing_for_update(hearing)
        if not hearing.is_live:
            raise Conflict(_("This hearing is not live."))
        if item.consultation_id != hearing.consultation_id:
            raise Invalid(_("This item belongs to another consultation."), field="item")
        if not hearing.consultation.is_open:
            raise Conflict(_("Votes are only possible while the consultation is open."))
        if hearing.voting_item_id is not None:
            raise Conflict(_("Close the current vote before opening another one."))
        hearing.voting_item = item
        hearing.voting_opened_at = timezone.now()
        hearing.save(update_fields=["voting_item", "voting_opened_at"])
        events.publish(hearing.stream, "voting.opened", hearing_payloads.voting(hearing))
        # The votes cast before the window opened are on the screens at once.
        events.publish(hearing.stream, "tally.updated", payloads.tally_of(item))
        signals.voting_opened.send(sender=type(hearing), hearing=hearing, item=item)
    return hearing


def _close_voting(hearing) -> None:
    item = hearing.voting_item
    data = payloads.voting_closed(hearing, item)
    hearing.voting_item = None
    hearing.voting_opened_at = None
    hearing.save(update_fields=["voting_item", "voting_opened_at"])
    events.publish(hearing.stream, "voting.closed", data)


def hearing_close_voting(*, actor, hearing):
    """Close the window; the event carries the tally frozen at this moment."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = hearing_selectors.hearing_for_update(hearing)
        if hearing.voting_item_id is None:
            raise Conflict(_("No vote is open."))
        _close_voting(hearing)
    return hearing


def close_window_on_hearing_end(*, hearing, **_signal) -> None:
    """hearings.signals.hearing_ending: a hearing that ends closes its open voting window."""
    if hearing.voting_item_id is not None:
        _close_voting(hearing)


def close_chain_on_closing(*, consultation, **_signal) -> None:
    """consultations.signals.consultation_closing: take the chain head's lock and close the
    chain. The votes in flight commit first (and are counted); later ones wait for the
    lock, then meet the closed head and are refused. So the tallies announced on
    `consultation_closed` are final and no record is later than `closed_at`."""
    head = _lock_chain_head(consultation.pk)
    head.closed_at = timezone.now()
    head.save(update_fields=["closed_at"])


def announce_tallies_on_close(*, consultation, actor, **_signal) -> None:
    """consultations.signals.consultation_closed: a live voting window on one of its items
    closes (its screens show the final count), then the final tallies go out."""
    for hearing in hearing_selectors.hearings_voting_in(consultation):
        _close_voting(hearing)
    tallies_announce(actor=actor, consultation=consultation)
