import pytest
from django.contrib.auth import get_user_model
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"


def new_account(**overrides):
    return {
        "username": "nurul",
        "password": "Pendapat-Warga-2026",
        "email": "nurul@example.id",
        "full_name": "Nurul Hidayah",
        **overrides,
    }


def test_anyone_can_register_an_account(api_client):
    response = api_client.post(REGISTER, new_account(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "nurul"
    assert response.json()["full_name"] == "Nurul Hidayah"
    assert "password" not in response.json()
    assert User.objects.get(username="nurul").check_password("Pendapat-Warga-2026")


def test_a_taken_username_is_a_conflict(api_client, citizen):
    response = api_client.post(REGISTER, new_account(username="warga"), format="json")
    assert response.status_code == 409
    assert "username" in response.json()
    assert User.objects.filter(username="warga").count() == 1


def test_a_weak_password_is_refused_with_a_field_error(api_client):
    response = api_client.post(REGISTER, new_account(password="12345678"), format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(username="nurul").exists()


@pytest.mark.parametrize("missing", ["username", "password", "email", "full_name"])
def test_registration_needs_every_field(api_client, missing):
    body = new_account()
    del body[missing]
    response = api_client.post(REGISTER, body, format="json")
    assert response.status_code == 400
    assert missing in response.json()
    assert not User.objects.exists()


def test_a_user_gets_a_token_with_the_right_password(api_client, citizen):
    response = api_client.post(TOKEN, {"username": "warga", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}
    assert AuthToken.objects.get(user=citizen).expiry is not None


def test_each_device_gets_its_own_token(api_client, citizen):
    body = {"username": "warga", "password": PASSWORD}
    first = api_client.post(TOKEN, body, format="json").json()["token"]
    second = api_client.post(TOKEN, body, format="json").json()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=citizen).count() == 2


def test_a_wrong_password_gets_no_token(api_client, citizen):
    response = api_client.post(TOKEN, {"username": "warga", "password": "salah"}, format="json")
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_the_token_signs_requests_in(api_client, representative):
    key = api_client.post(TOKEN, {"username": "rina", "password": PASSWORD}, format="json").json()[
        "token"
    ]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "rina"
    assert response.json()["membership"]["role"] == "representative"
    assert response.json()["membership"]["organization"]["acronym"] == "Pelita"


def test_me_lists_the_role_groups(api_as, official):
    response = api_as(official).get(ME)
    assert response.json()["roles"] == ["officials"]
    assert response.json()["membership"] is None


def test_me_needs_a_signed_in_user(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert api_client.get(ME).status_code == 401


def test_token_requests_are_throttled_with_retry_after(api_client, citizen):
    body = {"username": "warga", "password": PASSWORD}
    statuses = [api_client.post(TOKEN, body, format="json").status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    response = api_client.post(TOKEN, body, format="json")
    assert int(response["Retry-After"]) > 0


def test_registration_is_throttled_too(api_client):
    statuses = [
        api_client.post(
            REGISTER, new_account(username=f"u{n}", password="x"), format="json"
        ).status_code
        for n in range(21)
    ]
    assert statuses[-1] == 429
    assert set(statuses[:20]) == {400}


def test_a_forged_forwarded_for_header_does_not_dodge_the_throttle(api_client, citizen):
    body = {"username": "warga", "password": PASSWORD}
    statuses = [
        api_client.post(TOKEN, body, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(21)
    ]
    assert statuses[-1] == 429


def test_a_browser_session_needs_the_csrf_token_to_write(official):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    assert browser.get(ME).status_code == 200
    response = browser.post(
        "/api/v1/agencies/", {"name": "Dinas PUPR"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
