import datetime
import io

import docx
import pytest

from accounts.names import public_name
from comments.models import Comment
from hearings import services as hearing_services
from hearings.models import AgendaItem, Attendance
from realtime.models import StreamEvent
from reports import minutes
from tests.factories import (
    AgencyFactory,
    AgendaItemFactory,
    AttendanceFactory,
    CommentFactory,
    HearingFactory,
    ManualCountFactory,
)
from tests.feedback_data import consultation_with_comments


@pytest.fixture
def hearing(
    open_consultation,
    organization,
    other_organization,
    representative,
    other_representative,
    official,
):
    world = consultation_with_comments(open_consultation, organization, representative, official)
    open_consultation.agency = AgencyFactory(
        name="Badan Perencanaan Pembangunan Daerah", acronym="Bappeda"
    )
    open_consultation.save(update_fields=["agency"])
    hearing = HearingFactory(
        consultation=open_consultation,
        title="Forum Konsultasi Publik Ranperwal RTH",
        starts_at=datetime.datetime(2022, 12, 21, 2, 0, tzinfo=datetime.UTC),  # 09.00 WIB
        location="Ruang Rapat Bappeda Kota Pasuruan",
        chair_name="Ir. Hadi Santoso, M.T.",
        agreements="Pasal 1 ditambah taman kampung.\nPasal 2 diberi indikator terukur.",
    )
    AgendaItemFactory(hearing=hearing, title="Pembukaan", position=1)
    AgendaItemFactory(
        hearing=hearing, title="Pembahasan Program RTH", item=world.items[1], position=2
    )
    AttendanceFactory(hearing=hearing, organization=organization, method=Attendance.Method.QR)
    AttendanceFactory(hearing=hearing, organization=other_organization)
    ManualCountFactory(
        hearing=hearing, item=world.items[1], counts={"for": 12, "against": 3, "abstain": 1}
    )
    return hearing


def open_docx(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == minutes.DOCX_CONTENT_TYPE
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return document, text, tables


def test_minutes_open_with_the_heading_block_and_the_date_in_words(api_as, official, hearing):
    _document, text, _tables = open_docx(
        api_as(official).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    )

    assert text.startswith("PEMERINTAH KOTA PASURUAN\nBADAN PERENCANAAN PEMBANGUNAN DAERAH")
    assert "BERITA ACARA" in text
    assert "Nomor: ……/……/Bappeda/2022" in text
    assert (
        "Pada hari Rabu tanggal dua puluh satu bulan Desember tahun dua ribu dua puluh dua, "
        "pukul 09.00 WIB" in text
    )
    assert "bertempat di Ruang Rapat Bappeda Kota Pasuruan" in text


def test_minutes_list_the_agenda_and_the_attendance(api_as, planner, hearing):
    _document, text, tables = open_docx(
        api_as(planner).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    )

    assert "1. Pembukaan" in text
    assert "2. Pembahasan Program RTH" in text
    assert "2 (dua) organisasi" in text
    attendance = tables[0]
    assert attendance[0] == ["No", "Organisasi", "Waktu hadir", "Cara"]
    assert [row[1] for row in attendance[1:]] == ["LSM Harapan Bangsa", "LSM Pelita Pasuruan"]


def test_minutes_give_stance_counts_and_tallies_each_labelled(api_as, official, hearing):
    _document, text, _tables = open_docx(
        api_as(official).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    )

    assert "1 komentar: Mendukung 0, Menolak 1, Netral 0, Pertanyaan 0" in text
    assert "Menolak: =HYPERLINK" in text
    assert "Hitung manual (angkat tangan): Setuju 12, Tidak setuju 3, Abstain 1, jumlah 16" in text
    assert "Suara daring (Ruang Dialog): " in text


def test_minutes_carry_the_agreements_and_signature_blocks(
    api_as, official, hearing, representative
):
    _document, text, tables = open_docx(
        api_as(official).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")
    )

    assert "1. Pasal 1 ditambah taman kampung." in text
    assert "2. Pasal 2 diberi indikator terukur." in text
    assert "Pasuruan, 21 Desember 2022" in text
    assert "Pimpinan Rapat," in text
    assert "Ir. Hadi Santoso, M.T." in text
    signatures = tables[-1]
    assert signatures[0] == ["No", "Organisasi", "Nama perwakilan", "Tanda tangan"]
    # The representative's public name (accounts.names.public_name; docs/PRIVACY.md).
    assert signatures[2][1:3] == ["LSM Pelita Pasuruan", public_name(representative)]


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "representative", "moderator"])
def test_only_officials_and_planners_download_the_minutes(api_as, hearing, persona, request):
    user = request.getfixturevalue(persona)

    response = api_as(user).get(f"/api/v1/hearings/{hearing.pk}/minutes.docx")

    assert response.status_code in (401, 403)


def test_minutes_of_an_unknown_hearing_are_404(api_as, official, db):
    assert api_as(official).get("/api/v1/hearings/987654/minutes.docx").status_code == 404


def test_points_made_in_the_hearing_come_first(hearing, official, organization):
    item = hearing.agenda.get(position=2).item
    for n in range(3):
        CommentFactory(
            consultation=hearing.consultation, item=item, stance="oppose", body=f"Daring {n}"
        )
    CommentFactory(
        consultation=hearing.consultation,
        item=item,
        hearing=hearing,
        organization=organization,
        stance="oppose",
        body="Disampaikan langsung di ruang rapat.",
    )

    built = minutes.build(hearing=hearing, user=official)

    section = built.agenda[1]
    assert section.in_hearing == 1
    assert section.main_points[0]["text"] == "Disampaikan langsung di ruang rapat."
    assert section.main_points[0]["organization"] == "LSM Pelita Pasuruan"
    assert len(section.main_points) == 3


def test_official_writes_the_agreements_before_printing(client, official, hearing):
    client.force_login(official)

    response = client.post(
        f"/hearings/{hearing.pk}/minutes/agreements/",
        {"agreements": "Disepakati tiga hal.\r\nSatu lagi.", "chair_name": "Drs. Wahyu"},
    )

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.agreements == "Disepakati tiga hal.\nSatu lagi."
    assert hearing.chair_name == "Drs. Wahyu"
    page = client.get(f"/hearings/{hearing.pk}/minutes/").content.decode()
    assert "<li>Disepakati tiga hal.</li>" in page
    assert "Drs. Wahyu" in page


def test_planner_reads_the_minutes_page_but_cannot_edit_the_agreements(client, planner, hearing):
    client.force_login(planner)

    page = client.get(f"/hearings/{hearing.pk}/minutes/")
    response = client.post(f"/hearings/{hearing.pk}/minutes/agreements/", {"agreements": "x"})

    assert page.status_code == 200
    assert "BERITA ACARA" in page.content.decode()
    assert 'name="agreements"' not in page.content.decode()
    assert response.status_code == 403
    hearing.refresh_from_db()
    assert hearing.agreements.startswith("Pasal 1")


def test_agreements_can_still_be_written_after_the_hearing_ended(client, official, hearing):
    hearing.status = hearing.Status.ENDED
    hearing.save(update_fields=["status"])
    client.force_login(official)

    client.post(f"/hearings/{hearing.pk}/minutes/agreements/", {"agreements": "Final."})

    hearing.refresh_from_db()
    assert hearing.agreements == "Final."


def test_too_long_agreements_are_refused_without_a_change(client, official, hearing):
    client.force_login(official)

    response = client.post(
        f"/hearings/{hearing.pk}/minutes/agreements/", {"agreements": "x" * 20001}
    )

    assert response.status_code == 400
    hearing.refresh_from_db()
    assert hearing.agreements.startswith("Pasal 1")


def test_moderator_cannot_read_the_minutes_page(client, moderator, hearing):
    client.force_login(moderator)

    assert client.get(f"/hearings/{hearing.pk}/minutes/").status_code == 403


def _at(minute: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, 6, 2, minute, tzinfo=datetime.UTC)  # 09.xx WIB


@pytest.fixture
def five_item_hearing(open_consultation, official):
    """A live hearing with five agenda items; the chair moved on at 09.10, 09.20, 09.30 and
    09.40 (the `agenda.changed` events of hearing_start and hearing_advance)."""
    hearing = HearingFactory(consultation=open_consultation, title="Forum Lima Agenda")
    rows = [
        AgendaItemFactory(hearing=hearing, title=title, position=n)
        for n, title in enumerate(["Pembukaan", "Paparan", "Tanya jawab", "Pasal 3", "Penutup"], 1)
    ]
    hearing = hearing_services.hearing_start(actor=official, hearing=hearing)
    for _row in rows[1:]:
        hearing = hearing_services.hearing_advance(actor=official, hearing=hearing)
    changes = StreamEvent.objects.filter(stream=hearing.stream, type="agenda.changed")
    for minute, event in zip((0, 10, 20, 30, 40), changes.order_by("seq"), strict=True):
        StreamEvent.objects.filter(pk=event.pk).update(created_at=_at(minute))
    return hearing, rows


def room_comment(hearing, minute, body, organization=None):
    comment = CommentFactory(
        consultation=hearing.consultation,
        hearing=hearing,
        item=None,
        organization=organization,
        stance="question",
        body=body,
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=_at(minute))
    return comment


def points(section) -> list[str]:
    return [point["text"] for point in section.main_points]


def test_a_room_comment_is_listed_once_under_the_agenda_item_current_when_it_was_said(
    five_item_hearing, official
):
    hearing, _rows = five_item_hearing
    room_comment(hearing, 5, "Kapan rancangan ini berlaku?")
    room_comment(hearing, 33, "Pasal 3 perlu contoh.")

    built = minutes.build(hearing=hearing, user=official)

    listed = [(section.position, points(section)) for section in built.agenda]
    assert listed == [
        (1, ["Kapan rancangan ini berlaku?"]),
        (2, []),
        (3, []),
        (4, ["Pasal 3 perlu contoh."]),
        (5, []),
    ]
    assert [section.in_hearing for section in built.agenda] == [1, 0, 0, 1, 0]


def test_a_room_comment_at_the_closing_item_stays_there(five_item_hearing, official):
    hearing, _rows = five_item_hearing
    room_comment(hearing, 45, "Terima kasih atas forumnya.")

    built = minutes.build(hearing=hearing, user=official)

    assert [section.comment_total for section in built.agenda] == [0, 0, 0, 0, 1]


def test_a_room_comment_joins_the_comments_on_the_agenda_items_consultation_item(
    five_item_hearing, official
):
    hearing, rows = five_item_hearing
    item = hearing.consultation.items.first()
    AgendaItem.objects.filter(pk=rows[3].pk).update(item=item)
    CommentFactory(consultation=hearing.consultation, item=item, body="Daring tentang butir.")
    room_comment(hearing, 35, "Di ruangan tentang butir.")

    built = minutes.build(hearing=hearing, user=official)

    assert sorted(points(built.agenda[3])) == ["Daring tentang butir.", "Di ruangan tentang butir."]
    assert built.agenda[3].in_hearing == 1
    assert all(section.comment_total == 0 for n, section in enumerate(built.agenda) if n != 3)
