"""The letter (.docx, house style of the Berita Acara) and the calendar entry (.ics)."""

import datetime
import io

import pytest
from docx import Document
from icalendar import Calendar

from hearings import letters


def ics_url(invitation):
    return f"/api/v1/hearing-invitations/{invitation.pk}/invitation.ics"


def docx_url(invitation):
    return f"/api/v1/hearing-invitations/{invitation.pk}/letter.docx"


def event_of(content: bytes):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return event


def test_nine_oclock_wib_is_two_oclock_utc_in_the_calendar(
    api_as, representative, invitation, settings
):
    settings.DEFAULT_FROM_EMAIL = "Ruang Dialog <noreply@ruang-dialog.test>"
    answer = api_as(representative).get(ics_url(invitation))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261207T020000Z" in answer.content
    event = event_of(answer.content)
    assert event.decoded("dtstart") == datetime.datetime(2026, 12, 7, 2, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2026, 12, 7, 5, 0, tzinfo=datetime.UTC)
    assert str(event["summary"]) == "Forum Konsultasi Publik Ranperwal RTH"
    assert str(event["location"]) == "Gedung Gradika, Kota Pasuruan"
    assert invitation.number in str(event["description"])
    assert "Pembahasan Pasal 1 sampai 3" in str(event["description"])
    assert str(event["organizer"]) == "mailto:noreply@ruang-dialog.test"
    assert event["organizer"].params["CN"] == "Badan Perencanaan Pembangunan Daerah"


def test_the_calendar_uid_stays_the_same_when_the_hearing_moves(invitation):
    first = event_of(letters.invitation_ics(invitation, agenda=[]))
    invitation.hearing.starts_at += datetime.timedelta(hours=2)
    invitation.hearing.save(update_fields=["starts_at"])
    moved = event_of(letters.invitation_ics(invitation, agenda=[]))
    assert str(first["uid"]) == str(moved["uid"])
    assert moved.decoded("dtstart").hour == 4


def paragraphs_and_cells(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(texts)


def test_the_letter_is_an_official_undangan_in_the_house_style(api_as, representative, invitation):
    answer = api_as(representative).get(docx_url(invitation))
    assert answer.status_code == 200
    assert answer["Content-Type"].endswith("wordprocessingml.document")
    assert "undangan-" in answer["Content-Disposition"]
    text = paragraphs_and_cells(answer.content)
    # Kop surat, as on the Berita Acara.
    assert text.startswith("PEMERINTAH KOTA PASURUAN\nBADAN PERENCANAAN PEMBANGUNAN DAERAH")
    assert f"Nomor | : | {invitation.number}" in text
    assert "Sifat | : | Penting" in text
    assert "Lampiran | : | 1 (satu) lembar" in text
    assert "Perihal | : | Undangan Forum Konsultasi Publik Ranperwal RTH" in text
    assert "Yth. Pimpinan LSM Pelita Pasuruan" in text
    assert "Hari, tanggal | : | Senin, 7 Desember 2026" in text
    assert "hari Senin tanggal tujuh bulan Desember tahun dua ribu dua puluh enam" in text
    assert "pukul 09.00 WIB sampai dengan selesai" in text
    assert "a.n. Kepala Badan Perencanaan Pembangunan Daerah," in text
    assert "Alice Official" in text  # who sent it signs it
    assert "SUSUNAN ACARA" in text and "2. Pembahasan Pasal 1 sampai 3" in text


def test_a_hearing_without_agenda_has_no_lampiran(invitation):
    text = paragraphs_and_cells(letters.letter_docx(invitation, agenda=[]))
    assert "Lampiran | : | -" in text
    assert "SUSUNAN ACARA" not in text


@pytest.mark.parametrize("persona", ["member", "representative", "official", "moderator"])
def test_the_organizations_members_and_the_chair_download_the_documents(
    request, api_as, persona, invitation
):
    client = api_as(request.getfixturevalue(persona))
    assert client.get(docx_url(invitation)).status_code == 200
    assert client.get(ics_url(invitation)).status_code == 200


@pytest.mark.parametrize("persona", ["other_representative", "citizen", "planner"])
def test_others_find_no_such_invitation(request, api_as, persona, invitation):
    client = api_as(request.getfixturevalue(persona))
    assert client.get(docx_url(invitation)).status_code == 404
    assert client.get(ics_url(invitation)).status_code == 404


def test_anonymous_is_asked_to_sign_in(api_as, invitation):
    assert api_as(None).get(docx_url(invitation)).status_code == 401
