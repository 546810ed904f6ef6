"""Where the analysis and the written submissions show: the dashboard section, the import
page, the comment pages' "Masukan tertulis" label, the final report's summary by theme, the
XLSX export's columns."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from analysis import services
from comments import moderation as comment_moderation
from comments import services as comment_services
from consultations.models import Consultation
from tests.analysis.conftest import csv_file
from tests.factories import CommentFactory, UserFactory

LETTER = (
    "Kami warga nelayan meminta tambatan perahu di muara diperbaiki sebelum musim angin "
    "barat karena perahu sering rusak terbentur tanggul."
)


@pytest.fixture
def analysed(open_consultation, pasal_1, analyse):
    for n in range(5):
        CommentFactory(
            consultation=open_consultation,
            section=pasal_1,
            author=UserFactory(username=f"nelayan{n}"),
            body=LETTER + f" Salam, nelayan {n}.",
        )
    for body in (
        "Lampu jalan di gang kami mati, gelap sekali waktu malam.",
        "Lampu PJU di jalan kampung mati dan warga takut keluar malam.",
        "Sampah di TPS menumpuk, truk sampah jarang datang.",
        "Truk sampah tidak datang seminggu, sampah menumpuk di gang.",
    ):
        CommentFactory(consultation=open_consultation, body=body)
    analyse(open_consultation)
    return open_consultation


def dashboard(client, consultation) -> str:
    return client.get(reverse("consultation-dashboard", args=[consultation.pk])).content.decode()


def test_the_dashboard_shows_themes_and_the_campaign_with_its_text(client, planner, analysed):
    client.force_login(planner)
    html = dashboard(client, analysed)
    section = html.split('id="analisis"')[1]
    assert "Tema dan kampanye" in section
    assert "5 komentar hampir sama" in section and "5 pengirim" in section
    assert "tambatan perahu" in section  # the campaign's text, once
    assert "Tanggapi 5 komentar sekaligus" in section
    assert "Impor masukan tertulis" in section


def test_a_moderator_reads_it_but_gets_no_answer_or_import_forms(client, moderator, analysed):
    client.force_login(moderator)
    section = dashboard(client, analysed).split('id="analisis"')[1]
    assert "Tema dan kampanye" in section
    assert "sekaligus" not in section and "Impor masukan tertulis" not in section


def test_the_dashboard_says_when_the_result_is_out_of_date(client, planner, analysed, member):
    comment_services.comment_create(
        actor=member, consultation=analysed, stance="support", body="Setuju dengan Pasal 1."
    )
    client.force_login(planner)
    assert 'status-stale" id="analysis-status"' in dashboard(client, analysed)


def test_a_hidden_campaign_letter_never_shows_as_a_quote(client, planner, moderator, analysed):
    letter = analysed.comments.filter(body__startswith="Kami warga nelayan").first()
    group = analysed.analysis.groups.get()
    group.representative = letter
    group.save()
    comment_moderation.comment_hide(actor=moderator, comment=letter, reason="Spam")
    client.force_login(planner)
    assert "Salam, nelayan 0." not in dashboard(client, analysed)


def test_the_import_page_previews_then_imports(client, official, open_consultation):
    client.force_login(official)
    page = reverse("consultation-comment-import", args=[open_consultation.pk])
    assert "Impor masukan tertulis" in client.get(page).content.decode()
    rows = [["P-1", "Pasal 1", "", "Sri", "setuju", "Mohon jalan diperbaiki.", "", "form"]]
    html = client.post(page, {"file": csv_file(rows)}).content.decode()
    assert "1 siap diimpor" in html and "Mohon jalan diperbaiki." in html
    assert not open_consultation.comments.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    assert client.post(page, {"token": token}).status_code == 302
    assert open_consultation.comments.get().author_name == "Sri"


def test_an_expired_upload_is_said_so(client, official, open_consultation):
    client.force_login(official)
    page = reverse("consultation-comment-import", args=[open_consultation.pk])
    html = client.post(page, {"token": "gone"}).content.decode()
    assert "kedaluwarsa" in html


def test_a_member_cannot_open_the_import_page(client, member, open_consultation):
    client.force_login(member)
    page = reverse("consultation-comment-import", args=[open_consultation.pk])
    assert client.get(page).status_code == 403


def test_written_submissions_are_labelled_where_comments_show(client, planner, open_consultation):
    services.comment_import(
        actor=planner,
        consultation=open_consultation,
        upload=csv_file([["S-1", "", "Paguyuban Becak", "", "menolak", "Tolak.", "", "letter"]]),
    )
    html = client.get(f"/konsultasi/{open_consultation.pk}/komentar/").content.decode()
    assert "Masukan tertulis · Surat" in html
    assert "Paguyuban Becak" in html


def test_the_final_report_sums_up_the_input_by_theme(client, analysed, analyse):
    Consultation.objects.filter(pk=analysed.pk).update(
        status=Consultation.Status.CONCLUDED, concluded_at=timezone.now()
    )
    html = client.get(reverse("consultation-final-report", args=[analysed.pk])).content.decode()
    section = html.split('id="themes-title"')[1]
    assert "Ringkasan masukan per tema" in html
    assert "5 dalam kampanye" in section


def test_the_xlsx_export_carries_channel_ref_theme_and_group(client, planner, analysed):
    client.force_login(planner)
    response = client.get(f"/api/v1/consultations/{analysed.pk}/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = list(book["Komentar"].iter_rows(values_only=True))
    at = header.index("Saluran")
    assert header[at : at + 4] == ("Saluran", "Ref", "Tema", "Kelompok duplikat")
    assert all(row[at] == "online" and row[at + 2] for row in rows)
    assert all(row[header.index("Keterangan saluran")] == "Daring" for row in rows)
    assert sum(1 for row in rows if row[at + 3]) == 5
