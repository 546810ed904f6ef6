"""The invited organization's representative answers: hadir, tidak hadir or diwakili."""

import pytest

from hearings.models import HearingInvitation


def url(invitation):
    return f"/api/v1/hearing-invitations/{invitation.pk}/reply/"


def test_representative_answers_that_the_organization_attends(api_as, representative, invitation):
    answer = api_as(representative).post(url(invitation), {"reply": "hadir"}, "json")
    assert answer.status_code == 200
    assert answer.json()["reply"] == "hadir"
    assert answer.json()["reply_label"] == "Hadir"
    invitation.refresh_from_db()
    assert invitation.reply == "hadir"
    assert invitation.replied_by == representative
    assert invitation.replied_at is not None


def test_a_delegate_comes_in_the_representatives_place(api_as, representative, invitation):
    answer = api_as(representative).post(
        url(invitation), {"reply": "diwakili", "delegate_name": "  Bu  Siti Aminah "}, "json"
    )
    assert answer.status_code == 200
    assert answer.json()["delegate_name"] == "Bu Siti Aminah"


def test_diwakili_needs_the_delegates_name(api_as, representative, invitation):
    answer = api_as(representative).post(url(invitation), {"reply": "diwakili"}, "json")
    assert answer.status_code == 400
    assert "delegate_name" in answer.json()
    invitation.refresh_from_db()
    assert invitation.reply == "pending"


def test_the_answer_may_change_and_not_attending_drops_the_name(api_as, representative, invitation):
    client = api_as(representative)
    client.post(url(invitation), {"reply": "diwakili", "delegate_name": "Pak Joko"}, "json")
    answer = client.post(url(invitation), {"reply": "tidak_hadir", "delegate_name": "x"}, "json")
    assert answer.status_code == 200
    assert answer.json()["reply"] == "tidak_hadir"
    assert answer.json()["delegate_name"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {"reply": "mungkin"},
        {"reply": "pending"},
        {"reply": ""},
        {},
        {"reply": ["hadir"]},
        {"reply": "hadir", "delegate_name": "x" * 201},
        {"reply": "diwakili", "delegate_name": "Pak\u0000Joko"},
    ],
    ids=["unknown", "pending", "blank", "missing", "list", "long-name", "control-char"],
)
def test_bad_answers_are_refused_and_nothing_changes(api_as, representative, invitation, body):
    answer = api_as(representative).post(url(invitation), body, "json")
    assert answer.status_code == 400
    invitation.refresh_from_db()
    assert invitation.reply == "pending"
    assert invitation.replied_at is None


def test_another_organizations_representative_finds_no_such_invitation(
    api_as, other_representative, invitation
):
    answer = api_as(other_representative).post(url(invitation), {"reply": "hadir"}, "json")
    assert answer.status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == "pending"


@pytest.mark.parametrize("persona", ["member", "official", "moderator"])
def test_only_the_representative_answers(request, api_as, persona, invitation):
    user = request.getfixturevalue(persona)
    answer = api_as(user).post(url(invitation), {"reply": "hadir"}, "json")
    assert answer.status_code == 403
    assert HearingInvitation.objects.get().reply == "pending"


def test_citizen_and_anonymous_get_404_and_401(api_as, citizen, invitation):
    assert api_as(citizen).post(url(invitation), {"reply": "hadir"}, "json").status_code == 404
    assert api_as(None).post(url(invitation), {"reply": "hadir"}, "json").status_code == 401


def test_no_answer_after_the_hearing_ended(api_as, representative, invitation):
    hearing = invitation.hearing
    hearing.status = "ended"
    hearing.save(update_fields=["status"])
    answer = api_as(representative).post(url(invitation), {"reply": "hadir"}, "json")
    assert answer.status_code == 409
    assert HearingInvitation.objects.get().reply == "pending"


def test_an_answer_is_still_possible_while_the_hearing_is_live(api_as, representative, invitation):
    hearing = invitation.hearing
    hearing.status = "live"
    hearing.save(update_fields=["status"])
    answer = api_as(representative).post(url(invitation), {"reply": "hadir"}, "json")
    assert answer.status_code == 200
