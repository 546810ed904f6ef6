"""Issue 16's "Done means", as a new user would: `planner` uploads an XLSX of 300 paper
forms to the RPJMD consultation, sees the row errors, fixes them; the dashboard shows the
themes and a campaign of 40 near-identical letters within a minute; the planner answers
that campaign once and sees the answer on each of its 40 comments in the response matrix
and in the export.

The 300 forms come from bench/data/analysis_labelled.jsonl: the Pasar Besar letter in 40
variants made by small edits, and 260 others (nine themes written by hand, with three smaller
campaigns among them)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from analysis import tasks
from comments import moderation as comment_moderation
from comments.models import Comment
from tests.analysis.conftest import xlsx_file

LABELLED = Path(__file__).resolve().parents[2] / "bench" / "data" / "analysis_labelled.jsonl"


def forms() -> list[list]:
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines()]
    letters = [r for r in rows if r["group"] == "c-pasar"]
    others = [r for r in rows if r["group"] != "c-pasar"][:260]
    return [
        [
            f"F-{n:03d}",
            row["section"],
            "",
            f"Warga {n}",
            "menolak" if row["group"] == "c-pasar" else "setuju",
            row["text"],
            "14-03-2025 09.30",
            "letter" if row["group"] == "c-pasar" else "form",
        ]
        for n, row in enumerate(letters + others, start=1)
    ]


@pytest.fixture
def scheduled(monkeypatch):
    delays = []
    monkeypatch.setattr(tasks.analyze, "schedule", lambda args, delay: delays.append(delay))
    return delays


def test_three_hundred_paper_forms_to_one_answer_on_forty_letters(
    client, planner, moderator, rpjmd, scheduled, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    page = reverse("consultation-comment-import", args=[rpjmd.pk])
    rows = forms()
    broken = [list(row) for row in rows]
    broken[10][4] = "setujuh"  # typo in the stance
    broken[50][1] = "Bab VII"  # no such chapter
    broken[99][5] = ""  # the text was not typed in

    # 1. Upload: the page shows the first rows and the three errors, in Indonesian.
    html = client.post(page, {"file": xlsx_file(broken)}).content.decode()
    assert "300 baris dibaca" in html
    assert "297 siap diimpor" in html
    for row_number in (12, 52, 101):
        assert f'<td class="num">{row_number}</td>' in html
    assert "Sikap “setujuh” tidak dikenal" in html
    assert "Bagian “Bab VII” tidak ada" in html
    assert not Comment.objects.filter(consultation=rpjmd).exists()

    # 2. The fixed file: checked, then imported in one go.
    html = client.post(page, {"file": xlsx_file(rows)}).content.decode()
    assert "300 siap diimpor" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"token": token})
    assert response.status_code == 302
    assert Comment.objects.filter(consultation=rpjmd, channel__in=["form", "letter"]).count() == 300

    # The RPJMD is pre-moderated: a moderator approves the forms in the queue.
    with django_capture_on_commit_callbacks(execute=True):
        for comment in Comment.objects.filter(consultation=rpjmd, status="pending"):
            comment_moderation.comment_approve(actor=moderator, comment=comment)

    # 3. The job was queued to run within a minute; the queue runs it.
    assert scheduled and max(scheduled) <= 60
    assert tasks.analyze.call_local(rpjmd.pk) == "ready"
    dashboard = client.get(reverse("consultation-dashboard", args=[rpjmd.pk])).content.decode()
    assert "Tema dan kampanye" in dashboard
    assert "40 komentar hampir sama" in dashboard  # the biggest group comes first
    assert "40 pengirim" in dashboard
    group = rpjmd.analysis.groups.get(position=0)
    letters = set(
        Comment.objects.filter(consultation=rpjmd, channel="letter").values_list("pk", flat=True)
    )
    assert set(group.placements.values_list("comment_id", flat=True)) == letters

    # 4. The planner answers the campaign once.
    client.post(
        reverse("consultation-group-respond-page", args=[rpjmd.pk, group.pk]),
        {
            "outcome": "partially_accepted",
            "body": "Revitalisasi Pasar Besar dilakukan bertahap di tempat.",
        },
    )

    # 5. Each of the 40 letters carries the answer in the response matrix ...
    matrix = client.get(reverse("response-matrix", args=[rpjmd.pk])).content.decode()
    for pk in letters:
        row = matrix.split(f'id="komentar-{pk}"')[1].split("</tr>")[0]
        assert "Revitalisasi Pasar Besar dilakukan bertahap di tempat." in row
        assert "Masukan tertulis" in row

    # ... and in the export, with its theme and group.
    export = client.get(f"/api/v1/consultations/{rpjmd.pk}/export.csv")
    table = list(
        csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    )
    answered = [r for r in table if int(r["ID"]) in letters]
    assert len(answered) == 40
    assert {r["Tanggapan"] for r in answered} == {
        "Revitalisasi Pasar Besar dilakukan bertahap di tempat."
    }
    assert {r["Kelompok duplikat"] for r in answered} == {str(group.pk)}
    assert {r["Saluran"] for r in answered} == {"letter"}
    assert all(r["Tema"] for r in table)
