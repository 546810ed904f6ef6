"""The room's questions and the live-hearing pages in Chromium, on the demo hearing.

Three participants upvote a question: it rises to the top of the room and of the console,
and the moderator puts it on the big screen. The big screen keeps the current agenda item
in view at 1920×1080 and 1280×720 and its text is ≥ 28 px at 1080p in both themes; the
room and the console fit a 390 px phone; the feed is announced politely.
"""

import pytest

from tests.e2e.test_live_hearing_browser import demo_hearing

SHOTS = "/tmp/shots/h3"
BIG = {"width": 1920, "height": 1080}
SMALL = {"width": 1280, "height": 720}


def call(page, method: str, path: str, data=None):
    """The API as the page's signed-in user (session cookie + CSRF header)."""
    token = next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), "")
    response = page.request.fetch(
        path,
        method=method,
        data=data,
        headers={"X-CSRFToken": token, "Referer": page.url or "http://127.0.0.1/"},
    )
    return response


@pytest.fixture
def moderator(new_page, login):
    page = new_page(1366, 900)
    login(page, "moderator")
    return page


@pytest.fixture
def hearing(moderator):
    """The demo hearing, live, with no vote open."""
    hearing = demo_hearing(moderator)
    moderator.goto(f"/hearings/{hearing['id']}/console/")
    if hearing["status"] == "scheduled":
        assert call(moderator, "POST", f"/api/v1/hearings/{hearing['id']}/start/").ok
    call(moderator, "POST", f"/api/v1/hearings/{hearing['id']}/close-voting/")
    call(moderator, "POST", f"/api/v1/hearings/{hearing['id']}/screen/", {"mode": "live"})
    return demo_hearing(moderator)


def agenda_ids(moderator, hearing) -> list[int]:
    agenda = call(moderator, "GET", f"/api/v1/hearings/{hearing['id']}/agenda/").json()
    return [a["id"] for a in agenda["agenda"]]


def open_screen(new_page, hearing, viewport, theme="dark"):
    screen = new_page(**viewport)
    screen.goto(f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}&theme={theme}")
    return screen


CURRENT_IN_VIEW = """() => {
  const box = document.getElementById('upcoming');
  const current = box.querySelector('li.current');
  if (box.hidden || !current) return 'no current item in the agenda box';
  const b = box.getBoundingClientRect();
  for (const li of box.querySelectorAll('li')) {
    const r = li.getBoundingClientRect();
    if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.bottom > innerHeight) {
      return `clipped: "${li.textContent}" ${r.top}-${r.bottom}, box ${b.top}-${b.bottom}`;
    }
  }
  return 'ok';
}"""


@pytest.mark.parametrize("viewport", [BIG, SMALL], ids=["1920x1080", "1280x720"])
def test_the_big_screen_always_shows_the_current_agenda_item(
    new_page, moderator, hearing, viewport
):
    ids = agenda_ids(moderator, hearing)
    assert len(ids) >= 5, "the demo hearing has five agenda items"
    screen = open_screen(new_page, hearing, viewport)
    items = call(moderator, "GET", f"/api/v1/consultations/{hearing['consultation']}/items/")
    rows = items.json()
    item = (rows["results"] if isinstance(rows, dict) else rows)[0]["id"]

    def walk_the_agenda(situation):
        for position, agenda_id in enumerate(ids, start=1):
            path = f"/api/v1/hearings/{hearing['id']}/advance/"
            call(moderator, "POST", path, {"agenda_item": agenda_id})
            screen.wait_for_function(
                "() => document.getElementById('agenda-progress').textContent"
                f".startsWith('{position} ')"
            )
            assert screen.evaluate(CURRENT_IN_VIEW) == "ok", f"item {position}, {situation}"

    walk_the_agenda("nothing else on the stage")
    # A vote on the stage squeezes the box: the current item still shows, nothing is cut.
    path = f"/api/v1/hearings/{hearing['id']}/open-voting/"
    assert call(moderator, "POST", path, {"item": item}).ok
    screen.wait_for_selector("#vote:not([hidden])")
    walk_the_agenda("with a vote open")
    screen.screenshot(path=f"{SHOTS}/screen-{viewport['width']}x{viewport['height']}.png")
    call(moderator, "POST", f"/api/v1/hearings/{hearing['id']}/close-voting/")
    call(moderator, "POST", f"/api/v1/hearings/{hearing['id']}/advance/", {"agenda_item": ids[0]})


SMALLEST_TEXT = """() => {
  const small = [];
  for (const node of document.querySelectorAll('.frame *')) {
    const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || !node.getClientRects().length) continue;
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden' || node.closest('[hidden]')) continue;
    const size = parseFloat(style.fontSize);
    const text = node.textContent.trim().slice(0, 30);
    if (size < 28) small.push(`${node.tagName}#${node.id}.${node.className} ${size}px "${text}"`);
  }
  return small;
}"""


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_big_screen_text_is_at_least_28px_at_1080p(new_page, moderator, hearing, theme):
    screen = open_screen(new_page, hearing, BIG, theme)
    screen.wait_for_selector("#agenda-list li")

    assert screen.evaluate(SMALLEST_TEXT) == []
    screen.screenshot(path=f"{SHOTS}/screen-1920x1080-{theme}.png")


def ask_question(room, text: str) -> None:
    """With the keyboard only: choose the stance, type, send."""
    room.focus("#comment-stance")
    room.select_option("#comment-stance", "question")
    room.keyboard.press("Tab")
    room.keyboard.type(text)
    room.keyboard.press("Tab")
    if room.evaluate("document.activeElement.type") != "submit":
        room.focus("#comment-form button[type=submit]")
    room.keyboard.press("Enter")
    room.wait_for_function(
        "() => !document.getElementById('comment-body').value"
        " && document.getElementById('comment-status').textContent"
    )
    room.evaluate("document.getElementById('comment-status').textContent = ''")


def test_three_participants_upvote_a_question_to_the_top_and_the_moderator_shows_it(
    new_page, login, moderator, hearing
):
    asker = new_page(390, 844)
    login(asker, "pelita.anggota")
    asker.goto(f"/hearings/{hearing['id']}/")
    ask_question(asker, "Apakah forum ini disiarkan langsung untuk warga?")
    ask_question(asker, "Kapan rancangan perwal ditetapkan setelah forum ini?")
    question = asker.locator("#questions li", has_text="kapan rancangan perwal")
    question.wait_for()
    question_id = int(question.get_attribute("data-question-id"))
    assert question.locator(".upvote").is_disabled(), "nobody upvotes their own question"

    console = moderator
    console.goto(f"/hearings/{hearing['id']}/console/")
    console.wait_for_selector(f"#questions li[data-question-id='{question_id}']")

    for username in ("pelita", "fwpl", "ycp"):
        room = new_page(390, 844)
        login(room, username)
        room.goto(f"/hearings/{hearing['id']}/")
        button = room.locator(f"#questions [data-upvote='{question_id}']")
        if username == "pelita":  # one of them with the keyboard only
            button.focus()
            assert room.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            room.keyboard.press("Enter")
        else:
            button.click()
        room.wait_for_selector(f"#questions [data-upvote='{question_id}'][aria-pressed='true']")

    asker.wait_for_function(
        f"() => document.querySelector('#questions li').dataset.questionId === '{question_id}'"
    )
    assert asker.locator("#questions li .upvote").first.inner_text() == "▲ 3"
    console.wait_for_function(
        f"() => document.querySelector('#questions li').dataset.questionId === '{question_id}'"
    )
    asker.screenshot(path=f"{SHOTS}/room-questions-390.png", full_page=True)
    console.screenshot(path=f"{SHOTS}/console-questions-1366.png", full_page=True)

    screen = open_screen(new_page, hearing, BIG)
    console.click(f"[data-question-screen='{question_id}']")
    screen.wait_for_selector("#screen-question:not([hidden])")
    assert "perwal ditetapkan" in screen.inner_text("#question-body")
    screen.screenshot(path=f"{SHOTS}/screen-question-1920x1080.png")


@pytest.mark.parametrize("page_name", ["room", "console"])
def test_room_and_console_fit_a_390px_phone(new_page, login, hearing, page_name):
    page = new_page(390, 844)
    login(page, "moderator")
    path = f"/hearings/{hearing['id']}/" + ("console/" if page_name == "console" else "")
    page.goto(path)
    page.wait_for_selector("#status-pill")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page_name} is {width}px wide in a 390px view"
    page.screenshot(path=f"{SHOTS}/{page_name}-id-390.png", full_page=True)
    if page_name == "console":  # the agenda's arrow buttons keep clear of the titles
        overlaps = page.evaluate(
            """() => [...document.querySelectorAll('.agenda-steps .step')].filter((step) => {
              const button = step.querySelector('button');
              if (!button) return false;
              const title = step.querySelector('.step-title').getBoundingClientRect();
              return title.right + 8 > button.getBoundingClientRect().left;
            }).map((step) => step.textContent)"""
        )
        assert overlaps == []


def test_the_feed_announces_only_new_comments(new_page, login, hearing):
    room = new_page(1366, 900)
    login(room, "pelita")
    room.goto(f"/hearings/{hearing['id']}/")
    feed = room.locator("#feed")
    assert feed.get_attribute("aria-live") == "polite"
    assert room.locator("[aria-live='polite'] #feed, main[aria-live]").count() == 0
    # At least one comment is there before (the room may be empty when this test runs
    # first); only comments count: an empty room's "no comments yet" line rightly goes away.
    room.fill("#comment-body", "Terima kasih atas undangan forum ini.")
    room.click("#comment-form button[type=submit]")
    room.wait_for_selector("#feed li:has-text('undangan forum ini')")
    room.evaluate(
        "document.querySelectorAll('#feed li[data-comment-id]')"
        ".forEach((li) => (li.dataset.seen = '1'))"
    )
    before = room.locator("#feed li[data-seen]").count()
    assert before >= 1

    room.fill("#comment-body", "Mohon notulen forum dibagikan kepada peserta.")
    room.click("#comment-form button[type=submit]")
    room.wait_for_selector("#feed li:has-text('notulen forum')")

    assert room.locator("#feed li:has-text('notulen forum')").get_attribute("data-seen") is None
    assert room.locator("#feed li[data-seen]").count() == min(before, 49), (
        "the rest stays as it was"
    )


def test_the_console_lists_a_screen_that_connects_later_without_a_reload_in_english(
    new_page, moderator, hearing
):
    console = moderator
    console.goto("/")
    console.click("button:has-text('English'), a:has-text('English')")
    console.goto(f"/hearings/{hearing['id']}/console/")
    known = console.locator("#screens li[data-screen]").count()

    screen = new_page(**SMALL)
    screen.add_init_script("localStorage.setItem('ruang-screen-id', 'layar-baru01')")
    screen.goto(f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}")

    console.wait_for_selector("#screens li[data-screen='layar-baru01']", timeout=15_000)
    assert console.locator("#screens li[data-screen]").count() == known + 1
    text = console.inner_text("#screens li[data-screen='layar-baru01']")
    assert text.startswith("Screen baru01"), text
    assert "layar" not in text.lower()
    console.screenshot(path=f"{SHOTS}/console-en-1366.png", full_page=True)
    console.goto(f"/hearings/{hearing['id']}/")
    console.screenshot(path=f"{SHOTS}/room-en-1366.png", full_page=True)
    console.set_viewport_size({"width": 390, "height": 844})
    console.reload()
    assert console.evaluate("document.documentElement.scrollWidth") <= 390
    console.screenshot(path=f"{SHOTS}/room-en-390.png", full_page=True)
