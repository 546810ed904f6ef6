"""Rate limits hold across worker processes: the counters live in Redis (API throttles) and
in the database (the sign-in lockout), not in a worker.

Two gunicorn processes (one worker each, two ports) share one database and one Redis.
Failed sign-ins and token requests alternate between them; the limit is reached after
the same total number of attempts as with one process, and then both refuse.
"""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.faults.processes import base_env, free_port, gunicorn, manage, stop, throwaway_database

pytestmark = [pytest.mark.redis]


class Browser:
    """A tiny cookie-keeping HTTP client on the standard library."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url: str, data: dict | None = None, *, json_body=False, headers=None):
        body = None
        headers = dict(headers or {})
        if data is not None:
            if json_body:
                body = json.dumps(data).encode()
                headers["Content-Type"] = "application/json"
            else:
                body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http only
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_workers(tmp_path, settings):
    from django.conf import settings as django_settings

    env = base_env(tmp_path, REDIS_URL=django_settings.REDIS_URL)
    with throwaway_database(tmp_path, env):
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_user('dedi', password='sandi-benar-123')",
        )
        # Start from clean counters in this test's Redis database.
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
        ports = [free_port(), free_port()]
        workers = [gunicorn(port, env, tmp_path / f"gunicorn-{port}.log") for port in ports]
        try:
            yield [f"http://127.0.0.1:{port}" for port in ports]
        finally:
            for worker in workers:
                stop(worker)


def login(browser: Browser, base: str, password: str) -> int:
    status, page = browser.request(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _ = browser.request(
        f"{base}/accounts/login/",
        {"username": "dedi", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    return status


def test_login_lock_counts_failures_on_both_workers_together(two_workers):
    """The lockout (django-axes) counts in the database, which both workers share."""
    from django.conf import settings

    limit = settings.AXES_FAILURE_LIMIT
    first, second = two_workers
    browser = Browser()
    codes = [login(browser, (first, second)[n % 2], "tebakan-salah") for n in range(limit - 1)]
    assert codes == [200] * (limit - 1)  # each worker saw only half of the failures
    assert login(browser, first, "tebakan-salah") == 429  # the one that reaches the limit
    assert login(browser, first, "sandi-benar-123") == 429
    assert login(browser, second, "sandi-benar-123") == 429


def test_api_token_throttle_counts_on_both_workers_together(two_workers):
    first, second = two_workers
    browser = Browser()
    codes = [
        browser.request(
            f"{(first, second)[n % 2]}/api/v1/auth/token/",
            {"username": "dedi", "password": "sandi-benar-123"},
            json_body=True,
        )[0]
        for n in range(21)
    ]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
