"""Browser tests: a real Daphne server with the demo data, driven by Playwright + Debian chromium.

The server runs in a subprocess on its own fresh database (a temporary SQLite
file, or a throwaway PostgreSQL database when DATABASE_URL is set), loaded by
`manage.py load_demo`, so tests act as the README's demo users would.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_E2E
from tests.e2e.tour import take_tour
from tests.faults.processes import free_port, postgres_database, start, stop

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_PASSWORD = "demo12345"


def pytest_collection_modifyitems(config, items):
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright not installed"
    for item in items:
        if "tests/e2e/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.e2e)
        if missing:
            if REQUIRE_E2E:
                item.add_marker(pytest.mark.xfail(reason=missing, strict=True, run=False))
            else:
                item.add_marker(pytest.mark.skip(reason=missing))


class DemoServer:
    """A Daphne process serving the demo; `restart()` kills and starts it again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.mkdtemp(prefix="ruang-e2e-")
        self.env = {
            **os.environ,
            "RUANG_VAR_DIR": self.tmp,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.database = contextlib.ExitStack()
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            self.env["DATABASE_URL"] = self.database.enter_context(postgres_database())
        self.process = None
        self.log = Path(self.tmp) / "server.log"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self) -> None:
        self.process = start(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "backend.asgi:application",
            ],
            self.env,
            self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError("demo server did not start: " + self.log_text())

    def stop(self) -> None:
        if self.process:
            stop(self.process, sig=signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def close(self) -> None:
        self.stop()
        self.database.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_server():
    server = DemoServer()
    try:
        server.manage("migrate", "--noinput")
        server.manage("load_demo")
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


# Every page reports what the Content-Security-Policy blocked (an inline script, a style
# attribute, a foreign connection) as a console error the test can read. Playwright injects
# this itself, so the policy does not apply to it. Give `wait_for_function` an arrow function
# ("() => …"): a bare expression is eval'ed inside the page, which the policy refuses.
CSP_RECORDER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || location.pathname}:${event.lineNumber}`);
});
"""


@pytest.fixture
def csp_violations():
    """What the Content-Security-Policy blocked on the pages of this test (new_page fills it)."""
    return []


@pytest.fixture
def new_page(browser, demo_server, csp_violations):
    """new_page(viewport=…) -> a fresh page in its own context; closed after the test.

    A test whose pages hit the Content-Security-Policy fails: the policy is enforcing, so
    whatever it blocked did not work for a real visitor either.
    """
    contexts = []

    def record(message):
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def make(width: int = 390, height: int = 844, locale: str = "id-ID"):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            base_url=demo_server.url,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_RECORDER)
        context.on("console", record)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def login(demo_server):
    """login(page, username) signs a page in through the real login form."""

    def do(page, username: str, password: str = DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do


@pytest.fixture(scope="session")
def page_tour(browser, demo_server):
    """Every HTML page visited once on a phone by its persona (tests/e2e/tour.py)."""
    return take_tour(browser, demo_server, DEMO_PASSWORD)


@pytest.fixture(scope="session")
def page_tour_english(browser, demo_server):
    """The same tour with the site switched to English (longer words, other layouts)."""
    return take_tour(browser, demo_server, DEMO_PASSWORD, language="en")
