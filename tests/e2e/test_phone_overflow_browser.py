"""Every page fits a phone: at 390×844 no page is wider than the screen (issue 17)."""

import pytest

from tests.e2e.tour import unclassified_routes

pytestmark = pytest.mark.xdist_group("page-tour")


def test_every_route_is_in_the_tour():
    assert unclassified_routes() == [], "add the route to PAGES or NOT_PAGES in tests/e2e/tour.py"


def test_every_page_opens_for_its_persona(page_tour):
    failed = [
        f"{v.route} as {v.persona}: {v.url} → {v.status} {v.final_url}"
        for v in page_tour
        if v.status != 200
    ]
    assert failed == []


def test_no_page_is_wider_than_a_phone(page_tour):
    wide = [
        f"{v.route} as {v.persona}: {v.url} is {v.scroll_width} px wide"
        for v in page_tour
        if v.overflows
    ]
    assert wide == []


FILTER = """() => {
  const box = (s) => document.querySelector(s).getBoundingClientRect();
  const form = box("form.filters"), label = box("label[for=queue-consultation]");
  const select = box("#queue-consultation"), button = box("form.filters button");
  return {form, label, select, button};
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_moderation_filter_lines_up_and_shows_its_whole_choice(new_page, login, width):
    """Once the label, the dropdown and the button sat on one crooked line and the dropdown
    was cut to "Semua konsult…"."""
    page = login(new_page(width=width, height=844), "moderator")
    page.goto("/moderasi/")
    boxes = page.evaluate(FILTER)
    label, select, button = boxes["label"], boxes["select"], boxes["button"]
    assert abs(label["left"] - select["left"]) < 1 and label["bottom"] <= select["top"] + 1
    assert select["width"] >= 300, "the dropdown is too narrow for its longest choice"
    if width == 390:
        assert button["top"] >= select["bottom"], "on a phone the button goes under it"
    else:
        assert abs(button["bottom"] - select["bottom"]) < 4, "the button sits on the same line"
