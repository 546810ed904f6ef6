"""Stored XSS in Chromium: pages with payload data, and payloads arriving over WebSocket.

Every payload sets `window.__xss` if it runs (tests/security/payloads.py); alert/confirm/
prompt/print are hooked to do the same and dialogs are recorded. A new live hearing with a
payload title gets an organization with a payload name and one published comment per
payload; the pages are loaded, then a moderator puts comments on the big screen through
the API while the screen is open, so the payloads reach screen.js over the socket.
"""

import json
import urllib.request

from tests.security.payloads import PAYLOADS

SEED = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.models import AuthToken
from accounts.models import Membership, Organization
from comments.models import Comment
from consultations.models import Consultation
from hearings.models import Hearing
payloads = json.loads({payloads!r})
consultation = Consultation.objects.filter(status="open").order_by("pk").first()
consultation.pk = None
consultation.title = payloads[0]
consultation.summary = payloads[1]
consultation.save()
organization = Organization.objects.create(
    name=payloads[2], acronym="XSS", registration_number="SKT-XSS-1",
    registration_expires_on="2030-01-01", status="verified", verified_at=timezone.now(),
)
user = get_user_model().objects.create_user("xss.wakil", password="demo12345")
Membership.objects.create(user=user, organization=organization, role="representative")
hearing = Hearing.objects.create(
    consultation=consultation, title=payloads[3], location=payloads[4],
    starts_at=timezone.now(), status="live", started_at=timezone.now(),
    display_key="kunci-layar-xss-e2e",
)
ids = [
    Comment.objects.create(
        consultation=consultation, hearing=hearing, author=user, organization=organization,
        stance="support", body=body, status="published",
    ).pk
    for body in payloads
]
token = AuthToken.objects.create(user=get_user_model().objects.get(username="moderator"))[1]
print(json.dumps({{"consultation": consultation.pk, "hearing": hearing.pk,
                  "key": hearing.display_key, "comments": ids, "token": token}}))
"""

HOOKS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss = 1; window.__dialogs.push(name); };
}
"""


def seed(demo_server) -> dict:
    result = demo_server.manage("shell", "-c", SEED.format(payloads=json.dumps(PAYLOADS)))
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_no_script_ran(page, where: str, dialogs: list):
    assert page.evaluate("window.__xss") is None, where
    assert page.evaluate("window.__dialogs.length") == 0, where
    assert not dialogs, where


def test_no_payload_runs_in_pages_or_over_the_websocket(demo_server, new_page, login):
    world = seed(demo_server)
    dialogs = []

    reader = new_page()
    reader.add_init_script(HOOKS)
    reader.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (
        "/",
        "/konsultasi/",
        f"/konsultasi/{world['consultation']}/",
        "/hearings/",
        f"/hearings/{world['hearing']}/",
    ):
        reader.goto(path)
        reader.wait_for_load_state("networkidle")
        assert_no_script_ran(reader, path, dialogs)
    assert PAYLOADS[0] in reader.inner_text("body") or PAYLOADS[3] in reader.inner_text("body")

    console = new_page()
    console.add_init_script(HOOKS)
    login(console, "moderator")
    console.goto(f"/hearings/{world['hearing']}/console/")
    console.wait_for_load_state("networkidle")
    assert_no_script_ran(console, "console", dialogs)

    screen = new_page(width=1920, height=1080)
    screen.add_init_script(HOOKS)
    screen.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    screen.goto(f"/hearings/{world['hearing']}/screen/?key={world['key']}")
    screen.wait_for_function("() => window.ruangScreen && window.ruangScreen.client")
    assert_no_script_ran(screen, "screen before events", dialogs)

    # Put every payload comment on the screen while it is open: they arrive over the socket.
    for comment in world["comments"]:
        request = urllib.request.Request(  # noqa: S310 - the local demo server
            f"{demo_server.url}/api/v1/hearings/{world['hearing']}/screen-comments/",
            data=json.dumps({"comment": comment}).encode(),
            method="POST",
            headers={
                "Authorization": f"Token {world['token']}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            assert response.status == 200
    last = PAYLOADS[-1]
    screen.wait_for_function(
        "text => document.querySelector('#screen-comments').innerText.includes(text)",
        arg=last,
        timeout=30_000,
    )
    screen.wait_for_timeout(500)
    assert_no_script_ran(screen, "screen after payload events", dialogs)
    assert_no_script_ran(console, "console after payload events", dialogs)
    assert screen.locator("#screen-comments img, #screen-comments script").count() == 0
