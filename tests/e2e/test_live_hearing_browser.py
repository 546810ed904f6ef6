"""Two browser pages, the big screen and the moderator console, on the demo hearing.

Approving a comment for the screen and opening a vote change the screen without a reload;
restarting the server mid-test leaves the screen with every event exactly once.
"""

import pytest

from consultations.demo_hearings import HEARING_TITLE

SCREEN = {"width": 1920, "height": 1080}
LONG = 45_000  # a restart plus the client's back-off


def demo_hearing(page) -> dict:
    hearings = page.request.get("/api/v1/hearings/?page_size=200").json()["results"]
    return next(h for h in hearings if h["title"] == HEARING_TITLE)


def event_seqs(page) -> list[int]:
    return page.eval_on_selector_all("#event-log li", "els => els.map(e => Number(e.dataset.seq))")


def post_comment(room, body: str) -> None:
    room.fill("#comment-body", body)
    room.click("#comment-form button[type=submit]")
    room.wait_for_function("document.getElementById('comment-status').textContent.length > 0")


@pytest.fixture
def console(new_page, login):
    page = new_page(**SCREEN)
    login(page, "moderator")
    return page


def test_screen_follows_the_console_live_and_survives_a_server_restart(
    demo_server, new_page, login, console
):
    hearing = demo_hearing(console)
    assert hearing["display_key"], "the moderator sees the display key"
    screen = new_page(**SCREEN)
    screen.goto(f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}")
    first_seq = screen.evaluate("window.ruangScreen.client.lastSeq")
    screen.evaluate("window.notReloaded = true")

    console.goto(f"/hearings/{hearing['id']}/console/")
    if hearing["status"] == "scheduled":
        console.click("#start")
    screen.wait_for_selector("body.status-live")

    room = new_page(390, 844)
    login(room, "pelita")
    room.goto(f"/hearings/{hearing['id']}/")
    post_comment(room, "Mohon jadwal forum diumumkan 14 hari sebelumnya.")

    # The comment reaches the console live; approving it (keyboard) puts it on the screen.
    console.wait_for_selector("#pending-comments li[data-comment-id]:has-text('14 hari')")
    console.click("#pending-comments li:has-text('14 hari')")
    console.keyboard.press("a")
    screen.wait_for_selector("#screen-comments li:has-text('14 hari')")
    assert "LSM Pelita Pasuruan" in screen.inner_text("#screen-comments")

    # Opening a vote shows the tally bars on the screen.
    console.click("#open-voting")
    screen.wait_for_selector("#vote:not([hidden]) .bar[data-choice='for']")

    demo_server.restart()

    # After the restart the console still works and the screen catches up by itself.
    post_comment(room, "Sediakan juru bahasa isyarat di setiap forum.")
    console.wait_for_selector("#pending-comments li:has-text('bahasa isyarat')", timeout=LONG)
    console.click("#pending-comments li:has-text('bahasa isyarat')")
    console.keyboard.press("a")
    console.click("#close-voting")
    screen.wait_for_selector("#screen-comments li:has-text('bahasa isyarat')", timeout=LONG)
    screen.wait_for_selector("#vote.closed", timeout=LONG)

    replay = console.request.get(
        f"/api/v1/hearings/{hearing['id']}/events/?after={first_seq}&limit=1000"
    ).json()
    expected = [event["seq"] for event in replay["events"]]
    screen.wait_for_function(
        f"document.querySelectorAll('#event-log li').length >= {len(expected)}", timeout=LONG
    )
    seqs = event_seqs(screen)
    assert seqs == expected, "every event exactly once, in order"
    assert len(set(seqs)) == len(seqs)
    assert screen.evaluate("window.notReloaded") is True
    screen.wait_for_selector("#status-badge", state="hidden", timeout=LONG)


def test_wrong_display_key_shows_a_friendly_page(new_page, console):
    hearing = demo_hearing(console)
    page = new_page(**SCREEN)
    response = page.goto(f"/hearings/{hearing['id']}/screen/?key=salah")
    assert response.status == 403
    assert "moderator" in page.inner_text("main").lower()
