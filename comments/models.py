from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import names
from accounts.models import Organization
from consultations.models import Consultation, Item, Section


class Comment(models.Model):
    """An opinion on the consultation, a section or an item; replies go one level deep."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        NEUTRAL = "neutral", _("Neutral")
        QUESTION = "question", _("Question")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        FORM = "form", _("Paper form")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")

    # db_index=False: the (consultation|section, created_at, id) indexes below serve both.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        db_index=False,
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    hearing = models.ForeignKey(
        "hearings.Hearing",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # A comment on a proposal (aspirasi). Named by string, like `hearing`: aspirations sits
    # above comments; the aspirations app sets it and reads the proposal's thread by it.
    aspiration = models.ForeignKey(
        "aspirations.Aspiration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # None for a written submission (paper form, letter, e-mail) typed in by an official or
    # a planner: the sender has no account; `author_name` is the name on the form.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    body = models.TextField(_("comment"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    moderation_reason = models.CharField(_("moderation reason"), max_length=500, blank=True)
    is_removed = models.BooleanField(_("removed by author"), default=False)
    on_screen_at = models.DateTimeField(_("shown on the big screen since"), null=True, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # How the comment reached us; anything but online is a written submission, imported by
    # an official or a planner (analysis.services.comment_import) and labelled as such.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    external_ref = models.CharField(_("reference"), max_length=100, blank=True)
    author_name = models.CharField(_("name as written"), max_length=200, blank=True)
    organization_name = models.CharField(_("organization as written"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            # Re-importing a file adds nothing: one comment per reference and consultation.
            models.UniqueConstraint(
                fields=["consultation", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="comment_external_ref_once",
            ),
        ]
        # Lists page by (created_at, id) (backend.pagination.CreatedCursorPagination): the
        # consultation and section indexes end in that order, so a page deep in the cursor
        # is an index range scan, as cheap as the first (docs/PERFORMANCE.md).
        indexes = [
            models.Index(fields=["consultation", "created_at", "id"]),
            models.Index(fields=["section", "created_at", "id"]),
            models.Index(fields=["hearing", "status"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.body[:40]}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def author_display_name(self) -> str:
        """The name shown with the comment: as written on a written submission, else the
        account's public name (accounts.names.public_name: the person's name if they chose to
        show it, else their pseudonym) — the payload's `author_name`, every page's. Lists
        select_related("author__privacy")."""
        if self.author_name:
            return self.author_name
        if self.author is None:
            return ""
        return names.public_name(self.author)

    @property
    def is_written(self) -> bool:
        """A written submission (paper form, letter, e-mail), labelled so wherever it shows."""
        return self.channel != self.Channel.ONLINE


class CommentEdit(models.Model):
    """The body before an edit: edit history is kept."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(max_length=5000)
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment edit")
        verbose_name_plural = _("comment edits")
        ordering = ["edited_at", "id"]

    def __str__(self):
        return f"edit of #{self.comment_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class CommentReport(models.Model):
    """A flag by a user. Every report queues the comment for a moderator; only reports from
    N distinct verified organizations, or one from a trusted flagger, hide it pending review
    (comments.moderation.comment_report), so throwaway accounts cannot silence anyone."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What the reporter was when reporting, so the count does not move when they change.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("on behalf of (verified organization)"),
    )
    trusted = models.BooleanField(_("by a trusted flagger"), default=False)
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="commentreport_one_per_user"
            )
        ]

    def __str__(self):
        return f"report on #{self.comment_id}"


class TrustedFlagger(models.Model):
    """A user, or a whole verified organization, whom a moderator named: one report of
    theirs hides a comment pending review. Named and removed only through the services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    organization = models.OneToOneField(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organization"),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("trusted flagger")
        verbose_name_plural = _("trusted flaggers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, organization__isnull=False)
                | models.Q(user__isnull=False, organization__isnull=True),
                name="trustedflagger_user_or_organization",
            )
        ]

    def __str__(self):
        return str(self.organization if self.organization_id else self.user)


class ModerationAction(models.Model):
    """Who did what to a comment, when and why; visible to moderators and officials."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        REJECT = "reject", _("Rejected")
        AUTO_HIDE = "auto_hide", _("Hidden after reports")
        SCREEN = "screen", _("Shown on screen")
        UNSCREEN = "unscreen", _("Removed from screen")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="moderation")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} #{self.comment_id}"


class Response(models.Model):
    """Tanggapan: the government's answer to a comment or to a whole section."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        NOTED = "noted", _("Noted")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    comment = models.OneToOneField(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    body = models.TextField(_("explanation"), max_length=10000)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comment__isnull=False) | models.Q(section__isnull=False),
                name="response_has_target",
            )
        ]

    def __str__(self):
        return f"{self.outcome}: {self.body[:40]}"
