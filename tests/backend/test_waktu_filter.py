"""Every page shows a moment one way: |waktu (long) and |waktu_singkat (short), in WIB."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

# 09.15.07 UTC is 16.15.07 WIB.
MOMENT = datetime.datetime(2026, 12, 6, 9, 15, 7, tzinfo=datetime.UTC)


def render(source: str, language: str = "id", **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_long_form_is_the_indonesian_convention_in_wib():
    assert render("{{ t|waktu }}", t=MOMENT) == "6 Desember 2026, 16.15 WIB"


def test_short_form_abbreviates_the_month_and_leaves_out_the_zone():
    assert render("{{ t|waktu_singkat }}", t=MOMENT) == "6 Des 2026 16.15"


def test_english_pages_use_english_month_names_and_a_colon():
    assert render("{{ t|waktu }}", "en", t=MOMENT) == "6 December 2026, 16:15 WIB"
    assert render("{{ t|waktu_singkat }}", "en", t=MOMENT) == "6 Dec 2026 16:15"


def test_seconds_and_date_only_variants():
    assert render('{{ t|waktu:"detik" }}', t=MOMENT) == "6 Desember 2026, 16.15.07 WIB"
    assert render('{{ t|waktu:"tanggal" }}', t=MOMENT) == "6 Desember 2026"
    assert render('{{ t|waktu_singkat:"tanggal" }}', t=MOMENT) == "6 Des 2026"


def test_letters_name_the_weekday_and_give_the_time_apart():
    assert render('{{ t|waktu:"hari" }}', t=MOMENT) == "Minggu, 6 Desember 2026"
    assert render('{{ t|waktu:"hari" }}', "en", t=MOMENT) == "Sunday, 6 December 2026"
    assert render('{{ t|waktu:"jam" }}', t=MOMENT) == "16.15 WIB"
    assert render('{{ t|waktu:"jam" }}', "en", t=MOMENT) == "16:15 WIB"


def test_a_date_without_a_time_shows_only_the_date():
    assert render("{{ d|waktu }}", d=datetime.date(2031, 1, 2)) == "2 Januari 2031"
    assert render("{{ d|waktu_singkat }}", "en", d=datetime.date(2031, 1, 2)) == "2 Jan 2031"


def test_a_moment_in_another_zone_is_shown_in_wib():
    wita = datetime.timezone(datetime.timedelta(hours=8))
    assert render("{{ t|waktu }}", t=MOMENT.astimezone(wita)) == "6 Desember 2026, 16.15 WIB"


@pytest.mark.parametrize("value", [None, "", "not a date", 0])
def test_nothing_to_show_renders_empty(value):
    assert render("{{ t|waktu }}{{ t|waktu_singkat }}", t=value) == ""


def test_the_filter_is_a_builtin_and_also_loadable():
    assert render("{% load waktu %}{{ t|waktu_singkat }}", t=MOMENT) == "6 Des 2026 16.15"


def test_no_page_template_formats_dates_itself():
    """Templates use |waktu; |date is allowed only for machine-readable datetime="…", and
    |time not at all."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in [*root.glob("*/templates/**/*.html"), *root.glob("*/templates/**/*.txt")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in re.finditer(r"\|(?:date|time):(['\"])(.*?)\1", line):
                if match.group(2) not in ("c", "U"):
                    offenders.append(f"{path.relative_to(root)}:{number}: {match.group(0)}")
    assert offenders == []
