import pytest

from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from comments import services
from comments.models import Comment, CommentReport, ModerationAction
from realtime.models import StreamEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_reports_a_comment_with_a_reason(citizen, published_comment):
    report = services.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    published_comment.refresh_from_db()
    assert report.reason == "Spam."
    assert published_comment.report_count == 1
    assert published_comment.is_published


def test_the_same_user_reports_only_once(citizen, published_comment):
    services.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    with pytest.raises(Conflict):
        services.comment_report(actor=citizen, comment=published_comment, reason="Lagi.")
    assert CommentReport.objects.count() == 1


def test_three_distinct_reports_hide_the_comment_pending_review(
    published_comment, open_consultation
):
    for n in range(3):
        services.comment_report(
            actor=UserFactory(username=f"pelapor{n}"), comment=published_comment, reason="Kasar."
        )
    published_comment.refresh_from_db()
    assert published_comment.status == Comment.Status.HIDDEN
    assert ModerationAction.objects.get().action == ModerationAction.Action.AUTO_HIDE
    assert StreamEvent.objects.filter(stream=open_consultation.stream).last().type == (
        "comment.hidden"
    )


def test_the_report_threshold_is_a_setting(settings, citizen, published_comment):
    settings.RUANG = {**settings.RUANG, "COMMENT_REPORT_THRESHOLD": 1}
    services.comment_report(actor=citizen, comment=published_comment, reason="Kasar.")
    published_comment.refresh_from_db()
    assert published_comment.status == Comment.Status.HIDDEN


def test_author_cannot_report_their_own_comment(member, published_comment):
    with pytest.raises(NotAllowed):
        services.comment_report(actor=member, comment=published_comment, reason="Ups.")


def test_anonymous_cannot_report(anonymous, published_comment):
    with pytest.raises(NotAllowed):
        services.comment_report(actor=anonymous, comment=published_comment, reason="Spam.")


def test_a_report_needs_a_reason(citizen, published_comment):
    with pytest.raises(Invalid):
        services.comment_report(actor=citizen, comment=published_comment, reason="  ")
    assert not CommentReport.objects.exists()


def test_a_comment_one_cannot_see_cannot_be_reported(citizen, pending_comment):
    with pytest.raises(NotFound):
        services.comment_report(actor=citizen, comment=pending_comment, reason="Spam.")


def test_approving_a_reported_comment_dismisses_the_reports(moderator, citizen, published_comment):
    services.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    services.comment_approve(actor=moderator, comment=published_comment, reason="Wajar.")
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    published_comment.refresh_from_db()
    assert published_comment.report_count == 0
