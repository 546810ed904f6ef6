"""Voting worlds: a stance item, an approval consultation, a secret ballot, odd organizations."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Organization
from consultations.models import Consultation
from tests.factories import (
    ConsultationFactory,
    ItemFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


@pytest.fixture
def stance_item(open_consultation):
    return open_consultation.items.get()


@pytest.fixture
def approval_consultation(db):
    consultation = ConsultationFactory(
        title="Rancangan Awal RPJMD",
        kind=Consultation.Kind.RPJMD,
        voting_method=Consultation.VotingMethod.APPROVAL,
        max_choices=3,
    )
    for n in range(5):
        ItemFactory(consultation=consultation, title=f"Program {n + 1}")
    return consultation


@pytest.fixture
def approval_items(approval_consultation):
    return list(approval_consultation.items.order_by("position"))


@pytest.fixture
def secret_consultation(db):
    consultation = ConsultationFactory(title="Pemilihan Rahasia", ballot=Consultation.Ballot.SECRET)
    ItemFactory(consultation=consultation, title="Rancangan secara keseluruhan")
    return consultation


@pytest.fixture
def secret_item(secret_consultation):
    return secret_consultation.items.get()


def representative_of(organization, username):
    return MembershipFactory(
        user=UserFactory(username=username),
        organization=organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user


@pytest.fixture
def expired_representative(db):
    """Yuni represents Yayasan Cahaya Pesisir, verified but with an SKT that expired."""
    organization = OrganizationFactory(
        name="Yayasan Cahaya Pesisir",
        registration_expires_on=datetime.date(2026, 3, 12),
    )
    return representative_of(organization, "yuni")


@pytest.fixture
def suspended_representative(db):
    organization = OrganizationFactory(name="Ormas Dibekukan", status=Organization.Status.SUSPENDED)
    return representative_of(organization, "joko")


@pytest.fixture
def closed_consultation(db):
    consultation = ConsultationFactory(
        title="Sudah ditutup",
        status=Consultation.Status.CLOSED,
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    ItemFactory(consultation=consultation)
    return consultation


def representatives(n, prefix="wakil"):
    """n verified organizations with one representative each."""
    return [representative_of(OrganizationFactory(), f"{prefix}{i}") for i in range(n)]
