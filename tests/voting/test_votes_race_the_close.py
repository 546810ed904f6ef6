"""Votes and the close serialise on the chain head: the announced final tally is the
count (issue 14, finding 9)."""

import pytest
from django.core.management import call_command

from backend.errors import Conflict
from consultations import services as consultation_services
from consultations.models import Consultation, Item
from hearings import services as hearing_services
from realtime.models import StreamEvent
from tests.factories import ConsultationFactory, HearingFactory, ItemFactory
from tests.voting.conftest import representatives
from tests.voting.test_concurrency import run_together
from voting import payloads, services
from voting.models import Tally, Vote, VoteRecord


def test_a_vote_checked_as_open_before_the_close_is_refused_after_it(official, representative):
    consultation = ConsultationFactory()
    item = ItemFactory(consultation=consultation)
    seen_open = Item.objects.select_related("consultation").get(pk=item.pk)
    consultation_services.consultation_close(
        actor=official, consultation=consultation, reason="Rapat pleno memutuskan"
    )

    with pytest.raises(Conflict):
        services.vote_cast(actor=representative, item=seen_open, choice="for")

    assert not Vote.objects.filter(item=item).exists()
    assert not VoteRecord.objects.filter(item=item).exists()
    assert Tally.objects.filter(item=item, for_count__gt=0).count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_votes_racing_the_close_are_all_in_the_announced_final_tally(official):
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET)
    item = ItemFactory(consultation=consultation)
    voters = representatives(30, prefix="balap")
    # Each voter looked at an open consultation before the close began.
    stale = [Item.objects.select_related("consultation").get(pk=item.pk) for _ in voters]
    refused = []

    def vote(user, seen):
        def job():
            try:
                services.vote_cast(actor=user, item=seen, choice="for")
            except Conflict:
                refused.append(user)

        return job

    def close():
        consultation_services.consultation_close(
            actor=official, consultation=consultation, reason="Rapat pleno memutuskan"
        )

    jobs = [vote(user, seen) for user, seen in zip(voters, stale, strict=True)]
    jobs.insert(15, close)
    assert run_together(jobs) == []

    consultation.refresh_from_db()
    announced = list(
        StreamEvent.objects.filter(stream=consultation.stream, type="tally.updated").values_list(
            "data", flat=True
        )
    )
    api = payloads.tally_of(Item.objects.select_related("consultation").get(pk=item.pk))
    counted = Vote.objects.filter(item=item).count()
    assert len(announced) == 1  # a secret ballot publishes only at the close
    assert announced[0]["counts"] == api["counts"] == {"for": counted, "against": 0, "abstain": 0}
    assert counted + len(refused) == 30
    assert not VoteRecord.objects.filter(recorded_at__gt=consultation.closed_at).exists()
    call_command("check_tallies")
    call_command("verify_votes")


def test_closing_the_consultation_closes_a_live_voting_window_with_the_final_count(
    official, moderator, representative
):
    consultation = ConsultationFactory()
    item = ItemFactory(consultation=consultation)
    hearing = HearingFactory(consultation=consultation)
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    services.hearing_open_voting(actor=moderator, hearing=hearing, item=item)
    services.vote_cast(actor=representative, item=item, choice="for")

    consultation_services.consultation_close(
        actor=official, consultation=consultation, reason="Rapat pleno memutuskan"
    )

    hearing.refresh_from_db()
    assert hearing.voting_item is None
    closed = StreamEvent.objects.get(stream=hearing.stream, type="voting.closed")
    assert closed.data["tally"]["counts"]["for"] == 1
