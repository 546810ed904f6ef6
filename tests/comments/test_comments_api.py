import pytest

from comments import moderation
from comments.models import Comment, ModerationAction, Response

pytestmark = pytest.mark.django_db


def test_member_posts_a_comment_and_gets_201_with_its_status(
    api_as, member, open_consultation, pasal_1
):
    answer = api_as(member).post(
        "/api/v1/comments/",
        {
            "consultation": open_consultation.pk,
            "section": pasal_1.pk,
            "stance": "oppose",
            "body": "Baris satu.\nBaris dua.",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["status"] == "published"
    assert data["body"] == "Baris satu.\nBaris dua."
    assert data["organization_name"] == "LSM Pelita Pasuruan"
    assert data["is_own"] is True


def test_comment_on_a_pre_moderated_consultation_answers_pending(api_as, member, pre_consultation):
    answer = api_as(member).post(
        "/api/v1/comments/",
        {"consultation": pre_consultation.pk, "stance": "question", "body": "Kapan?"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["status"] == "pending"


def test_anonymous_cannot_post(api_as, open_consultation):
    answer = api_as(None).post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": "Setuju."},
        format="json",
    )
    assert answer.status_code in (401, 403)
    assert not Comment.objects.exists()


def test_anyone_reads_a_published_comment(api_as, published_comment):
    answer = api_as(None).get(f"/api/v1/comments/{published_comment.pk}/")
    assert answer.status_code == 200
    assert answer.json()["body"] == published_comment.body


def test_author_edits_with_put_and_patch(api_as, member, published_comment):
    client = api_as(member)
    answer = client.patch(
        f"/api/v1/comments/{published_comment.pk}/", {"body": "Diperbaiki."}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["body"] == "Diperbaiki."
    assert answer.json()["edited_at"]
    answer = client.put(
        f"/api/v1/comments/{published_comment.pk}/",
        {"body": "Lagi.", "stance": "neutral"},
        format="json",
    )
    assert answer.json()["stance"] == "neutral"


def test_someone_else_cannot_edit_or_delete(api_as, other_representative, published_comment):
    client = api_as(other_representative)
    url = f"/api/v1/comments/{published_comment.pk}/"
    assert client.patch(url, {"body": "Bukan milik saya."}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    published_comment.refresh_from_db()
    assert published_comment.body != "Bukan milik saya."


def test_author_deletes_with_204(api_as, member, published_comment):
    answer = api_as(member).delete(f"/api/v1/comments/{published_comment.pk}/")
    assert answer.status_code == 204
    assert not Comment.objects.exists()


def test_report_action(api_as, citizen, published_comment):
    answer = api_as(citizen).post(
        f"/api/v1/comments/{published_comment.pk}/report/", {"reason": "Spam."}, format="json"
    )
    assert answer.status_code == 201
    again = api_as(citizen).post(
        f"/api/v1/comments/{published_comment.pk}/report/", {"reason": "Spam."}, format="json"
    )
    assert again.status_code == 409


def test_moderator_approves_hides_restores_and_rejects(api_as, moderator, pending_comment):
    client = api_as(moderator)
    url = f"/api/v1/comments/{pending_comment.pk}/"
    assert client.post(url + "approve/").json()["status"] == "published"
    hidden = client.post(url + "hide/", {"reason": "Di luar topik."}, format="json")
    assert hidden.json()["status"] == "hidden"
    assert hidden.json()["moderation_reason"] == "Di luar topik."
    assert client.post(url + "restore/").json()["status"] == "published"
    assert client.post(url + "hide/", {}, format="json").status_code == 400
    assert client.post(url + "reject/", {"reason": "x"}, format="json").status_code == 409
    assert ModerationAction.objects.count() == 3


@pytest.mark.parametrize("action", ["approve", "hide", "restore", "reject"])
def test_members_cannot_moderate(action, api_as, member, other_representative, pending_comment):
    answer = api_as(other_representative).post(
        f"/api/v1/comments/{pending_comment.pk}/{action}/", {"reason": "x"}, format="json"
    )
    assert answer.status_code == 404  # they cannot even see someone else's pending comment
    answer = api_as(member).post(
        f"/api/v1/comments/{pending_comment.pk}/{action}/", {"reason": "x"}, format="json"
    )
    assert answer.status_code == 403


def test_official_responds_and_publishes(api_as, official, published_comment, open_consultation):
    client = api_as(official)
    url = f"/api/v1/comments/{published_comment.pk}/respond/"
    answer = client.post(url, {"outcome": "accepted", "body": "Diterima."}, format="json")
    assert answer.status_code == 201
    assert answer.json()["response"]["is_published"] is False
    assert api_as(None).get(f"/api/v1/comments/{published_comment.pk}/").json()["response"] is None
    again = client.post(
        url, {"outcome": "noted", "body": "Dicatat.", "publish": True}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["response"]["outcome"] == "noted"
    public = api_as(None).get(f"/api/v1/comments/{published_comment.pk}/").json()
    assert public["response"]["body"] == "Dicatat."


def test_planner_answers_a_section_and_publishes_all_at_once(
    api_as, planner, pasal_1, open_consultation, published_comment
):
    client = api_as(planner)
    answer = client.post(
        "/api/v1/responses/",
        {"section": pasal_1.pk, "outcome": "partially_accepted", "body": "Sebagian diterima."},
        format="json",
    )
    assert answer.status_code == 201
    client.post(
        f"/api/v1/comments/{published_comment.pk}/respond/",
        {"outcome": "noted", "body": "Dicatat."},
        format="json",
    )
    assert api_as(None).get("/api/v1/responses/").json()["count"] == 0
    published = client.post(
        "/api/v1/responses/publish/", {"consultation": open_consultation.pk}, format="json"
    )
    assert published.json() == {"consultation": open_consultation.pk, "published": 2}
    assert api_as(None).get("/api/v1/responses/").json()["count"] == 2
    assert not Response.objects.filter(published_at__isnull=True).exists()


def test_member_cannot_respond(api_as, member, published_comment):
    answer = api_as(member).post(
        f"/api/v1/comments/{published_comment.pk}/respond/",
        {"outcome": "accepted", "body": "Saya terima sendiri."},
        format="json",
    )
    assert answer.status_code == 403


def test_nested_listing_under_a_consultation(
    api_as, published_comment, open_consultation, post, other_representative, pre_consultation
):
    post(other_representative, pre_consultation)
    answer = api_as(None).get(f"/api/v1/consultations/{open_consultation.pk}/comments/")
    assert answer.status_code == 200
    assert [c["id"] for c in answer.json()["results"]] == [published_comment.pk]


def test_nested_listing_of_a_draft_consultation_is_404(api_as, draft_consultation):
    assert (
        api_as(None).get(f"/api/v1/consultations/{draft_consultation.pk}/comments/").status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["moderator", "official"])
def test_moderation_log_is_visible_to_moderators_and_officials(
    persona, request, api_as, moderator, pending_comment
):
    moderation.comment_reject(actor=moderator, comment=pending_comment, reason="Iklan.")
    client = api_as(request.getfixturevalue(persona))
    per_comment = client.get(f"/api/v1/comments/{pending_comment.pk}/moderation-log/")
    assert per_comment.json()[0]["reason"] == "Iklan."
    log = client.get("/api/v1/moderation-actions/")
    assert log.json()["results"][0]["action"] == "reject"
    assert log.json()["results"][0]["actor_name"] == "Mira Moderator"


@pytest.mark.parametrize("persona", ["member", "planner", "citizen", "anonymous"])
def test_moderation_log_is_hidden_from_everyone_else(
    persona, request, api_as, moderator, published_comment
):
    moderation.comment_hide(actor=moderator, comment=published_comment, reason="Kasar.")
    client = api_as(request.getfixturevalue(persona))
    assert client.get("/api/v1/moderation-actions/").status_code in (401, 403)
