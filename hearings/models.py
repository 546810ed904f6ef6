from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from comments.models import Comment
from consultations.models import Consultation, Item


class Hearing(models.Model):
    """A live public hearing (Rapat Dengar Pendapat / Forum Konsultasi Publik)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    class Screen(models.TextChoices):
        LIVE = "live", _("Live")
        FROZEN = "frozen", _("Frozen")
        BLANK = "blank", _("Blank")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="hearings"
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    current_agenda_item = models.ForeignKey(
        "hearings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voting_item = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The item whose live voting window is open, if any.",
    )
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    check_in_required = models.BooleanField(_("check-in required to vote"), default=False)
    display_key = models.CharField(_("display key"), max_length=64, db_index=True)
    screen_mode = models.CharField(max_length=10, choices=Screen.choices, default=Screen.LIVE)
    agreements = models.TextField(_("agreements reached"), blank=True, max_length=20000)
    chair_name = models.CharField(_("chair"), max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self):
        return self.title

    @property
    def stream(self) -> str:
        return f"hearing:{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class AgendaItem(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["hearing", "position", "id"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """An organization checked in to a hearing (QR scan or by an officer)."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        OFFICER = "officer", _("By an officer")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="attendances")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "organization"], name="attendance_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} @ {self.hearing_id}"


class SpeakerRequest(models.Model):
    """An organization asks for the floor; the moderator orders and times it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="speakers")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    seconds = models.PositiveIntegerField(default=180)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("speaker request")
        verbose_name_plural = _("speaker requests")
        ordering = ["hearing", "position", "id"]

    def __str__(self):
        return f"{self.organization_id} #{self.position} ({self.status})"


class ManualCount(models.Model):
    """A show-of-hands or paper count, kept apart from online votes and labelled as such."""

    class Method(models.TextChoices):
        HANDS = "hands", _("Show of hands")
        PAPER = "paper", _("Paper ballots")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="manual_counts")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="manual_counts")
    method = models.CharField(max_length=10, choices=Method.choices)
    counts = models.JSONField(default=dict, help_text="{choice: number}")
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("manual count")
        verbose_name_plural = _("manual counts")
        ordering = ["entered_at", "id"]

    def __str__(self):
        return f"{self.method} count for item {self.item_id}"


class Question(models.Model):
    """The room's state of a question asked in a hearing (a comment with stance `question`):
    its upvote count, answered, merged into another question, put on the big screen.

    Made on the first upvote or moderator action (hearings/questions.py); a question
    without a row has no upvotes and none of the rest. `upvotes` is the count of its
    QuestionUpvote rows, recounted under the comment's row lock on every change.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="question"
    )
    upvotes = models.PositiveIntegerField(_("upvotes"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_questions",
        verbose_name=_("merged into"),
    )
    featured_at = models.DateTimeField(_("on the big screen since"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"question {self.comment_id} ({self.upvotes})"


class QuestionUpvote(models.Model):
    """One person's upvote of a question: once per person and question."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="question_upvote_once")
        ]

    def __str__(self):
        return f"{self.user_id} ▲ {self.comment_id}"


class HearingInvitation(models.Model):
    """An undangan: an official invites one organization to a hearing by letter, e-mail and
    calendar entry (hearings/invitations.py); its representative answers whether it comes."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        HADIR = "hadir", _("Will attend")
        TIDAK_HADIR = "tidak_hadir", _("Will not attend")
        DIWAKILI = "diwakili", _("Represented by a delegate")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="hearing_invitations"
    )
    number = models.CharField(_("letter number"), max_length=100)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Set by the e-mail job once the mail left (hearings/tasks.py): a retry does not resend.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    reply = models.CharField(
        _("reply"), max_length=12, choices=Reply.choices, default=Reply.PENDING
    )
    delegate_name = models.CharField(_("delegate"), max_length=200, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["hearing", "organization__name", "id"]
        verbose_name = _("hearing invitation")
        verbose_name_plural = _("hearing invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "organization"], name="hearing_invitation_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.number} → {self.organization_id}"
