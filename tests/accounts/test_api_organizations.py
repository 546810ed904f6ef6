import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations/"


def detail(organization, suffix=""):
    return f"/api/v1/organizations/{organization.pk}/{suffix}"


def names(response):
    return {row["name"] for row in response.json()["results"]}


def new_organization(**overrides):
    today = timezone.localdate()
    return {
        "name": "Komunitas Sungai Gembong",
        "acronym": "KSG",
        "registration_number": "220/045/423.204/2025",
        "registration_issued_on": (today - datetime.timedelta(days=30)).isoformat(),
        "registration_expires_on": (today + datetime.timedelta(days=5 * 365)).isoformat(),
        "address": "Jl. Pahlawan 12, Kota Pasuruan",
        "contact_email": "ksg@example.id",
        "contact_phone": "0343-421000",
        **overrides,
    }


# Listing ---------------------------------------------------------------------------------


def test_the_public_list_shows_verified_organizations_only(
    api_client, organization, pending_organization
):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert names(response) == {"LSM Pelita Pasuruan"}
    assert api_client.get(detail(pending_organization)).status_code == 404


def test_officials_see_every_organization(api_as, official, organization, pending_organization):
    assert names(api_as(official).get(LIST)) == {"LSM Pelita Pasuruan", "LSM Baru"}


def test_members_see_their_own_pending_organization(
    api_as, unverified_member, organization, pending_organization
):
    client = api_as(unverified_member)
    assert names(client.get(LIST)) == {"LSM Pelita Pasuruan", "LSM Baru"}
    assert client.get(detail(pending_organization)).json()["status"] == "pending"


def test_contact_details_are_hidden_from_the_public(api_client, api_as, organization, member):
    public = api_client.get(detail(organization)).json()
    assert public["contact_email"] is None
    assert public["registration_number"] == organization.registration_number
    own = api_as(member).get(detail(organization)).json()
    assert own["contact_email"] == organization.contact_email


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=pelita", {"LSM Pelita Pasuruan"}),
        ("q=HARAPAN", {"LSM Harapan Bangsa"}),
        ("q=SKT-9", {"Yayasan Registrasi"}),
        ("status=pending", {"LSM Baru"}),
        ("status=verified", {"LSM Pelita Pasuruan", "LSM Harapan Bangsa", "Yayasan Registrasi"}),
    ],
)
def test_officials_filter_organizations(
    api_as, official, organization, other_organization, pending_organization, query, expected
):
    OrganizationFactory(name="Yayasan Registrasi", registration_number="SKT-9/2024")
    assert names(api_as(official).get(f"{LIST}?{query}")) == expected


def test_the_public_cannot_find_pending_organizations_by_filter(api_client, pending_organization):
    assert names(api_client.get(f"{LIST}?status=pending")) == set()


def test_a_bad_status_filter_is_400(api_client):
    assert api_client.get(f"{LIST}?status=whatever").status_code == 400


def test_listing_organizations_takes_a_fixed_number_of_queries(
    api_client, api_as, member, django_assert_max_num_queries
):
    OrganizationFactory.create_batch(30)
    with django_assert_max_num_queries(2):
        assert api_client.get(LIST).json()["count"] == 31
    client = api_as(member)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 31


# Registering -----------------------------------------------------------------------------


def test_a_signed_in_user_registers_an_organization_and_becomes_its_representative(api_as, citizen):
    response = api_as(citizen).post(LIST, new_organization(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert response.json()["contact_email"] == "ksg@example.id"
    membership = Membership.objects.get(user=citizen)
    assert membership.role == "representative"
    assert membership.organization.name == "Komunitas Sungai Gembong"


def test_the_minimal_registration_body(api_as, citizen):
    body = {
        key: value
        for key, value in new_organization().items()
        if key in {"name", "acronym", "registration_number", "registration_expires_on"}
    }
    assert api_as(citizen).post(LIST, body, format="json").status_code == 201


def test_anonymous_registration_is_401(api_client):
    assert api_client.post(LIST, new_organization(), format="json").status_code == 401
    assert not Organization.objects.exists()


def test_a_member_cannot_register_a_second_organization(api_as, member):
    response = api_as(member).post(LIST, new_organization(), format="json")
    assert response.status_code == 409
    assert Organization.objects.count() == 1


def test_a_duplicate_registration_number_is_409(api_as, citizen, organization):
    body = new_organization(registration_number=organization.registration_number.upper())
    response = api_as(citizen).post(LIST, body, format="json")
    assert response.status_code == 409
    assert "registration_number" in response.json()
    assert not Membership.objects.filter(user=citizen).exists()


def test_expiry_before_issue_is_400(api_as, citizen):
    body = new_organization(
        registration_issued_on="2025-01-01", registration_expires_on="2024-01-01"
    )
    response = api_as(citizen).post(LIST, body, format="json")
    assert response.status_code == 400
    assert "registration_expires_on" in response.json()
    assert not Organization.objects.exists()


# Verify and suspend ----------------------------------------------------------------------


def test_official_verifies_a_pending_organization(api_as, official, pending_organization):
    response = api_as(official).post(detail(pending_organization, "verify/"))
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    pending_organization.refresh_from_db()
    assert pending_organization.verified_by == official


def test_an_expired_skt_cannot_be_verified(api_as, official):
    organization = OrganizationFactory(
        status="pending",
        registration_expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = api_as(official).post(detail(organization, "verify/"))
    assert response.status_code == 409
    organization.refresh_from_db()
    assert organization.status == "pending"


def test_verifying_twice_is_409(api_as, official, organization):
    assert api_as(official).post(detail(organization, "verify/")).status_code == 409


def test_official_suspends_with_a_reason(api_as, official, organization):
    response = api_as(official).post(
        detail(organization, "suspend/"), {"reason": "SKT dicabut"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    assert response.json()["status_reason"] == "SKT dicabut"


def test_a_representative_cannot_verify_their_own_organization(
    api_as, unverified_member, pending_organization
):
    response = api_as(unverified_member).post(detail(pending_organization, "verify/"))
    assert response.status_code == 403
    pending_organization.refresh_from_db()
    assert pending_organization.status == "pending"


def test_representative_updates_contact_details(api_as, representative, organization):
    response = api_as(representative).patch(
        detail(organization), {"contact_phone": "0812-0000"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["contact_phone"] == "0812-0000"


def test_a_member_cannot_update_the_organization(api_as, member, organization):
    response = api_as(member).patch(detail(organization), {"name": "Lain"}, format="json")
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "LSM Pelita Pasuruan"


# Members ---------------------------------------------------------------------------------


def test_members_see_who_belongs(api_as, member, representative, organization):
    response = api_as(member).get(detail(organization, "members/"))
    assert response.status_code == 200
    assert [(row["user"]["username"], row["role"]) for row in response.json()] == [
        ("dedi", "member"),
        ("rina", "representative"),
    ]


def test_outsiders_do_not_see_members(api_client, api_as, other_representative, organization):
    assert api_client.get(detail(organization, "members/")).status_code == 401
    assert api_as(other_representative).get(detail(organization, "members/")).status_code == 403


def test_listing_members_takes_a_fixed_number_of_queries(
    api_as, official, organization, django_assert_max_num_queries
):
    for _ in range(30):
        MembershipFactory(organization=organization)
    client = api_as(official)
    with django_assert_max_num_queries(4):
        assert len(client.get(detail(organization, "members/")).json()) == 30


def test_representative_invites_a_member_who_joins_on_accepting(
    api_as, representative, organization
):
    newcomer = UserFactory(username="sinta")
    response = api_as(representative).post(
        detail(organization, "members/"), {"username": "sinta"}, format="json"
    )
    assert response.status_code == 202
    assert not Membership.objects.filter(user=newcomer).exists()
    invitation = api_as(newcomer).get("/api/v1/invitations/").json()[0]
    assert invitation["organization"]["acronym"] == "Pelita"
    assert invitation["role"] == "member"
    accepted = api_as(newcomer).post(f"/api/v1/invitations/{invitation['id']}/accept/")
    assert accepted.status_code == 200
    assert newcomer.membership.organization == organization


@pytest.mark.parametrize("username", ["sinta", "tidak-ada", "sari", "mira"])
def test_inviting_answers_the_same_whoever_the_username_is(
    api_as, representative, other_representative, moderator, organization, username
):
    UserFactory(username="sinta")
    response = api_as(representative).post(
        detail(organization, "members/"), {"username": username}, format="json"
    )
    assert response.status_code == 202
    assert response.json() == {"detail": "Jika akun ini ada, undangan telah dikirim."}


def test_a_member_cannot_invite_members(api_as, member, organization):
    UserFactory(username="sinta")
    response = api_as(member).post(
        detail(organization, "members/"), {"username": "sinta"}, format="json"
    )
    assert response.status_code == 403
    assert not organization.invitations.exists()


def test_representative_promotes_a_member(api_as, representative, member, organization):
    membership = member.membership
    response = api_as(representative).patch(
        detail(organization, f"members/{membership.pk}/"),
        {"role": "representative"},
        format="json",
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == "representative"


def test_the_last_representative_cannot_step_down(api_as, representative, organization):
    membership = representative.membership
    response = api_as(representative).patch(
        detail(organization, f"members/{membership.pk}/"), {"role": "member"}, format="json"
    )
    assert response.status_code == 409
    membership.refresh_from_db()
    assert membership.role == "representative"


def test_representative_removes_a_member(api_as, representative, member, organization):
    response = api_as(representative).delete(
        detail(organization, f"members/{member.membership.pk}/")
    )
    assert response.status_code == 204
    assert not Membership.objects.filter(user=member).exists()


def test_a_member_may_leave(api_as, member, representative, organization):
    response = api_as(member).delete(detail(organization, f"members/{member.membership.pk}/"))
    assert response.status_code == 204


def test_a_membership_of_another_organization_is_404(
    api_as, representative, other_representative, organization
):
    response = api_as(representative).delete(
        detail(organization, f"members/{other_representative.membership.pk}/")
    )
    assert response.status_code == 404
    assert Membership.objects.filter(user=other_representative).exists()


# Agencies ----------------------------------------------------------------------------------


def test_anyone_lists_agencies_and_officials_add_them(api_client, api_as, official):
    response = api_as(official).post(
        "/api/v1/agencies/",
        {"name": "Bappeda Kota Pasuruan", "acronym": "Bappeda"},
        format="json",
    )
    assert response.status_code == 201
    listing = api_client.get("/api/v1/agencies/").json()
    assert [row["acronym"] for row in listing["results"]] == ["Bappeda"]
    assert api_client.get(f"/api/v1/agencies/{response.json()['id']}/").status_code == 200


def test_a_duplicate_agency_is_409(api_as, official):
    client = api_as(official)
    client.post("/api/v1/agencies/", {"name": "Dinas PUPR"}, format="json")
    assert (
        client.post("/api/v1/agencies/", {"name": "dinas pupr"}, format="json").status_code == 409
    )


def test_listing_agencies_takes_a_fixed_number_of_queries(
    api_client, django_assert_max_num_queries
):
    from tests.factories import AgencyFactory

    AgencyFactory.create_batch(30)
    with django_assert_max_num_queries(2):
        assert api_client.get("/api/v1/agencies/").json()["count"] == 30
