"""The enforcing Content-Security-Policy in Chromium: the main pages of the demo load their
styles and scripts and report no violation, and an injected inline handler is blocked.

Each persona opens the page they use: a visitor the home page, the consultation and a
comment thread; pelita the vote panels and the hearing room; the moderator the console and
the big screen; the planner the dashboard, the minutes and the final report; anyone the API
docs. `new_page` records every violation (tests/e2e/conftest.py).
"""

from demo.hearings import HEARING_TITLE

POLICY = "Partisipasi Publik dalam Penyusunan Kebijakan"
WIDE = {"width": 1366, "height": 900}

STYLES_LOADED = """() => {
  const links = [...document.querySelectorAll('link[rel=stylesheet]')];
  return links.length > 0 && links.every((link) => link.sheet && link.sheet.cssRules.length > 0);
}"""


def consultation_id(page, needle: str) -> int:
    rows = page.request.get("/api/v1/consultations/?page_size=100").json()["results"]
    return next(row["id"] for row in rows if needle in row["title"])


def demo_hearing(page) -> dict:
    hearings = page.request.get("/api/v1/hearings/?page_size=200").json()["results"]
    return next(h for h in hearings if h["title"] == HEARING_TITLE)


def visit(page, path: str, csp_violations: list, ready: str = "main") -> None:
    response = page.goto(path)
    assert response.ok, f"{path}: {response.status}"
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(STYLES_LOADED), f"{path}: a stylesheet did not load"
    assert csp_violations == [], path


def test_a_visitor_s_pages_run_under_the_policy(new_page, csp_violations):
    page = new_page(**WIDE)
    policy = consultation_id(page, POLICY)
    visit(page, "/", csp_violations)
    visit(page, f"/konsultasi/{policy}/", csp_violations)
    page.locator("#pasal-3 a.thread-link").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(STYLES_LOADED)
    assert csp_violations == [], page.url


def test_pelita_s_vote_panels_and_hearing_room_run_under_the_policy(
    new_page, login, csp_violations
):
    page = login(new_page(), "pelita")
    policy = consultation_id(page, POLICY)
    visit(page, f"/konsultasi/{policy}/", csp_violations, ready=".vote-panel .tally-bar rect")
    bar = page.locator(".vote-panel .tally-bar").first.bounding_box()
    assert bar and bar["width"] > 100 and 8 <= bar["height"] <= 16, "the tally bar is styled"
    hearing = demo_hearing(page)
    visit(page, f"/hearings/{hearing['id']}/", csp_violations)
    page.wait_for_selector("#status-badge", state="hidden")  # the socket is live
    assert csp_violations == []


def test_the_moderator_s_console_and_big_screen_run_under_the_policy(
    new_page, login, csp_violations
):
    console = login(new_page(**WIDE), "moderator")
    hearing = demo_hearing(console)
    visit(console, f"/hearings/{hearing['id']}/console/", csp_violations)
    screen = new_page(1920, 1080)
    visit(
        screen,
        f"/hearings/{hearing['id']}/screen/?key={hearing['display_key']}",
        csp_violations,
        ready="#frame",
    )
    screen.wait_for_function("() => window.ruangScreen && window.ruangScreen.client.lastSeq >= 0")
    qr = screen.locator("#qr")
    qr.wait_for()
    assert screen.evaluate("document.getElementById('qr').naturalWidth") > 0
    assert csp_violations == []


def test_the_planner_s_dashboard_and_reports_run_under_the_policy(new_page, login, csp_violations):
    page = login(new_page(**WIDE), "planner")
    policy = consultation_id(page, POLICY)
    visit(page, f"/konsultasi/{policy}/dasbor/", csp_violations, ready="#dashboard")
    hearing = demo_hearing(page)
    visit(page, f"/hearings/{hearing['id']}/minutes/", csp_violations, ready="[data-print]")
    # The print button is wired by reports/print.js, not an onclick attribute.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-print]")
    assert page.evaluate("window.printed") is True
    visit(page, f"/konsultasi/{policy}/laporan-akhir/", csp_violations, ready="[data-print]")


def test_the_api_docs_run_under_the_policy(new_page, csp_violations):
    page = new_page(**WIDE)
    visit(page, "/api/docs/", csp_violations, ready=".swagger-ui .info .title")
    assert "Ruang Dialog API" in page.inner_text(".swagger-ui .info .title")
    assert csp_violations == []


def test_an_injected_inline_handler_and_style_are_blocked(new_page, csp_violations):
    """What an XSS would do if escaping ever failed: the policy stops it in the browser."""
    page = new_page()
    page.goto("/")
    page.evaluate(
        """document.body.insertAdjacentHTML('beforeend',
             '<img src="/tidak-ada.png" onerror="window.ran = true">'
             + '<p style="color: red" id="styled">x</p>')"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran") is None
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != (
        "rgb(255, 0, 0)"
    )
    assert any("script-src" in v for v in csp_violations)
    assert any("style-src" in v for v in csp_violations)
    csp_violations.clear()  # expected here; every other test must have none


def test_the_admin_runs_under_the_policy(new_page, login, csp_violations):
    """Django's admin keeps its scripts in files too (calendar, filters, prepopulated slugs)."""
    page = login(new_page(**WIDE), "admin")
    visit(page, "/admin/", csp_violations, ready="#content")
    visit(page, "/admin/consultations/consultation/", csp_violations, ready="#changelist")
    visit(page, "/admin/consultations/consultation/add/", csp_violations, ready="form")
