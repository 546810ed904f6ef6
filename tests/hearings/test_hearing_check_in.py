"""QR check-in: the code in the room is signed and expires; forged or stale codes are refused.

The big screen shows a new code every minute and a code is good for two, so a photo of the
QR passed around a WhatsApp group stops working. The signing clock is moved by hand.
"""

import json
import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import override_settings

from backend.errors import NotAllowed
from hearings import services
from hearings.models import Attendance
from tests.factories import HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, status="live")


def test_member_of_a_verified_organization_checks_in_with_a_fresh_code(member, hearing):
    token = services.check_in_token(hearing)
    services.attendance_check_in(actor=member, hearing=hearing, token=token)
    assert Attendance.objects.filter(hearing=hearing, method="qr").count() == 1


def test_expired_code_is_refused(member, hearing, monkeypatch):
    token = services.check_in_token(hearing)
    monkeypatch.setattr(services, "CHECK_IN_MAX_AGE", -1)
    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        services.attendance_check_in(actor=member, hearing=hearing, token=token)
    assert not Attendance.objects.exists()


def test_forged_code_is_refused(member, hearing):
    forged = signing.TimestampSigner(salt="something-else").sign(str(hearing.pk))
    for token in (forged, "", "garbage", services.check_in_token(hearing) + "x"):
        with pytest.raises(NotAllowed):
            services.attendance_check_in(actor=member, hearing=hearing, token=token)
    assert not Attendance.objects.exists()


def test_code_signed_with_another_secret_is_refused(member, hearing):
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        token = services.check_in_token(hearing)
    with pytest.raises(NotAllowed):
        services.attendance_check_in(actor=member, hearing=hearing, token=token)


def test_code_of_another_hearing_is_refused(member, hearing, open_consultation):
    other = HearingFactory(consultation=open_consultation, status="live")
    with pytest.raises(NotAllowed):
        services.attendance_check_in(
            actor=member, hearing=hearing, token=services.check_in_token(other)
        )


def test_valid_code_does_not_help_a_citizen_or_an_unverified_member(
    citizen, unverified_member, anonymous, hearing
):
    token = services.check_in_token(hearing)
    for actor in (citizen, unverified_member, anonymous):
        with pytest.raises(NotAllowed):
            services.attendance_check_in(actor=actor, hearing=hearing, token=token)
    assert not Attendance.objects.exists()


@pytest.fixture
def clock(monkeypatch):
    """The clock Django's signer reads (TimestampSigner), moved by hand: `clock.now += 90`."""
    clock = SimpleNamespace(now=time.time())
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_a_code_still_works_a_minute_and_a_half_after_it_was_shown(member, hearing, clock):
    token = services.check_in_token(hearing)
    clock.now += 100
    services.attendance_check_in(actor=member, hearing=hearing, token=token)
    assert Attendance.objects.filter(hearing=hearing, method="qr").count() == 1


def test_a_photo_of_the_code_stops_working_after_about_two_minutes(member, hearing, clock):
    token = services.check_in_token(hearing)
    clock.now += 125
    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        services.attendance_check_in(actor=member, hearing=hearing, token=token)
    assert not Attendance.objects.exists()


def test_a_code_lives_longer_than_the_screen_shows_it(hearing):
    """Shown for a minute, accepted for two: whoever scans at the last second still has a
    minute to press "Check in"."""
    assert services.CHECK_IN_ROTATE_SECONDS == 60
    assert services.CHECK_IN_MAX_AGE == 2 * services.CHECK_IN_ROTATE_SECONDS


def test_the_screen_qr_changes_from_one_minute_to_the_next(client, hearing, clock):
    url = f"/hearings/{hearing.pk}/screen/qr.svg"
    first = client.get(url, {"key": hearing.display_key})
    clock.now += 60
    second = client.get(url, {"key": hearing.display_key})
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    assert first.content != second.content
    assert "no-cache" in first["Cache-Control"]


def test_the_screen_page_fetches_a_new_qr_every_minute(client, hearing):
    page = client.get(f"/hearings/{hearing.pk}/screen/", {"key": hearing.display_key})
    config = re.search(
        r'<script id="live-config" type="application/json">(.*?)</script>', page.text
    )
    assert json.loads(config.group(1))["qr_seconds"] == 60


def test_an_expired_code_is_explained_in_indonesian_on_the_room_page(
    client, member, hearing, clock
):
    token = services.check_in_token(hearing)
    clock.now += 5 * 60
    client.force_login(member)
    page = client.post(f"/hearings/{hearing.pk}/check-in/", {"token": token}, follow=True)
    assert page.status_code == 200
    assert "kedaluwarsa" in page.text
    assert "pindai" in page.text.lower()
    assert not Attendance.objects.exists()
