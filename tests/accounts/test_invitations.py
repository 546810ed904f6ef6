"""Membership is an invitation the invited user accepts; every change to who acts for an
organization is recorded and shown to its representatives and to Bakesbangpol."""

import pytest

from accounts import memberships
from accounts.models import Invitation, Membership, OrganizationChange
from backend.errors import Conflict, NotAllowed, NotFound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(organization, suffix=""):
    return f"/api/v1/organizations/{organization.pk}/{suffix}"


def invite(representative, organization, username, role="member"):
    return memberships.membership_invite(
        actor=representative, organization=organization, username=username, role=role
    )


@pytest.fixture
def sinta(db):
    return UserFactory(username="sinta")


def kinds(organization):
    return list(organization.changes.order_by("id").values_list("kind", "subject_username"))


# The invitation -------------------------------------------------------------------------


def test_a_pending_invitation_gives_no_rights(
    api_as, representative, organization, sinta, open_consultation
):
    invite(representative, organization, "sinta", role="representative")
    assert not Membership.objects.filter(user=sinta).exists()
    comment = api_as(sinta).post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": "Belum anggota."},
        format="json",
    )
    assert comment.status_code == 403
    assert api_as(sinta).get(url(organization, "members/")).status_code == 403


def test_the_representatives_see_open_invitations_as_typed(
    api_as, representative, member, organization, sinta
):
    invite(representative, organization, "Sinta")
    invite(representative, organization, "tidak-ada")
    listing = api_as(representative).get(url(organization, "invitations/")).json()
    assert sorted(row["username"] for row in listing) == ["Sinta", "tidak-ada"]
    assert {row["status"] for row in listing} == {"pending"}
    assert api_as(member).get(url(organization, "invitations/")).status_code == 403


def test_inviting_twice_keeps_one_invitation(representative, organization, sinta):
    first = invite(representative, organization, "sinta")
    second = invite(representative, organization, "SINTA")
    assert first.pk == second.pk
    assert organization.invitations.count() == 1


def test_the_invited_user_declines(api_as, representative, organization, sinta):
    invitation = invite(representative, organization, "sinta")
    response = api_as(sinta).post(f"/api/v1/invitations/{invitation.pk}/decline/")
    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=sinta).exists()
    assert api_as(sinta).get("/api/v1/invitations/").json() == []


def test_an_invitation_is_answered_once(representative, organization, sinta):
    invitation = invite(representative, organization, "sinta")
    memberships.invitation_accept(actor=sinta, invitation=invitation)
    with pytest.raises(Conflict):
        memberships.invitation_accept(actor=sinta, invitation=invitation)
    with pytest.raises(Conflict):
        memberships.invitation_decline(actor=sinta, invitation=invitation)


def test_nobody_else_can_accept_an_invitation(api_as, representative, organization, citizen):
    invitation = invite(representative, organization, "sinta-belum-daftar")
    assert invitation.user is None
    response = api_as(citizen).post(f"/api/v1/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404
    with pytest.raises(NotFound):
        memberships.invitation_accept(actor=citizen, invitation=invitation)
    assert not Membership.objects.filter(user=citizen).exists()


def test_an_account_made_after_the_invitation_cannot_take_it(representative, organization):
    invitation = invite(representative, organization, "calon")
    latecomer = UserFactory(username="calon")
    with pytest.raises(NotFound):
        memberships.invitation_accept(actor=latecomer, invitation=invitation)


def test_the_representative_withdraws_an_invitation(api_as, representative, organization, sinta):
    invitation = invite(representative, organization, "sinta")
    response = api_as(representative).delete(url(organization, f"invitations/{invitation.pk}/"))
    assert response.status_code == 204
    with pytest.raises(Conflict):
        memberships.invitation_accept(actor=sinta, invitation=invitation)


def test_another_organization_cannot_withdraw_it(
    api_as, representative, other_representative, organization, other_organization, sinta
):
    invitation = invite(representative, organization, "sinta")
    response = api_as(other_representative).delete(
        url(other_organization, f"invitations/{invitation.pk}/")
    )
    assert response.status_code == 404
    with pytest.raises(NotAllowed):
        memberships.invitation_withdraw(actor=other_representative, invitation=invitation)


def test_open_invitations_per_organization_are_capped(representative, organization):
    for n in range(memberships.PENDING_INVITATIONS_PER_ORGANIZATION):
        invite(representative, organization, f"calon{n}")
    with pytest.raises(Conflict):
        invite(representative, organization, "satu-lagi")


# The change record ----------------------------------------------------------------------


def test_every_change_of_members_is_recorded(representative, organization, sinta):
    invitation = invite(representative, organization, "sinta")
    membership = memberships.invitation_accept(actor=sinta, invitation=invitation)
    memberships.membership_set_role(
        actor=representative, membership=membership, role="representative"
    )
    memberships.membership_remove(actor=representative, membership=membership)
    declined = invite(representative, organization, "sinta")
    memberships.invitation_decline(actor=sinta, invitation=declined)
    withdrawn = invite(representative, organization, "joko")
    memberships.invitation_withdraw(actor=representative, invitation=withdrawn)
    assert kinds(organization) == [
        ("invited", "sinta"),
        ("accepted", "sinta"),
        ("role_changed", "sinta"),
        ("removed", "sinta"),
        ("invited", "sinta"),
        ("declined", "sinta"),
        ("invited", "joko"),
        ("invitation_withdrawn", "joko"),
    ]
    change = organization.changes.get(kind="role_changed")
    assert (change.actor_username, change.role) == ("rina", "representative")


def test_leaving_is_recorded_as_leaving(member, representative, organization):
    memberships.membership_remove(actor=member, membership=member.membership)
    assert kinds(organization) == [("left", "dedi")]


def test_the_other_representatives_and_bakesbangpol_see_the_changes(
    api_as, representative, member, official, other_representative, organization, sinta
):
    invite(representative, organization, "sinta")
    for reader in (representative, official):
        rows = api_as(reader).get(url(organization, "changes/")).json()["results"]
        assert [(row["kind"], row["member"], row["by"]) for row in rows] == [
            ("invited", "sinta", "rina")
        ]
    assert api_as(member).get(url(organization, "changes/")).status_code == 403
    assert api_as(other_representative).get(url(organization, "changes/")).status_code == 403


def test_the_change_record_is_on_the_officials_admin_page(
    client, official, representative, organization
):
    invite(representative, organization, "sinta")
    official.is_staff = True
    official.save()
    client.force_login(official)
    page = client.get(f"/admin/accounts/organization/{organization.pk}/change/")
    assert page.status_code == 200
    assert "sinta" in page.content.decode()
    listing = client.get("/admin/accounts/organizationchange/")
    assert listing.status_code == 200
    assert "sinta" in listing.content.decode()


def test_the_admin_cannot_add_a_member_behind_the_services(client, official, organization):
    official.is_staff = True
    official.save()
    client.force_login(official)
    assert client.get("/admin/accounts/membership/add/").status_code == 403
    assert OrganizationChange.objects.count() == 0
