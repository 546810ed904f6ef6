"""The site header looks the same on every page: page styles (a tally bar is also a "bar")
must not squash the brand bar into a thin grey strip (issue 17)."""

import pytest
from playwright.sync_api import expect

# (persona, path) of the pages whose own stylesheets once reached the header.
PAGES = [
    ("planner", "/konsultasi/{policy}/dasbor/"),
    ("planner", "/konsultasi/{concluded}/laporan-akhir/"),
    ("planner", "/hearings/{hearing}/minutes/"),
    ("pelita", "/hearings/{hearing}/"),
    ("moderator", "/hearings/{hearing}/console/"),
    ("anonymous", "/"),
]
IDS = {"policy": 1, "concluded": 3, "hearing": 1}  # the demo's load order (demo/content.py)

HEADER = """() => {
  const bar = document.querySelector("header.site .site-bar");
  const brand = bar.querySelector(".brand");
  const lang = bar.querySelector(".lang button");
  const box = (e) => e.getBoundingClientRect();
  return {
    height: box(bar).height,
    background: getComputedStyle(document.querySelector("header.site")).backgroundColor,
    brandHeight: box(brand).height,
    brandVisible: box(brand).width > 0 && getComputedStyle(brand).visibility === "visible",
    langInside: box(lang).bottom <= box(bar).bottom + 1 && box(lang).top >= box(bar).top - 1,
    barBackground: getComputedStyle(bar).backgroundColor,
  };
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_brand_bar_keeps_its_height_and_colour_on_every_page(new_page, login, width):
    reference = None
    signed_in = None
    page = None
    for persona, path in PAGES:
        if persona != signed_in:
            page = new_page(width=width, height=900)
            if persona != "anonymous":
                login(page, persona)
            signed_in = persona
        page.goto(path.format(**IDS))
        expect(page.locator("header.site .brand")).to_be_visible()
        header = page.evaluate(HEADER)
        assert header["height"] >= 44, f"{path}: the brand bar is {header['height']} px high"
        assert header["brandHeight"] >= 44, path
        assert header["brandVisible"] and header["langInside"], path
        assert header["barBackground"] in ("rgba(0, 0, 0, 0)", header["background"]), path
        assert header["background"] == "rgb(11, 94, 85)", (
            f"{path}: header is {header['background']}"
        )
        reference = reference or header["height"]
        assert abs(header["height"] - reference) < 1, f"{path}: {header['height']} ≠ {reference}"


def test_a_moderator_sees_each_menu_entry_once_and_the_header_fits_two_rows_on_a_phone(
    new_page, login
):
    page = login(new_page(width=390, height=844), "moderator")
    page.goto("/komentar/saya/")
    nav = page.locator("nav.main-nav")
    for path in ("/komentar/saya/", "/moderasi/"):
        expect(page.locator(f'a[href="{path}"]')).to_have_count(1)
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("link", name="Komentar saya", exact=True)).to_be_visible()
    page.locator(".account-menu summary").click()
    assert nav.bounding_box()["height"] <= 2 * 46, "the menu wraps to more than two rows"


def test_a_planner_finds_the_dashboards_in_the_menu(new_page, login):
    page = login(new_page(width=390, height=844), "planner")
    page.goto("/")
    page.locator("nav.main-nav").get_by_role("link", name="Dasbor").click()
    expect(page.locator("h1")).to_have_text("Dasbor perencana")
    page.get_by_role(
        "link", name="Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi"
    ).first.click()
    expect(page.locator(".eyebrow").first).to_contain_text("Dasbor perencana")
