"""Accessibility, measured: axe-core finds no serious or critical WCAG 2.1 AA violation on
any page, opened by the persona who may see it (tests/e2e/tour.py)."""

import pytest

pytestmark = pytest.mark.xdist_group("page-tour")


def serious_violations(tour) -> list[str]:
    return [
        f"{v.route} ({v.url} as {v.persona}): {x['impact']} {x['id']}: {x['help']}"
        f" at {x['targets']} {x['html']}"
        for v in tour
        for x in v.violations
    ]


def test_axe_finds_no_serious_violation_on_any_page(page_tour):
    found = serious_violations(page_tour)
    assert found == [], "\n".join(found)


def test_axe_finds_no_serious_violation_on_any_page_in_english(page_tour_english):
    found = serious_violations(page_tour_english)
    assert found == [], "\n".join(found)
    assert {v.status for v in page_tour_english} == {200}


def test_the_tour_covered_the_pages(page_tour):
    assert len(page_tour) >= 40
