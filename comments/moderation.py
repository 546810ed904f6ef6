"""Every state change of comment moderation (ARCHITECTURE.md §2 rule 1): reports and the
hiding they trigger, trusted flaggers, and the moderators' approve / hide / restore / reject.

Kept beside services.py (posting, editing and withdrawing comments) and responses.py
(Tanggapan) so no module passes the size limit of ARCHITECTURE.md §1; the same rules hold:
one function per action, the actor first, keyword-only arguments, one transaction, the
event published inside it. Imports from services.py, never the other way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from accounts.models import Organization
from backend.errors import Conflict, Invalid, NotFound, require
from comments import permissions, selectors, signals
from comments.models import Comment, CommentReport, ModerationAction, TrustedFlagger
from comments.services import (
    _comment_setting,
    _lock_comment,
    _publish_comment_event,
    _publish_comment_left_queue,
    _validate_reason,
)


def _reports_hide(open_reports) -> bool:
    """Enough to hide pending review: one report by a trusted flagger, or reports on behalf
    of COMMENT_REPORT_THRESHOLD distinct verified organizations. Reports of individuals,
    citizens and unverified organizations only queue the comment for a moderator, so a
    handful of fresh sign-ups cannot silence anyone."""
    if open_reports.filter(trusted=True).exists():
        return True
    organizations = (
        open_reports.exclude(organization=None).values("organization").distinct().count()
    )
    return organizations >= _comment_setting("COMMENT_REPORT_THRESHOLD")


def comment_report(*, actor, comment: Comment, reason: str) -> CommentReport:
    """Flag a comment for the moderators; enough weighty reports hide it pending review."""
    require(accounts_permissions.is_authenticated(actor), _("Sign in to report a comment."))
    if not selectors.comments_visible_to(actor, Comment.objects.filter(pk=comment.pk)).exists():
        raise NotFound(_("Comment not found."))
    require(
        permissions.can_report_comment(actor, comment), _("You cannot report your own comment.")
    )
    reason = _validate_reason(reason, required=True)
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was removed by its author."))
        if not comment.is_published:
            raise Conflict(_("This comment is already waiting for a moderator."))
        if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
            raise Conflict(_("You have already reported this comment."))
        report = CommentReport.objects.create(
            comment=comment,
            reporter=actor,
            organization=accounts_permissions.verified_organization_of(actor),
            trusted=permissions.is_trusted_flagger(actor),
            reason=reason,
        )
        open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True)
        comment.report_count = open_reports.count()
        fields = ["report_count"]
        if _reports_hide(open_reports):
            comment.status = Comment.Status.HIDDEN
            comment.moderation_reason = _("Hidden after several reports, pending review.")
            fields += ["status", "moderation_reason"]
            ModerationAction.objects.create(
                comment=comment,
                actor=None,
                action=ModerationAction.Action.AUTO_HIDE,
                reason=_("%(count)d reports") % {"count": comment.report_count},
            )
            _publish_comment_event(comment, "comment.hidden")
        comment.save(update_fields=fields)
    return report


def validate_trusted_flagger(*, user=None, organization: Organization | None = None) -> None:
    """Who can be named (also the admin form's check): an active user or a verified
    organization, one of the two."""
    if (user is None) == (organization is None):
        raise Invalid(_("Name either a user or an organization."))
    if user is not None and not accounts_permissions.is_authenticated(user):
        raise Invalid(_("This account is not active."), field="user")
    if organization is not None and not organization.is_verified:
        raise Invalid(
            _("Only a verified organization can be a trusted flagger."), field="organization"
        )


def trusted_flagger_name(
    *, actor, user=None, organization: Organization | None = None, reason: str = ""
) -> TrustedFlagger:
    """A moderator names a user, or a verified organization (all its members), whose single
    report hides a comment pending review."""
    require(
        permissions.can_name_trusted_flaggers(actor),
        _("Only moderators may name trusted flaggers."),
    )
    validate_trusted_flagger(user=user, organization=organization)
    reason = _validate_reason(reason, required=False)
    target = {"user": user} if user is not None else {"organization": organization}
    try:
        with transaction.atomic():
            return TrustedFlagger.objects.create(**target, named_by=actor, reason=reason)
    except IntegrityError as exc:
        raise Conflict(_("Already a trusted flagger.")) from exc


def trusted_flagger_remove(*, actor, flagger: TrustedFlagger) -> None:
    """Their later reports count like anyone else's; reports already made stay as they were."""
    require(
        permissions.can_name_trusted_flaggers(actor),
        _("Only moderators may name trusted flaggers."),
    )
    with transaction.atomic():
        TrustedFlagger.objects.filter(pk=flagger.pk).delete()


def _moderate(
    *, actor, comment: Comment, action: str, reason: str, allowed_from: set, new_status: str
) -> Comment:
    require(permissions.can_moderate(actor), _("Only moderators may moderate comments."))
    reason = _validate_reason(
        reason,
        required=action in (ModerationAction.Action.HIDE, ModerationAction.Action.REJECT),
    )
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was removed by its author."))
        now = timezone.now()
        open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True)
        has_reports = open_reports.exists()
        dismissing = (
            action == ModerationAction.Action.APPROVE and comment.is_published and has_reports
        )
        if comment.status not in allowed_from and not dismissing:
            raise Conflict(
                _("This comment is %(status)s; that action does not apply.")
                % {"status": comment.get_status_display().lower()}
            )
        was_published = comment.is_published
        was_pending = comment.status == Comment.Status.PENDING
        comment.status = new_status
        comment.moderation_reason = reason
        comment.report_count = 0
        comment.save(update_fields=["status", "moderation_reason", "report_count"])
        open_reports.update(resolved_at=now)
        ModerationAction.objects.create(comment=comment, actor=actor, action=action, reason=reason)
        signals.comment_moderated.send(
            sender=Comment, comment=comment, action=action, actor=actor, was_published=was_published
        )
        if comment.is_published and not was_published:
            _publish_comment_event(comment, "comment.published")
        elif was_published and not comment.is_published:
            _publish_comment_event(comment, "comment.hidden")
        elif was_pending and comment.status != Comment.Status.PENDING:
            _publish_comment_left_queue(comment)
    return comment


def comment_approve(*, actor, comment: Comment, reason: str = "") -> Comment:
    """Publish a pending (or auto-hidden) comment, or dismiss the reports on a published one."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.APPROVE,
        reason=reason,
        allowed_from={Comment.Status.PENDING, Comment.Status.HIDDEN},
        new_status=Comment.Status.PUBLISHED,
    )


def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Take a comment out of public view; the author sees the reason."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.HIDE,
        reason=reason,
        allowed_from={Comment.Status.PUBLISHED, Comment.Status.PENDING},
        new_status=Comment.Status.HIDDEN,
    )


def comment_restore(*, actor, comment: Comment, reason: str = "") -> Comment:
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.RESTORE,
        reason=reason,
        allowed_from={Comment.Status.HIDDEN, Comment.Status.REJECTED},
        new_status=Comment.Status.PUBLISHED,
    )


def comment_reject(*, actor, comment: Comment, reason: str) -> Comment:
    """Refuse a pending (or hidden) comment for good; the author sees the reason."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.REJECT,
        reason=reason,
        allowed_from={Comment.Status.PENDING, Comment.Status.HIDDEN},
        new_status=Comment.Status.REJECTED,
    )
