"""One sign-in lockout (django-axes) for every door that checks a password: the site's
sign-in, the admin's, and the API token endpoint; per account and per client address.

Found when the demo was attacked: `/admin/login/` took 150 wrong passwords and then the
right one; the token endpoint answered 200 to an account locked at `/accounts/login/`.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
WRONG = "salah-tebak"


def site_login(username, password=WRONG, address="10.0.0.7", client=None):
    return (client or Client()).post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def admin_login(username, password=WRONG, address="10.0.0.7"):
    return Client().post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def token(username, password=WRONG, address="10.0.0.7"):
    return Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(member):
    for _ in range(LIMIT - 1):
        assert site_login("dedi").status_code == 200  # the form again, with an error
    assert site_login("dedi").status_code == 429  # the failure that reaches the limit
    client = Client()
    locked = site_login("dedi", PASSWORD, client=client)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Terlalu banyak percobaan masuk yang gagal." in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_follows_the_account_to_another_address(member):
    for n in range(LIMIT):
        site_login("dedi", address=f"10.0.{n}.7")
    assert site_login("dedi", PASSWORD, address="10.9.9.9").status_code == 429


def test_spraying_many_accounts_from_one_address_locks_the_address(member):
    for n in range(LIMIT):
        site_login(f"tebakan{n}")
    assert site_login("dedi", PASSWORD).status_code == 429
    assert site_login("dedi", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_admin_sign_in_is_locked_too(superuser):
    for _ in range(LIMIT):
        admin_login("root")
    locked = admin_login("root", PASSWORD, address="10.0.0.8")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal." in locked.content.decode()


def test_many_wrong_admin_passwords_do_not_end_with_a_way_in(superuser):
    statuses = [admin_login("root").status_code for _ in range(4 * LIMIT)]
    assert statuses[-1] == 429
    assert admin_login("root", PASSWORD).status_code == 429


def test_an_account_locked_on_the_site_gets_no_api_token(member):
    for _ in range(LIMIT):
        site_login("dedi")
    response = token("dedi", PASSWORD, address="10.0.0.8")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_wrong_passwords_at_the_token_endpoint_lock_the_site_sign_in(member):
    for _ in range(LIMIT):
        assert token("dedi").status_code in (400, 429)
    assert site_login("dedi", PASSWORD, address="10.0.0.8").status_code == 429


def test_failures_while_locked_do_not_extend_the_lock(member):
    for _ in range(LIMIT + 5):
        site_login("dedi")
    assert AccessAttempt.objects.get(username="dedi").failures_since_start == LIMIT


def test_the_lock_ends_after_the_cool_off(member):
    for _ in range(LIMIT):
        site_login("dedi")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )
    assert site_login("dedi", PASSWORD).status_code == 302
