"""`Consultation.is_open` is the one answer to "are comments and votes accepted?": once
`closes_at` has passed nothing more is accepted, even before the job that closes the
consultation has run (ARCHITECTURE.md §3: nothing is commented or voted after closes_at)."""

import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, NotAllowed
from comments import services as comment_services
from tests.factories import ItemFactory
from voting import selectors as voting_selectors
from voting import services as voting_services


@pytest.fixture
def past_its_closing_time(open_consultation):
    open_consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_consultation.save(update_fields=["closes_at"])
    return open_consultation


def test_an_open_consultation_before_its_closing_time_is_open(open_consultation):
    open_consultation.closes_at = timezone.now() + datetime.timedelta(hours=1)
    assert open_consultation.is_open
    assert voting_selectors.voting_is_open(open_consultation)


def test_past_its_closing_time_it_is_no_longer_open(past_its_closing_time):
    assert past_its_closing_time.status == "open"
    assert not past_its_closing_time.is_open
    assert not voting_selectors.voting_is_open(past_its_closing_time)


def test_no_comment_is_accepted_after_the_closing_time(member, past_its_closing_time):
    with pytest.raises(Conflict):
        comment_services.comment_create(
            actor=member, consultation=past_its_closing_time, stance="support", body="Terlambat."
        )


def test_no_vote_is_accepted_after_the_closing_time(representative, past_its_closing_time):
    item = ItemFactory(consultation=past_its_closing_time)
    with pytest.raises((Conflict, NotAllowed)):
        voting_services.vote_cast(actor=representative, item=item, choice="for")
    assert not item.votes.exists()
