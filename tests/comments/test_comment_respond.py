"""Answering a comment again edits its answer: one service, `comment_respond`, used by the
API's `respond` action and by the response matrix page alike."""

import pytest
from django.urls import reverse

from comments import responses
from comments.models import Response


def test_the_first_answer_creates_a_draft_response(official, published_comment):
    response, created = responses.comment_respond(
        actor=official, comment=published_comment, outcome="accepted", body="Diterima."
    )
    assert created
    assert response.published_at is None


def test_answering_again_edits_the_same_response(official, planner, published_comment):
    first, _ = responses.comment_respond(
        actor=official, comment=published_comment, outcome="accepted", body="Diterima."
    )
    second, created = responses.comment_respond(
        actor=planner, comment=published_comment, outcome="noted", body="Dicatat.", publish=True
    )
    assert not created
    assert second.pk == first.pk
    assert (second.outcome, second.body, second.responder) == ("noted", "Dicatat.", planner)
    assert second.published_at is not None
    assert Response.objects.count() == 1


@pytest.fixture
def spy(monkeypatch):
    calls = []
    real = responses.comment_respond

    def recording(**kwargs):
        calls.append(kwargs["comment"].pk)
        return real(**kwargs)

    monkeypatch.setattr(responses, "comment_respond", recording)
    return calls


def test_the_api_answers_through_the_service(api_as, official, published_comment, spy):
    url = f"/api/v1/comments/{published_comment.pk}/respond/"
    client = api_as(official)
    assert (
        client.post(url, {"outcome": "accepted", "body": "Ya."}, format="json").status_code == 201
    )
    assert client.post(url, {"outcome": "noted", "body": "Lagi."}, format="json").status_code == 200
    assert spy == [published_comment.pk, published_comment.pk]


def test_the_matrix_page_answers_through_the_service(
    client, official, published_comment, open_consultation, spy
):
    client.force_login(official)
    for body in ("Diterima.", "Diterima sebagian."):
        client.post(
            reverse("comment-respond", args=[open_consultation.pk]),
            {"comment": published_comment.pk, "outcome": "accepted", "body": body},
        )
    assert spy == [published_comment.pk, published_comment.pk]
    assert Response.objects.get().body == "Diterima sebagian."
