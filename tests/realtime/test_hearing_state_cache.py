"""The public state of a hearing is built once per seq of its stream and shared (the QR-join
storm: a hall of phones opening the room page and the socket at once), and a new event, the
moderator's view or a missing cache never serve a stale or wrong one."""

from unittest import mock

import pytest
from django.db import transaction

from realtime import events, live
from tests.factories import CommentFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, status="live")


def test_readers_at_the_same_seq_share_one_build(hearing, django_assert_num_queries):
    seq = events.current_seq(hearing.stream)
    first = live.hearing_state(hearing, seq=seq)

    with django_assert_num_queries(0):
        again = live.hearing_state(hearing, seq=seq)

    assert again == first == live.hearing_state(hearing)


def test_a_new_event_means_a_new_state(hearing, member):
    before = live.hearing_state(hearing, seq=events.current_seq(hearing.stream))
    comment = CommentFactory(consultation=hearing.consultation, hearing=hearing, author=member)
    with transaction.atomic():
        events.publish(hearing.stream, "comment.published", {"id": comment.pk})

    after = live.hearing_state(hearing, seq=events.current_seq(hearing.stream))

    assert comment.pk not in [c["id"] for c in before["comments"]]
    assert comment.pk in [c["id"] for c in after["comments"]]


def test_the_moderator_s_state_is_never_shared(hearing, django_assert_num_queries):
    seq = events.current_seq(hearing.stream)
    live.hearing_state(hearing, seq=seq)

    state = live.hearing_state(hearing, moderator=True, seq=seq)

    assert "pending_comments" in state
    assert "pending_comments" not in live.hearing_state(hearing, seq=seq)


def test_without_a_cache_the_state_is_built_every_time(hearing):
    broken = mock.Mock(get=mock.Mock(side_effect=ConnectionError("redis is down")))
    with mock.patch.object(live, "cache", broken):
        state = live.hearing_state(hearing, seq=events.current_seq(hearing.stream))

    assert state == live.hearing_state(hearing)
