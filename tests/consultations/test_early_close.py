"""An early close is an official's explicit act with a reason: recorded (who, when, why),
shown on the consultation page and in the API, and final (issue 14, requirement 2)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.errors import Conflict, Invalid, NotAllowed
from comments import services as comment_services
from consultations import services
from consultations.models import Consultation
from realtime.models import StreamEvent
from tests.factories import ConsultationFactory, ItemFactory
from tests.pages_support import client_for
from voting import services as voting_services

pytestmark = pytest.mark.django_db

REASON = "Rapat pleno DPRD memajukan jadwal pembahasan."


def close_url(consultation):
    return f"/api/v1/consultations/{consultation.pk}/close/"


def test_an_official_closes_early_with_a_reason(official, open_consultation):
    before = timezone.now()
    closed = services.consultation_close(
        actor=official, consultation=open_consultation, reason=f"  {REASON} "
    )
    assert closed.status == Consultation.Status.CLOSED
    assert closed.closed_by == official
    assert closed.close_reason == REASON
    assert before <= closed.closed_at <= timezone.now()
    assert closed.closes_at == closed.closed_at


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_early_close_needs_a_reason(official, open_consultation, reason):
    with pytest.raises(Invalid):
        services.consultation_close(actor=official, consultation=open_consultation, reason=reason)
    open_consultation.refresh_from_db()
    assert open_consultation.is_open


def test_a_reason_longer_than_2000_characters_is_refused(official, open_consultation):
    with pytest.raises(Invalid):
        services.consultation_close(
            actor=official, consultation=open_consultation, reason="x" * 2001
        )
    open_consultation.refresh_from_db()
    assert open_consultation.is_open


@pytest.mark.parametrize("persona", ["planner", "moderator", "representative", "anonymous"])
def test_only_officials_close_early(request, persona, open_consultation):
    with pytest.raises(NotAllowed):
        services.consultation_close(
            actor=request.getfixturevalue(persona), consultation=open_consultation, reason=REASON
        )
    open_consultation.refresh_from_db()
    assert open_consultation.status == Consultation.Status.OPEN


def test_the_api_takes_the_reason_and_shows_who_closed_it_and_why(api_as, official):
    consultation = ConsultationFactory()
    official.first_name = "Alice Official"
    official.save()
    answer = api_as(official).post(close_url(consultation), {"reason": REASON}, format="json")
    assert answer.status_code == 200
    data = answer.json()
    assert data["status"] == "closed"
    assert data["closed_by_name"] == "Alice Official"
    assert data["close_reason"] == REASON
    public = api_as(None).get(f"/api/v1/consultations/{consultation.pk}/").json()
    assert (public["closed_by_name"], public["close_reason"]) == ("Alice Official", REASON)


def test_the_api_refuses_an_early_close_without_a_reason(api_as, official):
    consultation = ConsultationFactory()
    answer = api_as(official).post(close_url(consultation), {}, format="json")
    assert answer.status_code == 400
    assert "reason" in answer.json()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


def test_an_early_close_ends_voting_and_comments_for_good(api_as, official, representative, member):
    consultation = ConsultationFactory()
    item = ItemFactory(consultation=consultation)
    services.consultation_close(actor=official, consultation=consultation, reason=REASON)

    with pytest.raises((Conflict, NotAllowed)):
        voting_services.vote_cast(actor=representative, item=item, choice="for")
    consultation.refresh_from_db()
    with pytest.raises(Conflict):
        comment_services.comment_create(
            actor=member, consultation=consultation, stance="support", body="Terlambat."
        )
    reopen = api_as(official).patch(
        f"/api/v1/consultations/{consultation.pk}/",
        {"closes_at": "2099-01-01T00:00:00+07:00"},
        format="json",
    )
    assert reopen.status_code == 409
    again = api_as(official).post(close_url(consultation), {"reason": REASON}, format="json")
    assert again.status_code == 409
    consultation.refresh_from_db()
    assert consultation.close_reason == REASON


def test_an_early_close_of_a_secret_ballot_announces_each_final_tally_once(
    official, representative
):
    consultation = ConsultationFactory(ballot=Consultation.Ballot.SECRET)
    items = ItemFactory.create_batch(2, consultation=consultation)
    voting_services.vote_cast(actor=representative, item=items[0], choice="against")
    assert not StreamEvent.objects.filter(stream=consultation.stream, type="tally.updated")

    services.consultation_close(actor=official, consultation=consultation, reason=REASON)

    announced = StreamEvent.objects.filter(stream=consultation.stream, type="tally.updated")
    assert sorted(e.data["item"] for e in announced) == sorted(i.pk for i in items)


# --- The official's page -----------------------------------------------------------------


def page(client, consultation):
    return client.get(reverse("consultation-detail", args=[consultation.pk])).content.decode()


def test_the_official_sees_the_close_button_on_the_consultation_page(official):
    consultation = ConsultationFactory()
    html = page(client_for(official), consultation)
    assert 'class="close-early"' in html
    assert reverse("consultation-close-page", args=[consultation.pk]) in html


@pytest.mark.parametrize("persona", ["anonymous", "member", "moderator", "planner"])
def test_nobody_else_sees_the_close_button(request, persona):
    consultation = ConsultationFactory()
    client = client_for(request.getfixturevalue(persona))
    assert 'class="close-early"' not in page(client, consultation)


def test_the_close_button_closes_it_and_the_page_shows_who_when_and_why(official):
    consultation = ConsultationFactory()
    client = client_for(official)
    answer = client.post(
        reverse("consultation-close-page", args=[consultation.pk]), {"reason": REASON}
    )
    assert answer.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    html = page(client_for(None), consultation)
    assert "close-log" in html
    assert REASON in html
    assert official.get_full_name() in html
    assert 'class="close-early"' not in html


def test_the_close_button_without_a_reason_leaves_it_open(official):
    consultation = ConsultationFactory()
    answer = client_for(official).post(
        reverse("consultation-close-page", args=[consultation.pk]), {"reason": ""}, follow=True
    )
    assert answer.status_code == 200
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


def test_a_member_posting_to_the_close_page_is_refused(member):
    consultation = ConsultationFactory()
    answer = client_for(member).post(
        reverse("consultation-close-page", args=[consultation.pk]), {"reason": REASON}
    )
    assert answer.status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
