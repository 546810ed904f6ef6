"""A hearing follows its consultation's clock: once the consultation has closed — by an
official or by its closing time passing — no new hearing and no hearing going live
(issue 14, requirement 2; the live voting window itself checks `Consultation.is_open`)."""

import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict
from consultations.models import Consultation
from hearings import services
from hearings.models import Hearing
from tests.factories import ConsultationFactory, HearingFactory

pytestmark = pytest.mark.django_db


def soon():
    return timezone.now() + datetime.timedelta(hours=2)


@pytest.fixture
def past_its_closing_time(db):
    """Still `open` in the database: the clock job has not come round yet."""
    return ConsultationFactory(closes_at=timezone.now() - datetime.timedelta(minutes=1))


def test_no_new_hearing_once_the_closing_time_has_passed(official, past_its_closing_time):
    with pytest.raises(Conflict):
        services.hearing_create(
            actor=official, consultation=past_its_closing_time, title="RDP", starts_at=soon()
        )
    assert not Hearing.objects.exists()


@pytest.mark.parametrize("status", ["closed", "concluded"])
def test_a_hearing_of_a_closed_consultation_cannot_go_live(moderator, status):
    hearing = HearingFactory(consultation=ConsultationFactory(status=status))
    with pytest.raises(Conflict):
        services.hearing_start(actor=moderator, hearing=hearing)
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.SCHEDULED


def test_a_hearing_cannot_go_live_after_the_closing_time(moderator, past_its_closing_time):
    hearing = HearingFactory(consultation=past_its_closing_time)
    with pytest.raises(Conflict):
        services.hearing_start(actor=moderator, hearing=hearing)
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.SCHEDULED


def test_a_hearing_of_a_scheduled_consultation_may_go_live(moderator):
    """A forum before the consultation opens (to present the draft) is fine; its live vote
    waits for the opening time."""
    consultation = ConsultationFactory(
        status=Consultation.Status.SCHEDULED,
        opens_at=timezone.now() + datetime.timedelta(days=1),
    )
    hearing = services.hearing_start(
        actor=moderator, hearing=HearingFactory(consultation=consultation)
    )
    assert hearing.is_live
