"""One shape test per event type: what each payload shows, and what it never shows."""

import pytest
from django.utils import timezone

from comments.models import Comment
from hearings.models import Hearing
from realtime import events
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    CommentFactory,
    HearingFactory,
    ItemFactory,
    SectionFactory,
    SpeakerRequestFactory,
)

pytestmark = pytest.mark.django_db

COMMENT_KEYS = {
    "id",
    "consultation",
    "section",
    "item",
    "hearing",
    "parent",
    "stance",
    "body",
    "organization",
    "author",
    "created_at",
    "edited_at",
    "on_screen",
}


def test_every_event_type_has_a_builder_or_is_the_snapshot():
    for type in events.EVENT_TYPES:
        if type != "snapshot":
            assert callable(getattr(events, type.replace(".", "_")))


def test_comment_published_shows_the_comment_with_its_organization(organization):
    section = SectionFactory(number="Pasal 3", heading="Hak Warga")
    comment = CommentFactory(
        consultation=section.consultation, section=section, organization=organization
    )
    data = events.comment_published(comment)
    assert set(data) == COMMENT_KEYS
    assert data["section"] == {"id": section.pk, "number": "Pasal 3", "heading": "Hak Warga"}
    assert data["organization"]["name"] == "LSM Pelita Pasuruan"
    assert data["created_at"].endswith("+07:00")


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
def test_comment_published_refuses_a_comment_readers_may_not_see(status):
    with pytest.raises(ValueError):
        events.comment_published(CommentFactory(status=status))


def test_comment_submitted_carries_the_pending_comment_for_moderators():
    data = events.comment_submitted(CommentFactory(status=Comment.Status.PENDING))
    assert data["status"] == "pending"
    assert events.EVENT_TYPES["comment.submitted"] == events.MODERATION


def test_comment_hidden_carries_only_the_id():
    comment = CommentFactory(status=Comment.Status.HIDDEN)
    assert events.comment_hidden(comment) == {"id": comment.pk}


def test_comment_screened_shows_the_comment_or_only_that_it_left_the_screen():
    comment = CommentFactory(on_screen_at=timezone.now())
    assert events.comment_screened(comment)["on_screen"] is True
    comment.on_screen_at = None
    assert events.comment_screened(comment) == {"id": comment.pk, "on_screen": False}


def test_tally_updated_is_a_full_tally_without_organizations():
    data = events.tally_updated(item_id=7, counts={"for": 3, "against": 1}, total=4)
    assert data == {"item": 7, "counts": {"for": 3, "against": 1}, "total": 4, "hidden": False}


def test_tally_updated_under_a_secret_ballot_shows_nothing_but_hidden():
    data = events.tally_updated(item_id=7, counts={"for": 3}, total=3, hidden=True)
    assert data == {"item": 7, "counts": {}, "total": None, "hidden": True}


def test_agenda_changed_names_the_current_agenda_item():
    entry = AgendaItemFactory(title="Pembahasan Pasal 5")
    hearing = entry.hearing
    hearing.current_agenda_item = entry
    assert events.agenda_changed(hearing) == {
        "hearing": hearing.pk,
        "current": {
            "id": entry.pk,
            "position": entry.position,
            "title": "Pembahasan Pasal 5",
            "item": None,
        },
    }


def test_voting_opened_names_the_item_and_its_choices():
    hearing = HearingFactory(voting_opened_at=timezone.now())
    item = ItemFactory(consultation=hearing.consultation, title="Pasal 5", code="P5")
    data = events.voting_opened(hearing, item, choices=["for", "against", "abstain"])
    assert data["item"] == {"id": item.pk, "title": "Pasal 5", "code": "P5"}
    assert data["choices"] == ["for", "against", "abstain"]
    assert set(data) == {"hearing", "item", "choices", "opened_at"}


def test_voting_closed_carries_the_frozen_tally():
    hearing = HearingFactory()
    item = ItemFactory(consultation=hearing.consultation)
    tally = events.tally_data(item_id=item.pk, counts={"for": 2}, total=2)
    data = events.voting_closed(hearing, item, tally=tally)
    assert data["tally"]["counts"] == {"for": 2}
    assert set(data) == {"hearing", "item", "tally", "closed_at"}


def test_attendance_updated_counts_organizations_present(organization):
    attendance = AttendanceFactory(organization=organization)
    data = events.attendance_updated(attendance, count=12)
    assert data["count"] == 12
    assert data["organization"]["acronym"] == "Pelita"
    assert data["method"] == "officer"


def test_hearing_started_and_ended_show_the_hearing_status():
    hearing = HearingFactory(status=Hearing.Status.LIVE, started_at=timezone.now())
    assert events.hearing_started(hearing)["status"] == "live"
    hearing.status, hearing.ended_at = Hearing.Status.ENDED, timezone.now()
    data = events.hearing_ended(hearing)
    assert data["status"] == "ended"
    assert set(data) == {"id", "title", "status", "started_at", "ended_at"}


def test_screen_changed_tells_the_screen_mode():
    hearing = HearingFactory(screen_mode=Hearing.Screen.BLANK)
    assert events.screen_changed(hearing) == {"hearing": hearing.pk, "mode": "blank"}


def test_speakers_changed_lists_the_queue_with_timer_fields():
    request = SpeakerRequestFactory(seconds=120, status="speaking", started_at=timezone.now())
    data = events.speakers_changed(request.hearing, queue=[request])
    assert data["queue"][0]["seconds"] == 120
    assert data["queue"][0]["started_at"].endswith("+07:00")
    assert set(data["queue"][0]) == {
        "id",
        "organization",
        "status",
        "position",
        "seconds",
        "started_at",
    }
