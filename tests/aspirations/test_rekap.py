"""Rekap usulan: the stage's recap for an area as XLSX and CSV, in ranking order."""

import csv
import io

import openpyxl
import pytest

from aspirations import decisions

pytestmark = pytest.mark.django_db


@pytest.fixture
def kecamatan_stage(lurah, propose, citizen, representative, criteria, camat):
    """Two proposals forwarded to Kecamatan Panggungrejo, scored there; one decided."""
    risky = propose(citizen, title='=HYPERLINK("http://jahat.example")', rw="2")
    plain = propose(representative, title="Perbaikan saluran")
    for proposal in (risky, plain):
        decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    decisions.aspiration_score(actor=camat, aspiration=plain, scores=[(criteria[0], 5)])
    decisions.aspiration_score(actor=camat, aspiration=risky, scores=[(criteria[0], 2)])
    decisions.aspiration_decide(
        actor=camat,
        aspiration=risky,
        outcome="rejected",
        reason="Tidak jelas lokasinya.\r\n=cmd|' /C calc'!A0",
    )
    return plain, risky


def test_the_xlsx_opens_in_ranking_order_with_scores_and_decisions(
    client, kecamatan_stage, panggungrejo, criteria
):
    plain, risky = kecamatan_stage
    answer = client.get(
        f"/api/v1/aspirations/rekap.xlsx?stage=kecamatan&kecamatan={panggungrejo.pk}"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rekap-usulan-kecamatan-panggungrejo" in answer["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("No.", "Nomor usulan", "Judul")  # Indonesian by default
    assert "Urgensi" in header and "Skor total" in header and "Keputusan" in header
    assert [row[1] for row in rows[1:]] == [plain.pk, risky.pk]
    record = dict(zip(header, rows[2], strict=True))
    assert record["Judul"] == '=HYPERLINK("http://jahat.example")'  # text, not a formula
    assert record["Keputusan"] == "Ditolak"
    assert record["Urgensi"] == 2
    cell = book.worksheets[0].cell(row=3, column=3)
    assert cell.data_type == "s"


def test_the_csv_is_rfc_4180_and_spreadsheet_safe(client, kecamatan_stage, panggungrejo):
    answer = client.get(
        f"/api/v1/aspirations/rekap.csv?stage=kecamatan&kecamatan={panggungrejo.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    risky = dict(zip(header, rows[2], strict=True))
    assert risky["Title"].startswith("'=")
    assert risky["Reason"] == "Tidak jelas lokasinya.\r\n'=cmd|' /C calc'!A0"
    assert risky["RW"] == "02"


def test_the_kelurahan_stage_needs_its_kelurahan(client):
    answer = client.get("/api/v1/aspirations/rekap.csv?stage=kelurahan")
    assert answer.status_code == 400


def test_the_city_rekap_is_the_default(client, kecamatan_stage):
    answer = client.get("/api/v1/aspirations/rekap.csv")
    assert answer.status_code == 200
    assert "rekap-usulan-kota-kota" in answer["Content-Disposition"]
