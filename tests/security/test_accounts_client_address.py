"""Which address a request comes from, for the lockout and the rate limits: a client cannot
choose its own with X-Forwarded-For, and behind the nginx of docs/DEPLOY.md every client is
not 127.0.0.1."""

import pytest
from django.test import Client, RequestFactory

from backend.ratelimit import client_address
from tests.factories import PASSWORD

LIMIT = 10
WRONG = "salah-tebak"


def request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_directly_a_forged_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="10.1.1.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends $remote_addr to whatever the client sent.
    forged = request(remote="127.0.0.1", forwarded="10.1.1.1, 198.51.100.23")
    assert client_address(forged) == "198.51.100.23"
    assert client_address(request(remote="127.0.0.1", forwarded="198.51.100.24")) == (
        "198.51.100.24"
    )


@pytest.mark.parametrize("forwarded", [None, "", "bukan-alamat", " , "])
def test_behind_a_proxy_a_missing_or_broken_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(remote="127.0.0.1", forwarded=forwarded)) == "127.0.0.1"


def login(username, password=WRONG, **extra):
    return Client().post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_a_forged_header_does_not_dodge_the_address_lockout(settings, member):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(LIMIT):
        login(f"tebakan{n}", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    locked = login("dedi", PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert locked.status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_one_client_is_locked_and_the_others_are_not(settings, member):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXY_COUNT = 1
    via_nginx = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(LIMIT):
        login(f"tebakan{n}", HTTP_X_FORWARDED_FOR="198.51.100.23", **via_nginx)
    assert (
        login("dedi", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.23", **via_nginx).status_code
        == 429
    )
    assert (
        login("dedi", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.24", **via_nginx).status_code
        == 302
    )
