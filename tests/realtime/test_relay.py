"""The per-process relay: coalescing, slow sockets, lost broadcasts, closing screens, and
its transport (in-process, or one Redis subscription per process per stream)."""

import ast
import asyncio
import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from channels.db import database_sync_to_async

from hearings import services
from realtime import consumers, events, relay
from tests.factories import HearingFactory
from tests.realtime.conftest import open_socket, publish, receive, receive_until_closed

make_hearing = database_sync_to_async(HearingFactory)


def tally(item, n):
    """A full tally (voting.payloads.tally's shape): what the relay may coalesce."""
    return {"item": item, "counts": {"for": n}, "total": n, "hidden": False}


class FakeSocket:
    """A socket's `send`: records frames, or blocks like a client that stopped reading."""

    def __init__(self, blocked=False):
        self.frames = []
        self.closed = []
        self.gate = asyncio.Event()
        if not blocked:
            self.gate.set()

    async def send(self, message):
        await self.gate.wait()
        self.frames.append(message)


def subscriber(socket: FakeSocket) -> relay.Subscriber:
    sub = relay.Subscriber(
        socket.send, audiences=events.AUDIENCES[events.PUBLIC], on_drop=socket.closed.append
    )
    sub.go_live(0)
    return sub


def message(seq, type="attendance.updated", data=None):
    return {"stream": "hearing:1", "seq": seq, "type": type, "at": "", "data": data or {}}


async def test_a_tally_storm_reaches_sockets_as_the_first_and_the_final_state(monkeypatch):
    monkeypatch.setattr(relay, "COALESCE_INTERVAL", 0.5)
    stream = relay.StreamRelay(relay.Hub(), "hearing:1")
    stream.last_seq = 0
    socket = FakeSocket()
    stream.attach(subscriber(socket))
    stream._offer("public", message(1, "tally.updated", tally(7, 1)))
    stream._offer("public", message(2, "tally.updated", tally(8, 1)))
    for seq in range(3, 20):
        stream._offer("public", message(seq, "tally.updated", tally(7, seq)))
    stream._offer("public", message(20, "comment.hidden", {"id": 1}))
    stream._offer("public", message(21, "tally.updated", tally(8, 2)))
    assert [f["text"] for f in socket.frames] == [
        relay.encode(message(1, "tally.updated", tally(7, 1)))["text"],
        relay.encode(message(2, "tally.updated", tally(8, 1)))["text"],
    ]
    await asyncio.sleep(0.7)
    delivered = [relay.json.loads(f["text"]) for f in socket.frames]
    assert [m["seq"] for m in delivered] == [1, 2, 19, 20, 21]
    assert delivered[2]["data"]["counts"] == {"for": 19}
    assert delivered[4]["data"]["counts"] == {"for": 2}
    stream.stop()


async def test_events_out_of_order_are_delivered_in_seq_order():
    stream = relay.StreamRelay(relay.Hub(), "hearing:1")
    stream.last_seq = 0
    socket = FakeSocket()
    stream.attach(subscriber(socket))
    stream._offer("public", message(2))
    assert socket.frames == []
    stream._offer("public", message(1))
    stream._offer("public", message(1))
    assert [relay.json.loads(f["text"])["seq"] for f in socket.frames] == [1, 2]
    stream.stop()


async def test_a_socket_that_stops_reading_is_dropped_without_holding_up_the_others(
    monkeypatch,
):
    monkeypatch.setattr(relay, "SOCKET_BUFFER", 5)
    stream = relay.StreamRelay(relay.Hub(), "hearing:1")
    stream.last_seq = 0
    fast, slow = FakeSocket(), FakeSocket(blocked=True)
    stream.attach(subscriber(fast))
    stream.attach(subscriber(slow))
    for seq in range(1, 11):
        stream._offer("public", message(seq))
        await asyncio.sleep(0)
    assert len(fast.frames) == 10
    assert slow.closed == [relay.CLOSE_TOO_SLOW]
    assert stream.sockets == 1
    stream.stop()


async def test_a_blocked_write_finishes_in_order_once_the_socket_drains():
    stream = relay.StreamRelay(relay.Hub(), "hearing:1")
    stream.last_seq = 0
    socket = FakeSocket(blocked=True)
    stream.attach(subscriber(socket))
    for seq in range(1, 4):
        stream._offer("public", message(seq))
    socket.gate.set()
    await asyncio.sleep(0.05)
    assert [relay.json.loads(f["text"])["seq"] for f in socket.frames] == [1, 2, 3]
    assert socket.closed == []
    stream.stop()


async def test_a_socket_cut_off_while_it_stalls_finds_the_4408_when_it_reads_again(
    monkeypatch,
):
    """The close frame waits behind the write the socket could not take, however long:
    giving up on it left a client that read again connected but sent nothing."""
    monkeypatch.setattr(relay, "SOCKET_BUFFER", 5)
    stream = relay.StreamRelay(relay.Hub(), "hearing:1")
    stream.last_seq = 0
    socket = FakeSocket(blocked=True)
    consumer = consumers.HearingConsumer()
    consumer.base_send = socket.send
    sub = relay.Subscriber(
        socket.send, audiences=events.AUDIENCES[events.PUBLIC], on_drop=consumer._dropped
    )
    sub.go_live(0)
    stream.attach(sub)
    for seq in range(1, 11):
        stream._offer("public", message(seq))
        await asyncio.sleep(0)
    assert stream.sockets == 0
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "time", lambda now=loop.time: now() + 3600)  # an hour later
    await asyncio.sleep(0.05)
    socket.gate.set()
    await asyncio.sleep(0.05)
    assert socket.frames == [{"type": "websocket.close", "code": relay.CLOSE_TOO_SLOW}]
    stream.stop()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_a_lost_broadcast_is_filled_from_the_log_before_the_next_event(monkeypatch):
    hearing = await make_hearing()
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    try:
        with monkeypatch.context() as patch:
            patch.setattr(events, "broadcast", lambda payload, audience: None)
            await publish(hearing.stream, "hearing.started", {})
        await publish(hearing.stream, "agenda.changed", {"current": None})
        assert [(await receive(ws))["seq"] for _ in range(2)] == [1, 2]
    finally:
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_a_lost_last_broadcast_arrives_by_the_tail_check(monkeypatch):
    monkeypatch.setattr(relay, "TAIL_CHECK", 0.1)
    hearing = await make_hearing()
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    try:
        with monkeypatch.context() as patch:
            patch.setattr(events, "broadcast", lambda payload, audience: None)
            await publish(hearing.stream, "hearing.ended", {})
        assert (await receive(ws))["type"] == "hearing.ended"
    finally:
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_rotating_the_display_key_cuts_off_screens_but_not_participants():
    hearing = await make_hearing(display_key="kunci-lama")
    screen, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key=kunci-lama")
    participant, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    try:
        assert (await receive(screen))["type"] == "snapshot"
        assert (await receive(participant))["type"] == "snapshot"
        await database_sync_to_async(events.send_control)(
            hearing.stream, "close", credential="display_key"
        )
        assert await receive_until_closed(screen) == ("closed", 4403)
        await publish(hearing.stream, "hearing.started", {})
        assert (await receive(participant))["type"] == "hearing.started"
    finally:
        await screen.disconnect()
        await participant.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_all_sockets_of_a_process_share_one_relay_and_one_subscription(settings):
    hearing = await make_hearing()
    sockets = [(await open_socket(f"/ws/hearings/{hearing.pk}/?after=0"))[0] for _ in range(5)]
    try:
        await publish(hearing.stream, "hearing.started", {})
        for ws in sockets:
            assert (await receive(ws))["seq"] == 1
        hub = relay.hub()
        assert list(hub.relays) == [hearing.stream]
        assert hub.relays[hearing.stream].sockets == 5
        if settings.REDIS_URL:  # Redis itself counts the subscribers of the stream's channel
            assert hub.subscribed == {hearing.stream}
            channel = events.redis_channel(hearing.stream)
            async with redis.asyncio.Redis.from_url(settings.REDIS_URL) as client:
                assert await client.pubsub_numsub(channel) == [(channel.encode(), 1)]
    finally:
        for ws in sockets:
            await ws.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_the_display_key_rotation_service_cuts_off_connected_screens(official):

    hearing = await make_hearing(display_key="kunci-lama")
    screen, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key=kunci-lama")
    try:
        assert (await receive(screen))["type"] == "snapshot"
        await database_sync_to_async(services.display_key_rotate)(actor=official, hearing=hearing)
        assert await receive_until_closed(screen) == ("closed", 4403)
    finally:
        await screen.disconnect()
    again, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key=kunci-lama")
    try:
        assert await receive_until_closed(again) == ("closed", 4403)
    finally:
        await again.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_live_events_need_no_channel_layer(settings):
    """The relay and broadcast() use their own transport, never Channels' layer: with no
    CHANNEL_LAYERS at all, sockets still get every event live (and screens are closed)."""
    settings.CHANNEL_LAYERS = {}
    hearing = await make_hearing(display_key="kunci")
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    screen, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key=kunci")
    try:
        assert (await receive(screen))["type"] == "snapshot"
        await publish(hearing.stream, "hearing.started", {})
        assert (await receive(ws))["seq"] == 1
        assert (await receive(screen))["seq"] == 1
        await database_sync_to_async(events.send_control)(
            hearing.stream, "close", credential="display_key"
        )
        assert await receive_until_closed(screen) == ("closed", 4403)
    finally:
        await ws.disconnect()
        await screen.disconnect()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_broadcasts_go_to_the_streams_channel_of_this_redis_database_only(settings):
    """The channel is `ruang<database>.<stream>`, derived from REDIS_URL: Redis pub/sub
    ignores database numbers, so the name must carry it, or two deployments (or two
    test workers) on one server would hear each other."""
    here = settings.REDIS_URL
    database = redis.Redis.from_url(here).get_connection_kwargs().get("db", 0)
    elsewhere = (database + 1) % 16
    other = urlunsplit(urlsplit(here)._replace(path=f"/{elsewhere}"))
    stream = f"hearing:{uuid.uuid4().int % 10**9}"
    assert events.redis_channel(stream) == f"ruang{database}.{stream}"
    async with redis.asyncio.Redis.from_url(here) as client, client.pubsub() as pubsub:
        await pubsub.subscribe(f"ruang{database}.{stream}", f"ruang{elsewhere}.{stream}")
        for _ in range(2):
            await pubsub.get_message(timeout=1)  # the two subscribe confirmations
        settings.REDIS_URL = other
        await database_sync_to_async(events.send_control)(stream, "close", credential="x")
        settings.REDIS_URL = here
        payload = {"stream": stream, "seq": 1, "type": "hearing.started", "at": "", "data": {}}
        await database_sync_to_async(events.broadcast)(payload)
        first = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        second = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
    assert first["channel"] == f"ruang{elsewhere}.{stream}".encode()
    assert json.loads(first["data"])["action"] == "close"
    assert second["channel"] == f"ruang{database}.{stream}".encode()
    assert json.loads(second["data"]) == {
        "type": "stream.event",
        "event": payload,
        "audience": events.PUBLIC,
    }


def _foreign_private_attributes_and_local_imports(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append(f"{path.name}:{node.lineno} import inside {function.name}()")
    return found


def test_the_relay_and_broadcast_use_no_private_attribute_of_a_library_and_no_late_import():
    """Public interfaces only (channels_redis' private attributes once named its channels),
    and every import at the top, where the import-linter contracts see it."""
    realtime = Path(relay.__file__).parent
    found = []
    for name in ("relay.py", "events.py"):
        found += _foreign_private_attributes_and_local_imports(realtime / name)
    assert found == []
