"""POST /api/v1/follow-ups/: who may record progress, on what, and what is refused."""

import pytest

from aspirations.models import Aspiration
from consultations.models import Consultation
from followups.models import FollowUp
from tests.factories import AspirationFactory, ConsultationFactory, ItemFactory

URL = "/api/v1/follow-ups/"


def test_official_records_progress_on_an_accepted_response(api_as, official, body_for):
    answer = api_as(official).post(URL, body_for(link="https://pasuruankota.go.id/dpa.pdf"))
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["status"] == "in_progress"
    assert data["progress"] == 40
    assert data["target"] == f"response:{data['response']}"
    assert data["link"] == "https://pasuruankota.go.id/dpa.pdf"
    assert data["recorded_by"] == "Alice Official"
    assert FollowUp.objects.count() == 1


def test_a_partly_accepted_response_is_followed_up_too(api_as, official, drainage_comment, answer):
    response = answer(drainage_comment, "partially_accepted")
    body = {
        "consultation": response.consultation_id,
        "response": response.pk,
        "status": "planned",
        "progress": 0,
        "note": "Dijadwalkan pada APBD 2027.",
    }
    assert api_as(official).post(URL, body).status_code == 201


@pytest.mark.parametrize("persona", ["member", "representative", "citizen", "planner", "moderator"])
def test_only_officials_record_follow_ups(request, api_as, body_for, persona):
    user = request.getfixturevalue(persona)
    answer = api_as(user).post(URL, body_for())
    assert answer.status_code == 403
    assert not FollowUp.objects.exists()


def test_anonymous_is_asked_to_sign_in(api_as, body_for):
    assert api_as(None).post(URL, body_for()).status_code == 401


@pytest.mark.parametrize("outcome", ["not_accepted", "noted"])
def test_a_response_that_was_not_accepted_is_not_followed_up(
    api_as, official, drainage_comment, answer, outcome
):
    response = answer(drainage_comment, outcome)
    body = {
        "consultation": response.consultation_id,
        "response": response.pk,
        "status": "in_progress",
        "progress": 10,
        "note": "x",
    }
    answer_ = api_as(official).post(URL, body)
    assert answer_.status_code == 409
    assert "diterima" in answer_.json()["detail"]  # "accepted", in Indonesian
    assert not FollowUp.objects.exists()


def test_an_unpublished_response_is_not_followed_up(api_as, official, drainage_comment, answer):
    response = answer(drainage_comment, "accepted", publish=False)
    body = {
        "consultation": response.consultation_id,
        "response": response.pk,
        "status": "planned",
        "progress": 0,
        "note": "x",
    }
    assert api_as(official).post(URL, body).status_code == 409


def test_a_response_of_another_consultation_is_refused(api_as, official, body_for):
    other = ConsultationFactory(title="Konsultasi lain")
    answer = api_as(official).post(URL, body_for(consultation=other.pk))
    assert answer.status_code == 400
    assert "response" in answer.json()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"progress": "empat puluh"}, "progress"),
        ({"status": "almost"}, "status"),
        ({"note": "   "}, "note"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "ftp://example.org/x"}, "link"),
        ({"response": 999999}, "response"),
        ({"consultation": 999999}, "consultation"),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api_as, official, body_for, changes, field):
    answer = api_as(official).post(URL, body_for(**changes), format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()
    assert not FollowUp.objects.exists()


def test_exactly_one_input_is_named(api_as, official, body_for, open_consultation):
    item = open_consultation.items.get()
    both = api_as(official).post(URL, body_for(item=item.pk))
    assert both.status_code == 400
    body = body_for()
    del body["response"]
    assert api_as(official).post(URL, body).status_code == 400
    assert not FollowUp.objects.exists()


def test_an_accepted_proposal_is_followed_up(api_as, official):
    proposal = AspirationFactory(status=Aspiration.Status.ACCEPTED)
    body = {
        "consultation": proposal.consultation_id,
        "proposal": proposal.pk,
        "status": "done",
        "progress": 100,
        "note": "Pompa air terpasang.",
    }
    answer = api_as(official).post(URL, body)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["proposal"] == proposal.pk


def test_a_proposal_not_accepted_is_refused(api_as, official):
    proposal = AspirationFactory(status=Aspiration.Status.SUBMITTED)
    body = {
        "consultation": proposal.consultation_id,
        "proposal": proposal.pk,
        "status": "planned",
        "progress": 0,
        "note": "x",
    }
    assert api_as(official).post(URL, body).status_code == 409


def test_an_rpjmd_programme_is_followed_up(api_as, official):
    rpjmd = ConsultationFactory(kind=Consultation.Kind.RPJMD)
    programme = ItemFactory(consultation=rpjmd, code="1.03.02", title="Pengendalian banjir")
    body = {
        "consultation": rpjmd.pk,
        "item": programme.pk,
        "status": "in_progress",
        "progress": 25,
        "note": "Normalisasi 9 km dari 35 km saluran.",
    }
    answer = api_as(official).post(URL, body)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["target"] == f"item:{programme.pk}"


def test_an_item_of_a_draft_policy_is_not_a_programme(api_as, official, open_consultation):
    item = open_consultation.items.get()
    body = {
        "consultation": open_consultation.pk,
        "item": item.pk,
        "status": "planned",
        "progress": 0,
        "note": "x",
    }
    assert api_as(official).post(URL, body).status_code == 409


def test_an_id_beyond_the_database_integer_is_a_400(api_as, official, body_for):
    answer = api_as(official).post(URL, body_for(response=10**30), format="json")
    assert answer.status_code == 400
    assert "response" in answer.json()
