"""Two officials pressing "Kirim undangan" at once (PostgreSQL: SQLite serializes writers
anyway). Each thread has its own database connection, as a worker would."""

import pytest

from backend.errors import Conflict
from hearings import invitations
from hearings.models import HearingInvitation
from tests.factories import HearingFactory, OrganizationFactory, UserFactory
from tests.voting.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_organization_invited_twice_at_once_gets_one_letter():
    hearing = HearingFactory()
    organization = OrganizationFactory()
    officials = [UserFactory(groups=["officials"]) for _n in range(8)]

    errors = run_together(
        [
            lambda actor=actor: invitations.hearing_invite(
                actor=actor, hearing=hearing, organizations=[organization]
            )
            for actor in officials
        ]
    )

    assert HearingInvitation.objects.filter(hearing=hearing).count() == 1
    assert len(errors) == 7 and all(isinstance(e, Conflict) for e in errors)


def test_letters_sent_at_once_are_numbered_without_gaps_or_twins():
    hearing = HearingFactory()
    officials = [UserFactory(groups=["officials"]) for _n in range(10)]
    organizations = [OrganizationFactory() for _n in range(10)]

    errors = run_together(
        [
            lambda actor=actor, organization=organization: invitations.hearing_invite(
                actor=actor, hearing=hearing, organizations=[organization]
            )
            for actor, organization in zip(officials, organizations, strict=True)
        ]
    )

    assert errors == []
    numbers = [
        int(number.split("/")[1].split(".")[1])
        for number in HearingInvitation.objects.filter(hearing=hearing).values_list(
            "number", flat=True
        )
    ]
    assert sorted(numbers) == list(range(1, 11))
