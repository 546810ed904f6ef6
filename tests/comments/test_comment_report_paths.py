"""The report that hides a comment answers cleanly through every path: the reporter can no
longer read the comment, so the answer is the report (API) or a redirect (page), and the
hide is kept. It once answered 500 through the API and rolled the hide back."""

import pytest

from comments import moderation as comment_moderation
from comments.models import Comment, ModerationAction
from tests.factories import MembershipFactory, OrganizationFactory, TrustedFlaggerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_reporters():
    """Members of three verified organizations: the default threshold."""
    return [MembershipFactory(organization=OrganizationFactory()).user for _ in range(3)]


def test_the_report_that_hides_answers_201_with_the_report_through_the_api(
    api_as, published_comment, three_reporters
):
    url = f"/api/v1/comments/{published_comment.pk}/report/"
    answers = [
        api_as(user).post(url, {"reason": "Menghina kelompok tertentu."}, format="json")
        for user in three_reporters
    ]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[-1].json()["comment"] == published_comment.pk
    assert answers[-1].json()["reason"] == "Menghina kelompok tertentu."
    assert "body" not in answers[-1].json()
    published_comment.refresh_from_db()
    assert published_comment.status == Comment.Status.HIDDEN
    assert ModerationAction.objects.filter(action="auto_hide").count() == 1


def test_a_trusted_flaggers_report_hides_at_once_through_the_api(
    api_as, citizen, published_comment
):
    TrustedFlaggerFactory(user=citizen)

    answer = api_as(citizen).post(
        f"/api/v1/comments/{published_comment.pk}/report/", {"reason": "Spam."}, format="json"
    )

    assert answer.status_code == 201
    published_comment.refresh_from_db()
    assert published_comment.status == Comment.Status.HIDDEN


def test_the_report_that_hides_redirects_back_to_the_thread_on_the_page(
    client, published_comment, three_reporters
):
    for user in three_reporters:
        client.force_login(user)
        answer = client.post(f"/komentar/{published_comment.pk}/laporkan/", {"reason": "Menghina."})
        assert answer.status_code == 302

    published_comment.refresh_from_db()
    assert published_comment.status == Comment.Status.HIDDEN
    assert answer["Location"].endswith(
        f"/konsultasi/{published_comment.consultation_id}/bagian/"
        f"{published_comment.section_id}/komentar/"
    )


def test_the_moderation_queue_shows_on_whose_behalf_each_report_came(
    client, moderator, published_comment, other_representative
):
    comment_moderation.comment_report(
        actor=other_representative, comment=published_comment, reason="Kurang sopan."
    )
    client.force_login(moderator)

    page = client.get("/moderasi/").content.decode()

    assert "Kurang sopan." in page
    assert "LSM Harapan Bangsa" in page
