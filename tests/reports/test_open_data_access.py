"""Only concluded consultations have open data; the catalogue lists them (page and API)."""

import pytest
from django.test import Client

from consultations.models import Consultation
from tests.factories import ConsultationFactory


@pytest.mark.parametrize(
    "status",
    [
        Consultation.Status.DRAFT,
        Consultation.Status.SCHEDULED,
        Consultation.Status.OPEN,
        Consultation.Status.CLOSED,
    ],
)
def test_a_consultation_not_yet_concluded_has_no_package(db, status):
    consultation = ConsultationFactory(status=status)
    client = Client()
    assert client.get(f"/data/konsultasi/{consultation.pk}/datapackage.json").status_code == 404
    assert client.get(f"/data/konsultasi/{consultation.pk}/comments.csv").status_code == 404


def test_unknown_ids_and_resources_are_404(concluded_consultation):
    client = Client()
    assert client.get("/data/konsultasi/999999/datapackage.json").status_code == 404
    answer = client.get(f"/data/konsultasi/{concluded_consultation.pk}/passwords.csv")
    assert answer.status_code == 404


def test_writes_are_refused(concluded_consultation):
    answer = Client().post(f"/data/konsultasi/{concluded_consultation.pk}/datapackage.json")
    assert answer.status_code == 405


def test_the_catalogue_lists_every_published_package(concluded_consultation):
    ConsultationFactory(status=Consultation.Status.CLOSED, title="Belum disimpulkan")
    page = Client().get("/data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert concluded_consultation.title in text
    assert f"/data/konsultasi/{concluded_consultation.pk}/datapackage.json" in text
    assert "Belum disimpulkan" not in text


def test_the_api_lists_the_packages(api_as, concluded_consultation, django_assert_max_num_queries):
    client = api_as(None)
    with django_assert_max_num_queries(3):
        answer = client.get("/api/v1/open-data/")
    assert answer.status_code == 200
    (entry,) = answer.json()["results"]
    assert entry["id"] == concluded_consultation.pk
    assert entry["license"] == "CC-BY-4.0"
    assert entry["datapackage"].endswith(
        f"/data/konsultasi/{concluded_consultation.pk}/datapackage.json"
    )


def test_the_api_schema_documents_the_catalogue(api_as):
    schema = api_as(None).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/open-data/" in schema["paths"]
