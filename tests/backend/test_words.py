import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from backend import words


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2000, "dua ribu"),
        (2022, "dua ribu dua puluh dua"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (2_500_000_000, "dua miliar lima ratus juta"),
        (1_000_000_000_000, "satu triliun"),
        (-5, "minus lima"),
    ],
)
def test_numbers_are_spelled_the_way_official_documents_spell_them(number, text):
    assert words.number_in_words(number) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (
            datetime.date(2022, 12, 21),
            "Pada hari Rabu tanggal dua puluh satu bulan Desember tahun dua ribu dua puluh dua",
        ),
        (
            datetime.date(1945, 8, 17),
            "Pada hari Jumat tanggal tujuh belas bulan Agustus "
            "tahun seribu sembilan ratus empat puluh lima",
        ),
        (datetime.date(2000, 1, 1), "Pada hari Sabtu tanggal satu bulan Januari tahun dua ribu"),
        (
            datetime.date(2026, 11, 30),
            "Pada hari Senin tanggal tiga puluh bulan November tahun dua ribu dua puluh enam",
        ),
        (
            datetime.date(2024, 2, 29),
            "Pada hari Kamis tanggal dua puluh sembilan bulan Februari "
            "tahun dua ribu dua puluh empat",
        ),
    ],
)
def test_known_dates_are_written_out_with_the_right_weekday(day, text):
    assert words.date_in_words(day) == text


def test_an_aware_time_is_spelled_on_its_wib_date():
    late_utc = datetime.datetime(2022, 12, 20, 18, 30, tzinfo=datetime.UTC)  # 01.30 WIB next day
    assert words.date_in_words(late_utc).startswith("Pada hari Rabu tanggal dua puluh satu")
    assert words.time_text(late_utc) == "pukul 01.30 WIB"
    assert words.date_text(late_utc) == "21 Desember 2022"


def test_times_are_written_with_a_dot_and_wib():
    nine = datetime.datetime(2022, 12, 21, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert words.time_text(nine) == "pukul 09.00 WIB"
    assert words.time_in_words(nine) == "pukul sembilan WIB"
    assert (
        words.time_in_words(datetime.time(13, 30)) == "pukul tiga belas lewat tiga puluh menit WIB"
    )


def test_rupiah_uses_dots_for_thousands_and_a_comma_for_cents():
    assert words.rupiah(Decimal("1500000000")) == "Rp1.500.000.000,00"
    assert words.rupiah("2500.5") == "Rp2.500,50"
    assert words.rupiah(750000, cents=False) == "Rp750.000"
    assert words.rupiah(-1000) == "-Rp1.000,00"
    assert words.rupiah_in_words(Decimal("1500000000.00")) == "satu miliar lima ratus juta rupiah"
