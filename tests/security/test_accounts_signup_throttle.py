"""Sign-ups are limited per client address (RUANG["SIGNUP_RATE_PER_HOUR"], 5 by default):
found when 25 throwaway accounts were made through /organisasi/daftar/ in 8 seconds and
used to flag a comment away."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts.models import Organization

pytestmark = pytest.mark.django_db
User = get_user_model()
RATE = settings.RUANG["SIGNUP_RATE_PER_HOUR"]


def page_sign_up(n, address="203.0.113.9", **extra):
    today = timezone.localdate()
    return Client().post(
        "/organisasi/daftar/",
        {
            "username": f"akun{n}",
            "full_name": f"Akun {n}",
            "email": f"akun{n}@contoh.id",
            "password": "pasuruan-maju-2025",
            "password_again": "pasuruan-maju-2025",
            "accept_privacy_notice": "on",
            "name": f"LSM Uji {chr(65 + n)}{chr(65 + n)}",
            "registration_number": f"SKT-UJI-{n}",
            "registration_expires_on": str(today + datetime.timedelta(days=1000)),
        },
        REMOTE_ADDR=address,
        **extra,
    )


def api_sign_up(n, address="203.0.113.9"):
    return Client().post(
        "/api/v1/auth/register/",
        {
            "username": f"api{n}",
            "password": "Pendapat-Warga-2026",
            "email": f"api{n}@contoh.id",
            "full_name": f"Api {n}",
        },
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_the_sign_up_page_answers_429_in_indonesian_past_the_hourly_limit():
    for n in range(RATE):
        assert page_sign_up(n).status_code == 302
    refused = page_sign_up(RATE)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Terlalu banyak akun baru dari jaringan Anda." in refused.content.decode()
    assert User.objects.count() == RATE
    assert Organization.objects.count() == RATE


def test_another_address_may_still_sign_up():
    for n in range(RATE):
        page_sign_up(n)
    assert page_sign_up(RATE, address="198.51.100.23").status_code == 302


def test_the_sign_up_api_answers_429_past_the_hourly_limit():
    for n in range(RATE):
        assert api_sign_up(n).status_code == 201
    refused = api_sign_up(RATE)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert User.objects.count() == RATE


def test_the_page_and_the_api_share_the_count():
    for n in range(RATE):
        page_sign_up(n)
    assert api_sign_up(0).status_code == 429


def test_a_refused_form_does_not_use_up_the_limit():
    for n in range(RATE + 3):
        response = Client().post("/organisasi/daftar/", {"username": f"x{n}"})
        assert response.status_code == 200  # the form again, with its errors
    assert page_sign_up(0).status_code == 302
