"""Approval voting: an organization approves up to max_choices items of a consultation."""

import pytest

from backend.errors import Conflict, Invalid
from voting import services
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_representative_approves_up_to_max_choices(representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")

    with pytest.raises(Conflict) as error:
        services.vote_cast(actor=representative, item=approval_items[3], choice="approve")

    assert "3" in error.value.message
    assert Vote.objects.filter(organization=representative.membership.organization).count() == 3


def test_withdrawing_an_approval_frees_a_choice(representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")
    services.vote_withdraw(actor=representative, item=approval_items[0])

    services.vote_cast(actor=representative, item=approval_items[3], choice="approve")

    assert Vote.objects.count() == 3


def test_approving_the_same_item_again_does_not_use_a_choice(representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")
    services.vote_cast(actor=representative, item=approval_items[0], choice="approve")

    assert Vote.objects.count() == 3


def test_limit_is_per_organization(representative, other_representative, approval_items):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")
    services.vote_cast(actor=other_representative, item=approval_items[4], choice="approve")

    assert Vote.objects.count() == 4


@pytest.mark.parametrize("choice", ["for", "against", "abstain", "yes"])
def test_stance_choices_are_invalid_in_an_approval_vote(representative, approval_items, choice):
    with pytest.raises(Invalid):
        services.vote_cast(actor=representative, item=approval_items[0], choice=choice)
