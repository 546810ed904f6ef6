"""Upvotes stay exact when a whole hall presses at once (PostgreSQL: SQLite serializes
writers anyway). Each thread has its own database connection, as a worker would."""

import pytest

from hearings import questions
from hearings.models import Question, QuestionUpvote
from realtime.models import StreamEvent
from tests.factories import HearingFactory, QuestionCommentFactory
from tests.voting.conftest import representatives
from tests.voting.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def question():
    hearing = HearingFactory(status="live")
    return QuestionCommentFactory(consultation=hearing.consultation, hearing=hearing)


def test_50_people_upvoting_at_once_give_50(question):
    voters = representatives(50, prefix="penanya")

    errors = run_together(
        [
            lambda user=user: questions.question_upvote(actor=user, comment=question)
            for user in voters
        ]
    )

    assert errors == []
    assert Question.objects.get(comment=question).upvotes == 50
    assert QuestionUpvote.objects.filter(comment=question).count() == 50
    counts = sorted(
        e.data["upvotes"]
        for e in StreamEvent.objects.filter(stream=question.hearing.stream, type="question.updated")
    )
    assert counts == list(range(1, 51)), "every event carries the count its upvote made"


def test_one_person_upvoting_50_times_at_once_gives_1(question):
    (voter,) = representatives(1, prefix="penanya")

    errors = run_together(
        [lambda: questions.question_upvote(actor=voter, comment=question) for _ in range(50)]
    )

    assert errors == []
    assert Question.objects.get(comment=question).upvotes == 1
    assert QuestionUpvote.objects.filter(comment=question).count() == 1
    assert StreamEvent.objects.filter(type="question.updated").count() == 1


def test_upvotes_and_withdrawals_racing_leave_the_count_equal_to_the_rows(question):
    voters = representatives(20, prefix="penanya")
    for user in voters[:10]:
        questions.question_upvote(actor=user, comment=question)

    jobs = [
        lambda user=user: questions.question_unupvote(actor=user, comment=question)
        for user in voters[:10]
    ]
    jobs += [
        lambda user=user: questions.question_upvote(actor=user, comment=question)
        for user in voters[10:]
    ]
    errors = run_together(jobs)

    assert errors == []
    state = Question.objects.get(comment=question)
    assert state.upvotes == QuestionUpvote.objects.filter(comment=question).count() == 10
