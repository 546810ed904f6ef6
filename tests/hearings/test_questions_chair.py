"""The chair's hand on the room's questions: answered, merged duplicates, the one question
on the big screen; and the questions in the hearing's snapshot, as every page starts."""

import pytest

from hearings import questions
from hearings.models import Question, QuestionUpvote
from realtime import events, live
from tests.factories import HearingFactory, QuestionCommentFactory
from tests.realtime.reducer import apply_event
from tests.voting.conftest import representatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, status="live")


@pytest.fixture
def ask(hearing, post):
    def make(actor, body=None):
        return post(actor, hearing.consultation, stance="question", hearing=hearing, body=body)

    return make


def action_url(comment, verb) -> str:
    return f"/api/v1/hearings/{comment.hearing_id}/questions/{comment.pk}/{verb}/"


def state(comment) -> Question:
    return Question.objects.get(comment=comment)


def test_the_moderator_marks_a_question_answered_and_can_take_it_back(
    api_as, ask, member, moderator
):
    asked = ask(member)
    client = api_as(moderator)

    answered = client.post(action_url(asked, "answered"))
    assert answered.status_code == 200
    assert answered.json()["answered_at"]
    assert state(asked).answered_at is not None

    assert client.post(action_url(asked, "unanswered")).json()["answered_at"] is None


def test_one_question_is_on_the_big_screen_at_a_time(
    api_as, ask, member, other_representative, moderator
):
    first, second = ask(member), ask(other_representative)
    client = api_as(moderator)

    client.post(action_url(first, "screen"))
    shown = client.post(action_url(second, "screen"))

    assert shown.status_code == 200
    assert shown.json()["featured_at"]
    assert state(first).featured_at is None
    assert state(second).featured_at is not None
    sent = [e["data"] for e in events.events_after(second.hearing.stream, 0)]
    assert [(d["id"], bool(d["featured_at"])) for d in sent if "featured_at" in d] == [
        (first.pk, True),
        (first.pk, False),
        (second.pk, True),
    ]
    assert client.post(action_url(second, "unscreen")).json()["featured_at"] is None


def test_a_merged_duplicate_hands_its_upvotes_and_its_asker_to_the_question_it_repeats(
    api_as, ask, member, representative, other_representative, moderator
):
    original = ask(other_representative, "Kapan taman dibuka untuk umum?")
    duplicate = ask(member, "Jam buka taman kapan?")
    voters = representatives(3)
    for voter in voters:
        questions.question_upvote(actor=voter, comment=duplicate)
    questions.question_upvote(actor=voters[0], comment=original)
    questions.question_upvote(actor=representative, comment=duplicate)

    answer = api_as(moderator).post(action_url(duplicate, "merge"), {"into": original.pk})

    assert answer.status_code == 200
    # voters[0] counted once; the duplicate's asker (member) joins; original's asker never.
    assert answer.json() == {**answer.json(), "id": original.pk, "upvotes": 5}
    assert state(original).upvotes == 5
    assert state(duplicate).merged_into_id == original.pk
    assert state(duplicate).upvotes == 0
    assert not QuestionUpvote.objects.filter(comment=original, user=other_representative).exists()
    # A merged question takes no upvote any more; the room upvotes the original.
    assert api_as(voters[1]).put(f"/api/v1/comments/{duplicate.pk}/upvote/").status_code == 409


def test_merging_into_itself_another_hearing_or_a_merged_question_is_refused(
    api_as, ask, member, other_representative, moderator, open_consultation, post
):
    first, second, third = ask(member), ask(other_representative), ask(member)
    elsewhere = HearingFactory(consultation=open_consultation, status="live")
    foreign = post(other_representative, open_consultation, stance="question", hearing=elsewhere)
    client = api_as(moderator)
    client.post(action_url(third, "merge"), {"into": second.pk})

    assert client.post(action_url(first, "merge"), {"into": first.pk}).status_code == 400
    assert client.post(action_url(first, "merge"), {"into": foreign.pk}).status_code == 400
    assert client.post(action_url(first, "merge"), {"into": third.pk}).status_code == 409
    assert client.post(action_url(first, "merge"), {"into": 999999}).status_code == 404
    assert client.post(action_url(first, "merge"), {"into": "x"}).status_code == 400
    assert client.post(action_url(first, "merge"), ["into"], format="json").status_code == 400
    assert state(first).merged_into_id is None if Question.objects.filter(comment=first) else True


def test_questions_merged_before_follow_their_question_when_it_is_merged(
    api_as, ask, member, other_representative, moderator
):
    a, b, c = ask(member), ask(other_representative), ask(member)
    client = api_as(moderator)
    client.post(action_url(c, "merge"), {"into": b.pk})
    client.post(action_url(b, "merge"), {"into": a.pk})

    assert state(c).merged_into_id == a.pk
    assert state(b).merged_into_id == a.pk


@pytest.mark.parametrize("verb", ["answered", "unanswered", "screen", "unscreen", "merge"])
def test_participants_do_not_run_the_questions(api_as, ask, member, other_representative, verb):
    asked, other = ask(member), ask(other_representative)

    answer = api_as(member).post(action_url(asked, verb), {"into": other.pk})

    assert answer.status_code == 403
    assert not Question.objects.exclude(upvotes=0).exists()
    assert not Question.objects.filter(answered_at__isnull=False).exists()


def test_the_chair_acts_only_on_questions_of_the_hearing_in_the_path(
    api_as, ask, member, moderator, open_consultation
):
    asked = ask(member)
    other = HearingFactory(consultation=open_consultation, status="live")

    answer = api_as(moderator).post(f"/api/v1/hearings/{other.pk}/questions/{asked.pk}/screen/")

    assert answer.status_code == 404


def test_the_snapshot_lists_the_questions_with_their_state_and_events_keep_it_current(
    ask, member, representative, other_representative, moderator
):
    asked = ask(member)
    hearing = asked.hearing
    seq = events.current_seq(hearing.stream)
    before = live.hearing_state(hearing)
    assert [(q["id"], q["upvotes"], q["body"]) for q in before["questions"]] == [
        (asked.pk, 0, asked.body)
    ]

    questions.question_upvote(actor=representative, comment=asked)
    questions.question_upvote(actor=other_representative, comment=asked)
    questions.question_mark_answered(actor=moderator, comment=asked)
    later = ask(other_representative)
    questions.question_show_on_screen(actor=moderator, comment=later)

    for message in events.events_after(hearing.stream, seq):
        apply_event(before, message)
    fresh = live.hearing_state(hearing)
    assert before["questions"] == fresh["questions"]
    assert [(q["id"], q["upvotes"]) for q in fresh["questions"]] == [(asked.pk, 2), (later.pk, 0)]
    assert fresh["questions"][0]["answered_at"] and fresh["questions"][1]["featured_at"]


def test_the_room_and_the_console_render_the_questions_in_few_queries(
    client, ask, member, other_representative, moderator, django_assert_max_num_queries
):
    hearing = ask(member).hearing
    for _ in range(30):
        asked = QuestionCommentFactory(consultation=hearing.consultation, hearing=hearing)
        questions.question_upvote(actor=other_representative, comment=asked)
    client.force_login(moderator)

    with django_assert_max_num_queries(40):
        room = client.get(f"/hearings/{hearing.pk}/")
    with django_assert_max_num_queries(50):
        console = client.get(f"/hearings/{hearing.pk}/console/")

    assert room.status_code == console.status_code == 200
    assert asked.body in room.content.decode()
    assert 'id="questions"' in console.content.decode()
