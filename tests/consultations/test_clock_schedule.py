"""The clock opens a consultation: published with a future `opens_at` it is scheduled —
readable, not yet open — until that time (ARCHITECTURE.md §3; issue 14, requirement 2)."""

import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, NotAllowed
from comments import services as comment_services
from consultations import services
from consultations.models import Consultation
from consultations.tasks import follow_the_clock
from tests.factories import ConsultationFactory, ItemFactory, SectionFactory
from voting import services as voting_services

pytestmark = pytest.mark.django_db


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


@pytest.fixture
def scheduled(official):
    """Published now, opening in three days."""
    consultation = ConsultationFactory(
        status="draft", opens_at=later(days=3), closes_at=later(days=30)
    )
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    ItemFactory(consultation=consultation)
    return services.consultation_publish(actor=official, consultation=consultation)


def test_publishing_with_a_future_opening_time_schedules_it(scheduled):
    assert scheduled.status == Consultation.Status.SCHEDULED
    assert scheduled.opens_at > timezone.now()
    assert scheduled.published_at is not None
    assert scheduled.is_public and not scheduled.is_open
    assert scheduled.versions.get().is_published


def test_publishing_without_an_opening_time_opens_it_now(official):
    consultation = ConsultationFactory(status="draft", opens_at=None, closes_at=later(days=30))
    SectionFactory(consultation=consultation)
    consultation = services.consultation_publish(actor=official, consultation=consultation)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.opens_at <= timezone.now()
    assert consultation.is_open


def test_publishing_with_a_past_opening_time_opens_it_and_keeps_that_time(official):
    opened = later(days=-2)
    consultation = ConsultationFactory(status="draft", opens_at=opened, closes_at=later(days=30))
    SectionFactory(consultation=consultation)
    consultation = services.consultation_publish(actor=official, consultation=consultation)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.opens_at == opened


def test_anyone_reads_a_scheduled_consultation(api_as, scheduled):
    answer = api_as(None).get(f"/api/v1/consultations/{scheduled.pk}/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "scheduled"
    sections = api_as(None).get(f"/api/v1/consultations/{scheduled.pk}/sections/")
    assert [s["number"] for s in sections.json()] == ["Pasal 1"]
    listed = api_as(None).get("/api/v1/consultations/?status=scheduled")
    assert [c["id"] for c in listed.json()["results"]] == [scheduled.pk]


def test_the_page_of_a_scheduled_consultation_says_when_it_opens(client, scheduled):
    page = client.get(f"/konsultasi/{scheduled.pk}/").content.decode()
    assert "Terjadwal: rancangan sudah dapat dibaca" in page
    assert "close-early" not in page


def test_no_comment_before_the_opening_time(member, scheduled):
    with pytest.raises(Conflict):
        comment_services.comment_create(
            actor=member, consultation=scheduled, stance="support", body="Terlalu awal."
        )
    assert not scheduled.comments.exists()


def test_no_vote_before_the_opening_time(representative, scheduled):
    item = scheduled.items.get()
    with pytest.raises((Conflict, NotAllowed)):
        voting_services.vote_cast(actor=representative, item=item, choice="for")
    assert not item.votes.exists()


def test_once_the_opening_time_has_come_it_is_open_before_the_job_runs(scheduled):
    Consultation.objects.filter(pk=scheduled.pk).update(opens_at=later(seconds=-1))
    scheduled.refresh_from_db()
    assert scheduled.status == Consultation.Status.SCHEDULED
    assert scheduled.is_open
    assert Consultation.objects.open_now().filter(pk=scheduled.pk).exists()


def test_the_database_clock_agrees_that_it_is_not_open_yet(scheduled):
    assert not Consultation.objects.open_now().filter(pk=scheduled.pk).exists()


def test_the_clock_job_opens_it_at_its_opening_time(scheduled):
    waiting = ConsultationFactory(status="scheduled", opens_at=later(hours=1))
    Consultation.objects.filter(pk=scheduled.pk).update(opens_at=later(seconds=-1))

    done = follow_the_clock.call_local()

    assert done == {"opened": [scheduled.pk], "closed": []}
    scheduled.refresh_from_db()
    waiting.refresh_from_db()
    assert scheduled.status == Consultation.Status.OPEN
    assert waiting.status == Consultation.Status.SCHEDULED


def test_a_scheduled_consultation_may_move_its_opening_and_closing_time(official, scheduled):
    services.consultation_update(
        actor=official,
        consultation=scheduled,
        title="Judul baru",
        opens_at=later(days=5),
        closes_at=later(days=40),
    )
    scheduled.refresh_from_db()
    assert scheduled.status == Consultation.Status.SCHEDULED
    assert scheduled.title == "Judul baru"


def test_moving_the_opening_time_to_now_opens_it(official, scheduled):
    moved = services.consultation_update(
        actor=official, consultation=scheduled, opens_at=later(seconds=-1)
    )
    assert moved.status == Consultation.Status.OPEN
    assert moved.is_open


def test_a_scheduled_consultation_keeps_its_published_rules(official, scheduled):
    with pytest.raises(Conflict):
        services.consultation_update(actor=official, consultation=scheduled, ballot="secret")
    scheduled.refresh_from_db()
    assert scheduled.ballot == "open"


def test_an_open_consultation_cannot_move_its_opening_time(official, open_consultation):
    with pytest.raises(Conflict):
        services.consultation_update(
            actor=official, consultation=open_consultation, opens_at=later(days=2)
        )
    open_consultation.refresh_from_db()
    assert open_consultation.status == Consultation.Status.OPEN
