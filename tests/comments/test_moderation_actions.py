import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from comments import moderation, selectors
from comments.models import Comment, ModerationAction
from realtime.models import StreamEvent

pytestmark = pytest.mark.django_db


def events(stream):
    """The public events of a stream, in order."""
    rows = StreamEvent.objects.filter(stream=stream, audience="public").order_by("seq")
    return list(rows.values_list("type", flat=True))


def test_moderator_approves_a_pending_comment_and_it_is_broadcast(
    moderator, pending_comment, pre_consultation
):
    comment = moderation.comment_approve(actor=moderator, comment=pending_comment)
    assert comment.status == Comment.Status.PUBLISHED
    assert events(pre_consultation.stream) == ["comment.published"]
    action = ModerationAction.objects.get()
    assert (action.actor, action.action) == (moderator, "approve")


def test_moderator_hides_a_published_comment_with_a_reason_the_author_sees(
    moderator, member, published_comment, open_consultation
):
    moderation.comment_hide(actor=moderator, comment=published_comment, reason="Di luar topik.")
    mine = selectors.comments_of_author(member).get()
    assert mine.status == Comment.Status.HIDDEN
    assert mine.moderation_reason == "Di luar topik."
    assert events(open_consultation.stream) == ["comment.published", "comment.hidden"]


def test_hide_and_reject_need_a_reason(moderator, published_comment, pending_comment):
    with pytest.raises(Invalid):
        moderation.comment_hide(actor=moderator, comment=published_comment, reason="")
    with pytest.raises(Invalid):
        moderation.comment_reject(actor=moderator, comment=pending_comment, reason=" ")
    assert not ModerationAction.objects.exists()


def test_moderator_rejects_a_pending_comment_without_broadcasting(
    moderator, pending_comment, pre_consultation
):
    comment = moderation.comment_reject(actor=moderator, comment=pending_comment, reason="Iklan.")
    assert comment.status == Comment.Status.REJECTED
    assert events(pre_consultation.stream) == []


def test_moderator_restores_a_hidden_comment(moderator, published_comment, open_consultation):
    moderation.comment_hide(actor=moderator, comment=published_comment, reason="Keliru.")
    comment = moderation.comment_restore(actor=moderator, comment=published_comment)
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.moderation_reason == ""
    assert events(open_consultation.stream)[-1] == "comment.published"
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["hide", "restore"]


@pytest.mark.parametrize(
    "persona", ["official", "planner", "member", "representative", "citizen", "anonymous"]
)
@pytest.mark.parametrize("service", ["comment_approve", "comment_hide", "comment_reject"])
def test_only_moderators_moderate(persona, service, request, pending_comment):
    with pytest.raises(NotAllowed):
        getattr(moderation, service)(
            actor=request.getfixturevalue(persona), comment=pending_comment, reason="Alasan."
        )
    pending_comment.refresh_from_db()
    assert pending_comment.status == Comment.Status.PENDING
    assert not ModerationAction.objects.exists()


def test_actions_that_do_not_fit_the_status_are_409(moderator, published_comment, pending_comment):
    with pytest.raises(Conflict):
        moderation.comment_approve(actor=moderator, comment=published_comment)
    with pytest.raises(Conflict):
        moderation.comment_restore(actor=moderator, comment=published_comment)
    with pytest.raises(Conflict):
        moderation.comment_reject(actor=moderator, comment=published_comment, reason="x")
    moderation.comment_reject(actor=moderator, comment=pending_comment, reason="Iklan.")
    with pytest.raises(Conflict):
        moderation.comment_hide(actor=moderator, comment=pending_comment, reason="x")


def test_an_auto_hidden_comment_can_be_approved_back(moderator, published_comment):
    from tests.factories import UserFactory

    for n in range(3):
        moderation.comment_report(
            actor=UserFactory(username=f"p{n}"), comment=published_comment, reason="Spam."
        )
    assert published_comment in selectors.moderation_queue()
    moderation.comment_approve(
        actor=moderator, comment=published_comment, reason="Tidak melanggar."
    )
    published_comment.refresh_from_db()
    assert published_comment.is_published
    assert published_comment not in selectors.moderation_queue()


def test_moderation_of_a_hearing_comment_is_broadcast_on_the_hearing_stream(
    moderator, member, closed_consultation, live_hearing, post
):
    comment = post(member, closed_consultation, hearing=live_hearing)
    moderation.comment_hide(actor=moderator, comment=comment, reason="Kasar.")
    assert events(live_hearing.stream) == ["comment.published", "comment.hidden"]


def test_the_queue_holds_pending_and_reported_comments_only(
    moderator, citizen, pending_comment, published_comment, open_consultation, post, member
):
    quiet = post(member, open_consultation, body="Tidak ada yang melapor.")
    moderation.comment_report(actor=citizen, comment=published_comment, reason="Spam.")
    queue = list(selectors.moderation_queue())
    assert published_comment in queue and pending_comment in queue
    assert quiet not in queue


def test_moderation_log_records_who_when_what_why(moderator, pending_comment):
    moderation.comment_reject(actor=moderator, comment=pending_comment, reason="Promosi.")
    entry = selectors.moderation_log(comment=pending_comment).get()
    assert (entry.actor, entry.action, entry.reason) == (moderator, "reject", "Promosi.")
    assert entry.created_at is not None
