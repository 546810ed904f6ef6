import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation, DraftVersion
from tests.factories import AgencyFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/consultations/"


def detail(consultation, suffix=""):
    return f"/api/v1/consultations/{consultation.pk}/{suffix}"


def titles(response):
    return {row["title"] for row in response.json()["results"]}


def new_consultation(**overrides):
    now = timezone.now()
    return {
        "title": "Rancangan Perwali tentang Pasar Rakyat",
        "kind": "policy_draft",
        "summary": "Penataan pasar rakyat di Kota Pasuruan.",
        "opens_at": (now + datetime.timedelta(days=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=30)).isoformat(),
        "voting_method": "stance",
        "max_choices": 1,
        "ballot": "open",
        "moderation": "post",
        "audience": "lsm",
        **overrides,
    }


# Reading ---------------------------------------------------------------------------------


def test_anyone_reads_open_consultations_but_not_drafts(
    api_client, open_consultation, draft_consultation
):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == {"Ranperwal Ruang Terbuka Hijau"}
    assert api_client.get(detail(draft_consultation)).status_code == 404


@pytest.mark.parametrize("persona", ["official", "planner", "moderator"])
def test_staff_roles_see_drafts(request, api_as, persona, open_consultation, draft_consultation):
    client = api_as(request.getfixturevalue(persona))
    assert titles(client.get(LIST)) == {"Ranperwal Ruang Terbuka Hijau", "Draf RPJMD"}
    assert client.get(detail(draft_consultation)).json()["status"] == "draft"


def test_detail_shows_the_current_version(api_client, open_consultation):
    body = api_client.get(detail(open_consultation)).json()
    assert body["current_version"] == 1
    assert body["agency"]["name"] == open_consultation.agency.name


def test_unknown_consultation_is_404(api_client):
    assert api_client.get("/api/v1/consultations/999999/").status_code == 404
    assert api_client.get("/api/v1/consultations/abc/").status_code == 404


# Filters ---------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    bappeda = AgencyFactory(name="Bappeda Kota Pasuruan", acronym="Bappeda")
    now = timezone.now()
    ConsultationFactory(
        title="RPJMD 2025-2029",
        kind="rpjmd",
        agency=bappeda,
        audience="public",
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=5),
    )
    ConsultationFactory(
        title="Perwali Parkir",
        kind="policy_draft",
        summary="Tarif parkir tepi jalan",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        status="closed",
    )
    ConsultationFactory(
        title="Lainnya",
        kind="other",
        status="concluded",
        opens_at=now - datetime.timedelta(days=100),
        closes_at=now - datetime.timedelta(days=90),
    )
    return bappeda


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=closed", {"Perwali Parkir"}),
        ("status=open", {"RPJMD 2025-2029"}),
        ("kind=rpjmd", {"RPJMD 2025-2029"}),
        ("audience=public", {"RPJMD 2025-2029"}),
        ("q=parkir", {"Perwali Parkir"}),
        ("q=TARIF", {"Perwali Parkir"}),
        ("q=", {"RPJMD 2025-2029", "Perwali Parkir", "Lainnya"}),
        ("kind=rpjmd&status=closed", set()),
    ],
)
def test_consultations_filter(api_client, catalogue, query, expected):
    response = api_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_by_agency(api_client, catalogue):
    assert titles(api_client.get(f"{LIST}?agency={catalogue.pk}")) == {"RPJMD 2025-2029"}


def test_filter_by_date_ranges(api_client, catalogue):
    now = timezone.now()
    after = (now - datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert titles(api_client.get(f"{LIST}?opens_after={after}")) == {"RPJMD 2025-2029"}
    assert titles(api_client.get(f"{LIST}?closes_before={after}")) == {
        "Perwali Parkir",
        "Lainnya",
    }


@pytest.mark.parametrize(
    "query", ["status=bogus", "kind=x", "agency=abc", "agency=99999", "opens_after=kemarin"]
)
def test_bad_filters_are_400(api_client, catalogue, query):
    assert api_client.get(f"{LIST}?{query}").status_code == 400


def test_listing_consultations_takes_a_fixed_number_of_queries(
    api_client, django_assert_max_num_queries
):
    ConsultationFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        response = api_client.get(LIST)
    assert response.json()["count"] == 30


def test_listing_as_an_official_takes_a_fixed_number_of_queries(
    api_as, official, django_assert_max_num_queries
):
    ConsultationFactory.create_batch(30, status="draft")
    client = api_as(official)
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert response.json()["count"] == 30


# Writing ---------------------------------------------------------------------------------


def test_official_creates_a_draft(api_as, official):
    agency = AgencyFactory()
    response = api_as(official).post(LIST, new_consultation(agency=agency.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["agency"]["id"] == agency.pk
    assert body["current_version"] == 1
    consultation = Consultation.objects.get(pk=body["id"])
    assert consultation.created_by == official
    assert DraftVersion.objects.filter(consultation=consultation).count() == 1


def test_approval_voting_with_max_choices(api_as, official):
    response = api_as(official).post(
        LIST, new_consultation(kind="rpjmd", voting_method="approval", max_choices=3), format="json"
    )
    assert response.status_code == 201
    assert response.json()["max_choices"] == 3


def test_a_minimal_consultation_needs_only_a_title(api_as, official):
    response = api_as(official).post(LIST, {"title": "Singkat"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "other"


def test_planner_cannot_create(api_as, planner):
    response = api_as(planner).post(LIST, new_consultation(), format="json")
    assert response.status_code == 403
    assert not Consultation.objects.exists()


def test_anonymous_create_is_401(api_client):
    assert api_client.post(LIST, new_consultation(), format="json").status_code == 401


def test_official_edits_a_draft(api_as, official, draft_consultation):
    response = api_as(official).patch(
        detail(draft_consultation), {"ballot": "secret", "max_choices": 2}, format="json"
    )
    assert response.status_code == 200
    draft_consultation.refresh_from_db()
    assert draft_consultation.ballot == "secret"
    assert draft_consultation.max_choices == 2


def test_put_replaces_the_sent_fields(api_as, official, draft_consultation):
    response = api_as(official).put(
        detail(draft_consultation), {"title": "Judul Baru", "kind": "rpjmd"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Judul Baru"
    assert response.json()["kind"] == "rpjmd"


def test_put_without_title_is_400(api_as, official, draft_consultation):
    response = api_as(official).put(detail(draft_consultation), {"kind": "rpjmd"}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


def test_open_consultation_changes_only_title_summary_and_closing(
    api_as, official, open_consultation
):
    client = api_as(official)
    assert (
        client.patch(detail(open_consultation), {"summary": "Baru"}, format="json").status_code
        == 200
    )
    response = client.patch(detail(open_consultation), {"ballot": "secret"}, format="json")
    assert response.status_code == 409
    open_consultation.refresh_from_db()
    assert open_consultation.ballot == "open"


def test_publish_close_conclude(api_as, official, draft_consultation):
    client = api_as(official)
    assert client.post(detail(draft_consultation, "publish/")).json()["status"] == "open"
    closed = client.post(detail(draft_consultation, "close/"), {"reason": "Selesai."})
    assert closed.json()["status"] == "closed"
    assert client.post(detail(draft_consultation, "conclude/")).json()["status"] == "concluded"


@pytest.mark.parametrize("action", ["close/", "conclude/"])
def test_wrong_state_transitions_are_409(api_as, official, draft_consultation, action):
    response = api_as(official).post(detail(draft_consultation, action))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    draft_consultation.refresh_from_db()
    assert draft_consultation.status == "draft"


def test_publishing_without_sections_is_409(api_as, official):
    consultation = ConsultationFactory(status="draft")
    response = api_as(official).post(detail(consultation, "publish/"))
    assert response.status_code == 409
    consultation.refresh_from_db()
    assert consultation.status == "draft"


def test_publishing_twice_is_409(api_as, official, open_consultation):
    assert api_as(official).post(detail(open_consultation, "publish/")).status_code == 409


def test_closed_consultation_cannot_be_edited(api_as, official):
    consultation = ConsultationFactory(status="closed")
    SectionFactory(consultation=consultation)
    response = api_as(official).patch(detail(consultation), {"title": "X"}, format="json")
    assert response.status_code == 409
