from decimal import Decimal

import pytest

from consultations.models import Item
from tests.factories import ConsultationFactory, ItemFactory

pytestmark = pytest.mark.django_db


def url(consultation, suffix=""):
    return f"/api/v1/consultations/{consultation.pk}/items/{suffix}"


PROGRAMME = {
    "title": "Program Peningkatan Kualitas Air Minum",
    "description": "Perluasan jaringan SPAM ke kelurahan pesisir.",
    "code": "1.03.02",
    "budget_ceiling": "12500000000.00",
    "programme_path": "Misi 2 › Sasaran 2.1",
    "indicators": ["Cakupan layanan air minum (%)", "Kehilangan air (%)"],
}


def test_anyone_reads_the_items_of_an_open_consultation(api_client, open_consultation):
    response = api_client.get(url(open_consultation))
    assert response.status_code == 200
    assert [row["title"] for row in response.json()] == ["Rancangan secara keseluruhan"]


def test_an_item_is_readable_by_its_own_id(api_client, open_consultation):
    item = open_consultation.items.get()
    response = api_client.get(f"/api/v1/items/{item.pk}/")
    assert response.status_code == 200
    assert response.json()["consultation"] == open_consultation.pk


def test_items_of_a_draft_are_404_for_the_public(api_client, api_as, official, draft_consultation):
    item = ItemFactory(consultation=draft_consultation)
    assert api_client.get(f"/api/v1/items/{item.pk}/").status_code == 404
    assert api_client.get(url(draft_consultation)).status_code == 404
    assert api_as(official).get(f"/api/v1/items/{item.pk}/").status_code == 200


def test_official_adds_an_rpjmd_programme(api_as, official, draft_consultation):
    response = api_as(official).post(url(draft_consultation), PROGRAMME, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "1.03.02"
    assert body["budget_ceiling"] == "12500000000.00"
    assert body["indicators"] == PROGRAMME["indicators"]
    item = Item.objects.get(pk=body["id"])
    assert item.budget_ceiling == Decimal("12500000000.00")
    assert item.programme_path == "Misi 2 › Sasaran 2.1"


def test_items_change_only_while_the_consultation_is_a_draft(api_as, official, open_consultation):
    client = api_as(official)
    item = open_consultation.items.get()
    assert client.post(url(open_consultation), PROGRAMME, format="json").status_code == 409
    assert (
        client.patch(
            url(open_consultation, f"{item.pk}/"), {"title": "X"}, format="json"
        ).status_code
        == 409
    )
    assert client.delete(url(open_consultation, f"{item.pk}/")).status_code == 409
    item.refresh_from_db()
    assert item.title == "Rancangan secara keseluruhan"


def test_official_edits_and_deletes_a_draft_item(api_as, official, draft_consultation):
    client = api_as(official)
    item = ItemFactory(consultation=draft_consultation)
    response = client.patch(
        url(draft_consultation, f"{item.pk}/"), {"budget_ceiling": "750000000"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["budget_ceiling"] == "750000000.00"
    put = client.put(url(draft_consultation, f"{item.pk}/"), {"title": "Judul"}, format="json")
    assert put.status_code == 200
    assert client.delete(url(draft_consultation, f"{item.pk}/")).status_code == 204
    assert not Item.objects.filter(pk=item.pk).exists()


def test_a_negative_budget_is_400(api_as, official, draft_consultation):
    body = {**PROGRAMME, "budget_ceiling": "-1"}
    response = api_as(official).post(url(draft_consultation), body, format="json")
    assert response.status_code == 400
    assert "budget_ceiling" in response.json()
    assert not draft_consultation.items.exists()


def test_an_item_of_another_consultation_is_404(api_as, official, draft_consultation):
    other = ItemFactory(consultation=ConsultationFactory(status="draft"))
    response = api_as(official).patch(
        url(draft_consultation, f"{other.pk}/"), {"title": "X"}, format="json"
    )
    assert response.status_code == 404


def test_planner_cannot_add_items(api_as, planner, draft_consultation):
    assert (
        api_as(planner).post(url(draft_consultation), PROGRAMME, format="json").status_code == 403
    )
    assert not draft_consultation.items.exists()


def test_listing_items_takes_a_fixed_number_of_queries(api_client, django_assert_max_num_queries):
    consultation = ConsultationFactory()
    ItemFactory.create_batch(30, consultation=consultation)
    with django_assert_max_num_queries(2):
        assert len(api_client.get(url(consultation)).json()) == 30
