"""Every issue-2 endpoint × every persona, with the status each one must get.

Columns: anonymous, citizen, member, representative, unverified_member,
moderator, official, planner (ARCHITECTURE.md §4). Objects a persona may not
see answer 404 (drafts, pending organizations, unpublished versions), a
visible object the persona may not change answers 403, and an anonymous
caller is asked to sign in with 401.
"""

from dataclasses import dataclass
from typing import Any

import pytest

from consultations import services
from tests.factories import PASSWORD, AgencyFactory, ConsultationFactory, ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "citizen",
    "member",
    "representative",
    "unverified_member",
    "moderator",
    "official",
    "planner",
)


@dataclass
class Case:
    name: str
    method: str
    path: str  # formatted with the world's ids
    expected: tuple[int, ...]  # one status per persona, in PERSONAS order
    body: Any = None


def today_plus(days):
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


ORGANIZATION_BODY = {
    "name": "Paguyuban Nelayan Panggungrejo",
    "acronym": "PNP",
    "registration_number": "SKT-777/2026",
    "registration_expires_on": today_plus(5 * 365),
}
SECTION_BODY = {"number": "Bab II", "heading": "Gambaran Umum", "body": "Teks bab dua."}
ITEM_BODY = {"title": "Program Sanitasi", "code": "1.04.01", "budget_ceiling": "900000000"}
CONSULTATION_BODY = {"title": "Rancangan Perwali Baru", "kind": "policy_draft"}

#        anon citizen member  rep  unverif  moder official planner
CASES = [
    # auth
    Case("me", "get", "/api/v1/auth/me/", (401, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "register",
        "post",
        "/api/v1/auth/register/",
        (201, 201, 201, 201, 201, 201, 201, 201),
        {
            "username": "pendatang",
            "password": "Kota-Pasuruan-2026",
            "email": "p@example.id",
            "full_name": "Pendatang Baru",
        },
    ),
    Case(
        "token",
        "post",
        "/api/v1/auth/token/",
        (200, 200, 200, 200, 200, 200, 200, 200),
        {"username": "pemegang.token", "password": PASSWORD},
    ),
    # agencies
    Case("agency list", "get", "/api/v1/agencies/", (200,) * 8),
    Case("agency detail", "get", "/api/v1/agencies/{agency}/", (200,) * 8),
    Case(
        "agency create",
        "post",
        "/api/v1/agencies/",
        (401, 403, 403, 403, 403, 403, 201, 403),
        {"name": "Dinas Lingkungan Hidup", "acronym": "DLH"},
    ),
    # organizations
    Case("organization list", "get", "/api/v1/organizations/", (200,) * 8),
    Case("verified organization", "get", "/api/v1/organizations/{organization}/", (200,) * 8),
    Case(
        "pending organization",
        "get",
        "/api/v1/organizations/{pending}/",
        (404, 404, 404, 404, 200, 404, 200, 404),
    ),
    Case(
        "organization register",
        "post",
        "/api/v1/organizations/",
        (401, 201, 409, 409, 409, 201, 201, 201),
        ORGANIZATION_BODY,
    ),
    Case(
        "organization update",
        "patch",
        "/api/v1/organizations/{organization}/",
        (401, 403, 403, 200, 403, 403, 200, 403),
        {"contact_phone": "0343-000"},
    ),
    Case(
        "organization verify",
        "post",
        "/api/v1/organizations/{pending}/verify/",
        (401, 404, 404, 404, 403, 404, 200, 404),
    ),
    Case(
        "organization suspend",
        "post",
        "/api/v1/organizations/{organization}/suspend/",
        (401, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case(
        "member list",
        "get",
        "/api/v1/organizations/{organization}/members/",
        (401, 403, 200, 200, 403, 403, 200, 403),
    ),
    Case(
        "member add",
        "post",
        "/api/v1/organizations/{organization}/members/",
        (401, 403, 403, 201, 403, 403, 201, 403),
        {"username": "calon.anggota"},
    ),
    Case(
        "member role",
        "patch",
        "/api/v1/organizations/{organization}/members/{dedi}/",
        (401, 403, 403, 200, 403, 403, 200, 403),
        {"role": "representative"},
    ),
    Case(
        "member remove",
        "delete",
        "/api/v1/organizations/{organization}/members/{dedi}/",
        (401, 403, 204, 204, 403, 403, 204, 403),
    ),
    # consultations
    Case("consultation list", "get", "/api/v1/consultations/", (200,) * 8),
    Case("open consultation", "get", "/api/v1/consultations/{open}/", (200,) * 8),
    Case(
        "draft consultation",
        "get",
        "/api/v1/consultations/{draft}/",
        (404, 404, 404, 404, 404, 200, 200, 200),
    ),
    Case(
        "consultation create",
        "post",
        "/api/v1/consultations/",
        (401, 403, 403, 403, 403, 403, 201, 403),
        CONSULTATION_BODY,
    ),
    Case(
        "open consultation patch",
        "patch",
        "/api/v1/consultations/{open}/",
        (401, 403, 403, 403, 403, 403, 200, 403),
        {"summary": "Ringkasan baru"},
    ),
    Case(
        "draft consultation put",
        "put",
        "/api/v1/consultations/{draft}/",
        (401, 404, 404, 404, 404, 403, 200, 403),
        {"title": "Draf RPJMD (revisi)"},
    ),
    Case(
        "publish",
        "post",
        "/api/v1/consultations/{draft}/publish/",
        (401, 404, 404, 404, 404, 403, 200, 403),
    ),
    Case(
        "close",
        "post",
        "/api/v1/consultations/{open}/close/",
        (401, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case(
        "conclude",
        "post",
        "/api/v1/consultations/{closed}/conclude/",
        (401, 403, 403, 403, 403, 403, 200, 403),
    ),
    # sections
    Case("open sections", "get", "/api/v1/consultations/{open}/sections/", (200,) * 8),
    Case(
        "open section", "get", "/api/v1/consultations/{open}/sections/{open_section}/", (200,) * 8
    ),
    Case(
        "draft sections",
        "get",
        "/api/v1/consultations/{draft}/sections/",
        (404, 404, 404, 404, 404, 200, 200, 200),
    ),
    Case(
        "section add",
        "post",
        "/api/v1/consultations/{draft}/sections/",
        (401, 404, 404, 404, 404, 403, 201, 403),
        SECTION_BODY,
    ),
    Case(
        "section update",
        "patch",
        "/api/v1/consultations/{draft}/sections/{draft_section}/",
        (401, 404, 404, 404, 404, 403, 200, 403),
        {"heading": "Pendahuluan (revisi)"},
    ),
    Case(
        "section delete",
        "delete",
        "/api/v1/consultations/{draft}/sections/{draft_section}/",
        (401, 404, 404, 404, 404, 403, 204, 403),
    ),
    # versions
    Case("versions", "get", "/api/v1/consultations/{open}/versions/", (200,) * 8),
    Case("version", "get", "/api/v1/consultations/{open}/versions/1/", (200,) * 8),
    Case(
        "unpublished version",
        "get",
        "/api/v1/consultations/{revised}/versions/2/",
        (404, 404, 404, 404, 404, 200, 200, 200),
    ),
    Case(
        "version start",
        "post",
        "/api/v1/consultations/{open}/versions/",
        (401, 403, 403, 403, 403, 403, 201, 403),
        {"note": "Perbaikan"},
    ),
    Case(
        "version publish",
        "post",
        "/api/v1/consultations/{revised}/versions/2/publish/",
        (401, 404, 404, 404, 404, 403, 200, 403),
    ),
    # items
    Case("open items", "get", "/api/v1/consultations/{open}/items/", (200,) * 8),
    Case("item", "get", "/api/v1/items/{open_item}/", (200,) * 8),
    Case("nested item", "get", "/api/v1/consultations/{open}/items/{open_item}/", (200,) * 8),
    Case(
        "draft item",
        "get",
        "/api/v1/items/{draft_item}/",
        (404, 404, 404, 404, 404, 200, 200, 200),
    ),
    Case(
        "item add",
        "post",
        "/api/v1/consultations/{draft}/items/",
        (401, 404, 404, 404, 404, 403, 201, 403),
        ITEM_BODY,
    ),
    Case(
        "item update",
        "patch",
        "/api/v1/consultations/{draft}/items/{draft_item}/",
        (401, 404, 404, 404, 404, 403, 200, 403),
        {"budget_ceiling": "1000"},
    ),
    Case(
        "item delete",
        "delete",
        "/api/v1/consultations/{draft}/items/{draft_item}/",
        (401, 404, 404, 404, 404, 403, 204, 403),
    ),
]


@pytest.fixture
def world(
    official,
    moderator,
    planner,
    citizen,
    member,
    representative,
    unverified_member,
    organization,
    pending_organization,
    open_consultation,
    draft_consultation,
):
    closed = ConsultationFactory(status="closed", title="Sudah ditutup")
    revised = ConsultationFactory(title="Sedang direvisi")
    from tests.factories import SectionFactory

    SectionFactory(consultation=revised)
    services.version_start(actor=official, consultation=revised)
    UserFactory(username="pemegang.token")
    UserFactory(username="calon.anggota")
    return {
        "agency": AgencyFactory().pk,
        "organization": organization.pk,
        "pending": pending_organization.pk,
        "dedi": member.membership.pk,
        "open": open_consultation.pk,
        "draft": draft_consultation.pk,
        "closed": closed.pk,
        "revised": revised.pk,
        "open_section": open_consultation.sections.first().pk,
        "draft_section": draft_consultation.sections.get().pk,
        "open_item": open_consultation.items.get().pk,
        "draft_item": ItemFactory(consultation=draft_consultation).pk,
    }


def test_the_table_covers_every_persona():
    assert all(len(case.expected) == len(PERSONAS) for case in CASES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name.replace(" ", "_"))
def test_permission_matrix(request, api_as, world, case, persona):
    user = request.getfixturevalue(persona)
    client = api_as(user)
    path = case.path.format(**world)
    call = getattr(client, case.method)
    response = call(path, case.body, format="json") if case.body is not None else call(path)
    expected = case.expected[PERSONAS.index(persona)]
    assert response.status_code == expected, (persona, case.name, response.content[:300])
