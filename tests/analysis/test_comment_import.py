"""POST consultations/{id}/comment-imports/: written submissions from CSV or XLSX, all or
nothing, idempotent by ref, following the consultation's moderation setting."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from realtime.models import StreamEvent
from tests.analysis.conftest import csv_file, xlsx_file
from tests.factories import OrganizationFactory

GOOD = [
    [
        "F-001",
        "Pasal 3",
        "LSM Pelita Pasuruan",
        "Bu Sri",
        "setuju",
        "Mohon drainase diperbaiki.",
        "14-03-2025 09.30",
        "form",
    ],
    [
        "F-002",
        "",
        "Karang Taruna Kebonsari",
        "Pak Hadi",
        "oppose",
        "Pasar jangan dipindah.",
        "2025-03-14T10:00:00+07:00",
        "letter",
    ],
    ["F-003", "pasal  1", "", "Dewi", "Pertanyaan", "Kapan beasiswa dibuka?", "", "email"],
]


RPJMD_ROW = ["R-001", "Bab III", "", "Bu Sri", "setuju", "Mohon drainase diperbaiki.", "", "form"]


def url(consultation, **query):
    path = reverse("consultation-comment-imports", args=[consultation.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(api_as, user, consultation, upload, **query):
    return api_as(user).post(url(consultation, **query), {"file": upload}, format="multipart")


def test_a_planner_imports_a_csv_of_paper_forms(api_as, planner, open_consultation, organization):
    response = post(api_as, planner, open_consultation, csv_file(GOOD))
    assert response.status_code == 201, response.json()
    assert response.json() == {"imported": 3, "skipped": 0, "errors": []}
    first, second, third = Comment.objects.filter(consultation=open_consultation).order_by(
        "external_ref"
    )
    assert first.author is None and first.author_name == "Bu Sri"
    assert first.organization == organization  # matched to the registered organisation
    assert (first.stance, first.channel, first.status) == ("support", "form", "published")
    assert first.created_at == datetime.datetime(
        2025, 3, 14, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )
    assert second.organization is None
    assert second.organization_name == "Karang Taruna Kebonsari"  # kept as written
    assert (second.section, second.channel) == (None, "letter")
    assert third.section.number == "Pasal 1"
    assert third.organization is None and third.organization_name == ""


def test_sections_are_matched_as_the_page_shows_them_roman_or_not(api_as, official, rpjmd):
    rows = [
        ["A-1", "Bab III", "", "Sri", "support", "Satu.", "", ""],
        ["A-2", "bab 3", "", "Hadi", "support", "Dua.", "", ""],
        ["A-3", "Bab V Program Prioritas", "", "Dewi", "support", "Tiga.", "", ""],
    ]
    response = post(api_as, official, rpjmd, csv_file(rows))
    assert response.status_code == 201, response.json()
    numbers = dict(
        Comment.objects.filter(consultation=rpjmd).values_list("external_ref", "section__number")
    )
    assert numbers == {"A-1": "Bab III", "A-2": "Bab III", "A-3": "Bab V"}


def test_imported_comments_follow_pre_moderation(api_as, planner, rpjmd):
    response = post(api_as, planner, rpjmd, xlsx_file([RPJMD_ROW]))
    assert response.status_code == 201
    comment = Comment.objects.get(consultation=rpjmd)
    assert comment.status == Comment.Status.PENDING
    event = StreamEvent.objects.filter(stream=rpjmd.stream).last()
    assert event.type == "comment.submitted"  # to the moderators' view only


def test_a_file_with_bad_rows_imports_nothing_and_says_which_rows(api_as, planner, rpjmd):
    rows = [
        RPJMD_ROW,
        ["F-009", "Bab IX", "", "Rudi", "support", "Teks.", "", ""],
        ["F-010", "Bab I", "", "Ani", "mungkin", "Teks.", "", ""],
        ["F-011", "Bab I", "", "Ani", "support", "", "", ""],
        ["F-012", "Bab I", "", "Ani", "support", "Teks.", "kemarin", ""],
        ["F-013", "Bab I", "", "Ani", "support", "Teks.", "", "telepon"],
    ]
    response = post(api_as, planner, rpjmd, csv_file(rows))
    assert response.status_code == 400
    body = response.json()
    assert body["imported"] == 0
    assert [error["row"] for error in body["errors"]] == [3, 4, 5, 6, 7]
    assert "Bab IX" in body["errors"][0]["message"]
    assert not Comment.objects.filter(consultation=rpjmd).exists()


def test_row_errors_are_in_indonesian_by_default(api_as, planner, rpjmd):
    rows = [["F-1", "Bab I", "", "Ani", "mungkin", "Teks.", "", ""]]
    response = post(api_as, planner, rpjmd, csv_file(rows))
    message = response.json()["errors"][0]["message"]
    assert "Sikap" in message and "tidak dikenal" in message


def test_skip_invalid_imports_the_good_rows_and_reports_the_others(api_as, planner, rpjmd):
    rows = [RPJMD_ROW, ["F-010", "Bab I", "", "Ani", "mungkin", "Teks.", "", ""]]
    response = post(api_as, planner, rpjmd, csv_file(rows), skip_invalid=1)
    assert response.status_code == 201
    assert response.json()["imported"] == 1
    assert response.json()["skipped"] == 1
    assert [error["row"] for error in response.json()["errors"]] == [3]


def test_importing_the_same_refs_again_adds_nothing(api_as, planner, open_consultation):
    post(api_as, planner, open_consultation, csv_file(GOOD))
    response = post(api_as, planner, open_consultation, xlsx_file(GOOD))
    assert response.status_code == 200
    assert response.json() == {"imported": 0, "skipped": 3, "errors": []}
    assert Comment.objects.filter(consultation=open_consultation).count() == 3


def test_a_ref_twice_in_one_file_is_a_row_error(api_as, planner, open_consultation):
    response = post(api_as, planner, open_consultation, csv_file([GOOD[0], GOOD[0]]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3


def test_a_dry_run_checks_every_row_and_imports_none(api_as, planner, open_consultation):
    response = post(api_as, planner, open_consultation, csv_file(GOOD), dry_run=1)
    assert response.status_code == 200
    assert not Comment.objects.filter(consultation=open_consultation).exists()


def test_indonesian_column_names_and_semicolons_work_too(api_as, planner, open_consultation):
    upload = csv_file(
        [["Rina", "menolak", "Jangan ada pungutan di sekolah."]],
        header=["Nama", "Sikap", "Isi"],
    )
    upload.file.seek(0)
    content = upload.read().replace(b",", b";")
    response = api_as(planner).post(
        url(open_consultation),
        {"file": type(upload)("m.csv", content, content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    comment = Comment.objects.get(consultation=open_consultation)
    assert (comment.author_name, comment.stance, comment.channel) == ("Rina", "oppose", "form")


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "kosong.csv", "empty"),
        (b"nama,isi\nRina,Teks\n", "tanpa-sikap.csv", "stance"),
        (b"stance,body\n", "hanya-judul.csv", "no submissions"),
        (b"\xff\xfe\x00b\x00a", "utf16.csv", "UTF-8"),
        (b"PK\x03\x04 not really a workbook", "rusak.xlsx", "XLSX"),
    ],
)
def test_an_unreadable_file_is_a_400_with_a_reason(
    api_as, planner, open_consultation, content, name, fragment, settings
):
    response = api_as(planner).post(
        url(open_consultation),
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert fragment.lower() in str(response.json()).lower()


def test_without_a_file_the_answer_is_400(api_as, planner, open_consultation):
    response = api_as(planner).post(url(open_consultation), {}, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["member", "representative", "moderator", "citizen"])
def test_only_officials_and_planners_import(api_as, request, persona, open_consultation):
    user = request.getfixturevalue(persona)
    response = post(api_as, user, open_consultation, csv_file(GOOD))
    assert response.status_code == 403
    assert not Comment.objects.filter(consultation=open_consultation).exists()


def test_anonymous_is_asked_to_sign_in(api_as, open_consultation):
    assert post(api_as, None, open_consultation, csv_file(GOOD)).status_code == 401


def test_a_draft_takes_no_imports(api_as, official, draft_consultation):
    response = post(api_as, official, draft_consultation, csv_file(GOOD[1:2]))
    assert response.status_code == 409


def test_a_submission_dated_in_the_future_is_refused(api_as, planner, open_consultation):
    later = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%d-%m-%Y %H.%M")
    response = post(
        api_as,
        planner,
        open_consultation,
        csv_file([["X", "", "", "Ani", "support", "T.", later, ""]]),
    )
    assert response.status_code == 400


def test_imported_comments_show_their_channel_in_the_comments_api(
    api_as, planner, open_consultation, anonymous
):
    OrganizationFactory(name="Forum Warga")
    post(api_as, planner, open_consultation, csv_file(GOOD[1:2]))
    listed = api_as(None).get(f"/api/v1/consultations/{open_consultation.pk}/comments/").json()
    comment = listed["results"][0]
    assert comment["channel"] == "letter"
    assert comment["external_ref"] == "F-002"
    assert comment["author_name"] == "Pak Hadi"
    assert comment["organization_name"] == "Karang Taruna Kebonsari"
    assert comment["is_own"] is False
