"""The demo's Musrenbang forum on the big screen: the chair starts it and moves to the
proposal on the agenda; a citizen takes back and gives again her support on the proposal's
page, and the screen's count follows each time without a reload; the chair's score from the
console changes the screen's total."""

import os

import pytest

from demo.aspirations import FORUM_TITLE

SCREEN = {"width": 1920, "height": 1080}
SHOTS = os.environ.get("FORUM_SCREENSHOTS", "")  # a directory: save the pictures there too


def forum_hearing(page) -> dict:
    hearings = page.request.get("/api/v1/hearings/?page_size=200").json()["results"]
    return next(h for h in hearings if h["title"] == FORUM_TITLE)


def in_english(page, server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": server.url}])
    return page


def citizens_on_screen(screen) -> int:
    return int(screen.inner_text("#forum-citizens"))


@pytest.fixture
def chair(new_page, login):
    page = new_page(**SCREEN)
    login(page, "camat.panggungrejo")
    return page


def test_the_big_screen_follows_the_supports_of_the_proposal_under_discussion(
    demo_server, new_page, login, chair
):
    hearing = forum_hearing(chair)
    chair.goto(f"/hearings/{hearing['id']}/console/")
    if hearing["status"] == "scheduled":
        chair.click("#start")
    screen = new_page(**SCREEN)
    screen.goto(f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}")
    screen.wait_for_selector("body.status-live")
    screen.evaluate("window.notReloaded = true")
    assert screen.is_hidden("#forum-proposal"), "the opening item is not a proposal"

    chair.click("#advance")  # the proposal: Pompa air dan pintu air … Mandaranrejo
    screen.wait_for_selector("#forum-proposal:not([hidden])")
    assert "Pompa air" in screen.text_content("#forum-title")
    assert "Mandaranrejo, Panggungrejo" in screen.inner_text("#forum-where")
    assert "850.000.000" in screen.inner_text("#forum-cost")
    assert screen.inner_text("#forum-score-total") == "14"  # the kecamatan's 5 + 5 + 4
    chair.wait_for_selector("#forum-proposal:not([hidden])")
    before = citizens_on_screen(screen)
    aspiration = screen.get_attribute("#forum-proposal", "data-aspiration")

    citizen = new_page(390, 844)
    login(citizen, "warga")
    citizen.goto(f"/aspirasi/{aspiration}/")
    citizen.click("button:has-text('Tarik dukungan')")
    screen.wait_for_selector(f"#forum-citizens[data-count='{before - 1}']")
    citizen.click("button:has-text('Dukung usulan ini')")
    screen.wait_for_selector(f"#forum-citizens[data-count='{before}']")
    assert screen.evaluate("window.notReloaded") is True
    chair.wait_for_selector(f"#forum-citizens[data-count='{before}']")

    # The chair (the kecamatan's official) scores from the console; the screen follows.
    chair.select_option("#forum-score-form select >> nth=0", "2")
    chair.click("#forum-score-form button[type=submit]")
    screen.wait_for_function(
        "() => document.getElementById('forum-score-total').textContent === '11'"
    )
    chair.wait_for_selector("#forum-score-status:has-text('Tersimpan')")

    if SHOTS:
        screen.wait_for_timeout(1500)  # the highlight fades
        screen.screenshot(path=f"{SHOTS}/forum_screen_id.png")
        chair.locator("#forum-proposal").screenshot(path=f"{SHOTS}/forum_console_id.png")
        room = new_page(390, 844)
        room.goto(f"/hearings/{hearing['id']}/")
        room.wait_for_selector("#forum-proposal:not([hidden])")
        room.locator("#forum-proposal").screenshot(path=f"{SHOTS}/forum_room_id.png")
        english = in_english(new_page(**SCREEN, locale="en-US"), demo_server)
        english.goto(f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}")
        english.wait_for_selector("#forum-proposal:not([hidden])")
        english.screenshot(path=f"{SHOTS}/forum_screen_en.png")
        english_room = in_english(new_page(390, 844, locale="en-US"), demo_server)
        english_room.goto(f"/hearings/{hearing['id']}/")
        english_room.wait_for_selector("#forum-proposal:not([hidden])")
        english_room.locator("#forum-proposal").screenshot(path=f"{SHOTS}/forum_room_en.png")
