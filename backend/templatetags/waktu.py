"""One way to show a moment on every page: the Indonesian convention.

    {{ comment.created_at|waktu }}          6 Desember 2026, 16.15 WIB
    {{ comment.created_at|waktu_singkat }}  6 Des 2026 16.15
    {{ vote.at|waktu:"detik" }}             6 Desember 2026, 16.15.07 WIB
    {{ consultation.closes_at|waktu:"tanggal" }}  6 Desember 2026
    {{ hearing.starts_at|waktu:"hari" }}    Minggu, 6 Desember 2026 (letters: "hari, tanggal")
    {{ hearing.starts_at|waktu:"jam" }}     16.15 WIB
    {{ organization.expires_on|waktu }}     6 Desember 2026 (a date has no time)

English pages write the same pattern with English month names and a colon, as
English readers expect: "6 December 2026, 16:15 WIB", "6 Dec 2026 16:15".
Moments are shown in Asia/Jakarta whatever the server's zone; "WIB" is written
out because hearings are attended from other zones too. Month names come from
Django's own catalogues for the active language. Registered as a template
builtin (settings.TEMPLATES), so no {% load %} is needed; `{% load waktu %}`
also works.
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

from backend.words import WIB

register = template.Library()

# (long date, short date, time separator) per language; Indonesian is the default.
_PATTERNS = {
    "id": ("j F Y", "j M Y", "."),
    "en": ("j F Y", "j M Y", ":"),
}


def _pattern():
    return _PATTERNS.get((get_language() or "id").split("-")[0], _PATTERNS["id"])


def _moment(value):
    """A datetime in WIB, a date as it is, or None for anything else."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, WIB)
        return value.astimezone(WIB)
    if isinstance(value, datetime.date):
        return value
    return None


def _clock(moment, sep: str, seconds: bool) -> str:
    parts = [f"{moment.hour:02d}", f"{moment.minute:02d}"]
    if seconds:
        parts.append(f"{moment.second:02d}")
    return sep.join(parts)


@register.filter
def waktu(value, part: str = "") -> str:
    """Long form: "6 Desember 2026, 16.15 WIB". part="tanggal": the date only;
    part="hari": the weekday and the date; part="jam": the time only; part="detik": with
    seconds. Empty for None or anything that is not a date."""
    moment = _moment(value)
    if moment is None:
        return ""
    long_date, _short, sep = _pattern()
    day = dateformat.format(moment, long_date)
    if part == "hari":
        return f"{dateformat.format(moment, 'l')}, {day}"
    if part == "jam":
        if not isinstance(moment, datetime.datetime):
            return ""
        return f"{_clock(moment, sep, False)} WIB"
    if not isinstance(moment, datetime.datetime) or part == "tanggal":
        return day
    return f"{day}, {_clock(moment, sep, part == 'detik')} WIB"


@register.filter
def waktu_singkat(value, part: str = "") -> str:
    """Short form for lists and tables: "6 Des 2026 16.15" (no zone: pages with the
    short form say WIB once, or the list is about one day in the room).
    part="tanggal": "6 Des 2026"."""
    moment = _moment(value)
    if moment is None:
        return ""
    _long, short_date, sep = _pattern()
    day = dateformat.format(moment, short_date)
    if not isinstance(moment, datetime.datetime) or part == "tanggal":
        return day
    return f"{day} {_clock(moment, sep, part == 'detik')}"
