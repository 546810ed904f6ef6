"""Bad input answers a clear 4xx, never a 500, and stores nothing."""

import pytest

from comments.models import Comment
from realtime.models import StreamEvent
from tests.factories import CommentFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(api_as, member, open_consultation):
    def do(status, **fields):
        body = {"consultation": open_consultation.pk, "stance": "support", "body": "Setuju."}
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not ...}
        answer = api_as(member).post("/api/v1/comments/", body, format="json")
        assert answer.status_code == status, answer.content
        assert answer.json()
        return answer.json()

    return do


def nothing_stored(before=0):
    return Comment.objects.count() == before and not StreamEvent.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n", "x" * 5001, "nol\u0000byte", None, ["a"]])
def test_bad_bodies_are_400(body, send):
    answer = send(400, body=body)
    assert "body" in answer
    assert nothing_stored()


@pytest.mark.parametrize("stance", ["", "setuju", "SUPPORT", None, 1, ...])
def test_stances_outside_the_list_are_400(stance, send):
    assert "stance" in send(400, stance=stance)
    assert nothing_stored()


@pytest.mark.parametrize("consultation", [None, "abc", 999999, ...])
def test_unknown_consultation_is_400(consultation, send):
    send(400, consultation=consultation)
    assert nothing_stored()


def test_section_of_another_consultation_is_400(send):
    assert "section" in send(400, section=SectionFactory().pk)
    assert nothing_stored()


def test_reply_to_a_reply_is_400(send, open_consultation, member):
    top = CommentFactory(consultation=open_consultation, author=member)
    reply = CommentFactory(consultation=open_consultation, parent=top, author=member)
    assert "parent" in send(400, parent=reply.pk)
    assert nothing_stored(before=2)


def test_comment_on_a_closed_consultation_is_409_with_a_message(send):
    closed = ConsultationFactory(status="closed")
    answer = send(409, consultation=closed.pk)
    assert answer["code"] == "conflict" and answer["detail"]
    assert nothing_stored()


def test_draft_consultation_is_404(send, draft_consultation):
    send(404, consultation=draft_consultation.pk)
    assert nothing_stored()


def test_malformed_json_is_400(api_as, member):
    answer = api_as(member).post(
        "/api/v1/comments/", data="{not json", content_type="application/json"
    )
    assert answer.status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize(
    "query",
    [
        "consultation=abc",
        "status=deleted",
        "stance=maybe",
        "created_after=yesterday",
        "cursor=bogus",
    ],
)
def test_bad_filters_are_4xx_not_500(query, api_as):
    answer = api_as(None).get(f"/api/v1/comments/?{query}")
    assert 400 <= answer.status_code < 500


def test_bad_moderation_reason_is_400(api_as, moderator, published_comment):
    answer = api_as(moderator).post(
        f"/api/v1/comments/{published_comment.pk}/hide/", {"reason": "x" * 501}, format="json"
    )
    assert answer.status_code == 400
    published_comment.refresh_from_db()
    assert published_comment.is_published


def test_bad_response_outcome_is_400(api_as, official, published_comment):
    answer = api_as(official).post(
        f"/api/v1/comments/{published_comment.pk}/respond/",
        {"outcome": "mungkin", "body": "?"},
        format="json",
    )
    assert answer.status_code == 400
    assert not published_comment.__class__.objects.filter(response__isnull=False).exists()
