"""Indonesian numbers, dates, times and Rupiah as official documents write them.

A Berita Acara spells the day out ("Pada hari Rabu tanggal dua puluh satu bulan
Desember tahun dua ribu dua puluh dua") so the date cannot be altered by hand;
these helpers produce that wording. They do not depend on the active language:
official minutes are always in Indonesian.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

_UNITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
_SCALES = (
    (10**12, "triliun"),
    (10**9, "miliar"),
    (10**6, "juta"),
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_UNITS[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_UNITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_UNITS[tens], "puluh"]
        if ones:
            words.append(_UNITS[ones])
    return words


def _words(n: int) -> list[str]:
    words: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            count, n = divmod(n, scale)
            words += _words(count) + [name]
    if n >= 1000:
        thousands, n = divmod(n, 1000)
        words += ["seribu"] if thousands == 1 else _below_thousand(thousands) + ["ribu"]
    if n:
        words += _below_thousand(n)
    return words


def number_in_words(n: int) -> str:
    """2022 -> "dua ribu dua puluh dua"; 11 -> "sebelas"; 1000 -> "seribu"."""
    n = int(n)
    if n < 0:
        return "minus " + number_in_words(-n)
    if n == 0:
        return "nol"
    if n >= 10**15:
        raise ValueError("number too large to spell")
    return " ".join(_words(n))


def local(moment: datetime.datetime) -> datetime.datetime:
    """An aware time shown in WIB; naive times are taken as already WIB."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=WIB)
    return moment.astimezone(WIB)


def day_name(day: datetime.date) -> str:
    return DAYS[day.weekday()]


def month_name(day: datetime.date) -> str:
    return MONTHS[day.month - 1]


def date_text(day: datetime.date) -> str:
    """21 Desember 2022."""
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return f"{day.day} {month_name(day)} {day.year}"


def date_in_words(day: datetime.date) -> str:
    """ "Pada hari Rabu tanggal dua puluh satu bulan Desember tahun dua ribu dua puluh dua"."""
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return (
        f"Pada hari {day_name(day)} tanggal {number_in_words(day.day)} "
        f"bulan {month_name(day)} tahun {number_in_words(day.year)}"
    )


def time_text(moment: datetime.datetime | datetime.time) -> str:
    """ "pukul 09.00 WIB" (Indonesian writes the time with a dot)."""
    if isinstance(moment, datetime.datetime):
        moment = local(moment).time()
    return f"pukul {moment.hour:02d}.{moment.minute:02d} WIB"


def time_in_words(moment: datetime.datetime | datetime.time) -> str:
    """ "pukul sembilan lewat tiga puluh menit WIB"; whole hours drop the minutes."""
    if isinstance(moment, datetime.datetime):
        moment = local(moment).time()
    text = f"pukul {number_in_words(moment.hour)}"
    if moment.minute:
        text += f" lewat {number_in_words(moment.minute)} menit"
    return text + " WIB"


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def rupiah(amount, *, cents: bool = True) -> str:
    """Decimal("1500000000") -> "Rp1.500.000.000,00" (dot thousands, comma decimals)."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    fraction = int((value - whole) * 100)
    text = f"{sign}Rp{_grouped(whole)}"
    if cents:
        text += f",{fraction:02d}"
    return text


def rupiah_in_words(amount) -> str:
    """Decimal("1500000000") -> "satu miliar lima ratus juta rupiah" (whole rupiah)."""
    value = Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{number_in_words(int(value))} rupiah"
