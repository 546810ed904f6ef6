"""The room pushes questions up: one upvote per person and question, through
`PUT`/`DELETE /api/v1/comments/{id}/upvote/`, with clear refusals and nothing written."""

import pytest

from comments import moderation as comment_moderation
from comments.models import Comment
from consultations.models import Consultation
from hearings import questions
from hearings.models import Question, QuestionUpvote
from realtime import events
from realtime.models import StreamEvent
from tests.factories import CommentFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, status="live")


@pytest.fixture
def question(hearing, member, post):
    return post(member, hearing.consultation, stance="question", hearing=hearing)


def upvote_url(comment) -> str:
    return f"/api/v1/comments/{comment.pk}/upvote/"


def question_events(hearing) -> list[dict]:
    return [e for e in events.events_after(hearing.stream, 0) if e["type"] == "question.updated"]


def test_an_upvote_counts_once_however_often_it_is_sent(api_as, question, other_representative):
    client = api_as(other_representative)

    first = client.put(upvote_url(question))
    again = client.put(upvote_url(question))

    assert first.status_code == again.status_code == 200
    assert first.json()["upvotes"] == again.json()["upvotes"] == 1
    assert QuestionUpvote.objects.filter(comment=question).count() == 1


def test_each_participant_adds_one_and_the_answer_is_the_new_count(
    api_as, question, representative, other_representative
):
    assert api_as(representative).put(upvote_url(question)).json()["upvotes"] == 1
    assert api_as(other_representative).put(upvote_url(question)).json()["upvotes"] == 2
    assert Question.objects.get(comment=question).upvotes == 2


def test_delete_takes_ones_upvote_back_and_again_changes_nothing(
    api_as, question, representative, other_representative
):
    api_as(representative).put(upvote_url(question))
    api_as(other_representative).put(upvote_url(question))
    client = api_as(other_representative)

    taken = client.delete(upvote_url(question))
    again = client.delete(upvote_url(question))

    assert taken.status_code == again.status_code == 200
    assert taken.json()["upvotes"] == again.json()["upvotes"] == 1
    assert list(QuestionUpvote.objects.values_list("user", flat=True)) == [representative.pk]


def test_each_change_of_the_count_goes_out_live_and_a_repeat_sends_nothing(
    question, representative, other_representative
):
    questions.question_upvote(actor=representative, comment=question)
    questions.question_upvote(actor=representative, comment=question)
    questions.question_upvote(actor=other_representative, comment=question)
    questions.question_unupvote(actor=representative, comment=question)

    sent = question_events(question.hearing)
    assert [e["data"]["upvotes"] for e in sent] == [1, 2, 1]
    assert {e["data"]["id"] for e in sent} == {question.pk}
    assert "body" not in sent[0]["data"], "the text goes out as the comment's, never here"


def test_a_burst_of_upvotes_is_coalesced_like_a_tally(question):
    data = {"id": question.pk, "upvotes": 3}
    assert events.coalesce_key("question.updated", data) == f"question:{question.pk}"
    assert events.coalesce_key("question.updated", {"id": question.pk + 1}) != (
        events.coalesce_key("question.updated", data)
    )


def test_nobody_upvotes_their_own_question(api_as, question, member):
    answer = api_as(member).put(upvote_url(question))

    assert answer.status_code == 409
    assert answer.json()["detail"] == "Anda tidak dapat mendukung pertanyaan Anda sendiri."
    assert not QuestionUpvote.objects.exists()
    assert question_events(question.hearing) == []


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda h, a: CommentFactory(consultation=h.consultation, hearing=h),
            id="support-comment",
        ),
        pytest.param(
            lambda h, a: CommentFactory(
                consultation=h.consultation, hearing=h, stance="question", status="hidden"
            ),
            id="hidden-question",
        ),
        pytest.param(
            lambda h, a: CommentFactory(
                consultation=h.consultation, hearing=h, stance="question", status="pending"
            ),
            id="pending-question",
        ),
        pytest.param(
            lambda h, a: CommentFactory(
                consultation=h.consultation, hearing=h, stance="question", is_removed=True
            ),
            id="removed-question",
        ),
        pytest.param(
            lambda h, a: CommentFactory(consultation=h.consultation, stance="question"),
            id="question-outside-a-hearing",
        ),
    ],
)
def test_only_a_published_question_of_a_hearing_takes_upvotes(
    api_as, hearing, other_representative, make
):
    comment = make(hearing, other_representative)

    for method in ("put", "delete"):
        answer = getattr(api_as(other_representative), method)(upvote_url(comment))
        assert answer.status_code in (404, 409), answer.content
        assert answer.json()["detail"]
    assert not QuestionUpvote.objects.exists()
    assert not StreamEvent.objects.filter(type="question.updated").exists()


def test_a_non_question_or_hidden_comment_in_the_room_is_a_conflict(
    api_as, hearing, question, other_representative, moderator
):
    remark = CommentFactory(consultation=hearing.consultation, hearing=hearing)
    comment_moderation.comment_hide(actor=moderator, comment=question, reason="Menyerang pribadi.")

    assert api_as(other_representative).put(upvote_url(remark)).status_code == 409
    assert api_as(other_representative).put(upvote_url(question)).status_code == 409


def test_a_question_waiting_for_the_moderator_takes_no_upvote_until_approved(
    api_as, open_consultation, member, other_representative, moderator, post
):
    open_consultation.moderation = Consultation.Moderation.PRE
    open_consultation.save(update_fields=["moderation"])
    hearing = HearingFactory(consultation=open_consultation, status="live")
    asked = post(member, open_consultation, stance="question", hearing=hearing)
    assert asked.status == Comment.Status.PENDING

    assert api_as(other_representative).put(upvote_url(asked)).status_code == 409
    comment_moderation.comment_approve(actor=moderator, comment=asked)
    assert api_as(other_representative).put(upvote_url(asked)).json()["upvotes"] == 1


def test_unknown_or_invisible_comments_are_not_found(
    api_as, other_representative, draft_consultation
):
    invisible = CommentFactory(
        consultation=draft_consultation,
        hearing=HearingFactory(consultation=draft_consultation, status="live"),
        stance="question",
    )
    client = api_as(other_representative)

    assert client.put("/api/v1/comments/999999/upvote/").status_code == 404
    assert client.put("/api/v1/comments/abc/upvote/").status_code == 404
    assert client.put(upvote_url(invisible)).status_code == 404


def test_anonymous_upvotes_are_refused_with_401(api_client, question):
    answer = api_client.put(upvote_url(question))

    assert answer.status_code == 401
    assert not QuestionUpvote.objects.exists()


def test_someone_who_may_not_take_part_in_the_consultation_is_refused(api_as, question, citizen):
    answer = api_as(citizen).put(upvote_url(question))

    assert answer.status_code == 403
    assert not QuestionUpvote.objects.exists()


def test_after_the_hearing_ended_the_count_is_final(api_as, question, other_representative):
    question.hearing.status = "ended"
    question.hearing.save(update_fields=["status"])

    assert api_as(other_representative).put(upvote_url(question)).status_code == 409
    assert not QuestionUpvote.objects.exists()


def test_other_methods_on_the_upvote_path_are_refused(api_as, question, other_representative):
    client = api_as(other_representative)
    assert client.post(upvote_url(question)).status_code == 405
    assert client.get(upvote_url(question)).status_code == 405


def test_the_comments_router_still_answers_its_own_paths(api_as, question, other_representative):
    """The upvote path is registered on the comments prefix beside comments' viewset."""
    client = api_as(other_representative)
    assert client.get(f"/api/v1/comments/{question.pk}/").status_code == 200
    assert client.post(
        f"/api/v1/comments/{question.pk}/report/", {"reason": "x" * 20}
    ).status_code in (
        200,
        201,
    )
