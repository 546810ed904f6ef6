"""The lists officials keep (categories, criteria), the areas, and who decides where."""

import pytest

from aspirations import lists
from aspirations.models import Category, OfficialScope, Stage
from backend.errors import Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def test_officials_add_and_retire_categories(api_as, official, citizen):
    answer = api_as(official).post(
        "/api/v1/aspiration-categories/", {"name": "Perhubungan"}, format="json"
    )
    assert answer.status_code == 201
    pk = answer.json()["id"]
    assert (
        api_as(citizen)
        .post("/api/v1/aspiration-categories/", {"name": "Lain"}, format="json")
        .status_code
        == 403
    )
    answer = api_as(official).patch(
        f"/api/v1/aspiration-categories/{pk}/", {"is_active": False}, format="json"
    )
    assert answer.json()["is_active"] is False


def test_a_category_name_is_not_taken_twice(api_as, official, public_works):
    answer = api_as(official).post(
        "/api/v1/aspiration-categories/",
        {"name": public_works.name.upper()},
        format="json",
    )
    assert answer.status_code == 409
    assert Category.objects.count() == 1


def test_the_city_areas_are_the_4_kecamatan_and_34_kelurahan(api_as):
    answer = api_as(None).get("/api/v1/aspiration-areas/").json()
    areas = {row["name"]: [k["name"] for k in row["kelurahan"]] for row in answer["results"]}
    assert sorted(areas) == ["Bugul Kidul", "Gadingrejo", "Panggungrejo", "Purworejo"]
    assert sum(len(names) for names in areas.values()) == 34
    assert "Mandaranrejo" in areas["Panggungrejo"]


def test_only_an_administrator_assigns_a_stage(official, planner, superuser, kel_panggungrejo):
    with pytest.raises(NotAllowed):
        lists.official_scope_set(actor=official, user=official, stage=Stage.KOTA)
    with pytest.raises(Invalid):  # planners are no officials
        lists.official_scope_set(actor=superuser, user=planner, stage=Stage.KOTA)
    with pytest.raises(Invalid):  # a kelurahan official needs a kelurahan
        lists.official_scope_set(actor=superuser, user=official, stage=Stage.KELURAHAN)
    scope = lists.official_scope_set(
        actor=superuser, user=official, stage=Stage.KELURAHAN, kelurahan=kel_panggungrejo
    )
    assert (scope.stage, scope.kelurahan, scope.kecamatan) == ("kelurahan", kel_panggungrejo, None)
    lists.official_scope_set(actor=superuser, user=official, stage=Stage.KOTA)
    assert OfficialScope.objects.get(user=official).stage == "kota"
    lists.official_scope_clear(actor=superuser, user=official)
    assert not OfficialScope.objects.exists()
