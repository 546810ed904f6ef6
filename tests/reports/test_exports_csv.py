import csv
import hashlib
import io
from collections.abc import Iterator
from types import GeneratorType

import pytest
from django.http import StreamingHttpResponse

from tests.feedback_data import consultation_with_comments


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def download(client, consultation, query=""):
    response = client.get(f"/api/v1/consultations/{consultation.pk}/export.csv{query}")
    return response


def rows_of(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")))), content


def test_planner_gets_one_row_per_published_comment_with_the_bom(api_as, planner, world):
    response = download(api_as(planner), world.consultation)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows, _content = rows_of(response)
    header, *body = rows
    assert header[:3] == ["ID", "Waktu (WIB)", "Nomor bagian"]
    assert len(header) == 20
    assert [int(row[0]) for row in body] == [c.pk for c in world.published]


def test_a_row_carries_time_in_wib_section_organization_and_response(api_as, planner, world):
    rows, _content = rows_of(download(api_as(planner), world.consultation))
    first = rows[1]

    assert first[1] == "2026-11-27 09:15:30"
    assert first[2:4] == ["Pasal 1", "Ketentuan Umum"]
    assert first[5] == "support"
    assert first[6] == "LSM Pelita Pasuruan"
    assert first[8] == "published"
    assert first[9].startswith("Definisi ruang terbuka hijau")
    assert first[10] == "partially_accepted"
    assert first[11] == "Taman kampung dimasukkan ke penjelasan Pasal 1."


def test_bodies_keep_newlines_and_formulas_are_neutralised(api_as, planner, world):
    rows, _content = rows_of(download(api_as(planner), world.consultation))
    second, third = rows[2], rows[3]

    assert second[4] == "Program Ruang Terbuka Hijau"
    assert second[7] == "Siti Aminah"
    assert second[9].startswith("'=HYPERLINK")
    assert third[9] == "Bagaimana warga pesisir dilibatkan?\nMohon dijelaskan."


def test_the_response_is_streamed_from_an_iterator(api_as, planner, world):
    response = download(api_as(planner), world.consultation)

    assert isinstance(response, StreamingHttpResponse)
    assert isinstance(response.streaming_content, Iterator)
    assert isinstance(response._iterator, GeneratorType)  # never a list built in memory


def test_hidden_pending_and_rejected_comments_are_never_exported_to_planners(
    api_as, planner, world
):
    rows, content = rows_of(download(api_as(planner), world.consultation))

    ids = {int(row[0]) for row in rows[1:]}
    assert ids.isdisjoint({world.pending.pk, world.hidden.pk, world.rejected.pk})
    assert b"menunggu moderasi" not in content


def test_planner_cannot_ask_for_hidden_comments(api_as, planner, world):
    response = download(api_as(planner), world.consultation, "?include=hidden")

    assert response.status_code == 403


def test_moderator_who_asks_explicitly_gets_hidden_and_pending(api_as, moderator, world):
    response = download(api_as(moderator), world.consultation, "?include=hidden,pending")

    rows, _content = rows_of(response)
    statuses = {row[0]: row[8] for row in rows[1:]}
    assert statuses[str(world.hidden.pk)] == "hidden"
    assert statuses[str(world.pending.pk)] == "pending"
    assert str(world.rejected.pk) not in statuses
    assert response["X-Export-Comments"] == "5"


def test_an_unknown_status_to_include_is_a_clear_400(api_as, moderator, world):
    response = download(api_as(moderator), world.consultation, "?include=deleted")

    assert response.status_code == 400
    assert "include" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?stance=question", ["third"]),
        ("?section={pasal2}", ["second", "third"]),
        ("?item={programme}", ["second"]),
        ("?organization={organization}", ["first", "third"]),
        ("?q=pesisir", ["third"]),
    ],
)
def test_the_comment_filters_narrow_the_export(
    api_as, planner, world, organization, query, expected
):
    names = dict(zip(("first", "second", "third"), world.published, strict=True))
    query = query.format(
        pasal2=world.sections[1].pk, programme=world.items[1].pk, organization=organization.pk
    )
    rows, _content = rows_of(download(api_as(planner), world.consultation, query))

    assert [int(row[0]) for row in rows[1:]] == [names[name].pk for name in expected]


def test_a_bad_filter_value_is_a_400(api_as, planner, world):
    response = download(api_as(planner), world.consultation, "?stance=angry")

    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "representative"])
def test_only_planners_officials_and_moderators_may_export(api_as, world, persona, request):
    user = request.getfixturevalue(persona)

    response = download(api_as(user), world.consultation)

    assert response.status_code in (401, 403)


def test_official_may_export(api_as, official, world):
    assert download(api_as(official), world.consultation).status_code == 200


def test_unknown_consultation_is_404(api_as, planner, db):
    response = api_as(planner).get("/api/v1/consultations/999999/export.csv")

    assert response.status_code == 404


def test_the_sidecar_gives_the_sha256_of_exactly_the_bytes_sent(api_as, planner, world):
    client = api_as(planner)
    response = download(client, world.consultation)
    content = b"".join(response.streaming_content)
    export_id = response["X-Export-Id"]

    sidecar = client.get(
        f"/api/v1/consultations/{world.consultation.pk}/export.csv.sha256?export={export_id}"
    )

    assert sidecar.status_code == 200
    digest, filename = sidecar.content.decode().split()
    assert digest == hashlib.sha256(content).hexdigest()
    assert filename.endswith(".csv")
    assert sidecar["X-Export-Bytes"] == str(len(content))
    assert f"export={export_id}" in response["Link"]


def test_the_sidecar_is_404_before_the_download_finished(api_as, planner, world):
    client = api_as(planner)
    response = download(client, world.consultation)
    export_id = response["X-Export-Id"]  # not consumed yet

    sidecar = client.get(
        f"/api/v1/consultations/{world.consultation.pk}/export.csv.sha256?export={export_id}"
    )

    assert sidecar.status_code == 404


def test_totals_travel_in_the_headers(api_as, planner, world):
    response = download(api_as(planner), world.consultation)

    assert response["X-Export-Comments"] == "3"
    assert response["X-Export-Schema-Version"] == "1"
    assert "X-Export-Votes" in response


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_export_streams_from_an_async_iterator(async_client):
    from asgiref.sync import sync_to_async

    from tests.factories import CommentFactory, ConsultationFactory, UserFactory

    def build():
        planner = UserFactory(username="budi-async", groups=["planners"])
        consultation = ConsultationFactory()
        comments = CommentFactory.create_batch(3, consultation=consultation)
        return planner, consultation, comments

    planner, consultation, comments = await sync_to_async(build)()
    await async_client.aforce_login(planner)

    response = await async_client.get(f"/api/v1/consultations/{consultation.pk}/export.csv")

    assert response.status_code == 200
    assert response.is_async
    content = b"".join([chunk async for chunk in response.streaming_content])
    lines = content.decode("utf-8-sig").splitlines()
    assert [int(line.split(",")[0]) for line in lines[1:]] == [c.pk for c in comments]


def test_moderator_may_use_the_comments_api_status_filter(api_as, moderator, world):
    rows, _content = rows_of(download(api_as(moderator), world.consultation, "?status=hidden"))

    assert [int(row[0]) for row in rows[1:]] == [world.hidden.pk]


def test_planner_asking_for_hidden_through_the_status_filter_is_refused(api_as, planner, world):
    assert download(api_as(planner), world.consultation, "?status=hidden").status_code == 403


def test_the_comments_api_has_response_filter_applies(api_as, planner, world):
    rows, _content = rows_of(download(api_as(planner), world.consultation, "?has_response=true"))

    assert [int(row[0]) for row in rows[1:]] == [world.answered.pk]
