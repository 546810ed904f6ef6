"""What an undangan says: the official invitation letter (Word, in the house style of the
Berita Acara, backend/letters.py) and the calendar entry (.ics) that go with the e-mail.

Both are built from the invitation as it is now, so a hearing moved to another hour gives
a letter and a calendar entry with the new hour (the calendar entry keeps its UID).
"""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from icalendar import Calendar, Event, vCalAddress, vText

from backend import letters, words

# A hearing has a start and no end; calendars need one. Hearings in Pasuruan take a
# morning, and the letter says "sampai dengan selesai".
CALENDAR_DURATION = datetime.timedelta(hours=3)

# 005 is the classification code of an invitation in the regional archive codes
# (Permendagri 78/2012): the number reads 005/<hearing>.<n>/<agency>/<year>.
LETTER_CLASSIFICATION = "005"

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def site_url(path: str) -> str:
    """A link that works from a mail client or a calendar (SITE_URL, docs/DEPLOY.md)."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def letter_number(hearing, n: int) -> str:
    agency = hearing.consultation.agency
    acronym = (agency.acronym if agency else "") or "…"
    year = words.local(hearing.starts_at).year
    return f"{LETTER_CLASSIFICATION}/{hearing.pk}.{n}/{acronym.upper()}/{year}"


def day_and_date(moment: datetime.datetime) -> str:
    """ "Senin, 7 Desember 2026" (WIB)."""
    moment = words.local(moment)
    return f"{words.day_name(moment)}, {words.date_text(moment)}"


def filename(invitation, extension: str) -> str:
    return f"undangan-{invitation.hearing_id}-{invitation.organization_id}.{extension}"


# --- the letter -------------------------------------------------------------------------


LABEL_WIDTH = Cm(3.0)


def _field_rows(document, rows):
    """ "Nomor : …" lines, the labels in one column, as letters are typed."""
    table = document.add_table(rows=0, cols=3)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
        cells[0].width, cells[1].width, cells[2].width = LABEL_WIDTH, Cm(0.5), Cm(12.5)
    return table


def letter_docx(invitation, *, agenda: list[str]) -> bytes:
    """The invitation letter as Word: kop surat, place and date, nomor, sifat, lampiran,
    perihal, addressee, the day spelled out, the details, the signature; the agenda as the
    lampiran on its own page."""
    hearing = invitation.hearing
    consultation = hearing.consultation
    agency = consultation.agency
    city = settings.RUANG["CITY_NAME"]
    starts = words.local(hearing.starts_at)
    sent = words.local(invitation.sent_at)
    place = hearing.location or city

    document = letters.new_document()
    letters.letterhead(
        document,
        government=letters.government_name(city),
        agency=(agency.name if agency else "").upper(),
    )
    dated = document.add_paragraph(letters.place_and_date(city, sent))
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    perihal = f"Undangan {hearing.title}"
    _field_rows(
        document,
        [
            ("Nomor", invitation.number),
            ("Sifat", "Penting"),
            ("Lampiran", "1 (satu) lembar" if agenda else "-"),
            ("Perihal", perihal),
        ],
    )
    document.add_paragraph()
    for line in (
        "Kepada",
        f"Yth. Pimpinan {invitation.organization.name}",
        "di",
        "Tempat",
    ):
        document.add_paragraph(line).paragraph_format.space_after = Pt(0)
    document.add_paragraph()
    document.add_paragraph("Dengan hormat,")
    on_day = words.date_in_words(starts)
    body = document.add_paragraph(
        f"Dalam rangka konsultasi publik {consultation.title}, kami mengundang Saudara "
        f"pimpinan atau perwakilan {invitation.organization.name} untuk hadir "
        f"{on_day[0].lower()}{on_day[1:]}, yang akan dilaksanakan pada:"
    )
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _field_rows(
        document,
        [
            ("Hari, tanggal", day_and_date(starts)),
            ("Waktu", f"{words.time_text(starts)} sampai dengan selesai"),
            ("Tempat", place),
            ("Acara", hearing.title),
        ],
    )
    reply = document.add_paragraph(
        "Konfirmasi kehadiran (hadir, tidak hadir, atau diwakili) mohon disampaikan oleh "
        "perwakilan organisasi melalui Ruang Dialog: "
        f"{site_url(reverse('hearing-invitations', args=[hearing.pk]))}. Presensi di ruangan "
        "dilakukan dengan memindai kode QR pada layar."
    )
    reply.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    reply.paragraph_format.space_before = Pt(10)
    closing = document.add_paragraph(
        "Demikian undangan ini kami sampaikan. Atas perhatian dan kehadiran Saudara, kami "
        "ucapkan terima kasih."
    )
    closing.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    sender = invitation.sent_by
    letters.signature(
        document,
        place_date="",
        title=f"a.n. Kepala {agency.name}," if agency else "Penyelenggara,",
        name=(sender.get_full_name() or sender.username) if sender else "",
    )
    if agenda:
        document.add_page_break()
        document.add_paragraph(f"Lampiran surat Nomor {invitation.number}")
        document.add_paragraph(f"Tanggal {words.date_text(sent)}")
        letters.centred(document, "SUSUNAN ACARA", bold=True, size=13, space_after=6)
        letters.centred(document, hearing.title.upper(), bold=True, space_after=12)
        for n, title in enumerate(agenda, start=1):
            document.add_paragraph(f"{n}. {title}")
    return letters.docx_bytes(document)


# --- the calendar entry ------------------------------------------------------------------


def invitation_ics(invitation, *, agenda: list[str]) -> bytes:
    """One VEVENT in UTC (every calendar converts it to its own zone; 09.00 WIB is 02:00Z).
    The UID stays the same for the invitation, so importing it again updates the entry."""
    hearing = invitation.hearing
    agency = hearing.consultation.agency
    starts = hearing.starts_at.astimezone(datetime.UTC)
    room = site_url(reverse("hearing-room", args=[hearing.pk]))
    calendar = Calendar()
    calendar.add("prodid", "-//Ruang Dialog//Undangan//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"undangan-{invitation.pk}-hearing-{hearing.pk}@ruang-dialog")
    event.add("dtstamp", invitation.sent_at.astimezone(datetime.UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + CALENDAR_DURATION)
    event.add("summary", hearing.title)
    event.add("location", hearing.location or settings.RUANG["CITY_NAME"])
    lines = [
        f"Undangan Nomor {invitation.number} untuk {invitation.organization.name}.",
        f"Konsultasi publik: {hearing.consultation.title}.",
        f"{day_and_date(hearing.starts_at)}, {words.time_text(hearing.starts_at)}.",
    ]
    if agenda:
        lines.append("Acara: " + "; ".join(agenda) + ".")
    lines.append(f"Halaman forum: {room}")
    event.add("description", "\n".join(lines))
    event.add("url", room)
    # DEFAULT_FROM_EMAIL may carry a display name ("Ruang Dialog <noreply@…>").
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(agency.name if agency else settings.RUANG["CITY_NAME"])
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical()
