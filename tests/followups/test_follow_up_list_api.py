"""GET /api/v1/consultations/{id}/follow-ups/: public for published consultations."""

from consultations.models import Consultation
from tests.factories import ConsultationFactory, FollowUpFactory


def _url(consultation_id):
    return f"/api/v1/consultations/{consultation_id}/follow-ups/"


def test_anyone_reads_the_follow_ups_oldest_first(api_as, accepted_response, official):
    first = FollowUpFactory(response=accepted_response, status="planned", progress=0)
    second = FollowUpFactory(response=accepted_response, status="in_progress", progress=40)
    answer = api_as(None).get(_url(accepted_response.consultation_id))
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[1]["progress"] == 40


def test_a_draft_consultation_has_no_public_follow_up(api_as, official):
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    assert api_as(None).get(_url(draft.pk)).status_code == 404
    assert api_as(official).get(_url(draft.pk)).status_code == 404
    assert api_as(None).get(_url(999999)).status_code == 404


def test_the_list_is_cursor_paginated(api_as, accepted_response):
    for n in range(3):
        FollowUpFactory(response=accepted_response, progress=n * 10)
    answer = api_as(None).get(_url(accepted_response.consultation_id), {"page_size": 2})
    data = answer.json()
    assert len(data["results"]) == 2
    assert "cursor=" in data["next"]
    rest = api_as(None).get(data["next"]).json()
    assert len(rest["results"]) == 1


def test_listing_costs_the_same_for_many_rows(
    api_as, accepted_response, django_assert_max_num_queries
):
    for n in range(30):
        FollowUpFactory(response=accepted_response, progress=n)
    client = api_as(None)
    with django_assert_max_num_queries(3):
        answer = client.get(_url(accepted_response.consultation_id))
    assert len(answer.json()["results"]) == 30
