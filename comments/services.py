"""Every state change of a comment by its author: posting (also the written letters an
official records), editing and withdrawing (ARCHITECTURE.md §2 rule 1), with the rate
limit, the validation and the comment events these share.

Moderation (reports, trusted flaggers, moderators' decisions) is in moderation.py and the
responses (Tanggapan) in responses.py, kept apart for the size limit of ARCHITECTURE.md §1;
both import the shared helpers from here, never the other way."""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from accounts.models import Organization
from backend.errors import Conflict, Invalid, NotFound, RateLimited, require
from backend.ratelimit import count_in_window
from comments import payloads, permissions, selectors
from comments.models import (
    Comment,
    CommentEdit,
    Response,
)
from consultations import permissions as consultations_permissions
from consultations import selectors as consultations_selectors
from consultations.models import Consultation, Item, Section
from realtime import events


def _comment_setting(name: str) -> int:
    return int(settings.RUANG[name])


def _validate_comment_body(body) -> str:
    """Plain text, 1..5000 characters, kept exactly as written (never stripped or rewritten)."""
    if not isinstance(body, str) or not body.strip():
        raise Invalid(_("Write your comment first."), field="body")
    limit = _comment_setting("COMMENT_MAX_LENGTH")
    if len(body) > limit:
        raise Invalid(
            _("A comment can have at most %(limit)d characters (this one has %(count)d).")
            % {"limit": limit, "count": len(body)},
            field="body",
        )
    if "\x00" in body:
        raise Invalid(_("The comment contains characters that cannot be stored."), field="body")
    return body


def _validate_stance(stance) -> str:
    if stance not in Comment.Stance.values:
        raise Invalid(_("Choose a stance: support, oppose, neutral or question."), field="stance")
    return stance


def _validate_reason(reason, *, required: bool) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else None
    if reason is None:
        raise Invalid(_("The reason must be text."), field="reason")
    if required and not reason:
        raise Invalid(_("Give a reason; the author will see it."), field="reason")
    if len(reason) > 500:
        raise Invalid(_("A reason can have at most 500 characters."), field="reason")
    return reason


def _clock() -> float:
    return time.time()


def comment_rate_limit_check(*, actor) -> None:
    """Per-user comment limits (per minute, per hour), shared by every worker through the cache."""
    now = int(_clock())
    for window, setting_name in ((60, "COMMENT_RATE_PER_MINUTE"), (3600, "COMMENT_RATE_PER_HOUR")):
        if settings.RUANG[setting_name] is None:
            # No limit, and no count: the demo loader (demo/comments.py) posts every demo
            # comment in seconds and must leave no counter behind for the live server.
            continue
        limit = _comment_setting(setting_name)
        bucket = now // window
        count = count_in_window(f"ruang:comment-rate:{actor.pk}:{window}:{bucket}", window + 5)
        if count > limit:
            raise RateLimited(
                _("You are posting comments too quickly. Please wait a moment and try again."),
                retry_after=window - now % window,
            )


def _claim_body(actor, body: str) -> str:
    """Refuse the same body from the same user within a minute (double submit, copy-paste spam)."""
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"ruang:comment-body:{actor.pk}:{digest}"
    recent = Comment.objects.filter(
        author=actor, body=body, created_at__gte=timezone.now() - datetime.timedelta(minutes=1)
    ).exists()
    if recent or not cache.add(key, 1, timeout=60):
        raise Conflict(
            _("You have just posted exactly this comment. It was not posted twice."), field="body"
        )
    return key


# Events that carry a comment's text. When the text changes or leaves (edit, hide, reject,
# delete), these earlier events of the comment are redacted in every stream and audience.
EVENTS_WITH_TEXT = ("comment.published", "comment.screened", "comment.submitted")


def _comment_streams(comment: Comment) -> list[str]:
    streams = [comment.consultation.stream]
    if comment.hearing_id:
        streams.append(comment.hearing.stream)
    return streams


def _redact_comment_text(comment: Comment) -> None:
    """Blank the comment's earlier events in the log (in this transaction), so a replay from
    0 shows only the text the comment has now, or nothing once it is hidden or gone."""
    for stream in _comment_streams(comment):
        events.redact(stream, types=EVENTS_WITH_TEXT, data_id=comment.pk)


def _publish_comment_event(comment: Comment, type_: str, *, audience: str | None = None) -> None:
    """comment.published / .hidden / .submitted on the consultation stream (and its hearing's).

    The data is the comment payload (comments/payloads.py); comment.submitted (a pending
    comment) reaches only the moderators' view. comment.hidden carries the id only, and
    the comment's text leaves the log of each stream, so a replay from 0 cannot show it.
    """
    if type_ == "comment.published" and (not comment.is_published or comment.is_removed):
        raise ValueError(f"comment {comment.pk} is not published; its text must not go out")
    hidden = type_ == "comment.hidden"
    if hidden:
        _redact_comment_text(comment)
    data = payloads.comment_hidden(comment) if hidden else payloads.comment(comment)
    for stream in _comment_streams(comment):
        events.publish(stream, type_, data, audience=audience)


def _publish_comment_left_queue(comment: Comment) -> None:
    """A pending comment left the moderation queue without being published (rejected,
    hidden, withdrawn): only the moderators' view had it."""
    _publish_comment_event(comment, "comment.hidden", audience=events.MODERATION)


def _accepting_comments(consultation: Consultation, hearing) -> None:
    """`hearing` is a hearings.Hearing (that app sits above this one): only its fields are read."""
    if hearing is not None:
        if hearing.consultation_id != consultation.pk:
            raise Invalid(_("This hearing belongs to another consultation."), field="hearing")
        if hearing.is_live:
            return
        raise Conflict(_("This hearing is not live; comments are not accepted now."))
    if not consultation.is_open:
        raise Conflict(_("This consultation is not open for comments."))


def comment_create(
    *,
    actor,
    consultation: Consultation,
    stance: str,
    body: str,
    section: Section | None = None,
    item: Item | None = None,
    parent: Comment | None = None,
    hearing=None,
) -> Comment:
    """Post a comment on behalf of the actor's verified organization (or as an individual).

    Pre-moderated consultations keep it pending until a moderator approves it.
    """
    require(accounts_permissions.is_authenticated(actor), _("Sign in to comment."))
    if not consultations_permissions.can_view_consultation(actor, consultation):
        raise NotFound(_("Consultation not found."))
    _accepting_comments(consultation, hearing)
    require(
        permissions.can_comment(actor, consultation),
        _("Only members of a verified organization may comment on this consultation."),
    )
    _validate_stance(stance)
    _validate_comment_body(body)
    if parent is not None:
        if (
            parent.consultation_id != consultation.pk
            or not selectors.comments_visible_to(
                actor, Comment.objects.filter(pk=parent.pk)
            ).exists()
        ):
            raise Invalid(
                _("The comment you reply to is not in this consultation."), field="parent"
            )
        if parent.parent_id is not None:
            raise Invalid(_("Reply to the original comment, not to a reply."), field="parent")
        if parent.is_removed:
            raise Conflict(_("This comment was removed by its author."), field="parent")
        if section is not None and section.pk != parent.section_id:
            raise Invalid(_("A reply belongs to the section of its comment."), field="section")
        if item is not None and item.pk != parent.item_id:
            raise Invalid(_("A reply belongs to the item of its comment."), field="item")
        section, item = parent.section, parent.item
    else:
        if section is not None:
            version = consultations_selectors.current_version(consultation)
            if (
                section.consultation_id != consultation.pk
                or version is None
                or section.version_id != version.pk
            ):
                raise Invalid(
                    _("This section is not part of the consultation's current text."),
                    field="section",
                )
        if item is not None and item.consultation_id != consultation.pk:
            raise Invalid(_("This item belongs to another consultation."), field="item")
    organization = permissions.commenting_organization(actor, consultation)
    comment_rate_limit_check(actor=actor)
    claim = _claim_body(actor, body)
    try:
        with transaction.atomic():
            status = (
                Comment.Status.PENDING
                if consultation.moderation == Consultation.Moderation.PRE
                else Comment.Status.PUBLISHED
            )
            comment = Comment.objects.create(
                consultation=consultation,
                section=section,
                item=item,
                parent=parent,
                hearing=hearing,
                author=actor,
                organization=organization,
                stance=stance,
                body=body,
                status=status,
            )
            _publish_comment_event(
                comment, "comment.published" if comment.is_published else "comment.submitted"
            )
            # Read back as the author's list shows it, inside the transaction: if this read
            # fails (the database went away), the comment is not saved and the claim on its
            # body is released, so a 503 never hides a saved comment and a retry is accepted
            # (tests/faults/test_database_drop.py).
            comment = selectors.comment_list(actor).get(pk=comment.pk)
    except Exception:
        cache.delete(claim)
        raise
    return comment


def comment_written_check(
    *,
    actor,
    consultation: Consultation,
    stance: str,
    body: str,
    channel: str,
    created_at: datetime.datetime,
    author_name: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
    section: Section | None = None,
    external_ref: str = "",
) -> dict:
    """Every check of `comment_record_written`, writing nothing (an import's preview runs
    it on each row): raises NotAllowed, Conflict or Invalid, else returns the fields as
    they would be stored."""
    require(
        permissions.can_record_written_comments(actor),
        _("Only officials and planners may enter written submissions."),
    )
    if consultation.status not in (Consultation.Status.OPEN, Consultation.Status.CLOSED):
        raise Conflict(_("Written submissions are entered while a consultation is open or closed."))
    if channel not in Comment.Channel.values:
        raise Invalid(_("Choose a channel: online, form, letter or email."), field="channel")
    _validate_stance(stance)
    _validate_comment_body(body)
    author_name, organization_name = author_name.strip(), organization_name.strip()
    if organization is not None:
        organization_name = ""
    if not author_name and organization is None and not organization_name:
        raise Invalid(_("Give the sender's name or organization."), field="author")
    for field, value, limit in (
        ("author", author_name, 200),
        ("organization", organization_name, 200),
        ("ref", external_ref, 100),
    ):
        if len(value) > limit:
            raise Invalid(_("At most %(limit)d characters.") % {"limit": limit}, field=field)
    if section is not None and section.consultation_id != consultation.pk:
        raise Invalid(_("This section belongs to another consultation."), field="section")
    if created_at > timezone.now():
        raise Invalid(_("The submission date is in the future."), field="submitted_at")
    return {
        "consultation": consultation,
        "section": section,
        "author_name": author_name,
        "organization": organization,
        "organization_name": organization_name,
        "stance": stance,
        "body": body,
        "channel": channel,
        "external_ref": external_ref,
        "created_at": created_at,
    }


def comment_record_written(*, actor, consultation: Consultation, **fields) -> Comment:
    """A written submission (paper form, letter, e-mail) typed in by an official or a planner.

    The sender has no account: the name and organization are kept as written
    (`comment_written_check` has the fields and their rules). It follows the consultation's
    moderation setting like any comment and goes out on its stream once published. Accepted
    while the consultation is open or closed (forms collected at a hearing arrive after
    it), not in a draft or after the final report.
    """
    fields = comment_written_check(actor=actor, consultation=consultation, **fields)
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                **fields,
                author=None,
                status=Comment.Status.PENDING
                if consultation.moderation == Consultation.Moderation.PRE
                else Comment.Status.PUBLISHED,
            )
            _publish_comment_event(
                comment, "comment.published" if comment.is_published else "comment.submitted"
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A comment with this reference is already recorded."), field="ref"
        ) from exc
    return comment


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation", "hearing", "author", "author__privacy", "organization")
        .get(pk=comment.pk)
    )


def comment_edit(*, actor, comment: Comment, body: str, stance: str | None = None) -> Comment:
    """The author may correct a comment within the edit window; the old text is kept."""
    require(
        permissions.can_edit_comment(actor, comment), _("Only the author may edit this comment.")
    )
    _validate_comment_body(body)
    if stance is not None:
        _validate_stance(stance)
    with transaction.atomic():
        comment = _lock_comment(comment)
        window = datetime.timedelta(minutes=_comment_setting("COMMENT_EDIT_WINDOW_MINUTES"))
        if timezone.now() > comment.created_at + window:
            raise Conflict(
                _("A comment can only be edited within %(minutes)d minutes of posting.")
                % {"minutes": window.seconds // 60}
            )
        if comment.status in (Comment.Status.HIDDEN, Comment.Status.REJECTED):
            raise Conflict(_("A comment a moderator has hidden or rejected cannot be edited."))
        _accepting_comments(comment.consultation, comment.hearing if comment.hearing_id else None)
        if comment.body == body and (stance is None or stance == comment.stance):
            return comment
        was_published = comment.is_published
        CommentEdit.objects.create(comment=comment, body=comment.body)
        comment.body = body
        if stance is not None:
            comment.stance = stance
        comment.edited_at = timezone.now()
        if comment.consultation.moderation == Consultation.Moderation.PRE and was_published:
            # An approved text that changes needs approving again.
            comment.status = Comment.Status.PENDING
        comment.save(update_fields=["body", "stance", "edited_at", "status"])
        # The earlier text leaves the log; only the events published now carry the new one.
        _redact_comment_text(comment)
        if comment.is_published:
            _publish_comment_event(comment, "comment.published")
        else:
            if was_published:
                _publish_comment_event(comment, "comment.hidden")
            _publish_comment_event(comment, "comment.submitted")
    return comment


def comment_delete(*, actor, comment: Comment) -> Comment | None:
    """The author withdraws a comment; with replies (or an answer) a "removed" placeholder stays.

    Returns the placeholder, or None when the comment is gone entirely.
    """
    require(
        permissions.can_delete_comment(actor, comment),
        _("Only the author may delete this comment."),
    )
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was already removed."))
        if comment.is_published:
            _publish_comment_event(comment, "comment.hidden")
        elif comment.status == Comment.Status.PENDING:
            _publish_comment_left_queue(comment)
        keeps_placeholder = (
            comment.replies.exists() or Response.objects.filter(comment=comment).exists()
        )
        if not keeps_placeholder:
            comment.delete()
            return None
        comment.edits.all().delete()
        comment.body = ""
        comment.is_removed = True
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "is_removed", "edited_at"])
    return comment
