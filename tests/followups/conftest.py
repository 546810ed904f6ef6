import pytest

from comments import responses as comment_responses
from comments import services as comment_services
from comments.models import Comment


@pytest.fixture
def answer(official):
    """answer(comment, outcome, publish=True) -> the response, made through the service."""

    def make(comment, outcome="accepted", *, publish=True):
        return comment_responses.response_create(
            actor=official,
            comment=comment,
            outcome=outcome,
            body="Saluran drainase di Panggungrejo masuk rencana kerja 2027.",
            publish=publish,
        )

    return make


@pytest.fixture
def drainage_comment(open_consultation, pasal_1, member):
    return comment_services.comment_create(
        actor=member,
        consultation=open_consultation,
        section=pasal_1,
        stance=Comment.Stance.OPPOSE,
        body="Banjir di Panggungrejo: saluran drainase perlu dinormalisasi sebelum musim hujan.",
    )


@pytest.fixture
def accepted_response(drainage_comment, answer):
    return answer(drainage_comment, "accepted")


@pytest.fixture
def body_for(accepted_response):
    """body_for(**changes) -> a valid POST body on the accepted response, changed."""

    def make(**changes):
        body = {
            "consultation": accepted_response.consultation_id,
            "response": accepted_response.pk,
            "status": "in_progress",
            "progress": 40,
            "note": "Normalisasi saluran tahap pertama berjalan.",
        }
        body.update(changes)
        return {key: value for key, value in body.items() if value is not None}

    return make
