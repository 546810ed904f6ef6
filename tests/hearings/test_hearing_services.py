"""Hearing services: lifecycle, agenda, voting window, screen, speakers, manual counts.

Every change leaves exactly one event on the hearing's stream, in the same transaction.
"""

import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, Invalid, NotAllowed
from comments.models import Comment, ModerationAction
from hearings import selectors, services, speakers
from hearings.models import Hearing, ManualCount, SpeakerRequest
from realtime import live
from realtime.events import current_seq, events_after
from tests.factories import (
    AgendaItemFactory,
    CommentFactory,
    HearingFactory,
    ItemFactory,
)
from voting import services as voting_services

pytestmark = pytest.mark.django_db


def types(hearing, after=0):
    return [e["type"] for e in events_after(hearing.stream, after)]


def last_event(hearing):
    return events_after(hearing.stream, current_seq(hearing.stream) - 1)[0]


@pytest.fixture
def hearing(open_consultation):
    hearing = HearingFactory(consultation=open_consultation, title="Forum Konsultasi Publik")
    item = open_consultation.items.get()
    AgendaItemFactory(hearing=hearing, title="Pembukaan", position=1)
    AgendaItemFactory(hearing=hearing, title="Rancangan secara keseluruhan", item=item, position=2)
    return hearing


@pytest.fixture
def live_hearing(hearing, moderator):
    return services.hearing_start(actor=moderator, hearing=hearing)


@pytest.fixture
def item(open_consultation):
    return open_consultation.items.get()


# --- creating and scheduling -------------------------------------------------------------


def test_official_creates_a_hearing_with_a_random_display_key(official, open_consultation):
    hearing = services.hearing_create(
        actor=official,
        consultation=open_consultation,
        title="  Forum Konsultasi Publik  ",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        location="Gedung Gradika, Kota Pasuruan",
    )
    other = services.hearing_create(
        actor=official, consultation=open_consultation, title="Kedua", starts_at=timezone.now()
    )
    assert hearing.title == "Forum Konsultasi Publik"
    assert hearing.status == Hearing.Status.SCHEDULED
    assert len(hearing.display_key) >= 30
    assert hearing.display_key != other.display_key


@pytest.mark.parametrize("persona", ["moderator", "representative", "citizen", "anonymous"])
def test_only_officials_create_hearings(request, persona, open_consultation):
    with pytest.raises(NotAllowed):
        services.hearing_create(
            actor=request.getfixturevalue(persona),
            consultation=open_consultation,
            title="Forum",
            starts_at=timezone.now(),
        )
    assert not Hearing.objects.exists()


def test_a_hearing_needs_a_title_and_a_start(official, open_consultation):
    with pytest.raises(Invalid):
        services.hearing_create(
            actor=official, consultation=open_consultation, title=" ", starts_at=timezone.now()
        )
    with pytest.raises(Invalid):
        services.hearing_create(
            actor=official, consultation=open_consultation, title="Forum", starts_at=None
        )


def test_update_rejects_unknown_fields_and_publishes_public_fields(official, live_hearing):
    with pytest.raises(Invalid):
        services.hearing_update(actor=official, hearing=live_hearing, display_key="x")
    services.hearing_update(actor=official, hearing=live_hearing, location="Aula Kantor Wali Kota")
    event = last_event(live_hearing)
    assert event["type"] == "hearing.updated"
    assert event["data"]["location"] == "Aula Kantor Wali Kota"
    assert "display_key" not in str(event["data"])


def test_agenda_items_can_be_added_moved_and_removed(official, hearing, item):
    added = services.agenda_item_add(
        actor=official, hearing=hearing, title="Tanya jawab", item=item
    )
    assert [a.title for a in selectors.agenda_of(hearing)][-1] == "Tanya jawab"
    services.agenda_item_move(actor=official, agenda_item=added, position=1)
    assert [a.position for a in selectors.agenda_of(hearing)] == [1, 2, 3]
    assert selectors.agenda_of(hearing).first() == added
    services.agenda_item_remove(actor=official, agenda_item=added)
    assert selectors.agenda_of(hearing).count() == 2
    assert types(hearing) == ["agenda.changed"] * 3


def test_agenda_item_cannot_point_to_another_consultations_item(official, hearing):
    with pytest.raises(Invalid):
        services.agenda_item_add(actor=official, hearing=hearing, title="X", item=ItemFactory())


def test_the_current_agenda_item_cannot_be_removed(official, live_hearing):
    with pytest.raises(Conflict):
        services.agenda_item_remove(actor=official, agenda_item=live_hearing.current_agenda_item)


# --- start, advance, end ---------------------------------------------------------------


def test_start_goes_live_on_the_first_agenda_item(moderator, hearing):
    hearing = services.hearing_start(actor=moderator, hearing=hearing)
    assert hearing.is_live
    assert hearing.current_agenda_item.title == "Pembukaan"
    started, agenda = events_after(hearing.stream, 0)
    assert started["type"] == "hearing.started"
    assert started["data"]["status"] == "live"
    assert agenda["type"] == "agenda.changed"
    assert agenda["data"]["current"]["title"] == "Pembukaan"
    assert [a["title"] for a in agenda["data"]["agenda"]] == [
        "Pembukaan",
        "Rancangan secara keseluruhan",
    ]


def test_a_live_hearing_cannot_start_twice(moderator, live_hearing):
    with pytest.raises(Conflict):
        services.hearing_start(actor=moderator, hearing=live_hearing)


def test_citizen_cannot_start_a_hearing(citizen, hearing):
    with pytest.raises(NotAllowed):
        services.hearing_start(actor=citizen, hearing=hearing)
    assert types(hearing) == []


def test_advance_moves_to_the_next_item_and_stops_at_the_last(moderator, live_hearing, item):
    hearing = services.hearing_advance(actor=moderator, hearing=live_hearing)
    assert hearing.current_agenda_item.item == item
    event = last_event(hearing)
    assert event["type"] == "agenda.changed"
    assert event["data"]["current"]["item"] == item.pk
    with pytest.raises(Conflict):
        services.hearing_advance(actor=moderator, hearing=hearing)


def test_advance_to_a_chosen_item_of_another_hearing_is_refused(moderator, live_hearing):
    with pytest.raises(Invalid):
        services.hearing_advance(
            actor=moderator, hearing=live_hearing, agenda_item=AgendaItemFactory()
        )


def test_a_scheduled_hearing_cannot_advance(moderator, hearing):
    with pytest.raises(Conflict):
        services.hearing_advance(actor=moderator, hearing=hearing)


def test_end_closes_the_open_vote_first(moderator, live_hearing, item):
    voting_services.hearing_open_voting(actor=moderator, hearing=live_hearing, item=item)
    seq = current_seq(live_hearing.stream)
    hearing = services.hearing_end(actor=moderator, hearing=live_hearing)
    assert hearing.status == Hearing.Status.ENDED
    assert hearing.voting_item is None
    assert types(hearing, seq) == ["voting.closed", "hearing.ended"]
    with pytest.raises(Conflict):
        services.hearing_end(actor=moderator, hearing=hearing)


# --- voting window -------------------------------------------------------------------


def test_open_and_close_voting_publish_the_item(moderator, live_hearing, item):
    seq = current_seq(live_hearing.stream)
    hearing = voting_services.hearing_open_voting(actor=moderator, hearing=live_hearing, item=item)
    opened, tally = events_after(hearing.stream, seq)
    assert opened["type"] == "voting.opened"
    assert opened["data"]["item"]["id"] == item.pk
    assert opened["data"]["choices"] == ["for", "against", "abstain"]
    assert tally["type"] == "tally.updated"
    assert tally["data"] == {
        "item": item.pk,
        "counts": {"for": 0, "against": 0, "abstain": 0},
        "total": 0,
        "hidden": False,
        "chain": {"length": 0, "head": "0" * 64},
    }
    hearing = voting_services.hearing_close_voting(actor=moderator, hearing=hearing)
    closed = last_event(hearing)
    assert closed["type"] == "voting.closed"
    assert closed["data"]["item"]["id"] == item.pk
    assert "tally" in closed["data"]
    assert hearing.voting_item is None


def test_only_one_vote_is_open_at_a_time(moderator, live_hearing, item):
    voting_services.hearing_open_voting(actor=moderator, hearing=live_hearing, item=item)
    with pytest.raises(Conflict):
        voting_services.hearing_open_voting(actor=moderator, hearing=live_hearing, item=item)


def test_voting_needs_an_item_of_this_consultation_and_a_live_hearing(moderator, hearing, item):
    with pytest.raises(Conflict):
        voting_services.hearing_open_voting(actor=moderator, hearing=hearing, item=item)
    services.hearing_start(actor=moderator, hearing=hearing)
    with pytest.raises(Invalid):
        voting_services.hearing_open_voting(actor=moderator, hearing=hearing, item=ItemFactory())
    with pytest.raises(Conflict):
        voting_services.hearing_close_voting(actor=moderator, hearing=hearing)


def test_member_cannot_open_a_vote(member, live_hearing, item):
    with pytest.raises(NotAllowed):
        voting_services.hearing_open_voting(actor=member, hearing=live_hearing, item=item)


# --- check-in -----------------------------------------------------------------------


def test_member_checks_in_with_the_room_qr_code(member, live_hearing, organization):
    token = services.check_in_token(live_hearing)
    attendance = services.attendance_check_in(actor=member, hearing=live_hearing, token=token)
    assert attendance.organization == organization
    assert attendance.method == "qr"
    event = last_event(live_hearing)
    assert event["type"] == "attendance.updated"
    assert event["data"]["count"] == 1
    again = services.attendance_check_in(actor=member, hearing=live_hearing, token=token)
    assert again == attendance
    assert types(live_hearing).count("attendance.updated") == 1


def test_officer_checks_in_any_verified_organization(moderator, live_hearing, organization):
    attendance = services.attendance_check_in(
        actor=moderator, hearing=live_hearing, organization=organization
    )
    assert attendance.method == "officer"


def test_officer_cannot_check_in_a_pending_organization(
    moderator, live_hearing, pending_organization
):
    with pytest.raises(Conflict):
        services.attendance_check_in(
            actor=moderator, hearing=live_hearing, organization=pending_organization
        )


def test_member_cannot_check_in_another_organization(member, live_hearing, other_organization):
    with pytest.raises(NotAllowed):
        services.attendance_check_in(
            actor=member, hearing=live_hearing, organization=other_organization
        )


def test_nobody_checks_in_after_the_hearing_ended(moderator, member, live_hearing):
    token = services.check_in_token(live_hearing)
    services.hearing_end(actor=moderator, hearing=live_hearing)
    with pytest.raises(Conflict):
        services.attendance_check_in(actor=member, hearing=live_hearing, token=token)


# --- display key and screen -----------------------------------------------------------


def test_rotating_the_display_key_revokes_the_old_one(moderator, hearing):
    old = hearing.display_key
    hearing = services.display_key_rotate(actor=moderator, hearing=hearing)
    assert hearing.display_key != old
    assert types(hearing) == []


def test_representative_cannot_rotate_the_display_key(representative, hearing):
    with pytest.raises(NotAllowed):
        services.display_key_rotate(actor=representative, hearing=hearing)


def test_screen_mode_switches_and_rejects_unknown_modes(moderator, live_hearing):
    services.screen_set_mode(actor=moderator, hearing=live_hearing, mode="blank")
    event = last_event(live_hearing)
    assert event["type"] == "screen.changed"
    assert event["data"]["mode"] == "blank"
    with pytest.raises(Invalid):
        services.screen_set_mode(actor=moderator, hearing=live_hearing, mode="rainbow")


def test_moderator_puts_a_published_comment_on_the_screen(moderator, live_hearing, organization):
    comment = CommentFactory(
        consultation=live_hearing.consultation, hearing=live_hearing, organization=organization
    )
    comment = services.comment_show_on_screen(actor=moderator, comment=comment)
    assert comment.on_screen_at is not None
    event = last_event(live_hearing)
    assert event["type"] == "comment.screened"
    assert event["data"]["organization_name"] == "LSM Pelita Pasuruan"
    assert event["data"]["on_screen_at"]
    assert ModerationAction.objects.filter(comment=comment, action="screen").exists()
    assert selectors.screen_comments(live_hearing) == [comment]
    services.comment_hide_from_screen(actor=moderator, comment=comment)
    assert selectors.screen_comments(live_hearing) == []
    assert last_event(live_hearing)["data"]["on_screen_at"] is None


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
def test_unpublished_comments_never_reach_the_screen(moderator, live_hearing, status):
    comment = CommentFactory(
        consultation=live_hearing.consultation, hearing=live_hearing, status=status
    )
    seq = current_seq(live_hearing.stream)
    with pytest.raises(Conflict):
        services.comment_show_on_screen(actor=moderator, comment=comment)
    comment.refresh_from_db()
    assert comment.on_screen_at is None
    assert current_seq(live_hearing.stream) == seq


def test_comment_outside_a_hearing_cannot_go_on_screen(moderator, open_consultation):
    comment = CommentFactory(consultation=open_consultation)
    with pytest.raises(Conflict):
        services.comment_show_on_screen(actor=moderator, comment=comment)


def test_member_cannot_put_comments_on_the_screen(member, live_hearing):
    comment = CommentFactory(consultation=live_hearing.consultation, hearing=live_hearing)
    with pytest.raises(NotAllowed):
        services.comment_show_on_screen(actor=member, comment=comment)
    assert Comment.objects.get(pk=comment.pk).on_screen_at is None


# --- speakers -------------------------------------------------------------------------


def test_speaker_queue_from_request_to_done(
    moderator, representative, other_representative, live_hearing
):
    first = speakers.speaker_request(actor=representative, hearing=live_hearing)
    second = speakers.speaker_request(actor=other_representative, hearing=live_hearing)
    speakers.speaker_reorder(actor=moderator, hearing=live_hearing, order=[second.pk, first.pk])
    event = last_event(live_hearing)
    assert event["type"] == "speakers.changed"
    assert [s["id"] for s in event["data"]["queue"]] == [second.pk, first.pk]
    speakers.speaker_give_floor(actor=moderator, speaker_request=second, seconds=120)
    speaking = last_event(live_hearing)["data"]["speaking"]
    assert speaking["status"] == "speaking"
    assert speaking["organization"] == "LSM Harapan Bangsa"
    assert speaking["seconds"] == 120
    assert speaking["started_at"]
    speakers.speaker_give_floor(actor=moderator, speaker_request=first, seconds=60)
    assert SpeakerRequest.objects.get(pk=second.pk).status == "done"
    speakers.speaker_done(actor=moderator, speaker_request=first)
    assert last_event(live_hearing)["data"]["queue"] == []
    assert last_event(live_hearing)["data"]["speaking"] is None


def test_an_organization_asks_for_the_floor_once(representative, member, live_hearing):
    speakers.speaker_request(actor=representative, hearing=live_hearing)
    with pytest.raises(Conflict):
        speakers.speaker_request(actor=member, hearing=live_hearing)


def test_citizen_and_unverified_cannot_ask_for_the_floor(citizen, unverified_member, live_hearing):
    for actor in (citizen, unverified_member):
        with pytest.raises(NotAllowed):
            speakers.speaker_request(actor=actor, hearing=live_hearing)


def test_member_withdraws_own_request_but_not_others(
    member, representative, other_representative, live_hearing
):
    own = speakers.speaker_request(actor=representative, hearing=live_hearing)
    other = speakers.speaker_request(actor=other_representative, hearing=live_hearing)
    with pytest.raises(NotAllowed):
        speakers.speaker_withdraw(actor=member, speaker_request=other)
    assert speakers.speaker_withdraw(actor=member, speaker_request=own).status == "withdrawn"


def test_reorder_must_list_every_waiting_request(moderator, representative, live_hearing):
    speakers.speaker_request(actor=representative, hearing=live_hearing)
    for order in ([], [999999], "abc", [1, 1]):
        with pytest.raises(Invalid):
            speakers.speaker_reorder(actor=moderator, hearing=live_hearing, order=order)


@pytest.mark.parametrize("seconds", [0, 5, 99999, "lama", None])
def test_speaking_time_must_be_sensible(moderator, representative, live_hearing, seconds):
    request = speakers.speaker_request(actor=representative, hearing=live_hearing)
    with pytest.raises(Invalid):
        speakers.speaker_give_floor(actor=moderator, speaker_request=request, seconds=seconds)
    assert SpeakerRequest.objects.get(pk=request.pk).status == "waiting"


# --- manual counts --------------------------------------------------------------------


def test_officer_enters_a_labelled_manual_count(moderator, live_hearing, item):
    count = services.manual_count_enter(
        actor=moderator,
        hearing=live_hearing,
        item=item,
        method="hands",
        counts={"for": 31, "against": "4", "abstain": 2},
    )
    assert count.counts == {"for": 31, "against": 4, "abstain": 2}
    event = last_event(live_hearing)
    assert event["type"] == "manual_count.entered"
    assert event["data"]["total"] == 37
    assert event["data"]["method"] == "hands"


@pytest.mark.parametrize(
    "counts",
    [{}, [], {"yes": 3}, {"for": -1}, {"for": 2.5}, {"for": "banyak"}, {"for": True}],
)
def test_bad_manual_counts_are_refused(moderator, live_hearing, item, counts):
    with pytest.raises(Invalid):
        services.manual_count_enter(
            actor=moderator, hearing=live_hearing, item=item, method="paper", counts=counts
        )
    assert not ManualCount.objects.exists()


def test_member_cannot_enter_manual_counts(member, live_hearing, item):
    with pytest.raises(NotAllowed):
        services.manual_count_enter(
            actor=member, hearing=live_hearing, item=item, method="hands", counts={"for": 1}
        )


# --- events ---------------------------------------------------------------------------


def test_a_failed_change_publishes_nothing(moderator, live_hearing):
    seq = current_seq(live_hearing.stream)
    with pytest.raises(Conflict):
        voting_services.hearing_close_voting(actor=moderator, hearing=live_hearing)
    assert current_seq(live_hearing.stream) == seq


def test_snapshot_contains_only_public_state(moderator, live_hearing, organization):
    CommentFactory(consultation=live_hearing.consultation, hearing=live_hearing, status="pending")
    published = CommentFactory(
        consultation=live_hearing.consultation, hearing=live_hearing, organization=organization
    )
    snapshot = live.hearing_state(live_hearing)
    assert [c["id"] for c in snapshot["comments"]] == [published.pk]
    assert live_hearing.display_key not in str(snapshot)
    assert snapshot["agenda"]["current"]["title"] == "Pembukaan"


def test_secret_ballot_tallies_stay_hidden_in_the_hearing_stream(moderator, live_hearing, item):
    from consultations.models import Consultation

    Consultation.objects.filter(pk=live_hearing.consultation_id).update(ballot="secret")
    live_hearing.consultation.refresh_from_db()
    item.consultation.refresh_from_db()
    seq = current_seq(live_hearing.stream)
    voting_services.hearing_open_voting(actor=moderator, hearing=live_hearing, item=item)
    voting_services.hearing_close_voting(actor=moderator, hearing=live_hearing)
    for event in events_after(live_hearing.stream, seq):
        tally = event["data"] if event["type"] == "tally.updated" else event["data"].get("tally")
        if tally is not None:
            assert tally["hidden"] is True
            assert tally["counts"] == {}
