"""One wire shape per entity: each builder in an app's payloads.py gives exactly the fields
its schema names, shows nothing a reader may not see, and is what the REST answer starts
from. (Events against snapshots: test_event_reducer.py.)"""

import pytest
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from comments import payloads as comment_payloads
from comments import services as comment_services
from comments.models import Comment
from comments.serializers import READER_FIELDS, CommentOutput
from hearings import payloads
from hearings.serializers import HearingSerializer
from realtime import live
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    CommentFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    ManualCountFactory,
    SpeakerRequestFactory,
)
from voting import payloads as voting_payloads

pytestmark = pytest.mark.django_db


def test_the_comment_payload_shows_the_comment_and_no_internal_field(organization):
    comment = CommentFactory(
        organization=organization, moderation_reason="catatan moderator", report_count=2
    )
    data = comment_payloads.comment(comment)
    assert tuple(data) == comment_payloads.COMMENT
    assert data["organization"] == organization.pk
    assert data["organization_name"] == "LSM Pelita Pasuruan"
    assert data["created_at"].endswith("+07:00")
    assert "catatan" not in str(data)
    assert comment_payloads.comment_hidden(comment) == {"id": comment.pk}


def test_the_rest_comment_is_the_payload_plus_what_depends_on_the_reader(organization, member):
    comment = CommentFactory(organization=organization, author=member)
    request = APIRequestFactory().get("/")
    request.user = member
    answer = CommentOutput(comment, context={"request": request}).data
    payload = comment_payloads.comment(comment)
    assert set(CommentOutput.Meta.fields) == set(payload) | set(READER_FIELDS)
    assert {name: answer[name] for name in payload} == payload
    assert answer["is_own"] is True


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
def test_comment_published_refuses_a_comment_readers_may_not_see(status):
    with pytest.raises(ValueError):
        comment_services._publish_comment_event(CommentFactory(status=status), "comment.published")


def test_the_rest_hearing_shares_its_payload_fields(moderator):
    hearing = HearingFactory(started_at=timezone.now())
    request = APIRequestFactory().get("/")
    request.user = moderator
    answer = HearingSerializer(hearing, context={"request": request}).data
    payload = payloads.hearing(hearing)
    assert set(payload) <= set(HearingSerializer.Meta.fields)
    assert {name: answer[name] for name in payload} == payload
    assert hearing.display_key not in str(payload)


def hearing_builders():
    """(builder, schema, argument) for every entity of hearings/payloads.py."""
    entry = AgendaItemFactory(title="Pembahasan Pasal 5")
    hearing = entry.hearing
    hearing.current_agenda_item = entry
    item = ItemFactory(consultation=hearing.consultation, title="Pasal 5", code="P5")
    hearing.voting_item, hearing.voting_opened_at = item, timezone.now()
    speaker = SpeakerRequestFactory(
        hearing=hearing, seconds=120, status="speaking", started_at=timezone.now()
    )
    attendance = AttendanceFactory(hearing=hearing)
    count = ManualCountFactory(hearing=hearing, item=item)
    return [
        (payloads.item, payloads.ITEM, item),
        (payloads.agenda_item, payloads.AGENDA_ITEM, entry),
        (payloads.agenda, payloads.AGENDA, hearing),
        (payloads.hearing, payloads.HEARING, hearing),
        (payloads.voting, payloads.VOTING, hearing),
        (payloads.speaker, payloads.SPEAKER, speaker),
        (payloads.speakers, payloads.SPEAKERS, hearing),
        (payloads.check_in, payloads.CHECK_IN, attendance),
        (payloads.attendance, payloads.ATTENDANCE, hearing),
        (payloads.screen, payloads.SCREEN, hearing),
        (payloads.manual_count, payloads.MANUAL_COUNT, count),
    ]


def test_every_hearing_payload_has_exactly_the_fields_of_its_schema():
    for builder, schema, argument in hearing_builders():
        assert tuple(builder(argument)) == schema, builder.__name__


def test_the_speaker_queue_carries_the_countdown():
    request = SpeakerRequestFactory(seconds=120, status="speaking", started_at=timezone.now())
    data = payloads.speakers(request.hearing)
    assert data["queue"] == []
    assert data["speaking"]["seconds"] == 120
    assert data["speaking"]["ends_at"] > data["speaking"]["started_at"]


def test_the_tally_is_full_and_never_names_an_organization(representative, organization):
    item = ItemFactory()
    data = voting_payloads.tally_of(item)
    assert tuple(data) == voting_payloads.TALLY
    assert data == {
        "item": item.pk,
        "counts": {"for": 0, "against": 0, "abstain": 0},
        "total": 0,
        "hidden": False,
        "chain": {"length": 0, "head": "0" * 64},
    }
    assert organization.name not in str(data)


def test_a_secret_tally_shows_nothing_but_that_it_is_hidden():
    item = ItemFactory(consultation=ConsultationFactory(ballot="secret"))
    assert voting_payloads.tally_of(item) == {
        "item": item.pk,
        "counts": {},
        "total": None,
        "hidden": True,
        "chain": {"length": 0, "head": "0" * 64},  # the chain head is public: no count in it
    }


def test_voting_closed_carries_the_frozen_tally():
    hearing = HearingFactory()
    item = ItemFactory(consultation=hearing.consultation)
    data = voting_payloads.voting_closed(hearing, item)
    assert tuple(data) == voting_payloads.VOTING_CLOSED
    assert data["tally"] == voting_payloads.tally_of(item)
    assert data["item"] == payloads.item(item)


def test_pending_comments_are_only_in_the_moderators_snapshot(organization):
    hearing = HearingFactory()
    CommentFactory(
        hearing=hearing, consultation=hearing.consultation, status=Comment.Status.PENDING
    )
    assert "pending_comments" not in live.hearing_state(hearing)
    assert len(live.hearing_state(hearing, moderator=True)["pending_comments"]) == 1
