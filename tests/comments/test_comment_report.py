import pytest

from accounts.models import Organization
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from comments import moderation, selectors
from comments.models import Comment, CommentReport, ModerationAction
from realtime.models import StreamEvent
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_reports_a_comment_with_a_reason(citizen, published_comment):
    report = moderation.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    published_comment.refresh_from_db()
    assert report.reason == "Spam."
    assert published_comment.report_count == 1
    assert published_comment.is_published


def test_the_same_user_reports_only_once(citizen, published_comment):
    moderation.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    with pytest.raises(Conflict):
        moderation.comment_report(actor=citizen, comment=published_comment, reason="Lagi.")
    assert CommentReport.objects.count() == 1


def reporter_for(organization):
    """A member of `organization` (a fresh account, as a sign-up would make)."""
    return MembershipFactory(organization=organization).user


def report_by(users, comment):
    for user in users:
        moderation.comment_report(actor=user, comment=comment, reason="Kasar.")
    comment.refresh_from_db()
    return comment


def test_reports_from_three_verified_organizations_hide_the_comment_pending_review(
    published_comment, open_consultation
):
    organizations = OrganizationFactory.create_batch(3)
    report_by([reporter_for(o) for o in organizations], published_comment)

    assert published_comment.status == Comment.Status.HIDDEN
    assert ModerationAction.objects.get().action == ModerationAction.Action.AUTO_HIDE
    assert StreamEvent.objects.filter(stream=open_consultation.stream).last().type == (
        "comment.hidden"
    )


def test_twenty_five_throwaway_accounts_only_queue_the_comment_for_a_moderator(
    published_comment,
):
    report_by([UserFactory(username=f"sekali-pakai-{n}") for n in range(25)], published_comment)

    assert published_comment.status == Comment.Status.PUBLISHED
    assert published_comment.report_count == 25
    assert list(selectors.moderation_queue()) == [published_comment]
    assert not ModerationAction.objects.exists()


def test_members_of_one_organization_count_as_one(published_comment, other_organization):
    report_by([reporter_for(other_organization) for _ in range(3)], published_comment)

    assert published_comment.status == Comment.Status.PUBLISHED


def test_reports_of_unverified_organizations_do_not_count(published_comment):
    pending = OrganizationFactory.create_batch(
        3, status=Organization.Status.PENDING, verified_at=None
    )
    report_by([reporter_for(o) for o in pending], published_comment)

    assert published_comment.status == Comment.Status.PUBLISHED
    assert CommentReport.objects.filter(organization__isnull=False).count() == 0


def test_individuals_do_not_add_up_with_organizations(published_comment, citizen):
    organizations = OrganizationFactory.create_batch(2)
    report_by([citizen, *(reporter_for(o) for o in organizations)], published_comment)

    assert published_comment.status == Comment.Status.PUBLISHED


def test_the_number_of_organizations_is_a_setting(settings, published_comment, other_organization):
    settings.RUANG = {**settings.RUANG, "COMMENT_REPORT_THRESHOLD": 1}
    report_by([reporter_for(other_organization)], published_comment)

    assert published_comment.status == Comment.Status.HIDDEN


def test_a_report_remembers_on_whose_behalf_it_was_made(published_comment, other_representative):
    report = moderation.comment_report(
        actor=other_representative, comment=published_comment, reason="Kasar."
    )

    assert report.organization == other_representative.membership.organization
    assert report.trusted is False


def test_author_cannot_report_their_own_comment(member, published_comment):
    with pytest.raises(NotAllowed):
        moderation.comment_report(actor=member, comment=published_comment, reason="Ups.")


def test_anonymous_cannot_report(anonymous, published_comment):
    with pytest.raises(NotAllowed):
        moderation.comment_report(actor=anonymous, comment=published_comment, reason="Spam.")


def test_a_report_needs_a_reason(citizen, published_comment):
    with pytest.raises(Invalid):
        moderation.comment_report(actor=citizen, comment=published_comment, reason="  ")
    assert not CommentReport.objects.exists()


def test_a_comment_one_cannot_see_cannot_be_reported(citizen, pending_comment):
    with pytest.raises(NotFound):
        moderation.comment_report(actor=citizen, comment=pending_comment, reason="Spam.")


def test_approving_a_reported_comment_dismisses_the_reports(moderator, citizen, published_comment):
    moderation.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    moderation.comment_approve(actor=moderator, comment=published_comment, reason="Wajar.")
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    published_comment.refresh_from_db()
    assert published_comment.report_count == 0
