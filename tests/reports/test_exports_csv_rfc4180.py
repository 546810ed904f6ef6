"""CSV exports are RFC 4180 and spreadsheet-safe on both paths: Python's writer (SQLite)
and PostgreSQL's COPY (issue 14, finding 4).

Rows end in CRLF; every field holding a CR, LF, quote or comma is quoted; and a cell, and
every line inside a cell, that starts like a formula (= + - @ tab CR) starts with "'", so
even a reader that splits rows at any line break never starts a line with a formula.
"""

import csv
import io

import pytest
from django.db import connection

from reports import exports
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

# body as written → the cell as exported
PAYLOADS = {
    "Setuju.\r=cmd|' /C calc'!A0": "Setuju.\r'=cmd|' /C calc'!A0",
    'Setuju.\n=HYPERLINK("http://x.example","klik")': (
        'Setuju.\n\'=HYPERLINK("http://x.example","klik")'
    ),
    "Setuju.\r\n@SUM(1+1)*cmd|' /C calc'!A0": "Setuju.\r\n'@SUM(1+1)*cmd|' /C calc'!A0",
    "Poin:\n+1 untuk taman\n-2 untuk parkir\n\t=x": (
        "Poin:\n'+1 untuk taman\n'-2 untuk parkir\n'\t=x"
    ),
    "\r=cmd|' /C calc'!A0": "'\r'=cmd|' /C calc'!A0",
    "=1+1": "'=1+1",
    'Kutipan "Pasal 3", dengan koma': 'Kutipan "Pasal 3", dengan koma',
    "Biasa saja, tanpa baris baru.": "Biasa saja, tanpa baris baru.",
}


@pytest.fixture
def risky_export(open_consultation, planner, api_as):
    author = UserFactory(
        username="penulis-csv", first_name="=Nama\r@Penulis", privacy__show_name=True
    )
    comments = [
        CommentFactory(consultation=open_consultation, author=author, body=body)
        for body in PAYLOADS
    ]
    response = api_as(planner).get(f"/api/v1/consultations/{open_consultation.pk}/export.csv")
    assert response.status_code == 200
    return comments, b"".join(response.streaming_content)


def records_outside_quotes(content: bytes) -> list[bytes]:
    """Every line break outside quotes, in order (what ends a record)."""
    breaks, quoted, index = [], False, 0
    while index < len(content):
        byte = content[index : index + 1]
        if byte == b'"':
            quoted = not quoted
        elif not quoted and byte in (b"\r", b"\n"):
            pair = content[index : index + 2]
            breaks.append(pair if pair == b"\r\n" else byte)
            index += len(breaks[-1])
            continue
        index += 1
    return breaks


def check_rfc4180_and_guarded(comments, content: bytes) -> None:
    assert content.startswith(b"\xef\xbb\xbf")
    breaks = records_outside_quotes(content)
    assert breaks == [b"\r\n"] * (len(comments) + 1)  # header + one row each, CRLF only
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert len(rows) == len(comments) + 1
    by_id = {int(row[0]): row for row in rows[1:]}
    for comment, expected in zip(comments, PAYLOADS.values(), strict=True):
        assert by_id[comment.pk][9] == expected
        assert by_id[comment.pk][7] == "'=Nama\r'@Penulis"
    # A reader splitting at any CR or LF (universal newlines) never starts a line with a formula.
    for line in text.splitlines():
        assert not line.startswith(("=", "+", "-", "@", "\t")), repr(line)


def test_the_csv_export_follows_rfc_4180_and_guards_every_line(risky_export):
    """On SQLite this is Python's writer; in the PostgreSQL run, COPY."""
    check_rfc4180_and_guarded(*risky_export)


@pytest.mark.postgres
def test_the_copy_path_follows_rfc_4180_and_guards_every_line(
    open_consultation, planner, api_as, monkeypatch
):
    copies = []
    real_copy = exports._copy_csv
    monkeypatch.setattr(exports, "_copy_csv", lambda rows: copies.append(rows) or real_copy(rows))
    author = UserFactory(
        username="penulis-copy", first_name="=Nama\r@Penulis", privacy__show_name=True
    )
    comments = [
        CommentFactory(consultation=open_consultation, author=author, body=body)
        for body in PAYLOADS
    ]

    response = api_as(planner).get(f"/api/v1/consultations/{open_consultation.pk}/export.csv")

    content = b"".join(response.streaming_content)
    assert connection.vendor == "postgresql" and len(copies) == 1
    check_rfc4180_and_guarded(comments, content)


def test_a_field_with_a_lone_cr_is_quoted(risky_export):
    """Python's writer quotes a field holding any character of its line terminator; with
    CRLF that is every CR and LF (with a bare LF terminator it left a lone CR unquoted)."""
    comments, content = risky_export
    cr_row = next(c for c in comments if c.body.startswith("Setuju.\r="))
    assert f"{cr_row.pk},".encode() in content
    assert b"\"Setuju.\r'=cmd|' /C calc'!A0\"" in content


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_crlf_row_ends_turn_only_record_ends_into_crlf_across_any_chunking(size):
    copy_output = b'1,"a\nb",x\n2,"say ""hi""\nthere",\n3,,"\r"\n'
    chunks = [copy_output[i : i + size] for i in range(0, len(copy_output), size)]

    converted = b"".join(exports.crlf_row_ends(chunks))

    assert converted == b'1,"a\nb",x\r\n2,"say ""hi""\nthere",\r\n3,,"\r"\r\n'
