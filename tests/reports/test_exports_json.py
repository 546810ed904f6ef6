import hashlib
import json

import pytest

from tests.feedback_data import consultation_with_comments


@pytest.fixture
def world(open_consultation, organization, representative, official):
    return consultation_with_comments(open_consultation, organization, representative, official)


def document_of(client, consultation, query=""):
    response = client.get(f"/api/v1/consultations/{consultation.pk}/export.json{query}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return json.loads(content), response, content


def test_the_document_names_its_schema_and_version(api_as, planner, world):
    document, response, _content = document_of(api_as(planner), world.consultation)

    assert document["schema"] == "ruang-dialog/consultation-export"
    assert document["version"] == 1
    assert document["export_id"] == response["X-Export-Id"]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(document) >= {
        "consultation",
        "sections",
        "items",
        "tallies",
        "comments",
        "responses",
        "votes",
        "vote_log",
        "totals",
    }


def test_comments_carry_the_same_fields_as_the_csv(api_as, planner, world):
    document, _response, _content = document_of(api_as(planner), world.consultation)
    first = document["comments"][0]

    assert [c["id"] for c in document["comments"]] == [c.pk for c in world.published]
    assert first["created_at"] == "2026-11-27T09:15:30"
    assert first["section_number"] == "Pasal 1"
    assert first["organization"] == "LSM Pelita Pasuruan"
    assert first["response_outcome"] == "partially_accepted"
    # JSON is not a spreadsheet: bodies are exactly as written.
    assert document["comments"][1]["body"].startswith("=HYPERLINK")


def test_totals_and_sections_and_items_are_there(api_as, planner, world):
    document, _response, _content = document_of(api_as(planner), world.consultation)

    assert document["totals"]["comments"] == 3
    assert [s["number"] for s in document["sections"]] == ["Pasal 1", "Pasal 2", "Pasal 3"]
    assert [i["title"] for i in document["items"]] == [i.title for i in world.items]
    assert [t["item"] for t in document["tallies"]] == [i.pk for i in world.items]


def test_filters_apply_to_the_json_too(api_as, planner, world):
    document, response, _content = document_of(
        api_as(planner), world.consultation, "?stance=oppose"
    )

    assert [c["id"] for c in document["comments"]] == [world.published[1].pk]
    assert document["totals"]["comments"] == 1
    assert response["X-Export-Comments"] == "1"


def test_secret_ballot_gives_no_per_organization_votes(api_as, planner, world):
    world.consultation.ballot = "secret"
    world.consultation.save(update_fields=["ballot"])

    document, _response, _content = document_of(api_as(planner), world.consultation)

    assert document["votes"] is None


def test_json_sidecar_matches_the_streamed_bytes(api_as, planner, world):
    client = api_as(planner)
    _document, response, content = document_of(client, world.consultation)

    sidecar = client.get(
        f"/api/v1/consultations/{world.consultation.pk}/export.json.sha256"
        f"?export={response['X-Export-Id']}"
    )
    assert sidecar.content.decode().split()[0] == hashlib.sha256(content).hexdigest()


def test_a_sidecar_of_another_format_is_not_found(api_as, planner, world):
    client = api_as(planner)
    _document, response, _content = document_of(client, world.consultation)

    sidecar = client.get(
        f"/api/v1/consultations/{world.consultation.pk}/export.csv.sha256"
        f"?export={response['X-Export-Id']}"
    )
    assert sidecar.status_code == 404
