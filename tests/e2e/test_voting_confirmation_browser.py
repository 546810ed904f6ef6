"""A representative votes with the keyboard alone; the confirmation appears where they are
looking (in the item's panel, on screen, focused for screen readers) with a short receipt,
and the organisation's choice says so in words — on a phone and on a laptop (issue 17 §2,
§7)."""

import re

import pytest

POLICY = "Partisipasi Publik"
PANEL = ".vote-panel >> nth=-1"  # Pasal 5: no demo vote on it yet


def open_policy(page):
    if "/privasi/setuju/" in page.url:  # a changed privacy notice is agreed to first
        page.check("input[name=agree]")
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("networkidle")
    page.goto("/konsultasi/")
    page.get_by_role("link", name=re.compile(POLICY)).first.click()
    page.wait_for_load_state("networkidle")


def tab_to(page, locator, limit=500):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} cannot be reached with the Tab key")


def outcome_in_view(page):
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('[data-vote-outcome]')"
    )
    # Fully on screen once the (possibly smooth) scroll has ended.
    page.wait_for_function(
        """() => {
          const box = document.querySelector('[data-vote-outcome]').getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }"""
    )
    return page.locator("[data-vote-outcome]")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_a_keyboard_vote_is_confirmed_where_the_person_is_looking(new_page, login, width, height):
    page = new_page(width=width, height=height)
    login(page, "fwpl")
    open_policy(page)

    tab_to(page, page.locator(PANEL).locator("button[value='for']"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    outcome = outcome_in_view(page)
    text = outcome.inner_text()
    assert re.search(r"(tercatat|recorded)", text)
    short = outcome.locator("code.receipt").inner_text()
    assert re.fullmatch(r"[0-9A-F]{5}-[0-9A-F]{5}", short), short
    link = outcome.get_by_role("link").get_attribute("href")
    assert re.search(r"/tanda-terima/\?receipt=[0-9a-f]{64}$", link), link
    chosen = page.locator(PANEL).locator("button[aria-pressed='true']")
    assert re.search("Pilihan organisasi Anda|Your organization's choice", chosen.inner_text())

    # Change the vote with the space bar, then withdraw it, still from the keyboard.
    tab_to(page, page.locator(PANEL).locator("button[value='against']"))
    page.keyboard.press("Space")
    page.wait_for_load_state("networkidle")
    outcome_in_view(page)
    chosen = page.locator(PANEL).locator("button[aria-pressed='true']")
    assert chosen.get_attribute("value") == "against"

    tab_to(page, page.locator(PANEL).locator("button[name='withdraw']"))
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert re.search(r"(ditarik|withdrawn)", outcome_in_view(page).inner_text())
    assert page.locator(PANEL).locator("button[aria-pressed='true']").count() == 0
