"""The data package of a concluded consultation validates with frictionless, and every hash
and size in the descriptor matches the bytes its URL serves."""

import csv
import hashlib
import io
import json

import frictionless
from django.test import Client

RESOURCES = [
    "sections",
    "items",
    "comments",
    "responses",
    "proposals",
    "decisions",
    "follow_ups",
    "tallies",
    "vote_log",
]


def _package(consultation_id):
    answer = Client().get(f"/data/konsultasi/{consultation_id}/datapackage.json")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert answer["Access-Control-Allow-Origin"] == "*"
    return json.loads(answer.content)


def _csv(consultation_id, name):
    answer = Client().get(f"/data/konsultasi/{consultation_id}/{name}.csv")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    return answer.content


def test_the_package_describes_every_table_with_schema_licence_and_hash(concluded_consultation):
    package = _package(concluded_consultation.pk)
    assert [r["name"] for r in package["resources"]] == RESOURCES
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    for resource in package["resources"]:
        assert resource["path"] == f"{resource['name']}.csv"
        assert resource["hash"].startswith("sha256:")
        assert resource["schema"]["fields"], resource["name"]


def test_every_hash_and_size_matches_the_bytes_served(concluded_consultation):
    package = _package(concluded_consultation.pk)
    for resource in package["resources"]:
        data = _csv(concluded_consultation.pk, resource["name"])
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_the_package_validates_with_frictionless(concluded_consultation, tmp_path):
    package = _package(concluded_consultation.pk)
    for resource in package["resources"]:
        (tmp_path / resource["path"]).write_bytes(_csv(concluded_consultation.pk, resource["name"]))
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_changed_file_fails_its_hash(concluded_consultation, tmp_path):
    """The check is real: frictionless notices a byte that differs from the descriptor."""
    package = _package(concluded_consultation.pk)
    for resource in package["resources"]:
        (tmp_path / resource["path"]).write_bytes(_csv(concluded_consultation.pk, resource["name"]))
    tampered = (tmp_path / "follow_ups.csv").read_bytes().replace(b"40", b"90")
    (tmp_path / "follow_ups.csv").write_bytes(tampered)
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid


def test_the_tables_hold_what_the_consultation_published(concluded_consultation):
    def rows(name):
        text = _csv(concluded_consultation.pk, name).decode()
        return list(csv.DictReader(io.StringIO(text)))

    comments = rows("comments")
    assert {c["organization"] for c in comments} >= {"LSM Pelita Pasuruan"}
    assert any('"perlu" dinormalisasi,\r\nsegera.' in c["body"] for c in comments)
    assert [f["progress"] for f in rows("follow_ups")] == ["40"]
    assert {r["outcome"] for r in rows("responses")} == {"accepted", "noted"}
    assert [t["votes"] for t in rows("tallies") if t["choice"] == "for"] == ["1"]
    assert [v["organization"] for v in rows("vote_log")] == ["LSM Pelita Pasuruan"]
    assert [d["outcome"] for d in rows("decisions")] == ["accepted"]
    assert len(rows("proposals")) == 1
