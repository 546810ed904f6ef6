"""Exports keep the codes for machines (`oppose`, `published`) and add their labels for
people, in the request's language, Indonesian by default (issue 17, exports)."""

import csv
import io
import json

import openpyxl
import pytest
from django.utils import translation

from reports import exports
from tests.feedback_data import consultation_with_comments

LABEL_HEADINGS = [
    "Keterangan sikap",
    "Keterangan status",
    "Keterangan hasil tanggapan",
    "Keterangan saluran",
]


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def csv_rows(client, consultation, query="", **headers):
    response = client.get(f"/api/v1/consultations/{consultation.pk}/export.csv{query}", **headers)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(header, row, strict=True)) for row in rows], header


def test_the_csv_keeps_the_codes_and_adds_indonesian_labels_at_the_end(api_as, planner, world):
    rows, header = csv_rows(api_as(planner), world.consultation)
    assert header[-4:] == LABEL_HEADINGS
    first = rows[0]
    assert (first["Sikap"], first["Keterangan sikap"]) == ("support", "Mendukung")
    assert (first["Status"], first["Keterangan status"]) == ("published", "Ditayangkan")
    assert first["Hasil tanggapan"] == "partially_accepted"
    assert first["Keterangan hasil tanggapan"] == "Diterima sebagian"
    assert (first["Saluran"], first["Keterangan saluran"]) == ("online", "Daring")


def test_every_stance_gets_its_label(api_as, planner, world):
    rows, _header = csv_rows(api_as(planner), world.consultation)
    labels = {"support": "Mendukung", "oppose": "Menolak", "neutral": "Netral"}
    labels["question"] = "Pertanyaan"
    for row in rows:
        assert row["Keterangan sikap"] == labels[row["Sikap"]]


def test_a_comment_without_a_response_has_no_outcome_label(api_as, planner, world):
    rows, _header = csv_rows(api_as(planner), world.consultation)
    unanswered = [row for row in rows if not row["Hasil tanggapan"]]
    assert unanswered
    assert all(row["Keterangan hasil tanggapan"] == "" for row in unanswered)


def test_hidden_and_pending_comments_get_their_status_labels(api_as, moderator, world):
    rows, _header = csv_rows(api_as(moderator), world.consultation, "?include=hidden,pending")
    by_code = {row["Status"]: row["Keterangan status"] for row in rows}
    assert by_code["hidden"] == "Disembunyikan"
    assert by_code["pending"] == "Menunggu"


def test_the_labels_follow_the_requests_language(api_as, planner, world):
    rows, _header = csv_rows(api_as(planner), world.consultation, HTTP_ACCEPT_LANGUAGE="en")
    first = rows[0]
    assert (first["Sikap"], first["Keterangan sikap"]) == ("support", "Support")
    assert first["Keterangan status"] == "Published"


def test_the_xlsx_has_the_same_columns(api_as, planner, world):
    response = api_as(planner).get(f"/api/v1/consultations/{world.consultation.pk}/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, first, *_rest = list(book["Komentar"].iter_rows(values_only=True))
    row = dict(zip(header, first, strict=True))
    assert list(header[-4:]) == LABEL_HEADINGS
    assert (row["Sikap"], row["Keterangan sikap"]) == ("support", "Mendukung")
    assert (row["Status"], row["Keterangan status"]) == ("published", "Ditayangkan")


def test_the_json_records_carry_the_labels_beside_the_codes(api_as, planner, world):
    response = api_as(planner).get(f"/api/v1/consultations/{world.consultation.pk}/export.json")
    record = json.loads(b"".join(response.streaming_content))["comments"][0]
    assert (record["stance"], record["stance_label"]) == ("support", "Mendukung")
    assert (record["status"], record["status_label"]) == ("published", "Ditayangkan")
    assert record["channel_label"] == "Daring"


def test_the_labels_are_sql_so_the_copy_path_writes_them(world):
    """One CASE per label column in the query: no translation per row in Python, and on
    PostgreSQL the COPY of that query writes the labels (the CSV tests above run there)."""
    with translation.override("id"):  # the labels are in the language of the request
        rows = exports.comment_rows(world.consultation.comments.all())
        sql = str(rows.query)
    assert sql.count("CASE") >= 4
    assert "Mendukung" in sql and "Ditayangkan" in sql
