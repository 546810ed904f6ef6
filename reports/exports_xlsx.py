"""The XLSX export: openpyxl in write-only mode, so rows go to disk as they are read.

Sheets: Ringkasan (tallies per item with a native bar chart, participation,
totals), Komentar (one row per comment), Tanggapan (response matrix per
section), Suara (votes and receipts; left out under a secret ballot),
Organisasi. Header rows are frozen, columns sized, times are real dates.
"""

import hashlib
import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from comments.models import Response
from consultations import selectors
from reports import selectors as reports
from reports.exports import CHUNK_BYTES, COMMENT_COLUMNS, Export, _local, comment_rows

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
CHOICE_LABELS = {
    "for": "Setuju",
    "against": "Tidak setuju",
    "abstain": "Abstain",
    "approve": "Dipilih",
}
OUTCOME_LABELS = {
    "accepted": "Diterima",
    "partially_accepted": "Diterima sebagian",
    "not_accepted": "Tidak diterima",
    "noted": "Dicatat",
}
ORG_STATUS_LABELS = {
    "pending": "Menunggu verifikasi",
    "verified": "Terverifikasi",
    "suspended": "Dibekukan",
}


class _Sheet:
    """A write-only sheet with a bold, frozen header row and set column widths."""

    def __init__(self, workbook, title: str, headings: list[str], widths: list[int]):
        self.ws = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.row = 0
        self.header(headings)

    def header(self, headings):
        cells = []
        for heading in headings:
            cell = WriteOnlyCell(self.ws, value=heading)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE7F0")
            cells.append(cell)
        self.append(cells)

    def append(self, values):
        self.ws.append(values)
        self.row += 1


def _text(ws, value):
    """A string cell that Excel never reads as a formula, whatever it starts with.

    Only text starting with "=" needs a typed cell (openpyxl would write a
    formula); everything else stays a plain value, which is much cheaper.
    """
    if value is None:
        return None
    value = str(value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _date(ws, value):
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def write_workbook(export, handle) -> None:

    consultation = export.consultation
    workbook = Workbook(write_only=True)
    sections = list(selectors.sections_of(consultation))
    tallies = export.tallies
    choices = _choices(consultation, tallies)

    # Ringkasan ---------------------------------------------------------------------------
    summary = _Sheet(
        workbook,
        "Ringkasan",
        ["Butir", "Kode", *[CHOICE_LABELS.get(c, c) for c in choices], "Jumlah suara"],
        [60, 14, *[14] * len(choices), 14],
    )
    hidden = any(tally.hidden for tally in tallies)
    for tally in tallies:
        if tally.hidden:
            counts = [_text(summary.ws, "tersembunyi") for _c in choices]
            total = _text(summary.ws, "tersembunyi")
        else:
            counts = [tally.counts.get(choice, 0) for choice in choices]
            total = tally.total
        summary.append(
            [_text(summary.ws, tally.item.title), tally.item.code or None, *counts, total]
        )
    last_item_row = summary.row
    if tallies and not hidden:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        chart.title = "Hasil suara per butir"
        chart.y_axis.title = "Suara"
        data = Reference(
            summary.ws, min_col=3, max_col=2 + len(choices), min_row=1, max_row=last_item_row
        )
        labels = Reference(summary.ws, min_col=1, min_row=2, max_row=last_item_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.height = max(7.5, 1.2 * len(tallies) + 3)
        chart.width = 22
        summary.ws.add_chart(chart, f"{get_column_letter(len(choices) + 5)}2")
    summary.append([])
    bold = Font(bold=True)
    participation = reports.participation(consultation)
    comment_total = export.comments.count()
    vote_totals = export.vote_totals

    def label(text):
        cell = WriteOnlyCell(summary.ws, value=text)
        cell.font = bold
        return cell

    summary.append([label("Konsultasi"), _text(summary.ws, consultation.title)])
    summary.append([label("Dibuat (WIB)"), _date(summary.ws, _local(export.generated_at))])
    summary.append([label("Jumlah komentar"), comment_total])
    if vote_totals is None:
        summary.append(
            [label("Suara"), _text(summary.ws, "tersembunyi (pemungutan suara rahasia)")]
        )
    else:
        for choice in choices:
            summary.append(
                [label(f"Suara {CHOICE_LABELS.get(choice, choice)}"), vote_totals.get(choice, 0)]
            )
    summary.append([label("Organisasi terverifikasi"), participation["eligible"]])
    summary.append([label("Organisasi yang berpartisipasi"), participation["participating"]])
    summary.append([label("Berkomentar"), participation["commented"]])
    voted = participation["voted"]
    summary.append(
        [label("Memberi suara"), _text(summary.ws, "tersembunyi") if voted is None else voted]
    )
    summary.append([label("Partisipasi (%)"), participation["percent"]])

    # Komentar ----------------------------------------------------------------------------

    sheet = _Sheet(
        workbook,
        "Komentar",
        [label_ for _key, label_ in COMMENT_COLUMNS],
        [9, 20, 14, 30, 30, 11, 30, 24, 11, 80, 18, 60, 10, 12, 30, 12, 16, 16, 20, 16],
    )
    ws = sheet.ws
    rows = comment_rows(export.comments, guard=False, labels=export.labels)
    for row in rows.iterator(chunk_size=2000):
        # The codes and their labels as the CSV has them (docs/EXPORTS.md).
        sheet.append(
            [row[0], _date(ws, _local(row[1])), *(_text(ws, value) for value in row[2:15]), row[15]]
            + [_text(ws, value) for value in row[16:]]
        )

    # Tanggapan ---------------------------------------------------------------------------
    outcomes = [value for value, _label in Response.Outcome.choices]
    sheet = _Sheet(
        workbook,
        "Tanggapan",
        [
            "Bagian",
            "Judul",
            "Komentar",
            *[OUTCOME_LABELS[o] for o in outcomes],
            "Sudah ditanggapi",
            "Belum ditanggapi",
        ],
        [14, 40, 11, *[14] * len(outcomes), 16, 16],
    )
    for row in reports.response_matrix(consultation, export.comments, sections):
        section = row["section"]
        sheet.append(
            [
                _text(sheet.ws, section.number if section else "Umum"),
                _text(sheet.ws, section.heading if section else "Rancangan secara keseluruhan"),
                row["comments"],
                *[row["outcomes"][o] for o in outcomes],
                row["answered"],
                row["missing"],
            ]
        )

    # Suara -------------------------------------------------------------------------------
    votes = reports.votes_for_export(consultation, export.user)
    if votes is not None:
        sheet = _Sheet(
            workbook,
            "Suara",
            ["Butir", "Organisasi", "Pilihan", "Waktu (WIB)", "Tanda terima"],
            [50, 36, 14, 20, 70],
        )
        titles = {tally.item.pk: tally.item.title for tally in tallies}
        for vote in votes:
            sheet.append(
                [
                    _text(sheet.ws, titles.get(vote["item_id"], vote["item_id"])),
                    _text(sheet.ws, vote["organization_name"]),
                    CHOICE_LABELS.get(vote["choice"], vote["choice"]),
                    _date(sheet.ws, _local(vote["cast_at"])),
                    _text(sheet.ws, vote["receipt"]),
                ]
            )

    # Organisasi --------------------------------------------------------------------------
    sheet = _Sheet(
        workbook,
        "Organisasi",
        [
            "Organisasi",
            "Singkatan",
            "Nomor SKT/AHU",
            "Status",
            "SKT berlaku s.d.",
            "Komentar",
            "Memberi suara",
            "Berpartisipasi",
        ],
        [40, 14, 26, 20, 16, 11, 14, 14],
    )
    for row in reports.organization_rows(consultation, export.comments):
        organization = row["organization"]
        sheet.append(
            [
                _text(sheet.ws, organization.name),
                _text(sheet.ws, organization.acronym),
                _text(sheet.ws, organization.registration_number),
                ORG_STATUS_LABELS.get(organization.status, organization.status),
                _date(sheet.ws, organization.registration_expires_on),
                row["comments"],
                _yes_no(row["voted"]),
                _yes_no(row["comments"] or row["voted"]),
            ]
        )
    workbook.save(handle)


def _yes_no(value) -> str:
    if value is None:
        return "tersembunyi"
    return "Ya" if value else "Tidak"


def _choices(consultation, tallies) -> list[str]:
    if consultation.voting_method == consultation.VotingMethod.APPROVAL:
        base = ["approve"]
    else:
        base = ["for", "against", "abstain"]
    extra = sorted({c for t in tallies for c in t.counts} - set(base))
    return base + extra


def xlsx_file(export: Export):
    """Write the workbook into a temporary file; returns (file, sha256, size)."""

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        write_workbook(export, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return handle, digest.hexdigest(), size
