"""Snapshot, replay with ?after=, and the race between replay and live events."""

import json

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from realtime import consumers, events, live, snapshots
from tests.factories import HearingFactory
from tests.realtime.conftest import open_socket, publish, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_relays")]

make_hearing = database_sync_to_async(HearingFactory)


async def receive_seqs(ws, count: int) -> list[int]:
    return [(await receive(ws))["seq"] for _ in range(count)]


async def test_without_after_the_first_message_is_a_snapshot_with_the_current_seq():
    hearing = await make_hearing()
    for _ in range(3):
        await publish(hearing.stream, "attendance.updated", {"count": 1})
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    try:
        snapshot = await receive(ws)
        assert (snapshot["type"], snapshot["seq"], snapshot["stream"]) == (
            "snapshot",
            3,
            hearing.stream,
        )
        assert snapshot["at"].endswith("+07:00")
        seq = await publish(hearing.stream, "hearing.started", {"id": hearing.pk})
        live = await receive(ws)
        assert (live["seq"], live["type"]) == (seq, "hearing.started") == (4, "hearing.started")
        assert set(live) == {"stream", "seq", "type", "at", "data"}
    finally:
        await ws.disconnect()


async def test_after_replays_every_later_event_then_goes_live():
    hearing = await make_hearing()
    for n in range(5):
        await publish(hearing.stream, "attendance.updated", {"count": n})
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=2")
    try:
        assert await receive_seqs(ws, 3) == [3, 4, 5]
        await publish(hearing.stream, "hearing.ended", {"id": hearing.pk})
        assert await receive_seqs(ws, 1) == [6]
        assert await ws.receive_nothing(timeout=0.2)
    finally:
        await ws.disconnect()


async def test_after_the_current_seq_sends_nothing_until_the_next_event():
    hearing = await make_hearing()
    await publish(hearing.stream, "hearing.started", {})
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=1")
    try:
        assert await ws.receive_nothing(timeout=0.2)
        await publish(hearing.stream, "hearing.ended", {})
        assert await receive_seqs(ws, 1) == [2]
    finally:
        await ws.disconnect()


async def test_after_beyond_the_log_gets_a_snapshot_instead():
    """The client saw another history (e.g. a reset demo database): start it over."""
    hearing = await make_hearing()
    await publish(hearing.stream, "hearing.started", {})
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=40")
    try:
        snapshot = await receive(ws)
        assert (snapshot["type"], snapshot["seq"]) == ("snapshot", 1)
    finally:
        await ws.disconnect()


async def test_events_published_while_replay_runs_arrive_once_and_in_order(monkeypatch):
    """Publish before, between and after the replay's database reads: each seq once, in order."""
    hearing = await make_hearing()
    for _ in range(4):
        await publish(hearing.stream, "attendance.updated", {"count": 0})
    monkeypatch.setattr(consumers, "REPLAY_PAGE", 2)
    read_page = consumers.replay_page
    calls = []

    def racing_replay_page(stream, after, audiences, limit):
        calls.append(after)
        racing = len(calls) <= 3
        if racing:
            with transaction.atomic():  # committed and broadcast before this page is read
                events.publish(stream, "attendance.updated", {"count": len(calls)})
        answer = read_page(stream, after, audiences, limit)
        if racing:
            with transaction.atomic():  # committed after the read: must come live
                events.publish(stream, "attendance.updated", {"count": -len(calls)})
        return answer

    monkeypatch.setattr(consumers, "replay_page", racing_replay_page)
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=1")
    try:
        total = 4 + 2 * 3
        assert await receive_seqs(ws, total - 1) == list(range(2, total + 1))
        assert await ws.receive_nothing(timeout=0.3)
        assert len(calls) >= 3
    finally:
        await ws.disconnect()


async def test_events_published_while_the_snapshot_is_built_arrive_once(monkeypatch):
    hearing = await make_hearing()
    await publish(hearing.stream, "hearing.started", {})
    build = snapshots.build

    def racing_build(*args, **kwargs):
        with transaction.atomic():
            events.publish(hearing.stream, "attendance.updated", {"count": 1})
        result = build(*args, **kwargs)
        with transaction.atomic():
            events.publish(hearing.stream, "attendance.updated", {"count": 2})
        return result

    monkeypatch.setattr(snapshots, "build", racing_build)
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    try:
        snapshot = await receive(ws)
        assert snapshot["seq"] == 2
        assert await receive_seqs(ws, 1) == [3]
        assert await ws.receive_nothing(timeout=0.3)
    finally:
        await ws.disconnect()


async def test_replay_skips_tallies_superseded_later_in_the_log():
    hearing = await make_hearing()
    for n in range(1, 4):
        data = {"item": 5, "counts": {"for": n}, "total": n, "hidden": False}
        await publish(hearing.stream, "tally.updated", data)
    await publish(hearing.stream, "hearing.ended", {})
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    try:
        tally = await receive(ws)
        assert (tally["seq"], tally["data"]["counts"]) == (3, {"for": 3})
        assert await receive_seqs(ws, 1) == [4]
    finally:
        await ws.disconnect()


async def test_the_snapshot_is_the_state_the_hearing_pages_render():
    hearing = await make_hearing()
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    try:
        message = await receive(ws)
        page_state = await database_sync_to_async(live.hearing_state)(hearing)
        assert message["data"] == json.loads(json.dumps(page_state))
    finally:
        await ws.disconnect()
