"""API tokens (django-rest-knox): one per device, expiring after 30 idle days, revoked on
sign-out and on a password change."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me/"


def signed_in(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def new_key(api_client, username="warga"):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_the_answer_says_when_the_token_expires(api_client, citizen):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "warga", "password": PASSWORD}, format="json"
    )
    expiry = datetime.datetime.fromisoformat(response.json()["expiry"])
    assert datetime.timedelta(days=29) < expiry - timezone.now() <= datetime.timedelta(days=30)


def test_only_a_hash_of_the_key_is_stored(api_client, citizen):
    key = new_key(api_client)
    stored = AuthToken.objects.get(user=citizen)
    assert key not in (stored.digest, stored.token_key)


def test_a_token_idle_past_its_expiry_stops_working(api_client, citizen):
    key = new_key(api_client)
    AuthToken.objects.filter(user=citizen).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert signed_in(key).get(ME).status_code == 401
    assert not AuthToken.objects.filter(user=citizen).exists()


def test_using_a_token_pushes_its_expiry_on(api_client, citizen):
    key = new_key(api_client)
    soon = timezone.now() + datetime.timedelta(days=1)
    AuthToken.objects.filter(user=citizen).update(expiry=soon)
    assert signed_in(key).get(ME).status_code == 200
    assert AuthToken.objects.get(user=citizen).expiry > soon + datetime.timedelta(days=28)


def test_each_device_signs_out_on_its_own(api_client, citizen):
    phone, laptop = new_key(api_client), new_key(api_client)
    assert signed_in(phone).post("/api/v1/auth/logout/").status_code == 204
    assert signed_in(phone).get(ME).status_code == 401
    assert signed_in(laptop).get(ME).status_code == 200


def test_signing_out_everywhere_ends_every_token(api_client, citizen):
    phone, laptop = new_key(api_client), new_key(api_client)
    assert signed_in(phone).post("/api/v1/auth/logout-all/").status_code == 204
    assert signed_in(laptop).get(ME).status_code == 401


def test_signing_out_of_the_site_ends_the_api_tokens(api_client, citizen):
    key = new_key(api_client)
    browser = Client()
    browser.force_login(citizen)
    browser.post("/accounts/logout/")
    assert signed_in(key).get(ME).status_code == 401


def test_a_password_change_ends_the_api_tokens(api_client, citizen):
    key = new_key(api_client)
    citizen.set_password("Kata-Sandi-Baru-2026")
    citizen.save()
    assert signed_in(key).get(ME).status_code == 401


def test_the_password_change_page_ends_the_api_tokens(api_client, citizen):
    key = new_key(api_client)
    browser = Client()
    browser.force_login(citizen)
    response = browser.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Kata-Sandi-Baru-2026",
            "new_password2": "Kata-Sandi-Baru-2026",
        },
    )
    assert response.status_code == 302
    assert signed_in(key).get(ME).status_code == 401


def test_a_user_holds_at_most_ten_tokens_and_the_oldest_goes(citizen):
    keys = [services.user_token_issue(actor=citizen)[1] for _ in range(11)]
    assert AuthToken.objects.filter(user=citizen).count() == services.TOKENS_PER_USER
    assert signed_in(keys[-1]).get(ME).status_code == 200
    assert signed_in(keys[0]).get(ME).status_code == 401


@pytest.mark.parametrize("key", ["kunci-ñ-bukan-ascii", "x" * 500, "'; DROP TABLE--"])
def test_malformed_keys_are_401_never_500(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(ME).status_code == 401
