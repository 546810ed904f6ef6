"""Every state change of the room's questions: upvote, take an upvote back, mark answered,
merge a duplicate, put a question on the big screen (issue 18 §4).

Kept beside services.py (which holds the rest of the hearing and is at the size limit of
ARCHITECTURE.md §1), under the same rules: one function per action, the actor first,
keyword-only arguments, one transaction, the event published inside it.

A question is a hearing comment with stance `question`. Posting, editing and moderating
it are comments.services', so the consultation's moderation rules apply as they are: in a
pre-moderated consultation a question waits for a moderator and cannot be upvoted before
it is published; a hidden one can no longer be upvoted and leaves the pages.

Exactness under concurrency: every change locks the question's comment row first (all
the comments of a change in id order, after the hearing's row where that is locked too),
so the changes of one question run one after another. The upvote count is recounted from
the QuestionUpvote rows under that lock, and the unique constraint (comment, user) keeps a
second upvote of one person out even if a path forgot the lock.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from backend.errors import Conflict, Invalid, NotFound, require
from comments.models import Comment
from hearings import payloads, permissions, selectors
from hearings.models import Question, QuestionUpvote
from realtime import events


def _lock_comments(*pks: int) -> dict[int, Comment]:
    """The comments' rows, locked in id order until the transaction ends."""
    rows = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("hearing__consultation", "author", "author__privacy", "organization")
        .filter(pk__in=sorted(set(pks)))
        .order_by("pk")
    )
    return {comment.pk: comment for comment in rows}


def _locked_question(actor, comment) -> Comment:
    """The question's comment, locked; 404 when the actor may not see its hearing."""
    comment = _lock_comments(comment.pk).get(comment.pk)
    if (
        comment is None
        or comment.hearing is None
        or not permissions.can_view_hearing(actor, comment.hearing)
    ):
        raise NotFound(_("Question not found."))
    return comment


def _require_open_question(comment) -> None:
    """A published question asked in a hearing, not merged into another one."""
    if comment.stance != Comment.Stance.QUESTION or comment.hearing_id is None:
        raise Conflict(_("Only questions asked in a hearing can be upvoted."))
    if not comment.is_published or comment.is_removed:
        raise Conflict(_("This question is not published."))
    state = _state_of(comment)
    if state is not None and state.merged_into_id is not None:
        raise Conflict(
            _("This question was merged into question #%(id)s.") % {"id": state.merged_into_id}
        )


def _state_of(comment) -> Question | None:
    return Question.objects.filter(comment=comment).first()


def _state(comment) -> Question:
    """The question's state row, made on first use (under the comment's lock)."""
    state, _created = Question.objects.get_or_create(comment=comment)
    comment.question = state
    return state


def _recount(comment, state: Question) -> None:
    state.upvotes = QuestionUpvote.objects.filter(comment=comment).count()
    state.save(update_fields=["upvotes"])


def _publish(comment) -> None:
    """The question's full state: newer ones replace older ones (realtime.events.coalesce_key)."""
    events.publish(comment.hearing.stream, "question.updated", payloads.question_state(comment))


def _require_participant(actor, comment) -> None:
    require(
        permissions.can_upvote_questions(actor, comment.hearing),
        _("Only participants of this consultation may upvote questions."),
    )


def _require_not_ended(hearing) -> None:
    if hearing.status == hearing.Status.ENDED:
        raise Conflict(_("This hearing has ended."))


def _question_in_play(actor, comment):
    """The question, locked, that this participant may upvote now, and its state row."""
    comment = _locked_question(actor, comment)
    _require_participant(actor, comment)
    _require_open_question(comment)
    _require_not_ended(comment.hearing)
    return comment, _state(comment)


def question_upvote(*, actor, comment) -> Comment:
    """One upvote per person and question; a second one changes nothing."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in to upvote questions."))
    with transaction.atomic():
        comment, state = _question_in_play(actor, comment)
        if comment.author_id == actor.pk:
            raise Conflict(_("You cannot upvote your own question."))
        if not QuestionUpvote.objects.filter(comment=comment, user=actor).exists():
            try:
                with transaction.atomic():
                    QuestionUpvote.objects.create(comment=comment, user=actor)
            except IntegrityError:  # only without the lock above; the upvote is there
                pass
            else:
                _recount(comment, state)
                _publish(comment)
    return comment


def question_unupvote(*, actor, comment) -> Comment:
    """Take one's upvote back; without one, nothing changes."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in to upvote questions."))
    with transaction.atomic():
        comment, state = _question_in_play(actor, comment)
        deleted, _rows = QuestionUpvote.objects.filter(comment=comment, user=actor).delete()
        if deleted:
            _recount(comment, state)
            _publish(comment)
    return comment


def _require_moderator(actor, comment) -> None:
    require(
        permissions.can_moderate_questions(actor, comment.hearing),
        _("Only moderators and officials manage the room's questions."),
    )


def _moderated_question(actor, comment) -> Comment:
    """For the chair's actions: the locked question, open, and a chair to act on it."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in first."))
    comment = _locked_question(actor, comment)
    _require_moderator(actor, comment)
    _require_open_question(comment)
    return comment


def question_mark_answered(*, actor, comment, answered: bool = True) -> Comment:
    """The question was answered in the room (or, `answered=False`, not yet after all)."""
    with transaction.atomic():
        comment = _moderated_question(actor, comment)
        state = _state(comment)
        if (state.answered_at is not None) != answered:
            state.answered_at = timezone.now() if answered else None
            state.save(update_fields=["answered_at"])
            _publish(comment)
    return comment


def question_merge(*, actor, comment, into) -> Comment:
    """`comment` duplicates `into`: its upvotes, and its asker, count for `into` from now on
    (each person once; `into`'s asker never upvotes their own), and it leaves the lists.
    Questions merged into `comment` before follow it into `into`. Returns `into`."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in first."))
    if comment.pk == into.pk:
        raise Invalid(_("A question cannot be merged into itself."), field="into")
    earlier = list(
        Question.objects.filter(merged_into=comment).values_list("comment_id", flat=True)
    )
    with transaction.atomic():
        locked = _lock_comments(comment.pk, into.pk, *earlier)
        duplicate, target = locked.get(comment.pk), locked.get(into.pk)
        for question in (duplicate, target):
            if question is None or question.hearing is None:
                raise NotFound(_("Question not found."))
        _require_moderator(actor, duplicate)
        if target.hearing_id != duplicate.hearing_id:
            raise Invalid(_("Both questions must be asked in the same hearing."), field="into")
        _require_open_question(duplicate)
        _require_open_question(target)
        voters = set(
            QuestionUpvote.objects.filter(comment=duplicate).values_list("user_id", flat=True)
        )
        if duplicate.author_id is not None:
            voters.add(duplicate.author_id)
        voters.discard(target.author_id)
        voters -= set(
            QuestionUpvote.objects.filter(comment=target, user_id__in=voters).values_list(
                "user_id", flat=True
            )
        )
        QuestionUpvote.objects.bulk_create(
            [QuestionUpvote(comment=target, user_id=user_id) for user_id in sorted(voters)]
        )
        QuestionUpvote.objects.filter(comment=duplicate).delete()
        target_state, duplicate_state = _state(target), _state(duplicate)
        _recount(target, target_state)
        _recount(duplicate, duplicate_state)
        duplicate_state.merged_into = target
        duplicate_state.featured_at = None
        duplicate_state.save(update_fields=["merged_into", "featured_at"])
        _publish(duplicate)
        _publish(target)
        for pk in earlier:
            follower = locked[pk]
            follower_state = _state(follower)
            follower_state.merged_into = target
            follower_state.save(update_fields=["merged_into"])
            if follower.is_published and not follower.is_removed:
                _publish(follower)
    return target


def question_show_on_screen(*, actor, comment) -> Comment:
    """Put the question on the big screen; the one shown before leaves it."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in first."))
    with transaction.atomic():
        if comment.hearing_id is None:
            raise NotFound(_("Question not found."))
        hearing = selectors.hearing_for_update(comment.hearing)
        shown = list(
            Question.objects.filter(
                comment__hearing=hearing, featured_at__isnull=False
            ).values_list("comment_id", flat=True)
        )
        locked = _lock_comments(comment.pk, *shown)
        comment = locked.get(comment.pk)
        if comment is None or not permissions.can_view_hearing(actor, hearing):
            raise NotFound(_("Question not found."))
        _require_moderator(actor, comment)
        _require_open_question(comment)
        _require_not_ended(hearing)
        for pk in shown:
            if pk == comment.pk:
                continue
            other = locked[pk]
            other_state = _state(other)
            other_state.featured_at = None
            other_state.save(update_fields=["featured_at"])
            if other.is_published and not other.is_removed:
                _publish(other)
        state = _state(comment)
        if state.featured_at is None:
            state.featured_at = timezone.now()
            state.save(update_fields=["featured_at"])
            _publish(comment)
    return comment


def question_take_off_screen(*, actor, comment) -> Comment:
    with transaction.atomic():
        comment = _moderated_question(actor, comment)
        state = _state(comment)
        if state.featured_at is not None:
            state.featured_at = None
            state.save(update_fields=["featured_at"])
            _publish(comment)
    return comment
