"""In-app notifications, each user's choice of channel per kind, and the e-mail outbox.

docs/NOTIFICATIONS.md describes the kinds, the channels, the digest and unsubscribing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. The value is stable: it is in the API, the preferences and the
    unsubscribe links."""

    COMMENT_APPROVED = "comment_approved", _("My comment was approved")
    COMMENT_REJECTED = "comment_rejected", _("My comment was rejected")
    COMMENT_HIDDEN = "comment_hidden", _("My comment was hidden")
    COMMENT_RESPONDED = "comment_responded", _("A response (tanggapan) to my comment")
    ASPIRATION_DECIDED = "aspiration_decided", _("A decision on a proposal I made or support")
    MEMBERSHIP_INVITED = "membership_invited", _("An invitation to join an organization")
    VOTING_OPENED = "voting_opened", _("Voting opens")
    VOTING_CLOSING = "voting_closing", _("Voting closes soon and my organization has not voted")
    TALLIES_FINAL = "tallies_final", _("Final tallies of a consultation")
    HEARING_SCHEDULED = "hearing_scheduled", _("A hearing is scheduled")
    MODERATION_WAITING = "moderation_waiting", _("Comments waiting for moderation")
    # Sent by followups (above notifications): progress recorded on an accepted input.
    FOLLOW_UP_RECORDED = "follow_up_recorded", _("Progress on my accepted input (follow-up)")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Only here (the bell)")
    EMAIL = "email", _("Here and by e-mail at once")
    DIGEST = "digest", _("Here and in a daily e-mail at 07.00 WIB")
    OFF = "off", _("Off")


class Notification(models.Model):
    """One thing that happened, for one user; the title is written in the user's language
    when the row is made (the e-mail says the same)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # How the user asked to hear of this kind when it was made; a digest row waits for the
    # 07.00 WIB run until `emailed_at` is set.
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IN_APP)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notif_user_newest"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notif_user_unread",
            ),
            models.Index(
                fields=["user"],
                condition=models.Q(channel="digest", emailed_at__isnull=True),
                name="notif_digest_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's channel for one kind; without a row the kind's default applies
    (notifications.kinds.DEFAULT_CHANNEL)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_one_per_kind")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} → {self.channel}"


class NotificationSettings(models.Model):
    """The language a user's e-mails are written in. Django's User has no language; the
    preferences page records the one the user reads the site in when they save it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("e-mail language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user_id}: {self.language}"


class OutgoingEmail(models.Model):
    """The outbox: an e-mail is written here (in the recipient's language) before a job
    sends it, so a retry sends what was meant and a sent one is never sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outgoing_emails"
    )
    kind = models.CharField(max_length=40)  # a Kind, or "digest"
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class Reminder(models.Model):
    """A reminder sent once (key: what and for whom, e.g. "voting_closing:12:34"), or the
    time the grouped moderation notice last ran (key "moderation_waiting")."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return self.key
