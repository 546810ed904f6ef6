"""Accessibility, measured: axe-core finds no serious or critical WCAG 2.1 AA violation on
any page, opened by the persona who may see it (tests/e2e/tour.py)."""

import pytest

pytestmark = pytest.mark.xdist_group("page-tour")


def test_axe_finds_no_serious_violation_on_any_page(page_tour):
    found = [
        f"{v.route} ({v.url} as {v.persona}): {x['impact']} {x['id']}: {x['help']}"
        f" at {x['targets']} {x['html']}"
        for v in page_tour
        for x in v.violations
    ]
    assert found == [], "\n".join(found)


def test_the_tour_covered_the_pages(page_tour):
    assert len(page_tour) >= 40
