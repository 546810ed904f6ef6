"""Votes and the close serialise on the chain head: the announced final tally is the
count (issue 14, finding 9)."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from backend.errors import Conflict
from consultations import services as consultation_services
from consultations.models import Consultation, Item
from consultations.signals import consultation_closed
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_that_waited_for_the_close_is_refused_though_it_began_while_voting_was_open(
    official, representative
):
    """The vote's chain-head query starts while the close holds the head but has not
    committed: its snapshot still shows an open consultation. PostgreSQL re-checks the
    query on the head as the close left it (`closed_at` set), so the vote is refused."""
    consultation = ConsultationFactory()
    item = ItemFactory(consultation=consultation)
    seen_open = Item.objects.select_related("consultation").get(pk=item.pk)
    (earlier,) = representatives(1, prefix="awal")
    services.vote_cast(actor=earlier, item=seen_open, choice="against")  # the head exists
    close_holds_the_head = threading.Event()
    outcome = []

    def hold_the_close_open(**_signal):
        close_holds_the_head.set()
        time.sleep(0.5)  # the vote below is now queued on the head's lock

    def close():
        try:
            consultation_services.consultation_close(
                actor=official, consultation=consultation, reason="Rapat pleno memutuskan"
            )
        finally:
            connection.close()

    def vote():
        close_holds_the_head.wait(timeout=30)
        try:
            services.vote_cast(actor=representative, item=seen_open, choice="for")
            outcome.append("accepted")
        except Conflict:
            outcome.append("refused")
        finally:
            connection.close()

    consultation_closed.connect(hold_the_close_open)
    try:
        threads = [threading.Thread(target=close), threading.Thread(target=vote)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        consultation_closed.disconnect(hold_the_close_open)

    assert outcome == ["refused"]
    assert VoteRecord.objects.filter(item=item).count() == 1
    assert list(Vote.objects.filter(item=item).values_list("choice", flat=True)) == ["against"]


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
