"""Casting, changing and withdrawing a vote through the service."""

import pytest

from backend.errors import Conflict, Invalid, NotFound
from voting import services
from voting.models import Tally, Vote, VoteRecord

pytestmark = pytest.mark.django_db


def counts(item):
    tally = Tally.objects.get(item=item)
    return {c: tally.count(c) for c in ("for", "against", "abstain", "approve")}


def test_representative_casts_one_vote_for_the_organization(representative, stance_item):
    vote = services.vote_cast(actor=representative, item=stance_item, choice="for")

    assert vote.choice == "for"
    assert vote.organization == representative.membership.organization
    assert len(vote.receipt) == 64
    assert counts(stance_item) == {"for": 1, "against": 0, "abstain": 0, "approve": 0}


def test_representative_can_change_vote_until_close(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    vote = services.vote_cast(actor=representative, item=stance_item, choice="against")

    assert Vote.objects.filter(item=stance_item).count() == 1
    assert vote.choice == "against"
    assert counts(stance_item)["for"] == 0
    assert counts(stance_item)["against"] == 1
    actions = list(VoteRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["cast", "change"]


def test_the_same_choice_twice_changes_nothing_and_keeps_the_receipt(representative, stance_item):
    first = services.vote_cast(actor=representative, item=stance_item, choice="abstain")
    again = services.vote_cast(actor=representative, item=stance_item, choice="abstain")

    assert again.receipt == first.receipt
    assert VoteRecord.objects.count() == 1
    assert counts(stance_item)["abstain"] == 1


def test_representative_can_withdraw_and_the_tally_drops(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    record = services.vote_withdraw(actor=representative, item=stance_item)

    assert record.action == "withdraw"
    assert record.choice == ""
    assert not Vote.objects.exists()
    assert counts(stance_item)["for"] == 0


def test_withdrawing_without_a_vote_is_not_found(representative, stance_item):
    with pytest.raises(NotFound):
        services.vote_withdraw(actor=representative, item=stance_item)


def test_two_organizations_vote_independently(representative, other_representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="against")

    assert Vote.objects.filter(item=stance_item).count() == 2
    assert counts(stance_item) == {"for": 1, "against": 1, "abstain": 0, "approve": 0}


@pytest.mark.parametrize("choice", ["approve", "yes", "", None, 1, "FOR"])
def test_unknown_stance_choice_is_invalid(representative, stance_item, choice):
    with pytest.raises(Invalid):
        services.vote_cast(actor=representative, item=stance_item, choice=choice)
    assert not Vote.objects.exists()
    assert not VoteRecord.objects.exists()


def test_closed_consultation_refuses_votes(representative, closed_consultation):
    with pytest.raises(Conflict):
        services.vote_cast(actor=representative, item=closed_consultation.items.get(), choice="for")


def test_vote_in_a_failed_transaction_leaves_no_partial_state(
    representative, stance_item, monkeypatch
):
    from realtime import events

    def boom(*args, **kwargs):
        raise RuntimeError("event store down")

    monkeypatch.setattr(events, "publish", boom)
    with pytest.raises(RuntimeError):
        services.vote_cast(actor=representative, item=stance_item, choice="for")

    assert not Vote.objects.exists()
    assert not VoteRecord.objects.exists()
    assert not Tally.objects.filter(item=stance_item, for_count__gt=0).exists()


def test_the_returned_vote_is_the_stored_row(representative, stance_item):
    cast = services.vote_cast(actor=representative, item=stance_item, choice="for")
    changed = services.vote_cast(actor=representative, item=stance_item, choice="against")

    stored = Vote.objects.get(item=stance_item)
    for field in ("id", "choice", "cast_by_id", "cast_at", "updated_at", "receipt"):
        assert getattr(changed, field) == getattr(stored, field), field
    assert stored.cast_at == cast.cast_at  # a change keeps the time of the first cast
    assert stored.updated_at > stored.cast_at
    assert stored.receipt == VoteRecord.objects.get(action="change").hash


def test_a_refused_approval_leaves_no_vote_behind(representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")

    with pytest.raises(Conflict):
        services.vote_cast(actor=representative, item=approval_items[3], choice="approve")

    assert not Vote.objects.filter(item=approval_items[3]).exists()
    assert VoteRecord.objects.count() == 3
