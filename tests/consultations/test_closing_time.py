"""`closes_at` may move later, never into the past, and once votes are cast never below the
notice period; a closed consultation — or one past its closing time — never reopens
(ARCHITECTURE.md §3; issue 14, finding 3 and requirement 2)."""

import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, Invalid
from consultations import services
from consultations.models import Consultation
from tests.factories import ConsultationFactory, ItemFactory
from voting import selectors as voting_selectors
from voting import services as voting_services

pytestmark = pytest.mark.django_db


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


@pytest.fixture
def secret_ballot(db):
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET, closes_at=later(days=30))
    ItemFactory(consultation=consultation)
    return consultation


@pytest.fixture
def voted(secret_ballot, representative):
    voting_services.vote_cast(actor=representative, item=secret_ballot.items.get(), choice="for")
    return secret_ballot


@pytest.fixture
def seconds_pass(monkeypatch):
    """seconds_pass(n): the application's clock moves n seconds ahead."""
    real_now = timezone.now

    def advance(n):
        moment = real_now() + datetime.timedelta(seconds=n)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return advance


def patch(api_as, user, consultation, **body):
    body = {k: v.isoformat() if isinstance(v, datetime.datetime) else v for k, v in body.items()}
    return api_as(user).patch(f"/api/v1/consultations/{consultation.pk}/", body, format="json")


def test_with_votes_cast_the_closing_time_cannot_move_to_two_seconds_from_now(
    api_as, official, voted
):
    """Finding 3: the move that would unseal the secret ballot in two seconds."""
    before = voted.closes_at
    answer = patch(api_as, official, voted, closes_at=later(seconds=2))
    assert answer.status_code == 400
    assert "closes_at" in answer.json()
    voted.refresh_from_db()
    assert voted.closes_at == before
    assert voted.is_open
    assert not voting_selectors.tally_visible(voted)


def test_with_votes_cast_it_may_move_earlier_but_not_below_the_notice(official, voted, settings):
    settings.RUANG = {**settings.RUANG, "CLOSING_NOTICE_HOURS": 24}
    with pytest.raises(Invalid):
        services.consultation_update(actor=official, consultation=voted, closes_at=later(hours=23))
    moved = services.consultation_update(
        actor=official, consultation=voted, closes_at=later(hours=25)
    )
    assert moved.closes_at < later(hours=26)


def test_the_notice_period_is_a_setting(official, voted, settings):
    settings.RUANG = {**settings.RUANG, "CLOSING_NOTICE_HOURS": 1}
    services.consultation_update(actor=official, consultation=voted, closes_at=later(hours=2))


def test_with_votes_cast_the_closing_time_may_always_move_later(official, voted):
    moved = services.consultation_update(
        actor=official, consultation=voted, closes_at=later(days=60)
    )
    assert moved.closes_at > later(days=59)
    assert (
        services.consultation_update(actor=official, consultation=voted, closes_at=None).closes_at
        is None
    )


def test_a_withdrawn_vote_still_counts_as_cast(official, voted, representative):
    voting_services.vote_withdraw(actor=representative, item=voted.items.get())
    with pytest.raises(Invalid):
        services.consultation_update(actor=official, consultation=voted, closes_at=later(minutes=5))


def test_a_short_closing_time_that_does_not_move_earlier_is_accepted(official, voted):
    """Already closing within the notice period: moving it a little later is an extension."""
    Consultation.objects.filter(pk=voted.pk).update(closes_at=later(hours=1))
    voted.refresh_from_db()
    moved = services.consultation_update(
        actor=official, consultation=voted, closes_at=later(hours=2)
    )
    assert moved.closes_at > later(hours=1)


def test_without_votes_it_may_close_soon(official, secret_ballot):
    moved = services.consultation_update(
        actor=official, consultation=secret_ballot, closes_at=later(minutes=5)
    )
    assert moved.is_open


def test_the_closing_time_never_moves_into_the_past(official, secret_ballot):
    with pytest.raises(Invalid):
        services.consultation_update(
            actor=official, consultation=secret_ballot, closes_at=later(seconds=-1)
        )


def test_past_its_closing_time_it_never_reopens(api_as, official, secret_ballot, seconds_pass):
    """Finding 3, second half: moved to now + 2 s, then three seconds later back to next
    year. Even before the clock job has closed it, it is closed."""
    assert patch(api_as, official, secret_ballot, closes_at=later(seconds=2)).status_code == 200
    seconds_pass(3)
    answer = patch(api_as, official, secret_ballot, closes_at=later(days=365))
    assert answer.status_code == 409
    secret_ballot.refresh_from_db()
    assert secret_ballot.closes_at < later(seconds=3)
    assert not secret_ballot.is_open


@pytest.mark.parametrize(
    "body",
    [
        {"closes_at": "2099-01-01T00:00:00+07:00"},
        {"closes_at": None},
        {"opens_at": "2099-01-01T00:00:00+07:00"},
        {"status": "open"},
        {"title": "Dibuka lagi"},
    ],
)
def test_any_change_to_a_closed_consultation_is_a_conflict(api_as, official, body):
    closed = ConsultationFactory(status=Consultation.Status.CLOSED, closes_at=later(days=-1))
    answer = api_as(official).patch(f"/api/v1/consultations/{closed.pk}/", body, format="json")
    assert answer.status_code == 409
    closed.refresh_from_db()
    assert closed.status == Consultation.Status.CLOSED
    assert closed.closes_at < timezone.now()


def test_a_closed_consultation_cannot_be_published_again(official):
    closed = ConsultationFactory(status=Consultation.Status.CLOSED)
    with pytest.raises(Conflict):
        services.consultation_publish(actor=official, consultation=closed)
