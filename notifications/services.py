"""Every state change of notifications (ARCHITECTURE.md §2 rule 1): making them for many
recipients in batches, reading them, preferences, unsubscribing, and the outbox.

The fan-out (`notification_send`) runs inside a job (notifications/tasks.py), never in a
request: receivers.py queues the job when the action that causes it commits.
"""

import contextlib
import datetime
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organization
from backend.errors import Invalid, NotFound, require
from comments.models import Comment
from consultations.models import Consultation
from notifications import kinds, mail, permissions, selectors
from notifications.models import (
    Channel,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutgoingEmail,
    Reminder,
)
from voting.models import Vote

User = get_user_model()

# Recipients per transaction: a fan-out to 3,000 members is six short transactions of a
# few queries each (bulk inserts), not 3,000 of anything.
BATCH_SIZE = 500
# The first try and the job's three retries (tasks.send_emails).
MAX_ATTEMPTS = 4
VOTING_REMINDER_HOURS = 24
MODERATION_KEY = "moderation_waiting"


def _language(code) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- Making notifications ---------------------------------------------------------------


def notification_send(*, kind: str, audience: dict, data: dict, url: str = "") -> list[int]:
    """Notify everyone the audience names (selectors.recipient_ids) of one event, each by
    their own channel for the kind: nothing when off, a row for the bell otherwise, and an
    e-mail in the outbox for `email`. Returns the ids of the e-mails to send."""
    if kind not in Kind.values:
        raise Invalid(_("Unknown notification kind."), field="kind")
    ids = selectors.recipient_ids(audience)
    email_ids: list[int] = []
    for start in range(0, len(ids), BATCH_SIZE):
        email_ids += _send_batch(kind, ids[start : start + BATCH_SIZE], data, url)
    return email_ids


def _send_batch(kind: str, user_ids: list[int], data: dict, url: str) -> list[int]:
    with transaction.atomic():
        users = list(
            User.objects.filter(pk__in=user_ids).only(
                "id", "email", "username", "first_name", "last_name"
            )
        )
        channels = dict(
            NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
                "user_id", "channel"
            )
        )
        languages = dict(
            NotificationSettings.objects.filter(user_id__in=user_ids).values_list(
                "user_id", "language"
            )
        )
        now = timezone.now()
        titles: dict[str, str] = {}
        rows, emails = [], []
        for user in users:
            channel = channels.get(user.pk, kinds.DEFAULT_CHANNEL[kind])
            if channel == Channel.OFF:
                continue
            language = _language(languages.get(user.pk))
            if language not in titles:
                with translation.override(language):
                    titles[language] = kinds.title(kind, data)
            wants_email = channel == Channel.EMAIL and bool(user.email)
            rows.append(
                Notification(
                    user=user,
                    kind=kind,
                    title=titles[language],
                    url=url,
                    data=data,
                    channel=channel,
                    created_at=now,
                    emailed_at=now if wants_email else None,
                )
            )
            if wants_email:
                rendered = mail.render_notification(
                    user=user,
                    language=language,
                    kind=kind,
                    title=titles[language],
                    url=url,
                    data=data,
                )
                emails.append(_outgoing(user, kind, rendered, now))
        Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        created = OutgoingEmail.objects.bulk_create(emails, batch_size=BATCH_SIZE)
    return [email.pk for email in created]


def _outgoing(user, kind: str, rendered: tuple, now) -> OutgoingEmail:
    """The outbox row of one rendered e-mail: (subject, text, html, unsubscribe URL)."""
    subject, text, html, unsubscribe = rendered
    return OutgoingEmail(
        user=user,
        kind=kind,
        to=user.email,
        subject=subject,
        body_text=text,
        body_html=html,
        unsubscribe_url=unsubscribe,
        created_at=now,
    )


# --- Reading ----------------------------------------------------------------------------


def _own(actor, notification: Notification) -> None:
    if not permissions.can_read(actor, notification):
        raise NotFound(_("Notification not found."))


def notification_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again: nothing changes)."""
    _own(actor, notification)
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_read_all(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many were unread."""
    require(permissions.can_have_notifications(actor), _("Sign in first."))
    with transaction.atomic():
        return Notification.objects.filter(user=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )


# --- Preferences and unsubscribing ------------------------------------------------------


def preferences_set(*, actor, channels: dict | None = None, language: str | None = None) -> dict:
    """Set the actor's channel for some kinds (kind → in_app|email|digest|off) and the
    language of their e-mails. An unknown kind or channel is a 400 and nothing changes."""
    require(permissions.can_have_notifications(actor), _("Sign in first."))
    channels = channels or {}
    if not isinstance(channels, dict):
        raise Invalid(_("Send the channels as an object: kind → channel."), field="channels")
    allowed = set(selectors.kinds_for(actor))
    for kind, channel in channels.items():
        if kind not in allowed:
            raise Invalid(
                _("Unknown notification kind: %(kind)s.") % {"kind": str(kind)[:50]},
                field="channels",
            )
        if channel not in Channel.values:
            raise Invalid(_("Choose a channel: in_app, email, digest or off."), field="channels")
    if language is not None and language not in dict(settings.LANGUAGES):
        raise Invalid(_("Choose a language: id or en."), field="language")
    with transaction.atomic():
        for kind, channel in channels.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"channel": channel}
            )
        if language is not None:
            NotificationSettings.objects.update_or_create(
                user=actor, defaults={"language": language}
            )
    return selectors.channels_of(actor)


def preference_set(*, actor, kind: str, channel: str) -> NotificationPreference:
    preferences_set(actor=actor, channels={kind: channel})
    return NotificationPreference.objects.get(user=actor, kind=kind)


def notification_unsubscribe(*, token: str):
    """The one-click unsubscribe of an e-mail (RFC 8058): that kind (or, for the digest,
    every kind in it) reaches the user in the bell only from now on. Returns (user, kind);
    a token we did not sign is a 400 and changes nothing."""
    parsed = mail.read_unsubscribe_token(token or "")
    user = None
    if parsed is not None:
        user = User.objects.filter(pk=parsed[0], is_active=True).first()
    if user is None:
        raise Invalid(_("This unsubscribe link is not valid."))
    kind = parsed[1]
    with transaction.atomic():
        if kind == mail.DIGEST:
            NotificationPreference.objects.filter(user=user, channel=Channel.DIGEST).update(
                channel=Channel.IN_APP
            )
        else:
            preference, created = NotificationPreference.objects.get_or_create(
                user=user, kind=kind, defaults={"channel": Channel.IN_APP}
            )
            if not created and preference.channel in (Channel.EMAIL, Channel.DIGEST):
                preference.channel = Channel.IN_APP
                preference.save(update_fields=["channel", "updated_at"])
    return user, kind


# --- The outbox ---------------------------------------------------------------------------


def _message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    headers = {}
    if email.unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{email.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=headers,
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def emails_send(*, email_ids: list[int]) -> list[int]:
    """Send the outbox's pending e-mails among `email_ids` over one connection. A sent one is
    never sent again; one the server refused stays pending for the job's retry, and after
    MAX_ATTEMPTS is marked failed. Returns the ids still pending."""
    pending = list(
        OutgoingEmail.objects.filter(pk__in=email_ids, status=OutgoingEmail.Status.PENDING)
    )
    retry = []
    connection = get_connection()
    try:
        for email in pending:
            email.attempts += 1
            try:
                _message(email, connection).send()
            except (smtplib.SMTPException, OSError) as exc:
                email.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if email.attempts >= MAX_ATTEMPTS:
                    email.status = OutgoingEmail.Status.FAILED
                else:
                    retry.append(email.pk)
            else:
                email.status = OutgoingEmail.Status.SENT
                email.sent_at = timezone.now()
                email.last_error = ""
            email.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    finally:
        # A connection the server already dropped cannot fail the job a second time.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return retry


def digest_build(*, now: datetime.datetime | None = None) -> list[int]:
    """The daily digest: one e-mail per user with their notifications waiting for it (the
    digest channel), those still unread; every waiting one is then marked done. Returns the
    ids of the e-mails to send."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(channel=Channel.DIGEST, emailed_at__isnull=True)
    user_ids = list(waiting.order_by("user_id").values_list("user_id", flat=True).distinct())
    email_ids = []
    for start in range(0, len(user_ids), BATCH_SIZE):
        batch = user_ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            rows = list(
                waiting.filter(user_id__in=batch, created_at__lte=now)
                .select_related("user")
                .order_by("user_id", "created_at", "id")
            )
            languages = dict(
                NotificationSettings.objects.filter(user_id__in=batch).values_list(
                    "user_id", "language"
                )
            )
            by_user: dict[int, list[Notification]] = {}
            for row in rows:
                by_user.setdefault(row.user_id, []).append(row)
            emails = []
            for user_id, notifications in by_user.items():
                user = notifications[0].user
                unread = [n for n in notifications if n.read_at is None]
                if not unread or not user.email or not user.is_active:
                    continue
                rendered = mail.render_digest(
                    user=user,
                    language=_language(languages.get(user_id)),
                    notifications=unread,
                )
                emails.append(_outgoing(user, mail.DIGEST, rendered, now))
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now)
            email_ids += [email.pk for email in OutgoingEmail.objects.bulk_create(emails)]
    return email_ids


# --- Scheduled notices ----------------------------------------------------------------------


def moderation_waiting_notify(*, now: datetime.datetime | None = None) -> list[int]:
    """One notice to every moderator when comments joined the pre-moderation queue since
    the last run ("N comments are waiting"), however many arrived: grouped, not one each."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder, _created = Reminder.objects.select_for_update().get_or_create(
            key=MODERATION_KEY,
            defaults={"sent_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
        )
        queue = Comment.objects.filter(status=Comment.Status.PENDING, is_removed=False)
        new = queue.filter(created_at__gt=reminder.sent_at, created_at__lte=now).count()
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at"])
    if not new:
        return []
    return notification_send(
        kind=Kind.MODERATION_WAITING,
        audience={"moderators": True},
        data={"count": queue.count(), "new": new},
        url=reverse("moderation-queue"),
    )


def voting_closing_remind(*, now: datetime.datetime | None = None) -> list[int]:
    """Remind the representatives of each verified organization that has not voted in a
    consultation closing within 24 hours; once per organization and consultation (a
    Reminder row each), however often the job runs."""
    now = now or timezone.now()
    closing = Consultation.objects.filter(
        status=Consultation.Status.OPEN,
        closes_at__gt=now,
        closes_at__lte=now + datetime.timedelta(hours=VOTING_REMINDER_HOURS),
        items__isnull=False,
    ).distinct()
    email_ids = []
    for consultation in closing:
        voted = Vote.objects.filter(item__consultation=consultation).values("organization_id")
        organizations = list(
            Organization.objects.filter(status=Organization.Status.VERIFIED)
            .exclude(pk__in=voted)
            .values_list("pk", flat=True)
        )
        prefix = f"voting_closing:{consultation.pk}:"
        with transaction.atomic():
            done = set(
                Reminder.objects.filter(
                    key__in=[f"{prefix}{pk}" for pk in organizations]
                ).values_list("key", flat=True)
            )
            due = [pk for pk in organizations if f"{prefix}{pk}" not in done]
            Reminder.objects.bulk_create(
                [Reminder(key=f"{prefix}{pk}", sent_at=now) for pk in due],
                ignore_conflicts=True,
            )
        if not due:
            continue
        email_ids += notification_send(
            kind=Kind.VOTING_CLOSING,
            audience={"representatives": True, "organizations": due},
            data={
                "consultation_id": consultation.pk,
                "consultation_title": consultation.title,
                "closes_at": consultation.closes_at.isoformat(),
            },
            url=reverse("consultation-detail", args=[consultation.pk]),
        )
    return email_ids
