"""Django sees the address nginx saw, never one a client wrote: two clients on different
loopback addresses are locked out independently, and a forged X-Forwarded-For neither
escapes the lockout nor borrows someone else's address. (RUANG_LOGIN_FAILURE_LIMIT is 3 in
this layout; the rule is django-axes' per-address count, backend.ratelimit.client_address.)"""

import uuid

import pytest

from tests.deploy.clients import api

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]

FAILURE_LIMIT = 3


def fail_to_sign_in(site, source: str, headers: dict | None = None):
    """Wrong passwords for made-up accounts: only the address's count grows."""
    for _ in range(FAILURE_LIMIT):
        status, _ = api(
            site.layout,
            "POST",
            "auth/token/",
            body={"username": f"tamu-{uuid.uuid4().hex[:8]}", "password": "salah-salah"},
            source=source,
            headers=headers,
        )
        assert status in (400, 401, 429)


def sign_in(site, source: str, headers: dict | None = None) -> int:
    status, _ = api(
        site.layout,
        "POST",
        "auth/token/",
        body={"username": site.data["username"], "password": site.data["password"]},
        source=source,
        headers=headers,
    )
    return status


def test_two_clients_on_different_addresses_are_locked_out_independently(site):
    fail_to_sign_in(site, "127.0.0.2")

    assert sign_in(site, "127.0.0.2") == 429
    assert sign_in(site, "127.0.0.3") == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_lockout(site):
    fail_to_sign_in(site, "127.0.0.4", headers={"X-Forwarded-For": "203.0.113.7"})

    assert sign_in(site, "127.0.0.4", headers={"X-Forwarded-For": "203.0.113.8"}) == 429
    assert sign_in(site, "127.0.0.4", headers={"X-Forwarded-For": "127.0.0.5"}) == 429


def test_a_forged_x_forwarded_for_does_not_borrow_a_locked_address(site):
    fail_to_sign_in(site, "127.0.0.6")

    assert sign_in(site, "127.0.0.7", headers={"X-Forwarded-For": "127.0.0.6"}) == 200
