import datetime

import pytest
from django.utils import timezone

from accounts import memberships, services
from accounts.models import Agency, Membership, Organization
from backend.errors import Conflict, Invalid, NotAllowed
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def register(actor, **overrides):
    fields = {
        "name": "Forum Warga Peduli Lingkungan",
        "acronym": "FWPL",
        "registration_number": "SKT-100/2025",
        "registration_issued_on": in_days(-10),
        "registration_expires_on": in_days(5 * 365),
        **overrides,
    }
    return services.organization_register(actor=actor, **fields)


# Registering -----------------------------------------------------------------------------


def test_registering_makes_a_pending_organization_with_the_caller_as_representative(citizen):
    organization = register(citizen)
    assert organization.status == Organization.Status.PENDING
    assert citizen.membership.organization == organization
    assert citizen.membership.role == Membership.Role.REPRESENTATIVE


def test_anonymous_cannot_register(anonymous):
    with pytest.raises(NotAllowed):
        register(anonymous)
    assert not Organization.objects.exists()


def test_a_member_cannot_register_another_organization(member):
    with pytest.raises(Conflict):
        register(member)
    assert Organization.objects.count() == 1


def test_a_registration_number_is_registered_once(citizen, organization):
    with pytest.raises(Conflict):
        register(citizen, registration_number=organization.registration_number.lower())
    assert not Membership.objects.filter(user=citizen).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "  "},
        {"registration_number": " "},
        {"registration_issued_on": in_days(10), "registration_expires_on": in_days(5)},
    ],
)
def test_incomplete_registrations_are_invalid(citizen, overrides):
    with pytest.raises(Invalid):
        register(citizen, **overrides)
    assert not Organization.objects.exists()


# Verifying and suspending ------------------------------------------------------------------


def test_official_verifies_a_valid_skt(official, pending_organization):
    organization = services.organization_verify(actor=official, organization=pending_organization)
    assert organization.is_verified
    assert organization.verified_by == official
    assert organization.verified_at is not None


def test_an_expired_skt_cannot_be_verified(official):
    organization = OrganizationFactory(status="pending", registration_expires_on=in_days(-1))
    with pytest.raises(Conflict):
        services.organization_verify(actor=official, organization=organization)
    organization.refresh_from_db()
    assert organization.status == "pending"


def test_an_skt_valid_until_today_can_be_verified(official):
    organization = OrganizationFactory(status="pending", registration_expires_on=in_days(0))
    assert services.organization_verify(actor=official, organization=organization).is_verified


def test_an_skt_without_expiry_cannot_be_verified(official):
    organization = OrganizationFactory(status="pending", registration_expires_on=None)
    with pytest.raises(Conflict):
        services.organization_verify(actor=official, organization=organization)


@pytest.mark.parametrize("persona", ["moderator", "planner", "representative", "citizen"])
def test_only_officials_verify(request, persona, pending_organization):
    with pytest.raises(NotAllowed):
        services.organization_verify(
            actor=request.getfixturevalue(persona), organization=pending_organization
        )


def test_a_suspended_organization_can_be_verified_again(official, organization):
    services.organization_suspend(actor=official, organization=organization, reason="Audit")
    organization.refresh_from_db()
    assert organization.status == "suspended"
    assert organization.status_reason == "Audit"
    with pytest.raises(Conflict):
        services.organization_suspend(actor=official, organization=organization)
    assert services.organization_verify(actor=official, organization=organization).is_verified


def test_representative_updates_contact_but_not_status(representative, organization):
    services.organization_update(
        actor=representative, organization=organization, contact_phone="0343-1"
    )
    with pytest.raises(Invalid):
        services.organization_update(
            actor=representative, organization=organization, status="verified"
        )
    organization.refresh_from_db()
    assert organization.contact_phone == "0343-1"


# Members ---------------------------------------------------------------------------------


def invite(actor, organization, username, role="member"):
    return memberships.membership_invite(
        actor=actor, organization=organization, username=username, role=role
    )


def test_an_invited_user_joins_only_when_accepting(representative, organization):
    newcomer = UserFactory(username="sinta")
    invitation = invite(representative, organization, "sinta")
    assert not Membership.objects.filter(user=newcomer).exists()
    membership = memberships.invitation_accept(actor=newcomer, invitation=invitation)
    assert membership.organization == organization
    memberships.membership_remove(actor=representative, membership=membership)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_member_of_another_organization_must_leave_before_accepting(
    representative, other_representative, organization
):
    invitation = invite(representative, organization, "sari")
    with pytest.raises(Conflict):
        memberships.invitation_accept(actor=other_representative, invitation=invitation)
    assert other_representative.membership.organization.acronym == "Harapan"


def test_an_unknown_role_is_invalid(representative, organization):
    with pytest.raises(Invalid):
        invite(representative, organization, UserFactory().username, role="ketua")


def test_a_member_cannot_manage_members(member, representative, organization):
    with pytest.raises(NotAllowed):
        memberships.membership_set_role(
            actor=member, membership=representative.membership, role="member"
        )


def test_a_representative_of_another_organization_cannot_manage_members(
    other_representative, member
):
    with pytest.raises(NotAllowed):
        memberships.membership_remove(actor=other_representative, membership=member.membership)
    assert Membership.objects.filter(user=member).exists()


def test_the_last_representative_stays(representative, member, organization):
    with pytest.raises(Conflict):
        memberships.membership_set_role(
            actor=representative, membership=representative.membership, role="member"
        )
    with pytest.raises(Conflict):
        memberships.membership_remove(actor=representative, membership=representative.membership)
    memberships.membership_set_role(
        actor=representative, membership=member.membership, role="representative"
    )
    memberships.membership_set_role(
        actor=representative, membership=representative.membership, role="member"
    )
    representative.membership.refresh_from_db()
    assert representative.membership.role == "member"


def test_a_member_may_leave_on_their_own(member, representative):
    memberships.membership_remove(actor=member, membership=member.membership)
    assert not Membership.objects.filter(user=member).exists()


# Agencies --------------------------------------------------------------------------------


def test_official_adds_an_agency_once(official, planner):
    services.agency_create(actor=official, name=" Bappeda Kota Pasuruan ", acronym="Bappeda")
    assert Agency.objects.get().name == "Bappeda Kota Pasuruan"
    with pytest.raises(Conflict):
        services.agency_create(actor=official, name="bappeda kota pasuruan")
    with pytest.raises(Invalid):
        services.agency_create(actor=official, name=" ")
    with pytest.raises(NotAllowed):
        services.agency_create(actor=planner, name="Dinas PUPR")
    assert Agency.objects.count() == 1


# Concurrency (PostgreSQL) ----------------------------------------------------------------


def _in_threads(*calls):
    """Run each call in its own thread and database connection; return results or errors."""
    import threading

    from django.db import connection

    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_representatives_stepping_down_at_once_leave_one():
    organization = OrganizationFactory()
    first, second = (
        Membership.objects.create(
            user=UserFactory(), organization=organization, role="representative"
        )
        for _ in range(2)
    )
    results = _in_threads(
        lambda: memberships.membership_set_role(actor=first.user, membership=first, role="member"),
        lambda: memberships.membership_set_role(
            actor=second.user, membership=second, role="member"
        ),
    )
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert organization.memberships.filter(role="representative").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_registration_number_registered_twice_at_once_makes_one_organization():
    users = [UserFactory(), UserFactory()]
    results = _in_threads(
        *(lambda user=user: register(user, registration_number="SKT-SAMA/2026") for user in users)
    )
    assert sum(isinstance(result, Organization) for result in results) == 1
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert Organization.objects.count() == 1
    assert Membership.objects.count() == 1
