"""A demo representative votes, changes the vote and sees the tally move — in a real browser."""

import re

POLICY = "Partisipasi Publik"


def open_policy(page):
    page.goto("/")
    page.get_by_role("link", name=re.compile(POLICY)).first.click()
    page.wait_for_load_state("networkidle")


def test_representative_votes_changes_and_sees_the_tally_move(new_page, login):
    page = new_page()
    login(page, "pelita")
    open_policy(page)
    panel = page.locator(".vote-panel").last  # Pasal 5: no demo vote on it yet
    figure = panel.locator(".tally-figure[data-choice='for']")
    before = figure.inner_text()

    panel.get_by_role("button", name=re.compile("^(Setuju|For)$")).click()
    page.wait_for_load_state("networkidle")
    panel = page.locator(".vote-panel").last
    pressed = panel.locator("button[aria-pressed='true']")
    # The pressed button also says, in words, that it is the organisation's choice.
    assert re.match(r"^(Setuju|For)\b", pressed.inner_text())
    assert re.search("Pilihan organisasi Anda|Your organization's choice", pressed.inner_text())
    after_for = panel.locator(".tally-figure[data-choice='for']").inner_text()
    assert after_for != before
    assert panel.locator("code.receipt").inner_text()

    panel.get_by_role("button", name=re.compile("^(Tidak setuju|Against)$")).click()
    page.wait_for_load_state("networkidle")
    panel = page.locator(".vote-panel").last
    assert panel.locator(".tally-figure[data-choice='for']").inner_text() == before
    against = panel.locator(".tally-figure[data-choice='against']").inner_text()
    assert against.startswith("1")
