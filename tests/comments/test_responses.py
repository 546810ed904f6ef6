import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from comments import permissions, responses, selectors
from comments.models import Response

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["official", "planner"])
def test_officials_and_planners_answer_a_comment_as_a_draft(persona, request, published_comment):
    response = responses.response_create(
        actor=request.getfixturevalue(persona),
        comment=published_comment,
        outcome="partially_accepted",
        body="Definisi warga akan dirujuk ke Perda.",
    )
    assert response.published_at is None
    assert response.consultation == published_comment.consultation
    assert response.section == published_comment.section


@pytest.mark.parametrize(
    "persona", ["moderator", "member", "representative", "citizen", "anonymous"]
)
def test_others_cannot_respond(persona, request, published_comment):
    with pytest.raises(NotAllowed):
        responses.response_create(
            actor=request.getfixturevalue(persona),
            comment=published_comment,
            outcome="noted",
            body="Dicatat.",
        )
    assert not Response.objects.exists()


def test_official_answers_a_whole_section(official, open_consultation, pasal_1):
    response = responses.response_create(
        actor=official, section=pasal_1, outcome="accepted", body="Pasal 1 direvisi."
    )
    assert response.comment is None
    assert response.consultation == open_consultation


def test_a_response_needs_a_known_outcome_and_an_explanation(official, published_comment):
    with pytest.raises(Invalid):
        responses.response_create(
            actor=official, comment=published_comment, outcome="maybe", body="?"
        )
    with pytest.raises(Invalid):
        responses.response_create(
            actor=official, comment=published_comment, outcome="noted", body="  "
        )
    assert not Response.objects.exists()


def test_a_response_targets_a_comment_or_a_section_not_both(official, published_comment, pasal_1):
    with pytest.raises(Invalid):
        responses.response_create(
            actor=official, comment=published_comment, section=pasal_1, outcome="noted", body="x"
        )
    with pytest.raises(Invalid):
        responses.response_create(actor=official, outcome="noted", body="x")


def test_a_comment_gets_one_response_then_it_is_edited(official, planner, published_comment):
    response = responses.response_create(
        actor=official, comment=published_comment, outcome="noted", body="Dicatat."
    )
    with pytest.raises(Conflict):
        responses.response_create(
            actor=planner, comment=published_comment, outcome="accepted", body="Diterima."
        )
    updated = responses.response_update(actor=planner, response=response, outcome="accepted")
    assert (updated.outcome, updated.body, updated.responder) == ("accepted", "Dicatat.", planner)


def test_a_pending_comment_cannot_be_answered(official, pending_comment):
    with pytest.raises(Conflict):
        responses.response_create(
            actor=official, comment=pending_comment, outcome="noted", body="Dicatat."
        )


def test_publishing_releases_every_drafted_response_of_the_consultation_at_once(
    official, published_comment, pasal_1, open_consultation, anonymous
):
    responses.response_create(
        actor=official, comment=published_comment, outcome="noted", body="Dicatat."
    )
    responses.response_create(actor=official, section=pasal_1, outcome="accepted", body="Ya.")
    assert selectors.visible_response(published_comment, anonymous) is None
    assert responses.responses_publish(actor=official, consultation=open_consultation) == 2
    published_comment.refresh_from_db()
    assert selectors.visible_response(published_comment, anonymous).body == "Dicatat."
    assert responses.responses_publish(actor=official, consultation=open_consultation) == 0


def test_only_responders_publish(moderator, open_consultation):
    with pytest.raises(NotAllowed):
        responses.responses_publish(actor=moderator, consultation=open_consultation)


def test_the_matrix_lists_each_section_with_its_comments_and_outcomes(
    official, published_comment, pasal_1, open_consultation
):
    responses.response_create(
        actor=official,
        comment=published_comment,
        outcome="accepted",
        body="Definisi diperbaiki.",
        publish=True,
    )
    rows = selectors.response_matrix(official, open_consultation)
    assert [row["section"] for row in rows] == [pasal_1]
    entry = rows[0]["comments"][0]
    assert entry["comment"] == published_comment
    assert entry["response"].outcome == "accepted"


def test_the_matrix_is_internal_until_the_consultation_is_concluded(
    official, open_consultation, citizen, planner
):

    assert permissions.can_see_response_matrix(planner, open_consultation)
    assert not permissions.can_see_response_matrix(citizen, open_consultation)
    open_consultation.status = "concluded"
    assert permissions.can_see_response_matrix(citizen, open_consultation)
