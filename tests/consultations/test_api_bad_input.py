"""Bad input gets a clear 4xx and leaves the database exactly as it was — never a 500."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Agency, Membership, Organization
from consultations.models import Consultation, DraftVersion, Item, Section
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 40
LONG = "x" * 60_000


def snapshot():
    models = [Agency, Consultation, DraftVersion, Item, Membership, Organization, Section]
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["User"] = list(get_user_model().objects.order_by("pk").values("pk", "username"))
    return state


@pytest.fixture
def world(
    official, representative, member, citizen, organization, open_consultation, draft_consultation
):
    UserFactory(username="calon")
    return {
        "official": official,
        "representative": representative,
        "citizen": citizen,
        "organization": organization.pk,
        "dedi": member.membership.pk,
        "open": open_consultation.pk,
        "draft": draft_consultation.pk,
        "draft_section": draft_consultation.sections.get().pk,
        "draft_item": ItemFactory(consultation=draft_consultation).pk,
    }


CONSULTATIONS = "/api/v1/consultations/"
ORGANIZATIONS = "/api/v1/organizations/"
DRAFT = "/api/v1/consultations/{draft}/"

# (who, method, path, body, expected status)
CASES = [
    # missing or wrongly typed fields
    ("official", "post", CONSULTATIONS, {}, 400),
    ("official", "post", CONSULTATIONS, {"title": None}, 400),
    ("official", "post", CONSULTATIONS, {"title": ["a", "b"]}, 400),
    ("official", "post", CONSULTATIONS, {"title": {"nested": True}}, 400),
    ("official", "post", CONSULTATIONS, {"title": "   "}, 400),
    ("official", "post", CONSULTATIONS, {"title": "\x00"}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "max_choices": "banyak"}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "max_choices": 0}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "max_choices": HUGE}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "max_choices": True}, 400),
    # oversized text
    ("official", "post", CONSULTATIONS, {"title": LONG}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "summary": LONG}, 400),
    # unknown choices and ids
    ("official", "post", CONSULTATIONS, {"title": "x", "kind": "perda"}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "ballot": "SECRET"}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "voting_method": 1}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "agency": 999999}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "agency": HUGE}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "agency": "satu"}, 400),
    # bad dates
    ("official", "post", CONSULTATIONS, {"title": "x", "opens_at": "besok"}, 400),
    ("official", "post", CONSULTATIONS, {"title": "x", "opens_at": "2026-02-30T10:00:00Z"}, 400),
    (
        "official",
        "post",
        CONSULTATIONS,
        {"title": "x", "opens_at": "9999-12-31T23:59:59-14:00"},
        400,
    ),
    (
        "official",
        "post",
        CONSULTATIONS,
        {"title": "x", "opens_at": "0001-01-01T00:00:00+14:00"},
        400,
    ),
    (
        "official",
        "post",
        CONSULTATIONS,
        {"title": "x", "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2026-11-01T00:00:00Z"},
        400,
    ),
    (
        "official",
        "patch",
        DRAFT,
        {"closes_at": "2000-01-01T00:00:00Z", "opens_at": "2001-01-01T00:00:00Z"},
        400,
    ),
    ("official", "patch", DRAFT, {"max_choices": -3}, 400),
    (
        "official",
        "patch",
        "/api/v1/consultations/{open}/",
        {"closes_at": "2001-01-01T00:00:00Z"},
        400,
    ),
    # sections
    ("official", "post", DRAFT + "sections/", {"number": "Bab II"}, 400),
    (
        "official",
        "post",
        DRAFT + "sections/",
        {"number": "Bab II", "heading": "H", "body": LONG * 2},
        400,
    ),
    (
        "official",
        "post",
        DRAFT + "sections/",
        {"number": "x" * 41, "heading": "H", "body": "B"},
        400,
    ),
    (
        "official",
        "post",
        DRAFT + "sections/",
        {"number": "Bab II", "heading": "H", "body": " "},
        400,
    ),
    ("official", "patch", DRAFT + "sections/{draft_section}/", {"position": "atas"}, 400),
    ("official", "patch", DRAFT + "sections/{draft_section}/", {"heading": ""}, 400),
    # items
    ("official", "post", DRAFT + "items/", {"title": "x", "budget_ceiling": "-5"}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "budget_ceiling": "1e400"}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "budget_ceiling": "NaN"}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "budget_ceiling": "0.001"}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "indicators": "satu"}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "indicators": [{"a": 1}]}, 400),
    ("official", "post", DRAFT + "items/", {"title": "x", "indicators": ["i"] * 51}, 400),
    ("official", "patch", DRAFT + "items/{draft_item}/", {"title": None}, 400),
    # organizations and members
    ("citizen", "post", ORGANIZATIONS, {"name": "LSM"}, 400),
    (
        "citizen",
        "post",
        ORGANIZATIONS,
        {"name": "LSM", "registration_number": "S-1", "registration_expires_on": "2030-02-30"},
        400,
    ),
    (
        "citizen",
        "post",
        ORGANIZATIONS,
        {"name": "LSM", "registration_number": "S-1", "registration_expires_on": "30/01/2030"},
        400,
    ),
    (
        "citizen",
        "post",
        ORGANIZATIONS,
        {
            "name": "LSM",
            "registration_number": "S-1",
            "registration_expires_on": "2030-01-01",
            "contact_email": "bukan-email",
        },
        400,
    ),
    (
        "citizen",
        "post",
        ORGANIZATIONS,
        {"name": "  ", "registration_number": "S-1", "registration_expires_on": "2030-01-01"},
        400,
    ),
    (
        "representative",
        "post",
        ORGANIZATIONS + "{organization}/members/",
        {"username": "calon", "role": "ketua"},
        400,
    ),
    ("representative", "post", ORGANIZATIONS + "{organization}/members/", {}, 400),
    (
        "representative",
        "patch",
        ORGANIZATIONS + "{organization}/members/{dedi}/",
        {"role": "boss"},
        400,
    ),
    ("official", "post", "/api/v1/agencies/", {"name": ""}, 400),
    ("official", "post", "/api/v1/agencies/", {"name": "x" * 201}, 400),
    # auth
    (
        None,
        "post",
        "/api/v1/auth/register/",
        {"username": "a b", "password": "Kuat-Sekali-99", "email": "a@b.id", "full_name": "A"},
        400,
    ),
    (
        None,
        "post",
        "/api/v1/auth/register/",
        {"username": "baru", "password": "x" * 200, "email": "a@b.id", "full_name": "A"},
        400,
    ),
    (None, "post", "/api/v1/auth/token/", {"username": ["warga"], "password": 1}, 400),
    # unknown ids and wrong state
    ("official", "post", "/api/v1/consultations/999999/publish/", None, 404),
    ("official", "post", f"/api/v1/consultations/{HUGE}/publish/", None, 404),
    ("official", "patch", DRAFT + "sections/999999/", {"heading": "x"}, 404),
    ("official", "patch", DRAFT + "items/999999/", {"title": "x"}, 404),
    ("official", "post", "/api/v1/consultations/{draft}/versions/9/publish/", None, 404),
    ("official", "post", ORGANIZATIONS + "999999/verify/", None, 404),
    ("representative", "delete", ORGANIZATIONS + "{organization}/members/999999/", None, 404),
    ("official", "post", "/api/v1/consultations/{open}/publish/", None, 409),
    ("official", "post", "/api/v1/consultations/{open}/conclude/", None, 409),
    ("official", "post", "/api/v1/consultations/{draft}/close/", None, 409),
    ("official", "post", "/api/v1/consultations/{open}/items/", {"title": "Terlambat"}, 409),
    ("official", "post", ORGANIZATIONS + "{organization}/verify/", None, 409),
    (
        "representative",
        "post",
        ORGANIZATIONS + "{organization}/members/",
        {"username": "warga", "role": "member"},
        202,
    ),  # control: a valid body does change things (an invitation)
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "expected"),
    CASES,
    ids=[f"{i}-{case[1]}-{case[4]}" for i, case in enumerate(CASES)],
)
def test_bad_input_gets_a_4xx_and_changes_nothing(api_as, world, who, method, path, body, expected):
    client = api_as(world[who] if who else None)
    before = snapshot()
    call = getattr(client, method)
    url = path.format(**world)
    response = call(url, body, format="json") if body is not None else call(url)
    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert snapshot() == before
        assert response.json()  # a message, not an empty body


@pytest.mark.parametrize(
    ("content_type", "payload", "expected"),
    [
        ("application/json", b"{not json", 400),
        ("application/json", b"\xff\xfe\x00", 400),
        ("application/json", b"[1, 2, 3]", 400),
        ("application/json", b'"just a string"', 400),
        ("application/json", b"null", 400),
        ("text/plain", b"title=x", 415),
        ("application/xml", b"<title>x</title>", 415),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    api_as, official, content_type, payload, expected
):
    before = snapshot()
    response = api_as(official).post(CONSULTATIONS, data=payload, content_type=content_type)
    assert response.status_code == expected
    assert snapshot() == before


def test_a_body_over_the_upload_limit_is_refused(api_as, official):
    before = snapshot()
    payload = b'{"title": "' + b"x" * 1_100_000 + b'"}'
    response = api_as(official).post(CONSULTATIONS, data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert snapshot() == before


@pytest.mark.parametrize(
    "query",
    [
        "status=nope",
        "kind[]=rpjmd",
        f"agency={HUGE}",
        "opens_after=not-a-date",
        "closes_before=9999-12-31T23:59:59-14:00",
        "page=0",
        "page=abc",
        f"page={HUGE}",
    ],
)
def test_bad_query_parameters_are_4xx(api_client, open_consultation, query):
    response = api_client.get(f"{CONSULTATIONS}?{query}")
    assert response.status_code in (200, 400, 404)
    if "status=" in query or "agency=" in query or "after=" in query or "before=" in query:
        assert response.status_code == 400


def test_a_long_search_is_cut_not_an_error(api_client, open_consultation):
    response = api_client.get(f"{CONSULTATIONS}?q={'a' * 5000}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_unknown_consultation_is_404_under_every_nested_path(api_client):
    for suffix in (
        "",
        "sections/",
        "versions/",
        "items/",
        "sections/1/",
        "versions/1/",
        "items/1/",
    ):
        assert api_client.get(f"/api/v1/consultations/999999/{suffix}").status_code == 404


def test_the_browsable_api_and_options_answer_every_issue_2_endpoint(
    client, official, open_consultation, organization, representative
):
    client.force_login(official)
    section = open_consultation.sections.first()
    item = open_consultation.items.get()
    base = f"/api/v1/consultations/{open_consultation.pk}/"
    for path in [
        "/api/v1/",
        "/api/v1/agencies/",
        "/api/v1/auth/me/",
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/organizations/",
        f"/api/v1/organizations/{organization.pk}/",
        f"/api/v1/organizations/{organization.pk}/members/",
        "/api/v1/consultations/",
        base,
        base + "sections/",
        base + f"sections/{section.pk}/",
        base + "versions/",
        base + "versions/1/",
        base + "items/",
        base + f"items/{item.pk}/",
        f"/api/v1/items/{item.pk}/",
    ]:
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), path
        assert client.options(path).status_code == 200, path
