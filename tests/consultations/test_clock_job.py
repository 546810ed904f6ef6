"""At `closes_at` the clock job (consultations/tasks.py, every minute under Huey) closes the
consultation through the service, which announces the final tallies once (issue 14,
requirement 3). Tests run the job's function directly; Huey is in immediate mode."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.errors import Conflict
from consultations import services, tasks
from consultations.models import Consultation, Item
from realtime.models import StreamEvent
from tests.factories import ConsultationFactory, ItemFactory
from tests.voting.conftest import representatives
from tests.voting.test_concurrency import run_together
from voting import payloads
from voting import services as voting_services
from voting.models import Vote, VoteRecord

REASON = "Ditutup lebih awal oleh rapat pleno."


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def announced(consultation):
    return list(
        StreamEvent.objects.filter(stream=consultation.stream, type="tally.updated")
        .order_by("seq")
        .values_list("data", flat=True)
    )


@pytest.fixture
def past_due(db, representative, other_representative):
    """A secret ballot whose closing time passed a minute ago, with two votes in it."""
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET)
    item = ItemFactory(consultation=consultation)
    voting_services.vote_cast(actor=representative, item=item, choice="for")
    voting_services.vote_cast(actor=other_representative, item=item, choice="against")
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=ago(minutes=1))
    consultation.refresh_from_db()
    return consultation


@pytest.mark.django_db
def test_the_job_closes_a_consultation_past_its_closing_time(past_due):
    done = tasks.follow_the_clock.call_local()

    assert done == {"opened": [], "closed": [past_due.pk]}
    closes_at = past_due.closes_at
    past_due.refresh_from_db()
    assert past_due.status == Consultation.Status.CLOSED
    assert past_due.closes_at == closes_at < past_due.closed_at <= timezone.now()
    assert past_due.closed_by is None and past_due.close_reason == ""


@pytest.mark.django_db
def test_the_job_announces_the_final_tallies_once(past_due):
    assert announced(past_due) == []  # a secret ballot publishes nothing while open

    tasks.follow_the_clock.call_local()
    tasks.follow_the_clock.call_local()

    item = past_due.items.get()
    final = announced(past_due)
    assert len(final) == 1
    api = payloads.tally_of(Item.objects.select_related("consultation").get(pk=item.pk))
    assert final[0]["counts"] == api["counts"] == {"for": 1, "against": 1, "abstain": 0}


@pytest.mark.django_db
def test_the_job_through_huey_in_immediate_mode(past_due):
    tasks.follow_the_clock()
    past_due.refresh_from_db()
    assert past_due.status == Consultation.Status.CLOSED


@pytest.mark.django_db
def test_the_job_leaves_everything_not_yet_due_alone(open_consultation, draft_consultation):
    no_end = ConsultationFactory(closes_at=None)
    closed = ConsultationFactory(status=Consultation.Status.CLOSED, closes_at=ago(days=3))

    assert tasks.follow_the_clock.call_local() == {"opened": [], "closed": []}

    for consultation, status in [
        (open_consultation, "open"),
        (draft_consultation, "draft"),
        (no_end, "open"),
        (closed, "closed"),
    ]:
        consultation.refresh_from_db()
        assert consultation.status == status


@pytest.mark.django_db
def test_one_failing_close_does_not_hold_back_the_others(monkeypatch):
    first = ConsultationFactory(closes_at=ago(minutes=2))
    second = ConsultationFactory(closes_at=ago(minutes=1))
    real_close = services.consultation_close_due

    def close(*, consultation):
        if consultation.pk == first.pk:
            raise RuntimeError("disk full")
        return real_close(consultation=consultation)

    monkeypatch.setattr(services, "consultation_close_due", close)
    assert tasks.follow_the_clock.call_local()["closed"] == [second.pk]
    first.refresh_from_db()
    assert first.status == Consultation.Status.OPEN  # the next run tries again
    monkeypatch.setattr(services, "consultation_close_due", real_close)
    assert tasks.follow_the_clock.call_local()["closed"] == [first.pk]


@pytest.mark.django_db
def test_the_service_refuses_to_close_by_the_clock_before_the_time(open_consultation):
    assert services.consultation_close_due(consultation=open_consultation) is None
    open_consultation.refresh_from_db()
    assert open_consultation.status == Consultation.Status.OPEN


@pytest.mark.django_db
def test_an_official_closing_after_the_closing_time_closes_it_as_the_clock_does(official, past_due):
    closed = services.consultation_close(actor=official, consultation=past_due, reason="")
    assert closed.status == Consultation.Status.CLOSED
    assert closed.closes_at == past_due.closes_at  # not moved: it was not early
    assert closed.closed_by is None and closed.close_reason == ""


# --- Races, on PostgreSQL ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_job_and_an_official_closing_at_once_close_it_once(official):
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET, closes_at=ago(seconds=1))
    ItemFactory.create_batch(3, consultation=consultation)
    outcomes = []

    def job():
        outcomes.append(("job", tasks.follow_the_clock.call_local()["closed"]))

    def by_hand():
        try:
            services.consultation_close(actor=official, consultation=consultation, reason=REASON)
            outcomes.append(("official", [consultation.pk]))
        except Conflict:
            outcomes.append(("official", []))

    assert run_together([job, by_hand, job]) == []

    assert sorted(len(closed) for _who, closed in outcomes) == [0, 0, 1]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    assert len(announced(consultation)) == 3  # one final tally per item, once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_votes_racing_the_clock_close_are_in_the_final_tally_or_refused():
    """25 votes spread around the closing time, the job starting the moment it passes: the
    announced final tally is the API's and the recount's; no vote is recorded after it."""
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET)
    item = ItemFactory(consultation=consultation)
    voters = representatives(25, prefix="jam")
    # Each voter loaded the item while its closing time was still weeks away.
    stale = [Item.objects.select_related("consultation").get(pk=item.pk) for _ in voters]
    consultation.closes_at = timezone.now() + datetime.timedelta(seconds=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=consultation.closes_at)
    refused = []

    def vote(user, seen, delay):
        def run():
            time.sleep(delay)
            try:
                voting_services.vote_cast(actor=user, item=seen, choice="for")
            except Conflict:
                refused.append(user)

        return run

    def clock():
        while timezone.now() <= consultation.closes_at:
            time.sleep(0.01)
        tasks.follow_the_clock.call_local()

    jobs = [vote(u, s, 0.4 + 0.03 * i) for i, (u, s) in enumerate(zip(voters, stale, strict=True))]
    assert run_together([*jobs, clock]) == []

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    final = announced(consultation)
    api = payloads.tally_of(Item.objects.select_related("consultation").get(pk=item.pk))
    counted = Vote.objects.filter(item=item).count()
    assert len(final) == 1
    assert final[0]["counts"] == api["counts"] == {"for": counted, "against": 0, "abstain": 0}
    assert counted + len(refused) == 25
    assert not VoteRecord.objects.filter(recorded_at__gt=consultation.closed_at).exists()
    call_command("check_tallies")
