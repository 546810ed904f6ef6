"""CC BY 4.0 unless the consultation says otherwise."""

import json

from django.test import Client

from consultations.models import Consultation


def test_the_consultation_chooses_another_licence(concluded_consultation):
    Consultation.objects.filter(pk=concluded_consultation.pk).update(data_license="CC0-1.0")
    answer = Client().get(f"/data/konsultasi/{concluded_consultation.pk}/datapackage.json")
    (licence,) = json.loads(answer.content)["licenses"]
    assert licence["name"] == "CC0-1.0"
    assert licence["path"] == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_an_official_sets_the_licence_when_creating_it(api_as, official):
    client = api_as(official)
    made = client.post("/api/v1/consultations/", {"title": "Uji", "data_license": "ODbL-1.0"})
    assert made.status_code == 201, made.json()
    assert made.json()["data_license"] == "ODbL-1.0"
    default = client.post("/api/v1/consultations/", {"title": "Uji 2"})
    assert default.json()["data_license"] == "CC-BY-4.0"
    bad = client.post("/api/v1/consultations/", {"title": "Uji 3", "data_license": "proprietary"})
    assert bad.status_code == 400
    assert "data_license" in bad.json()
