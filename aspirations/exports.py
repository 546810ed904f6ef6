"""Rekap usulan: a stage's recap of proposals for one area, as XLSX and CSV — the document
a kelurahan or kecamatan sends upward: number, title, location, category, estimated cost,
supports, the forum's scores, the decision and its reason, the programme it went to.

Rows come in the stage's ranking order (selectors.ranking). CSV is RFC 4180 (CRLF, quoted
where needed) and spreadsheet-safe: a text that a spreadsheet would run as a formula, at
the start of the cell or of any line in it, gets a leading apostrophe. XLSX cells hold
text as text, so nothing in them is a formula.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.names import public_name
from aspirations import selectors
from aspirations.models import Kecamatan, Kelurahan, Stage
from backend.errors import Invalid
from comments.payloads import display_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# A spreadsheet runs a cell (or, in some readers, a line of one) starting with these.
# The apostrophe goes at the start of the text and after every line break before one.
FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


@dataclass
class Rekap:
    stage: str
    kecamatan: Kecamatan | None
    kelurahan: Kelurahan | None
    consultation_id: int | None = None

    @property
    def area_name(self) -> str:
        if self.stage == Stage.KELURAHAN and self.kelurahan is not None:
            return _("Kelurahan %(name)s") % {"name": self.kelurahan.name}
        if self.stage != Stage.KOTA and self.kecamatan is not None:
            return _("Kecamatan %(name)s") % {"name": self.kecamatan.name}
        return _("the whole city")

    def filename(self, extension: str) -> str:
        area = self.kelurahan or self.kecamatan
        parts = ["rekap-usulan", self.stage, slugify(area.name) if area else "kota"]
        return "-".join(parts) + f"-{timezone.localdate():%Y%m%d}.{extension}"

    def rows(self):
        return selectors.ranking(
            self.stage,
            kecamatan=self.kecamatan,
            kelurahan=self.kelurahan,
            consultation=self.consultation_id,
        )


def _int_param(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or not value.isascii() or not 0 < int(value) < 2**63:
        raise Invalid(_("%(name)s must be a number.") % {"name": name}, field=name)
    return int(value)


def rekap_for(params) -> Rekap:
    """The rekap the query asks for: `stage` (kelurahan|kecamatan|kota; default kota), the
    area (`kelurahan` for the kelurahan stage, `kecamatan` for the kecamatan stage), and
    optionally `consultation`."""
    stage = (params.get("stage") or Stage.KOTA).strip()
    if stage not in Stage.values:
        raise Invalid(_("Choose a stage: kelurahan, kecamatan or kota."), field="stage")
    kecamatan = kelurahan = None
    kecamatan_id, kelurahan_id = _int_param(params, "kecamatan"), _int_param(params, "kelurahan")
    if stage == Stage.KELURAHAN:
        kelurahan = Kelurahan.objects.select_related("kecamatan").filter(pk=kelurahan_id).first()
        if kelurahan is None:
            raise Invalid(_("Choose the kelurahan of the rekap."), field="kelurahan")
        kecamatan = kelurahan.kecamatan
    elif stage == Stage.KECAMATAN:
        kecamatan = Kecamatan.objects.filter(pk=kecamatan_id).first()
        if kecamatan is None:
            raise Invalid(_("Choose the kecamatan of the rekap."), field="kecamatan")
    return Rekap(stage, kecamatan, kelurahan, _int_param(params, "consultation"))


def headings(criteria) -> list[str]:
    return [
        _("No."),
        _("Proposal number"),
        _("Title"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("RW"),
        _("Category"),
        _("Estimated cost (Rp)"),
        _("Beneficiaries"),
        _("Proposed by"),
        _("Supporting organizations"),
        _("Supporting citizens"),
        *[criterion.name for criterion in criteria],
        _("Total score"),
        _("Decision"),
        _("Reason"),
        _("Decided on"),
        _("Decided by"),
        _("RPJMD programme"),
        _("Pagu (Rp)"),
        _("Status now"),
    ]


def _local(moment):
    """Wall-clock time in WIB to the second, as spreadsheets show it."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def records(rekap: Rekap, criteria):
    """One list of values per proposal, in ranking order (numbers and times stay typed)."""
    for number, aspiration in enumerate(rekap.rows(), start=1):
        by_criterion = {score.criterion_id: score.value for score in aspiration.stage_scores}
        decision = aspiration.stage_decisions[-1] if aspiration.stage_decisions else None
        item = aspiration.item  # where it went in the end, whichever stage took it there
        yield [
            number,
            aspiration.pk,
            aspiration.title,
            aspiration.kelurahan.name,
            aspiration.kecamatan.name,
            aspiration.rw,
            aspiration.category.name,
            aspiration.estimated_cost,
            aspiration.beneficiaries,
            aspiration.organization.name
            if aspiration.organization_id
            else public_name(aspiration.author),
            aspiration.support_organizations,
            aspiration.support_citizens,
            *[by_criterion.get(criterion.pk) for criterion in criteria],
            aspiration.stage_score,
            decision.get_outcome_display() if decision else _("Not decided yet"),
            decision.reason if decision else "",
            _local(decision.decided_at) if decision else None,
            display_name(decision.decided_by) if decision else "",
            f"{item.code} {item.title}".strip() if item else "",
            aspiration.pagu,
            aspiration.get_status_display(),
        ]


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_bytes(rekap: Rekap) -> bytes:
    criteria = selectors.active_criteria()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rekap")[:31])
    titles = headings(criteria)
    widths = [5, 9, 48, 16, 16, 5, 24, 16, 12, 30, 12, 12, *[10] * len(criteria)]
    widths += [10, 22, 48, 18, 24, 40, 16, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    header = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for values in records(rekap, criteria):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: "=…" is never a formula
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif value is not None and titles[len(row)].endswith("(Rp)"):
                cell.number_format = "#,##0"
            row.append(cell)
        sheet.append(row)
    about = workbook.create_sheet(_("About")[:31])
    for label, value in (
        (_("Rekap of proposals"), rekap.area_name),
        (_("Stage"), str(Stage(rekap.stage).label)),
        (_("Made at"), _local(timezone.now())),
        (_("Order"), _("By total score, then supports (the stage's ranking).")),
    ):
        about.append([label, value])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


# --- CSV ----------------------------------------------------------------------------------


def guard(value) -> str:
    """A cell's text, safe to open in a spreadsheet (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    if isinstance(value, str):
        text = FORMULA_START.sub("'", text)
    return text


def csv_bytes(rekap: Rekap) -> bytes:
    criteria = selectors.active_criteria()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([guard(title) for title in headings(criteria)])
    for values in records(rekap, criteria):
        writer.writerow([guard(value) for value in values])
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
