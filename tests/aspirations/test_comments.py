"""Comments on a proposal are the comment system's: its rules, moderation, reports and
responses, in the proposal's consultation, marked with the proposal."""

import pytest

from comments import moderation as comment_moderation
from comments.models import Comment
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def comment(api_as, user, proposal, **body):
    body = {"stance": "support", "body": "Kami mendukung usulan ini.", **body}
    return api_as(user).post(f"/api/v1/aspirations/{proposal.pk}/comments/", body, format="json")


def test_a_member_comments_on_a_proposal_for_the_organization(api_as, member, proposal):
    answer = comment(api_as, member, proposal)
    assert answer.status_code == 201
    assert answer.json()["organization_name"] == "LSM Pelita Pasuruan"
    saved = Comment.objects.get()
    assert (saved.aspiration_id, saved.consultation_id) == (proposal.pk, proposal.consultation_id)
    listed = api_as(None).get(f"/api/v1/aspirations/{proposal.pk}/comments/").json()
    assert [c["body"] for c in listed] == ["Kami mendukung usulan ini."]


def test_the_consultations_rules_apply_a_citizen_cannot_comment_on_an_lsm_plan(
    api_as, citizen, proposal
):
    assert comment(api_as, citizen, proposal).status_code == 403
    assert not Comment.objects.exists()


def test_a_pre_moderated_plan_keeps_the_comment_for_a_moderator(
    api_as, member, moderator, proposal
):
    Consultation.objects.filter(pk=proposal.consultation_id).update(moderation="pre")
    answer = comment(api_as, member, proposal)
    assert answer.json()["status"] == "pending"
    assert api_as(None).get(f"/api/v1/aspirations/{proposal.pk}/comments/").json() == []
    comment_moderation.comment_approve(actor=moderator, comment=Comment.objects.get())
    assert len(api_as(None).get(f"/api/v1/aspirations/{proposal.pk}/comments/").json()) == 1


def test_a_reply_stays_on_its_proposal(api_as, member, other_representative, proposal, propose):
    first = comment(api_as, member, proposal).json()
    other = propose(other_representative, title="Usulan lain")
    answer = comment(api_as, other_representative, other, parent=first["id"])
    assert answer.status_code == 400
    assert "parent" in answer.json()
    answer = comment(api_as, other_representative, proposal, parent=first["id"], body="Setuju.")
    assert answer.status_code == 201


def test_proposal_comments_stay_out_of_the_consultations_own_thread(
    api_as, client, member, proposal
):
    comment(api_as, member, proposal, body="Komentar khusus usulan drainase.")
    page = client.get(f"/konsultasi/{proposal.consultation_id}/komentar/").content.decode()
    assert "Komentar khusus usulan drainase." not in page
    page = client.get(f"/aspirasi/{proposal.pk}/").content.decode()
    assert "Komentar khusus usulan drainase." in page


def test_a_comment_on_a_proposal_can_be_reported_like_any(api_as, member, citizen, proposal):
    made = comment(api_as, member, proposal).json()
    answer = api_as(citizen).post(
        f"/api/v1/comments/{made['id']}/report/", {"reason": "Tidak relevan"}, format="json"
    )
    assert answer.status_code == 201
