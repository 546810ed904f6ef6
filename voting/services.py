"""Every change to votes (ARCHITECTURE.md §2 rule 1; the integrity story is docs/VOTING.md).

Lock order, the same in every function so two votes never deadlock:
ballot row (organization × consultation) → tally row (item) → chain head
(consultation) → vote row → event stream rows. The per-consultation locks (chain
head, stream) come last, so the part of a vote that is serialized across a whole
consultation stays short.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, Invalid, NotFound
from consultations.models import Consultation, Item, Organization
from realtime import events
from voting import chain, permissions, selectors
from voting.models import Ballot, Choice, Tally, Vote, VoteChain, VoteRecord


def _valid_choice(consultation: Consultation, choice) -> str:
    allowed = selectors.choices_for(consultation)
    if not isinstance(choice, str) or choice not in allowed:
        raise Invalid(
            _("Unknown choice. Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)},
            field="choice",
        )
    return choice


def _lock_ballot(organization: Organization, consultation: Consultation) -> Ballot:
    """Lock (creating on first use) the organization's ballot row in this consultation."""
    lookup = {"organization": organization, "consultation": consultation}
    ballot = Ballot.objects.select_for_update().filter(**lookup).first()
    if ballot is None:
        Ballot.objects.bulk_create([Ballot(**lookup)], ignore_conflicts=True)
        ballot = Ballot.objects.select_for_update().get(**lookup)
    return ballot


def _adjust_tally(item: Item, *, add: str | None, remove: str | None) -> None:
    changes = {"updated_at": timezone.now()}
    if add:
        changes[Tally.COLUMNS[add]] = F(Tally.COLUMNS[add]) + 1
    if remove:
        changes[Tally.COLUMNS[remove]] = F(Tally.COLUMNS[remove]) - 1
    if not Tally.objects.filter(item_id=item.pk).update(**changes):
        Tally.objects.bulk_create([Tally(item_id=item.pk)], ignore_conflicts=True)
        Tally.objects.filter(item_id=item.pk).update(**changes)


def _append_record(*, actor, ballot: Ballot, item: Item, choice: str, action: str) -> VoteRecord:
    """Append one link to the consultation's chain under its head's row lock: no forks."""
    consultation_id = ballot.consultation_id
    head = VoteChain.objects.select_for_update().filter(consultation_id=consultation_id).first()
    if head is None:
        VoteChain.objects.bulk_create(
            [VoteChain(consultation_id=consultation_id)], ignore_conflicts=True
        )
        head = VoteChain.objects.select_for_update().get(consultation_id=consultation_id)
    record = VoteRecord(
        consultation_id=consultation_id,
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
    record.save()
    VoteChain.objects.filter(consultation_id=consultation_id).update(
        length=record.seq, head=record.hash
    )
    return record


def _tally_event_data(item: Item) -> dict | None:
    """The item's full tally for `tally.updated`, read under our lock on the tally row.

    None while a secret ballot is open: then nothing is published at all.
    """
    if not selectors.tally_visible(item.consultation):
        return None
    return selectors.tally_of(item)


def _publish_tally(item: Item, data: dict | None) -> None:
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
    with transaction.atomic():
        ballot = _lock_ballot(organization, consultation)
        vote = Vote.objects.filter(organization=organization, item=item).first()
        if vote is not None and vote.choice == choice:
            return vote
        if vote is None and consultation.voting_method == Consultation.VotingMethod.APPROVAL:
            used = selectors.votes_used(organization, consultation)
            if used >= consultation.max_choices:
                raise Conflict(
                    _(
                        "Your organization has used all %(max)d of its choices; "
                        "withdraw one before approving another."
                    )
                    % {"max": consultation.max_choices}
                )
        previous = vote.choice if vote is not None else None
        _adjust_tally(item, add=choice, remove=previous)
        data = _tally_event_data(item)
        record = _append_record(
            actor=actor,
            ballot=ballot,
            item=item,
            choice=choice,
            action=VoteRecord.Action.CHANGE if vote is not None else VoteRecord.Action.CAST,
        )
        now = record.recorded_at
        if vote is None:
            vote = Vote.objects.create(
                organization=organization,
                item=item,
                choice=choice,
                cast_by=actor,
                cast_at=now,
                updated_at=now,
                receipt=record.hash,
            )
        else:
            vote.choice, vote.cast_by, vote.updated_at, vote.receipt = (
                choice,
                actor,
                now,
                record.hash,
            )
            vote.save(update_fields=["choice", "cast_by", "updated_at", "receipt"])
        _publish_tally(item, data)
    return vote


def vote_withdraw(*, actor, item: Item) -> VoteRecord:
    """Withdraw the organization's vote; the returned record's hash is the receipt."""
    consultation = item.consultation
    organization = permissions.voting_organization(actor, item)
    with transaction.atomic():
        ballot = _lock_ballot(organization, consultation)
        vote = Vote.objects.filter(organization=organization, item=item).first()
        if vote is None:
            raise NotFound(_("Your organization has no vote on this item to withdraw."))
        _adjust_tally(item, add=None, remove=vote.choice)
        data = _tally_event_data(item)
        record = _append_record(
            actor=actor, ballot=ballot, item=item, choice="", action=VoteRecord.Action.WITHDRAW
        )
        vote.delete()
        _publish_tally(item, data)
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
        _publish_tally(item, _tally_event_data(item))
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
