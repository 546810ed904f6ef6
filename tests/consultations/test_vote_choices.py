"""`Consultation.vote_choices()` is the one list of allowed choices: votes, a hearing's
manual counts, the live voting window and the API all take it from there."""

import pytest

from backend.errors import Invalid
from consultations.models import Consultation
from hearings import services as hearing_services
from tests.factories import HearingFactory, ItemFactory
from voting import services as voting_services


def test_stance_voting_offers_for_against_abstain(open_consultation):
    assert open_consultation.vote_choices() == ("for", "against", "abstain")


def test_approval_voting_offers_approve_only(open_consultation):
    open_consultation.voting_method = Consultation.VotingMethod.APPROVAL
    assert open_consultation.vote_choices() == ("approve",)


@pytest.fixture
def only_for(monkeypatch):
    """A consultation that, for this test, allows nothing but "for"."""
    monkeypatch.setattr(Consultation, "vote_choices", lambda self: ("for",))


def test_a_vote_outside_the_list_is_refused(only_for, representative, open_consultation):
    item = ItemFactory(consultation=open_consultation)
    with pytest.raises(Invalid):
        voting_services.vote_cast(actor=representative, item=item, choice="against")
    voting_services.vote_cast(actor=representative, item=item, choice="for")


def test_a_manual_count_outside_the_list_is_refused(only_for, moderator, open_consultation):
    item = ItemFactory(consultation=open_consultation)
    hearing = HearingFactory(consultation=open_consultation, status="live")
    with pytest.raises(Invalid):
        hearing_services.manual_count_enter(
            actor=moderator, hearing=hearing, item=item, method="hands", counts={"against": 3}
        )


def test_the_api_offers_the_list(only_for, api_as, representative, open_consultation):
    item = ItemFactory(consultation=open_consultation)
    state = api_as(representative).get(f"/api/v1/items/{item.pk}/vote/").json()
    assert state["choices"] == ["for"]
