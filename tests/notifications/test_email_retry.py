"""E-mail goes out from a job with retries: an SMTP failure leaves the e-mail pending and
the job scheduled again; the retry sends it once (never twice); after every attempt fails
it is marked failed with the error, and the notification in the bell is there regardless."""

import datetime
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from huey.contrib.djhuey import HUEY

from notifications import tasks
from notifications.models import OutgoingEmail
from tests.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    failures = 1

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    return FlakyBackend


def run_scheduled_retries() -> None:
    """What the consumer does once the retry delay has passed (Huey's clock is UTC)."""
    later = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(hours=1)
    for task in HUEY.read_schedule(later):
        HUEY.execute(task, timestamp=later)


def test_an_smtp_failure_is_retried_and_the_email_is_sent_once(flaky, mailoutbox, member):
    flaky.failures = 1
    email = OutgoingEmailFactory(user=member)
    tasks.send_emails([email.pk])  # immediate in tests: the first attempt fails
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in email.last_error
    retries = HUEY.scheduled()
    assert len(retries) == 1 and retries[0].retries == 2  # 3 retries, one used
    run_scheduled_retries()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    assert len(mailoutbox) == 1
    tasks.send_emails([email.pk])  # a duplicate job sends nothing again
    assert len(mailoutbox) == 1


def test_an_email_that_fails_every_attempt_is_marked_failed(flaky, mailoutbox, member):
    flaky.failures = 10
    email = OutgoingEmailFactory(user=member)
    tasks.send_emails([email.pk])
    for _ in range(3):
        run_scheduled_retries()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 4)
    assert HUEY.scheduled() == []
    assert mailoutbox == []


class RefusesWarga(LocmemBackend):
    def send_messages(self, messages):
        if messages[0].to == ["warga@example.id"]:
            raise smtplib.SMTPRecipientsRefused({"warga@example.id": (550, b"no such user")})
        return super().send_messages(messages)


def test_one_refused_address_does_not_hold_back_the_others(settings, mailoutbox, member, citizen):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesWarga"
    good = OutgoingEmailFactory(user=member)
    bad = OutgoingEmailFactory(user=citizen)
    tasks.send_emails([good.pk, bad.pk])
    assert OutgoingEmail.objects.get(pk=good.pk).status == "sent"
    assert OutgoingEmail.objects.get(pk=bad.pk).status == "pending"  # retried later
    assert len(mailoutbox) == 1
