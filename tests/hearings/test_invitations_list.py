"""Who sees which invitations of a hearing, with the replies beside the check-in."""

import pytest

from hearings import invitations, services
from tests.factories import HearingInvitationFactory, MembershipFactory, OrganizationFactory


def url(hearing):
    return f"/api/v1/hearings/{hearing.pk}/invitations/"


@pytest.fixture
def both_invited(official, monday_hearing, organization, other_organization):
    return invitations.hearing_invite(
        actor=official, hearing=monday_hearing, organizations=[organization, other_organization]
    )


@pytest.mark.parametrize("persona", ["official", "moderator"])
def test_the_chair_sees_every_invitation(request, api_as, persona, monday_hearing, both_invited):
    answer = api_as(request.getfixturevalue(persona)).get(url(monday_hearing))
    assert answer.status_code == 200
    assert [row["organization"]["name"] for row in answer.json()] == [
        "LSM Harapan Bangsa",
        "LSM Pelita Pasuruan",
    ]


@pytest.mark.parametrize("persona", ["representative", "member"])
def test_an_organization_sees_only_its_own_invitation(
    request, api_as, persona, monday_hearing, both_invited, organization
):
    answer = api_as(request.getfixturevalue(persona)).get(url(monday_hearing))
    assert [row["organization"]["id"] for row in answer.json()] == [organization.pk]


def test_a_citizen_sees_none_and_anonymous_must_sign_in(
    api_as, citizen, monday_hearing, both_invited
):
    assert api_as(citizen).get(url(monday_hearing)).json() == []
    assert api_as(None).get(url(monday_hearing)).status_code == 401


def test_unknown_hearing_is_404(api_as, official):
    assert api_as(official).get("/api/v1/hearings/999999/invitations/").status_code == 404


def test_each_reply_says_whether_the_organization_checked_in(
    api_as, official, monday_hearing, both_invited, organization, representative
):
    invitations.hearing_invitation_reply(
        actor=representative, invitation=both_invited[1], reply="hadir"
    )
    services.attendance_check_in(actor=official, hearing=monday_hearing, organization=organization)
    answer = api_as(official).get(url(monday_hearing))
    rows = {row["organization"]["id"]: row for row in answer.json()}
    assert rows[organization.pk]["reply"] == "hadir"
    assert rows[organization.pk]["checked_in"] is True
    others = [row for key, row in rows.items() if key != organization.pk]
    assert others[0]["reply"] == "pending" and others[0]["checked_in"] is False


def test_the_list_reads_a_fixed_number_of_queries(
    api_as, official, monday_hearing, django_assert_max_num_queries
):
    for _n in range(30):
        organization = OrganizationFactory()
        MembershipFactory(organization=organization, role="representative")
        HearingInvitationFactory(hearing=monday_hearing, organization=organization)
    client = api_as(official)
    with django_assert_max_num_queries(6):
        answer = client.get(url(monday_hearing))
    assert len(answer.json()) == 30
