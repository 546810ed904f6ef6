"""load_demo_votes casts the demo votes through the services, and can run twice."""

import pytest
from django.core.management import call_command

from accounts.models import Membership
from consultations.models import Consultation
from demo.votes import load_demo_votes
from tests.factories import ConsultationFactory, ItemFactory, MembershipFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_demo_votes_are_cast_and_verifiable(organization, other_organization):
    for username, org in (("pelita", organization), ("fwpl", other_organization)):
        MembershipFactory(
            user=UserFactory(username=username),
            organization=org,
            role=Membership.Role.REPRESENTATIVE,
        )
    policy = ConsultationFactory(kind=Consultation.Kind.POLICY_DRAFT)
    for n in range(3):
        ItemFactory(consultation=policy, title=f"Pasal {n}")
    rpjmd = ConsultationFactory(
        kind=Consultation.Kind.RPJMD,
        voting_method=Consultation.VotingMethod.APPROVAL,
        max_choices=3,
    )
    for n in range(6):
        ItemFactory(consultation=rpjmd, title=f"Program {n}")

    cast = load_demo_votes()
    load_demo_votes()

    assert cast == Vote.objects.count() == 9
    call_command("verify_votes")
    call_command("check_tallies")
