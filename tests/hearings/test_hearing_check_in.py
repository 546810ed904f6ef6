"""QR check-in: the code in the room is signed and expires; forged or stale codes are refused."""

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
