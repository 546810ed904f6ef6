"""Reading a file of written submissions (CSV or XLSX) into rows the comments service takes.

The file has a header row. Columns, by their English name or the Indonesian one staff
are likely to type: `section` (bagian: "Bab III", "Pasal 3", empty = the whole draft),
`organization` (organisasi), `author` (nama, penulis), `stance` (sikap), `body` (isi,
masukan, komentar), `submitted_at` (tanggal, waktu), `channel` (saluran) and `ref` (no,
nomor). Other columns are ignored. Row numbers are the spreadsheet's (the header is row 1),
so an error points at the row a person sees. Every message is for that person, translated.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import Organization
from backend.errors import Invalid, TooLarge
from comments.models import Comment
from consultations import selectors as consultations_selectors
from consultations.models import Consultation, Section

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
WIB = datetime.timezone(datetime.timedelta(hours=7), "WIB")

COLUMNS = {
    "section": ("section", "bagian", "pasal", "bab"),
    "organization": ("organization", "organisation", "organisasi", "lembaga"),
    "author": ("author", "name", "nama", "penulis", "pengirim"),
    "stance": ("stance", "sikap"),
    "body": ("body", "isi", "masukan", "komentar", "usulan", "text", "teks"),
    "submitted_at": ("submitted_at", "submitted", "tanggal", "waktu", "date"),
    "channel": ("channel", "saluran", "media"),
    "ref": ("ref", "external_ref", "reference", "referensi", "no", "nomor", "no_form"),
}
REQUIRED = ("stance", "body")

STANCES = {
    "support": "support",
    "mendukung": "support",
    "dukung": "support",
    "setuju": "support",
    "oppose": "oppose",
    "menolak": "oppose",
    "tolak": "oppose",
    "tidak setuju": "oppose",
    "keberatan": "oppose",
    "neutral": "neutral",
    "netral": "neutral",
    "question": "question",
    "pertanyaan": "question",
    "bertanya": "question",
    "tanya": "question",
}
CHANNELS = {
    "online": "online",
    "daring": "online",
    "form": "form",
    "formulir": "form",
    "letter": "letter",
    "surat": "letter",
    "email": "email",
    "e-mail": "email",
    "surel": "email",
}
DEFAULT_CHANNEL = Comment.Channel.FORM
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]+(\d{1,2})[.:](\d{2}))?$")


@dataclass
class Row:
    number: int
    values: dict[str, str | datetime.datetime]


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text).strip().casefold())


def _column(name: str) -> str | None:
    key = _key(name)
    for column, names in COLUMNS.items():
        if key in names:
            return column
    return None


def read(upload) -> list[Row]:
    """The data rows of an uploaded CSV or XLSX file (raises Invalid / TooLarge)."""
    if upload is None:
        raise Invalid(_("Attach a CSV or XLSX file."), field="file")
    if upload.size > MAX_BYTES:
        raise TooLarge(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    name = (getattr(upload, "name", "") or "").lower()
    is_xlsx = data[:2] == b"PK" or name.endswith(".xlsx")  # an XLSX file is a zip archive
    table = _xlsx_table(data) if is_xlsx else _csv_table(data)
    header, *body = table if table else [[]]
    columns = [_column(cell) if cell is not None else None for cell in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise Invalid(
            _("The header row needs the columns %(columns)s (found: %(found)s).")
            % {
                "columns": ", ".join(missing),
                "found": ", ".join(str(c) for c in header if c not in (None, "")) or "—",
            },
            field="file",
        )
    rows = []
    for offset, cells in enumerate(body):
        values = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is not None and column not in values:
                values[column] = cell
        if all(_blank(value) for value in values.values()):
            continue  # an empty line of the spreadsheet
        rows.append(Row(number=offset + 2, values=values))
    if not rows:
        raise Invalid(_("The file has a header row but no submissions."), field="file")
    if len(rows) > MAX_ROWS:
        raise TooLarge(
            _("At most %(n)d submissions per file; split it into smaller files.") % {"n": MAX_ROWS}
        )
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            _("The file is neither an XLSX workbook nor UTF-8 text (save the CSV as UTF-8)."),
            field="file",
        ) from None
    if "\x00" in text:
        raise Invalid(_("The file contains characters that cannot be stored."), field="file")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(data: bytes) -> list[list]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise Invalid(_("The file could not be read as an XLSX workbook."), field="file") from None
    try:
        sheet = book.worksheets[0]
        table = []
        for cells in sheet.iter_rows(values_only=True):
            table.append(list(cells))
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        book.close()


# --- one row → the arguments of comments.services.comment_record_written -----------------


def cell_text(value) -> str:
    """A cell as trimmed text (a whole number typed into Excel is not shown as 12.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _section_key(text: str) -> str:
    """ "Bab III" and "bab 3", "Pasal  3" and "pasal 3" are one key."""
    parts = []
    for part in text.casefold().split():
        if part and all(ch in ROMAN for ch in part) and len(part) <= 6:
            part = str(_roman(part))
        parts.append(part)
    return " ".join(parts)


def _roman(text: str) -> int:
    total, previous = 0, 0
    for ch in reversed(text):
        value = ROMAN[ch]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total


class Lookup:
    """The consultation's sections and the registered organizations, for matching names."""

    def __init__(self, consultation: Consultation):
        version = consultations_selectors.current_version(consultation)
        sections = (
            Section.objects.filter(version=version)
            if version is not None
            else Section.objects.none()
        )
        self.sections = {_section_key(s.number): s for s in sections}
        self.organizations = {}
        for organization in Organization.objects.exclude(status=Organization.Status.SUSPENDED):
            for name in (organization.name, organization.acronym):
                if name:
                    self.organizations.setdefault(" ".join(name.casefold().split()), organization)

    def section(self, text: str) -> Section | None:
        if not text:
            return None
        key = _section_key(text)
        if key in self.sections:
            return self.sections[key]
        for number, section in self.sections.items():
            if key.startswith(number + " "):  # "Bab III Permasalahan dan Isu Strategis"
                return section
        raise Invalid(
            _(
                "Section “%(section)s” is not in this consultation (use the numbers it shows: "
                "%(known)s)."
            )
            % {"section": text, "known": ", ".join(s.number for s in self.sections.values())},
            field="section",
        )

    def organization(self, text: str) -> Organization | None:
        return self.organizations.get(" ".join(text.casefold().split())) if text else None


def _when(value) -> datetime.datetime:
    if value is None or value == "":
        return timezone.now()
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = cell_text(value)
        found = _DMY.match(text)
        try:
            if found:
                day, month, year, hour, minute = found.groups()
                moment = datetime.datetime(
                    int(year), int(month), int(day), int(hour or 0), int(minute or 0)
                )
            else:
                moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise Invalid(
                _("“%(value)s” is not a date: write 2025-03-14 09:30 or 14-03-2025 09.30.")
                % {"value": text},
                field="submitted_at",
            ) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=WIB)


def prepare(row: Row, lookup: Lookup) -> dict:
    """The row as keyword arguments of comment_record_written (raises Invalid)."""
    values = row.values
    stance_text = cell_text(values.get("stance"))
    stance = STANCES.get(stance_text.casefold())
    if stance is None:
        raise Invalid(
            _(
                "Stance “%(value)s” is unknown: write support, oppose, neutral or question "
                "(or mendukung, menolak, netral, pertanyaan)."
            )
            % {"value": stance_text}
            if stance_text
            else _("The stance is missing."),
            field="stance",
        )
    channel_text = cell_text(values.get("channel"))
    channel = CHANNELS.get(channel_text.casefold()) if channel_text else DEFAULT_CHANNEL
    if channel is None:
        raise Invalid(
            _("Channel “%(value)s” is unknown: write online, form, letter or email.")
            % {"value": channel_text},
            field="channel",
        )
    body = values.get("body")
    body = body.strip() if isinstance(body, str) else cell_text(body)
    if not body:
        raise Invalid(_("The submission text (body) is empty."), field="body")
    organization_text = cell_text(values.get("organization"))
    organization = lookup.organization(organization_text)
    return {
        "stance": stance,
        "body": body,
        "channel": channel,
        "created_at": _when(values.get("submitted_at")),
        "author_name": cell_text(values.get("author")),
        "organization": organization,
        "organization_name": "" if organization else organization_text,
        "section": lookup.section(cell_text(values.get("section"))),
        "external_ref": cell_text(values.get("ref")),
    }


def preview(row: Row) -> dict:
    """The row as the upload page shows it before importing."""
    return {
        "row": row.number,
        **{key: cell_text(row.values.get(key)) for key in COLUMNS if key != "submitted_at"},
        "submitted_at": cell_text(row.values.get("submitted_at")),
    }
