"""One-click unsubscribe (RFC 8058): the mail client POSTs to the link of the
List-Unsubscribe header, without a session or a CSRF token; a person who opens the link
gets a page asking to confirm; a forged token is a 400 and changes nothing."""

import pytest
from django.core import signing
from django.test import Client

from notifications import mail
from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


def link(user, kind="comment_rejected") -> str:
    return mail.unsubscribe_url(user.pk, kind).removeprefix("http://127.0.0.1:8000")


def test_one_click_post_stops_that_kind_of_email_and_keeps_the_bell(member):
    client = Client(enforce_csrf_checks=True)  # as a mail client: no session, no token
    answer = client.post(link(member), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    preference = NotificationPreference.objects.get(user=member, kind="comment_rejected")
    assert preference.channel == "in_app"


def test_opening_the_link_asks_to_confirm_and_changes_nothing(client, member):
    answer = client.get(link(member))
    assert answer.status_code == 200
    assert "Hentikan surel untuk “Komentar saya ditolak”?" in answer.content.decode()
    assert not NotificationPreference.objects.exists()
    confirmed = client.post(link(member))
    assert "Selesai" in confirmed.content.decode()
    assert NotificationPreference.objects.get(user=member).channel == "in_app"


def test_a_kind_already_off_stays_off(client, member):
    NotificationPreference.objects.create(user=member, kind="comment_rejected", channel="off")
    client.post(link(member))
    assert NotificationPreference.objects.get(user=member).channel == "off"


def test_the_digest_link_moves_every_digest_kind_to_the_bell(client, member):
    for kind in ("comment_rejected", "hearing_scheduled"):
        NotificationPreference.objects.create(user=member, kind=kind, channel="digest")
    NotificationPreference.objects.create(user=member, kind="voting_opened", channel="email")
    client.post(link(member, "digest"))
    channels = dict(
        NotificationPreference.objects.filter(user=member).values_list("kind", "channel")
    )
    assert channels == {
        "comment_rejected": "in_app",
        "hearing_scheduled": "in_app",
        "voting_opened": "email",
    }


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.dumps({"u": 1, "k": "comment_rejected"}, salt="another.salt"),
        signing.dumps({"u": 1, "k": "comment_rejected"}, key="not-our-secret-key-at-all"),
    ],
    ids=["garbage", "other-salt", "other-key"],
)
def test_a_forged_token_is_a_400_and_changes_nothing(client, member, token):
    assert client.get(f"/notifikasi/berhenti/{token}/").status_code == 400
    assert client.post(f"/notifikasi/berhenti/{token}/").status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_signed_token_for_an_unknown_kind_is_a_400(client, member):
    token = mail.unsubscribe_token(member.pk, "everything")
    assert client.post(f"/notifikasi/berhenti/{token}/").status_code == 400
    assert not NotificationPreference.objects.exists()


def test_changing_the_user_id_inside_a_token_breaks_its_signature(client, member, representative):
    token = mail.unsubscribe_token(member.pk, "comment_rejected")
    payload, _, rest = token.partition(":")
    tampered = signing.b64_encode(
        f'{{"u":{representative.pk},"k":"comment_rejected"}}'.encode()
    ).decode()
    assert client.post(f"/notifikasi/berhenti/{tampered}:{rest}/").status_code == 400
    assert not NotificationPreference.objects.exists()
