"""Supports: one per organization (its representative), one per citizen, counted apart."""

import pytest

from aspirations import decisions
from aspirations.models import Support
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def support(api_as, user, proposal, method="put"):
    return getattr(api_as(user), method)(f"/api/v1/aspirations/{proposal.pk}/support/")


def test_another_organization_and_a_citizen_are_counted_apart(
    api_as, other_representative, citizen, proposal
):
    assert support(api_as, other_representative, proposal).json() == {
        "organizations": 1,
        "citizens": 0,
    }
    assert support(api_as, citizen, proposal).json() == {"organizations": 1, "citizens": 1}


def test_supporting_twice_counts_once(api_as, other_representative, proposal):
    support(api_as, other_representative, proposal)
    answer = support(api_as, other_representative, proposal)
    assert answer.status_code == 200
    assert answer.json() == {"organizations": 1, "citizens": 0}
    assert Support.objects.filter(aspiration=proposal).count() == 1


def test_two_representatives_of_one_organization_give_one_support(api_as, proposal):
    harapan = OrganizationFactory(name="LSM Harapan")
    first, second = (
        MembershipFactory(
            user=UserFactory(username=name), organization=harapan, role="representative"
        ).user
        for name in ("satu", "dua")
    )
    support(api_as, first, proposal)
    assert support(api_as, second, proposal).json() == {"organizations": 1, "citizens": 0}


def test_an_organization_does_not_support_its_own_proposal(api_as, representative, proposal):
    assert support(api_as, representative, proposal).status_code == 403
    assert not Support.objects.exists()


def test_a_citizen_does_not_support_their_own_proposal(api_as, citizen, propose):
    own = propose(citizen)
    assert support(api_as, citizen, own).status_code == 403


def test_a_member_leaves_supporting_to_the_representative(api_as, proposal, other_organization):
    member = MembershipFactory(
        user=UserFactory(username="yanti"), organization=other_organization, role="member"
    ).user
    answer = support(api_as, member, proposal)
    assert answer.status_code == 403
    assert "perwakilan" in answer.json()["detail"]  # Indonesian by default


def test_staff_do_not_support(api_as, official, moderator, planner, lurah, proposal):
    for user in (official, moderator, planner, lurah):
        assert support(api_as, user, proposal).status_code == 403
    assert not Support.objects.exists()


def test_anonymous_must_sign_in(api_as, proposal):
    assert support(api_as, None, proposal).status_code == 401


def test_withdrawing_lowers_the_count_and_withdrawing_again_changes_nothing(
    api_as, other_representative, citizen, proposal
):
    support(api_as, other_representative, proposal)
    support(api_as, citizen, proposal)
    assert support(api_as, citizen, proposal, "delete").json() == {
        "organizations": 1,
        "citizens": 0,
    }
    assert support(api_as, citizen, proposal, "delete").json() == {
        "organizations": 1,
        "citizens": 0,
    }


def test_a_rejected_proposal_takes_no_support_and_writes_nothing(
    api_as, other_representative, lurah, proposal
):
    decisions.aspiration_decide(
        actor=lurah, aspiration=proposal, outcome="rejected", reason="Bukan kewenangan kota."
    )
    answer = support(api_as, other_representative, proposal)
    assert answer.status_code == 409
    assert not Support.objects.exists()
    proposal.refresh_from_db()
    assert (proposal.support_organizations, proposal.support_citizens) == (0, 0)


def test_a_merged_proposal_points_to_the_one_it_joined(
    api_as, other_representative, lurah, proposal, propose, citizen
):
    target = propose(citizen, title="Normalisasi saluran Panggungrejo")
    decisions.aspiration_decide(
        actor=lurah, aspiration=proposal, outcome="merged", merged_into=target
    )
    answer = support(api_as, other_representative, proposal)
    assert answer.status_code == 409
    assert f"#{target.pk}" in answer.json()["detail"]


def test_supports_can_follow_a_proposal_to_the_next_stage(
    api_as, other_representative, lurah, proposal
):
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    assert support(api_as, other_representative, proposal).status_code == 200
