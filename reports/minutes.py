"""Berita Acara: the signed minutes of a hearing, as Word (python-docx) and as a printable page.

`build()` gathers what the minutes say once; `minutes_docx()` and the
template `reports/minutes.html` only lay it out, so both read the same.
The wording follows the minutes Pasuruan offices sign: the day and date
spelled out, the agenda, who attended, what was said and counted per agenda
item (online votes and manual counts labelled apart), the agreements, and
signature blocks.
"""

import bisect
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Q, When
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from accounts.models import Membership, Organization
from accounts.names import public_name
from backend import letters, words
from comments.models import Comment
from hearings import selectors as hearings_selectors
from hearings.models import AgendaItem, Hearing, ManualCount
from reports import selectors as reports
from voting import payloads as voting_payloads

DOCX_CONTENT_TYPE = letters.DOCX_CONTENT_TYPE
MAIN_POINTS_PER_STANCE = 3
EXCERPT = 240

STANCE_LABELS = {
    "support": "Mendukung",
    "oppose": "Menolak",
    "neutral": "Netral",
    "question": "Pertanyaan",
}
CHOICE_LABELS = {
    "for": "Setuju",
    "against": "Tidak setuju",
    "abstain": "Abstain",
    "approve": "Dipilih",
}
CHECK_IN_LABELS = {"qr": "Pindai kode QR", "officer": "Dicatat petugas"}
MANUAL_LABELS = {
    ManualCount.Method.HANDS: "Hitung manual (angkat tangan)",
    ManualCount.Method.PAPER: "Hitung manual (surat suara)",
}


def _choice_order(pair) -> tuple:
    """jsonb reorders keys: print choices in the ballot's order, whatever the database did."""
    order = list(CHOICE_LABELS)
    return (order.index(pair[0]) if pair[0] in order else len(order), pair[0])


@dataclass
class AgendaSection:
    position: int
    title: str
    item: object | None
    stance_counts: dict[str, int] = field(default_factory=dict)
    comment_total: int = 0
    in_hearing: int = 0
    main_points: list[dict] = field(default_factory=list)
    online: object | None = None  # reports.ItemTally
    manual_counts: list[dict] = field(default_factory=list)


@dataclass
class Minutes:
    hearing: Hearing
    government: str
    agency: str
    number: str
    opening: str
    date_words: str
    time_text: str
    place: str
    agenda: list[AgendaSection]
    attendance: list[dict]
    attendance_count_words: str
    agreements: list[str]
    chair_name: str
    signed_place_date: str
    representatives: list[dict]
    chain: dict | None = None  # voting.payloads.chain when an agenda item is put to a vote


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def build(*, hearing: Hearing, user) -> Minutes:
    """Everything the minutes say, in Indonesian; tallies follow the secret-ballot rule."""
    consultation = hearing.consultation
    city = settings.RUANG["CITY_NAME"]
    agency = consultation.agency
    starts = words.local(hearing.started_at or hearing.starts_at)
    agenda_rows = list(
        AgendaItem.objects.filter(hearing=hearing).select_related("item").order_by("position", "id")
    )
    items = [row.item for row in agenda_rows if row.item is not None]
    tallies = {t.item.pk: t for t in reports._tallies_for_items(items, user)}
    manual = {}
    for count in ManualCount.objects.filter(hearing=hearing).order_by("entered_at", "id"):
        manual.setdefault(count.item_id, []).append(
            {
                "label": MANUAL_LABELS.get(count.method, count.method),
                "counts": [
                    (CHOICE_LABELS.get(choice, choice), n)
                    for choice, n in sorted(count.counts.items(), key=_choice_order)
                ],
                "total": sum(int(n) for n in count.counts.values()),
                "note": count.note,
            }
        )
    published = Comment.objects.filter(
        consultation=consultation, status=Comment.Status.PUBLISHED, is_removed=False
    )
    said_under = _room_comments_by_agenda_item(hearing, published, agenda_rows)
    agenda = []
    for row in agenda_rows:
        # Comments on the agenda item's consultation item, and the room's comments (which
        # carry no item) said while this agenda item was the current one.
        said_here = Q(pk__in=said_under.get(row.pk, ()))
        if row.item_id:
            said_here |= Q(item_id=row.item_id)
        comments = published.filter(said_here)
        section = AgendaSection(position=len(agenda) + 1, title=row.title, item=row.item)
        section.stance_counts = reports.stance_totals(comments)
        section.comment_total = sum(section.stance_counts.values())
        section.in_hearing = comments.filter(hearing=hearing).count()
        for stance in reports.STANCES:
            for comment in (
                comments.filter(stance=stance, parent__isnull=True)
                .select_related("organization")
                .annotate(said_here=Case(When(hearing=hearing, then=0), default=1))
                .order_by("said_here", "created_at", "id")[:MAIN_POINTS_PER_STANCE]
            ):
                section.main_points.append(
                    {
                        "stance": STANCE_LABELS[stance],
                        "organization": comment.organization.name if comment.organization else "",
                        "text": _excerpt(comment.body),
                    }
                )
        if row.item_id:
            section.online = tallies.get(row.item_id)
            section.manual_counts = manual.get(row.item_id, [])
        agenda.append(section)

    attendance = [
        {
            "organization": a.organization,
            "time": words.local(a.checked_in_at).strftime("%H.%M"),
            "method": CHECK_IN_LABELS.get(a.method, a.method),
        }
        for a in hearing.attendances.select_related("organization").order_by("organization__name")
    ]
    representatives = _representatives([row["organization"] for row in attendance])
    place = hearing.location or city
    agreements = [line.strip() for line in hearing.agreements.splitlines() if line.strip()]
    acronym = (agency.acronym if agency else "") or "…"
    return Minutes(
        hearing=hearing,
        government=letters.government_name(city),
        agency=(agency.name if agency else "").upper(),
        number=f"Nomor: ……/……/{acronym}/{starts.year}",
        opening=(
            f"{words.date_in_words(starts)}, {words.time_text(starts)} sampai dengan selesai, "
            f"bertempat di {place}, telah dilaksanakan {hearing.title} dalam rangka konsultasi "
            f"publik {consultation.title}, dengan hasil sebagai berikut:"
        ),
        date_words=words.date_in_words(starts),
        time_text=words.time_text(starts),
        place=place,
        agenda=agenda,
        attendance=attendance,
        attendance_count_words=(
            f"{len(attendance)} ({words.number_in_words(len(attendance))}) organisasi"
        ),
        agreements=agreements,
        chair_name=hearing.chair_name,
        signed_place_date=letters.place_and_date(city, starts),
        representatives=representatives,
        chain=voting_payloads.chain(voting_payloads.head_of(consultation.pk)) if items else None,
    )


def _room_comments_by_agenda_item(hearing, published, agenda_rows) -> dict[int, list[int]]:
    """Agenda item id → ids of the room comments (no item) said while it was current.

    Each comment goes to the agenda item current at its created_at (hearings.selectors.
    agenda_timeline); one said before the first change, to the first agenda item (where a
    hearing starts). So each room comment is listed once."""
    if not agenda_rows:
        return {}
    timeline = hearings_selectors.agenda_timeline(hearing)
    times = [at for at, _current in timeline]
    known = {row.pk for row in agenda_rows}
    first = agenda_rows[0].pk
    said_under: dict[int, list[int]] = {}
    room = published.filter(hearing=hearing, item__isnull=True)
    for comment_id, created_at in room.values_list("id", "created_at"):
        at = bisect.bisect_right(times, created_at)
        current = timeline[at - 1][1] if at else first
        said_under.setdefault(current if current in known else first, []).append(comment_id)
    return said_under


def _representatives(organizations: list[Organization]) -> list[dict]:
    names = {}
    for membership in Membership.objects.filter(
        organization__in=organizations, role=Membership.Role.REPRESENTATIVE
    ).select_related("user", "user__privacy"):
        # The representative's name only if they chose to show it; else their pseudonym
        # (they sign by hand beside it).
        names.setdefault(membership.organization_id, public_name(membership.user))
    return [{"organization": org, "name": names.get(org.pk, "")} for org in organizations]


def tally_lines(section: AgendaSection) -> list[tuple[str, str]]:
    """(label, text) lines for one agenda item's counts: online and manual kept apart."""
    lines = []
    online = section.online
    if online is not None:
        if online.hidden:
            text = "dirahasiakan sampai pemungutan suara ditutup"
        else:
            parts = [
                f"{CHOICE_LABELS.get(c, c)} {n}"
                for c, n in sorted(online.counts.items(), key=_choice_order)
            ]
            text = ", ".join(parts + [f"jumlah {online.total}"]) if parts else "belum ada suara"
        lines.append(("Suara daring (Ruang Dialog)", text))
    for count in section.manual_counts:
        parts = [f"{label} {n}" for label, n in count["counts"]]
        text = ", ".join(parts + [f"jumlah {count['total']}"])
        if count["note"]:
            text += f" ({count['note']})"
        lines.append((count["label"], text))
    return lines


def chain_line(minutes: Minutes) -> str:
    """The vote audit chain's head as the minutes were made: written down on signed paper,
    a later copy of the chain that no longer reaches it shows records removed or rewritten."""
    if minutes.chain is None:
        return ""
    return (
        f"Rantai audit suara daring saat Berita Acara ini dibuat: {minutes.chain['length']} "
        f"catatan, kepala rantai {minutes.chain['head']}. Tanda terima dan rantai ini dapat "
        "diperiksa siapa pun di halaman Periksa Tanda Terima (/tanda-terima/)."
    )


def stance_line(section: AgendaSection) -> str:
    if not section.comment_total:
        return "tidak ada tanggapan tertulis"
    parts = [f"{STANCE_LABELS[s]} {n}" for s, n in section.stance_counts.items()]
    return f"{section.comment_total} komentar: " + ", ".join(parts)


# --- Word -----------------------------------------------------------------------------------


def minutes_docx(minutes: Minutes) -> bytes:

    document = letters.new_document()

    def heading(text):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(10)
        paragraph.add_run(text).bold = True

    letters.letterhead(document, government=minutes.government, agency=minutes.agency)
    letters.centred(document, "BERITA ACARA", bold=True, size=14)
    letters.centred(document, minutes.hearing.title.upper(), bold=True)
    letters.centred(document, minutes.number, space_after=12)

    opening = document.add_paragraph(minutes.opening)
    opening.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    heading("I. Acara")
    if minutes.agenda:
        for section in minutes.agenda:
            document.add_paragraph(f"{section.position}. {section.title}")
    else:
        document.add_paragraph("(tidak ada agenda tercatat)")

    heading("II. Kehadiran")
    document.add_paragraph(f"Organisasi yang hadir dan tercatat: {minutes.attendance_count_words}.")
    if minutes.attendance:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("No", "Organisasi", "Waktu hadir", "Cara"), strict=True
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for n, row in enumerate(minutes.attendance, start=1):
            cells = table.add_row().cells
            cells[0].text = str(n)
            cells[1].text = row["organization"].name
            cells[2].text = f"{row['time']} WIB"
            cells[3].text = row["method"]

    heading("III. Pembahasan")
    for section in minutes.agenda:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{section.position}. {section.title}").bold = True
        line = f"Tanggapan peserta: {stance_line(section)}"
        if section.comment_total:
            line += f" ({section.in_hearing} disampaikan dalam rapat)"
        document.add_paragraph(line + ".")
        for point in section.main_points:
            who = f" ({point['organization']})" if point["organization"] else ""
            document.add_paragraph(f"{point['stance']}{who}: {point['text']}", style="List Bullet")
        for label, text in tally_lines(section):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(text)
    if minutes.chain is not None:
        document.add_paragraph(chain_line(minutes))

    heading("IV. Kesepakatan")
    if minutes.agreements:
        for n, line in enumerate(minutes.agreements, start=1):
            document.add_paragraph(f"{n}. {line}")
    else:
        document.add_paragraph("(belum ada kesepakatan tercatat)")

    closing = document.add_paragraph(
        "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan "
        "sebagaimana mestinya."
    )
    closing.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    closing.paragraph_format.space_before = Pt(10)

    letters.signature(
        document,
        place_date=minutes.signed_place_date,
        title="Pimpinan Rapat,",
        name=minutes.chair_name,
    )

    if minutes.representatives:
        heading("Perwakilan organisasi yang hadir")
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            table.rows[0].cells,
            ("No", "Organisasi", "Nama perwakilan", "Tanda tangan"),
            strict=True,
        ):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for n, row in enumerate(minutes.representatives, start=1):
            cells = table.add_row().cells
            cells[0].text = str(n)
            cells[1].text = row["organization"].name
            cells[2].text = row["name"]
            cells[3].text = f"{n}. ……………………"
            table.rows[-1].height = Cm(1.2)

    return letters.docx_bytes(document)
