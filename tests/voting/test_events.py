"""`tally.updated`: the full tally of the item, on the consultation stream and a live window."""

import pytest

from consultations import services as consultation_services
from hearings.models import Hearing
from realtime.models import StreamEvent
from tests.factories import HearingFactory
from voting import services
from voting.models import VoteRecord

pytestmark = pytest.mark.django_db


def tally_events(stream):
    return list(StreamEvent.objects.filter(stream=stream, type="tally.updated").order_by("seq"))


def test_every_cast_change_and_withdraw_publishes_the_full_tally(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=representative, item=stance_item, choice="against")
    services.vote_withdraw(actor=representative, item=stance_item)

    events = tally_events(stance_item.consultation.stream)

    assert [e.data["counts"] for e in events] == [
        {"for": 1, "against": 0, "abstain": 0},
        {"for": 0, "against": 1, "abstain": 0},
        {"for": 0, "against": 0, "abstain": 0},
    ]
    first = VoteRecord.objects.get(consultation=stance_item.consultation, seq=1)
    assert events[0].data == {
        "item": stance_item.pk,
        "counts": {"for": 1, "against": 0, "abstain": 0},
        "total": 1,
        "hidden": False,
        "chain": {"length": 1, "head": first.hash},
    }


def test_event_never_names_the_organization(representative, organization, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")

    (event,) = tally_events(stance_item.consultation.stream)

    assert organization.name not in str(event.data)
    assert "organization" not in event.data


def test_live_hearing_window_gets_the_event_too(representative, stance_item):
    hearing = HearingFactory(
        consultation=stance_item.consultation, status=Hearing.Status.LIVE, voting_item=stance_item
    )

    services.vote_cast(actor=representative, item=stance_item, choice="abstain")

    assert tally_events(hearing.stream)[0].data["counts"]["abstain"] == 1


def test_repeating_the_same_choice_publishes_nothing_new(representative, stance_item):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=representative, item=stance_item, choice="for")

    assert len(tally_events(stance_item.consultation.stream)) == 1


def test_a_refused_vote_publishes_nothing(member, stance_item):
    with pytest.raises(Exception):  # noqa: B017 - NotAllowed
        services.vote_cast(actor=member, item=stance_item, choice="for")

    assert not StreamEvent.objects.exists()


def test_closing_a_secret_ballot_announces_every_tally_once(official, representative, secret_item):

    services.vote_cast(actor=representative, item=secret_item, choice="for")
    assert services.tallies_announce(actor=official, consultation=secret_item.consultation) == 0

    consultation_services.consultation_close(
        actor=official, consultation=secret_item.consultation, reason="Rapat pleno selesai."
    )

    (event,) = tally_events(secret_item.consultation.stream)
    assert event.data["counts"]["for"] == 1
