import datetime
import hashlib
import io

import openpyxl
import pytest

from consultations.models import Consultation
from tests.feedback_data import consultation_with_comments


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def workbook_of(client, consultation, query=""):
    response = client.get(f"/api/v1/consultations/{consultation.pk}/export.xlsx{query}")
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content)), response, content


def test_the_workbook_has_the_five_sheets_in_order(api_as, planner, world):
    book, response, _content = workbook_of(api_as(planner), world.consultation)

    assert book.sheetnames == ["Ringkasan", "Komentar", "Tanggapan", "Suara", "Organisasi"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]


def test_comment_sheet_is_checked_cell_by_cell(api_as, planner, world):
    book, _response, _content = workbook_of(api_as(planner), world.consultation)
    sheet = book["Komentar"]
    first = world.published[0]

    assert sheet["A1"].value == "ID"
    assert sheet["B1"].value == "Waktu (WIB)"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width == 80
    assert sheet["A2"].value == first.pk
    assert sheet["B2"].value == datetime.datetime(2026, 11, 27, 9, 15, 30)
    assert sheet["B2"].is_date
    assert sheet["C2"].value == "Pasal 1"
    assert sheet["D2"].value == "Ketentuan Umum"
    assert sheet["F2"].value == "support"
    assert sheet["G2"].value == "LSM Pelita Pasuruan"
    assert sheet["I2"].value == "published"
    assert sheet["J2"].value == first.body
    assert sheet["K2"].value == "partially_accepted"
    assert sheet["L2"].value == "Taman kampung dimasukkan ke penjelasan Pasal 1."
    # The codes' Indonesian labels follow, as in the CSV.
    assert [sheet["Q1"].value, sheet["R1"].value, sheet["S1"].value, sheet["T1"].value] == [
        "Keterangan sikap",
        "Keterangan status",
        "Keterangan hasil tanggapan",
        "Keterangan saluran",
    ]
    assert [sheet["Q2"].value, sheet["R2"].value, sheet["S2"].value, sheet["T2"].value] == [
        "Mendukung",
        "Ditayangkan",
        "Diterima sebagian",
        "Daring",
    ]
    assert sheet.max_row == 1 + len(world.published)


def test_a_body_that_looks_like_a_formula_stays_text(api_as, planner, world):
    book, _response, _content = workbook_of(api_as(planner), world.consultation)
    cell = book["Komentar"]["J3"]

    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_response_matrix_counts_answers_per_section(api_as, planner, world):
    book, _response, _content = workbook_of(api_as(planner), world.consultation)
    rows = list(book["Tanggapan"].iter_rows(values_only=True))

    header = rows[0]
    assert header[:3] == ("Bagian", "Judul", "Komentar")
    by_section = {row[0]: row for row in rows[1:]}
    pasal1 = dict(zip(header, by_section["Pasal 1"], strict=True))
    pasal2 = dict(zip(header, by_section["Pasal 2"], strict=True))
    assert pasal1["Komentar"] == 1
    assert pasal1["Diterima sebagian"] == 1
    assert pasal1["Belum ditanggapi"] == 0
    assert pasal2["Komentar"] == 2
    assert pasal2["Sudah ditanggapi"] == 0
    assert pasal2["Belum ditanggapi"] == 2
    assert by_section["Pasal 3"][2] == 0  # only hidden/pending comments there


def test_summary_has_items_totals_participation_and_a_bar_chart(api_as, planner, world):
    book, _response, _content = workbook_of(api_as(planner), world.consultation)
    sheet = book["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:2] == ("Butir", "Kode")
    assert rows[0][2:6] == ("Setuju", "Tidak setuju", "Abstain", "Jumlah suara")
    titles = [row[0] for row in rows[1:3]]
    assert titles == [item.title for item in world.items]
    labels = {row[0]: row[1] for row in rows if row and row[0]}
    assert labels["Jumlah komentar"] == 3
    assert labels["Organisasi terverifikasi"] == 1
    assert labels["Organisasi yang berpartisipasi"] == 1
    assert labels["Partisipasi (%)"] == 100.0
    assert len(sheet._charts) == 1
    assert sheet._charts[0].type == "bar"


def test_organization_sheet_lists_who_took_part(api_as, planner, world, other_organization):
    book, _response, _content = workbook_of(api_as(planner), world.consultation)
    rows = list(book["Organisasi"].iter_rows(values_only=True))

    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["LSM Pelita Pasuruan"][5] == 2
    assert by_name["LSM Pelita Pasuruan"][7] == "Ya"
    assert by_name["LSM Harapan Bangsa"][7] == "Tidak"
    assert isinstance(by_name["LSM Harapan Bangsa"][4], datetime.datetime)


def test_secret_ballot_leaves_out_the_vote_sheet(api_as, planner, world):
    Consultation.objects.filter(pk=world.consultation.pk).update(ballot="secret")

    book, response, _content = workbook_of(api_as(planner), world.consultation)

    assert "Suara" not in book.sheetnames
    assert response["X-Export-Votes"] == "hidden"


def test_the_checksum_header_and_sidecar_match_the_file(api_as, planner, world):
    client = api_as(planner)
    _book, response, content = workbook_of(client, world.consultation)

    digest = hashlib.sha256(content).hexdigest()
    assert response["X-Export-SHA256"] == digest
    sidecar = client.get(
        f"/api/v1/consultations/{world.consultation.pk}/export.xlsx.sha256"
        f"?export={response['X-Export-Id']}"
    )
    assert sidecar.content.decode().split()[0] == digest


def test_moderator_may_include_hidden_comments_in_the_workbook(api_as, moderator, world):
    book, _response, _content = workbook_of(
        api_as(moderator), world.consultation, "?include=hidden"
    )
    ids = [row[0] for row in book["Komentar"].iter_rows(min_row=2, values_only=True)]

    assert world.hidden.pk in ids
    assert world.pending.pk not in ids
