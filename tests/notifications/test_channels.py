"""Each user's channel per kind decides what a notification becomes: only the bell, the bell
and one e-mail at once (with the one-click unsubscribe headers), the bell and the daily
digest at 07.00 WIB, or nothing at all. E-mails are in the user's language."""

import datetime

import pytest
from huey.contrib.djhuey import HUEY

from comments import moderation as comment_moderation
from notifications import services, tasks
from notifications.models import Notification, OutgoingEmail
from tests.factories import NotificationPreferenceFactory, NotificationSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reject(committed, moderator):
    def run(comment, reason="Di luar pokok bahasan RPJMD."):
        return committed(
            comment_moderation.comment_reject, actor=moderator, comment=comment, reason=reason
        )

    return run


def test_in_app_only_makes_a_bell_notification_and_no_email(
    reject, member, pending_comment, mailoutbox
):
    NotificationPreferenceFactory(user=member, kind="comment_rejected", channel="in_app")
    reject(pending_comment)
    assert Notification.objects.filter(user=member).count() == 1
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_email_sends_one_email_with_one_click_unsubscribe_headers(
    reject, member, pending_comment, mailoutbox
):
    NotificationPreferenceFactory(user=member, kind="comment_rejected", channel="email")
    reject(pending_comment)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifikasi/berhenti/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Komentar Anda pada" in message.subject
    assert "Alasan moderator: Di luar pokok bahasan RPJMD." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Di luar pokok bahasan RPJMD." in html
    assert unsubscribe.strip("<>") in message.body  # and a visible link for people
    assert OutgoingEmail.objects.get().status == "sent"


def test_digest_sends_nothing_now_and_one_email_at_the_digest_run(
    committed, moderator, member, pre_consultation, post, mailoutbox, generous_limits
):
    NotificationPreferenceFactory(user=member, kind="comment_rejected", channel="digest")
    NotificationPreferenceFactory(user=member, kind="comment_approved", channel="digest")
    first = post(member, pre_consultation, section=pre_consultation.sections.get())
    second = post(member, pre_consultation, section=pre_consultation.sections.get())
    committed(comment_moderation.comment_reject, actor=moderator, comment=first, reason="Ganda.")
    committed(comment_moderation.comment_approve, actor=moderator, comment=second)
    assert Notification.objects.filter(user=member).count() == 2  # the bell has both now
    assert mailoutbox == []
    tasks.send_digest.call_local()
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert "Ringkasan harian: 2 pemberitahuan" in digest.subject
    assert "ditolak" in digest.body and "disetujui" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    tasks.send_digest.call_local()  # the next morning: nothing new, nothing sent
    assert len(mailoutbox) == 1


def test_the_digest_runs_at_seven_in_the_morning_western_indonesian_time():
    # Huey keeps its schedule in UTC (utc=True by default): 00.00 UTC is 07.00 WIB.
    assert HUEY.utc is True
    runs_at = tasks.send_digest.task_class().validate_datetime
    assert runs_at(datetime.datetime(2026, 12, 7, 0, 0))
    assert not runs_at(datetime.datetime(2026, 12, 7, 7, 0))


def test_off_makes_nothing_at_all(reject, member, pending_comment, mailoutbox):
    NotificationPreferenceFactory(user=member, kind="comment_rejected", channel="off")
    reject(pending_comment)
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_a_user_who_chose_english_gets_english_notifications_and_email(
    reject, member, pending_comment, mailoutbox
):
    NotificationSettingsFactory(user=member, language="en")
    reject(pending_comment)
    assert Notification.objects.get(user=member).title.startswith("Your comment on")
    assert "Moderator's reason: Di luar pokok bahasan RPJMD." in mailoutbox[0].body
    assert "Stop these e-mails" in mailoutbox[0].body


def test_a_preference_set_through_the_service_is_used_for_the_next_one(
    reject, member, pending_comment, mailoutbox
):
    services.preferences_set(actor=member, channels={"comment_rejected": "in_app"})
    reject(pending_comment)
    assert mailoutbox == []
