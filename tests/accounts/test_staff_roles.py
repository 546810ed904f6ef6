"""Staff roles hold no organisation membership and never act for one (ARCHITECTURE.md §4).

The attack: as `bappeda` (an official), POST organizations/{FWPL}/members/ with its own
username as representative, then read and change FWPL's secret vote.
"""

import pytest

from accounts import memberships, services
from accounts.models import Invitation, Membership, OrganizationChange
from backend.errors import NotAllowed
from comments.models import Comment
from tests.factories import MembershipFactory, api_token

pytestmark = pytest.mark.django_db


def members_url(organization):
    return f"/api/v1/organizations/{organization.pk}/members/"


def token_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api_client


@pytest.fixture
def staff_with_legacy_membership(official, organization):
    """An official who holds a membership row from before the rule (or from a database
    edit): it must count for nothing."""
    MembershipFactory(user=official, organization=organization, role="representative")
    return official


def test_an_official_adding_itself_to_an_organization_is_refused_and_nothing_is_written(
    api_as, official, other_organization
):
    response = api_as(official).post(
        members_url(other_organization),
        {"username": official.username, "role": "representative"},
        format="json",
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=official).exists()
    assert not Invitation.objects.exists()
    assert not OrganizationChange.objects.exists()


@pytest.mark.parametrize("persona", ["official", "moderator", "planner", "superuser"])
def test_an_invitation_to_staff_reaches_nobody(request, representative, organization, persona):
    staff = request.getfixturevalue(persona)
    invitation = memberships.membership_invite(
        actor=representative, organization=organization, username=staff.username, role="member"
    )
    assert invitation.user is None  # looks pending to Pelita, but nobody can accept it
    assert not staff.invitations.exists()


def test_staff_cannot_accept_an_invitation_made_before_they_became_staff(
    representative, organization, citizen
):
    from django.contrib.auth.models import Group

    invitation = memberships.membership_invite(
        actor=representative, organization=organization, username="warga", role="member"
    )
    citizen.groups.add(Group.objects.get_or_create(name="moderators")[0])
    citizen = type(citizen).objects.get(pk=citizen.pk)  # fresh role cache
    with pytest.raises(NotAllowed):
        memberships.invitation_accept(actor=citizen, invitation=invitation)
    assert not Membership.objects.filter(user=citizen).exists()


@pytest.mark.parametrize("persona", ["official", "moderator", "planner"])
def test_staff_cannot_register_an_organization(request, persona):
    with pytest.raises(NotAllowed):
        services.organization_register(
            actor=request.getfixturevalue(persona),
            name="LSM Bayangan",
            registration_number="SKT-BAYANGAN",
        )
    assert not Membership.objects.exists()


def test_staff_with_a_legacy_membership_cannot_see_the_organizations_vote(
    api_client, staff_with_legacy_membership, open_consultation
):
    item = open_consultation.items.get()
    client = token_client(api_client, staff_with_legacy_membership)
    assert client.get(f"/api/v1/items/{item.pk}/vote/").status_code == 403


def test_staff_with_a_legacy_membership_cannot_vote_for_the_organization(
    api_client, staff_with_legacy_membership, open_consultation
):
    item = open_consultation.items.get()
    client = token_client(api_client, staff_with_legacy_membership)
    response = client.put(f"/api/v1/items/{item.pk}/vote/", {"choice": "for"}, format="json")
    assert response.status_code == 403
    assert not item.votes.exists()


def test_staff_with_a_legacy_membership_cannot_comment_for_the_organization(
    api_as, staff_with_legacy_membership, open_consultation
):
    """An LSM-only consultation: the organization's member could comment, staff cannot."""
    response = api_as(staff_with_legacy_membership).post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": "Atas nama LSM."},
        format="json",
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(organization__isnull=False).exists()


def test_me_shows_no_membership_for_staff(api_as, staff_with_legacy_membership):
    assert api_as(staff_with_legacy_membership).get("/api/v1/auth/me/").json()["membership"] is None
