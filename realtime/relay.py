"""Fan-out: one relay per worker process per stream (docs/REALTIME.md §4-§5).

Channels' usual pattern — one channel-layer channel and one group_send delivery per
socket — costs a layer message, a dispatch and a thread hop per socket per event, and
could not feed 1,000 sockets at 10 events/s on two cores. Here each process (each event
loop) has one hub. With REDIS_URL the hub holds one `redis.asyncio` pub/sub connection,
subscribed once to the channel of every stream it has sockets for
(`events.redis_channel`); without it, `events.broadcast` hands events to the hubs of
this process directly (`events.local_receivers`). A relay per stream puts the events
back in seq order (filling gaps from the database, once per process, never per
socket), coalesces full-state events, encodes each event once, and writes the same ASGI
message to each local socket with the server's own `send`. A socket whose writes back
up beyond SOCKET_BUFFER frames is dropped; the client reconnects with `?after=` and
replays from the log.
"""

import asyncio
import contextlib
import contextvars
import json
import logging
import weakref
from collections import deque

from channels.db import database_sync_to_async
from django.conf import settings
from redis import asyncio as redis

from realtime import events

logger = logging.getLogger(__name__)

SOCKET_BUFFER = 500  # frames one socket may have waiting before it is dropped
GAP_WAIT = 0.2  # how long an out-of-order event waits for the ones before it
TAIL_CHECK = 5.0  # how often a relay asks the database whether it missed events
COALESCE_INTERVAL = 0.2  # at most 5 deliveries per second per coalesce key (tally of one item)
LEAVE_GRACE = 30.0  # keep a stream subscribed this long after its last socket left
JOIN_RETRY = 1.0  # how often a relay whose stream is not subscribed (Redis down) tries again
JOIN_TIMEOUT = 5.0
CLOSE_TOO_SLOW = 4408


def encode(payload: dict) -> dict:
    """The ASGI message for an event, built once and shared by every socket."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return {"type": "websocket.send", "text": text}


class _Continue:
    """Resume a coroutine that was stepped once by hand, exactly as `await` would.

    Subscriber.write() starts the server's `send` coroutine synchronously: when the
    socket is writable it finishes at once (no task, no scheduling — the common case
    for 1,000 sockets). Only a write that has to wait for the transport to drain is
    handed to a task, which continues it from where it stopped (PEP 380 delegation).
    """

    __slots__ = ("coro", "first")

    def __init__(self, coro, first):
        self.coro, self.first = coro, first

    def __await__(self):
        coro, value = self.coro, self.first
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - forwarded, as `yield from` does
                try:
                    value = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    value = coro.send(sent)
                except StopIteration as stop:
                    return stop.value


class Subscriber:
    """One socket as the relay sees it: its audiences, a bounded buffer, its `send`."""

    __slots__ = (
        "send",
        "audiences",
        "credential",
        "on_drop",
        "live",
        "buffer",
        "backlog",
        "writing",
        "last_seq",
        "dropped",
        "relay",
        "__weakref__",
    )

    def __init__(self, send, *, audiences=None, credential="user", on_drop=None):
        """`audiences=None`: subscribed before authorization; everything is buffered until
        StreamRelay.admit() says what the socket may see."""
        self.send = send
        self.audiences = audiences
        self.credential = credential
        self.on_drop = on_drop
        self.live = False
        self.buffer = deque()  # (seq, message, audience) received while the socket catches up
        self.backlog = deque()  # messages behind a write that is waiting for the socket
        self.writing = None
        self.last_seq = 0
        self.dropped = False
        self.relay = None

    def push(self, seq: int, msg: dict, audience: str = events.PUBLIC) -> None:
        if self.dropped:
            return
        if not self.live:
            if len(self.buffer) >= SOCKET_BUFFER:
                self.drop(CLOSE_TOO_SLOW)
            elif self.audiences is None or audience in self.audiences:
                self.buffer.append((seq, msg, audience))
            return
        if seq <= self.last_seq:
            return
        self.last_seq = seq
        self.write(msg)

    def go_live(self, last_sent: int) -> None:
        """Replay or snapshot done (up to `last_sent`): flush what arrived meanwhile, once."""
        self.last_seq = last_sent
        self.live = True
        buffered, self.buffer = self.buffer, deque()
        for seq, msg, audience in buffered:
            if audience in self.audiences:
                self.push(seq, msg, audience)

    def write(self, msg: dict) -> None:
        if self.writing is not None:
            if len(self.backlog) >= SOCKET_BUFFER:
                self.drop(CLOSE_TOO_SLOW)
            else:
                self.backlog.append(msg)
            return
        coro = self.send(msg)
        try:
            first = coro.send(None)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - a socket that cannot be written to is gone
            self.drop(CLOSE_TOO_SLOW)
            return
        self.writing = asyncio.ensure_future(self._finish(coro, first))

    async def _finish(self, coro, first) -> None:
        try:
            await _Continue(coro, first)
            while self.backlog and not self.dropped:
                await self.send(self.backlog.popleft())
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            self.drop(CLOSE_TOO_SLOW)
        finally:
            self.writing = None

    def drop(self, code: int) -> None:
        """Stop writing to this socket at once and let the consumer close it."""
        if self.dropped:
            return
        self.dropped = True
        self.buffer.clear()
        self.backlog.clear()
        if self.writing is not None and not self.writing.done():
            self.writing.cancel()
        if self.relay is not None:
            self.relay.detach(self)
        if self.on_drop is not None:
            self.on_drop(code)


class StreamRelay:
    """The events of one stream in this process, in order, coalesced, encoded once."""

    def __init__(self, hub: "Hub", stream: str):
        self.hub = hub
        self.stream = stream
        self.public: set[Subscriber] = set()
        self.moderation: set[Subscriber] = set()
        self.last_seq: int | None = None
        self.held: dict[int, tuple[str, dict]] = {}
        self.outbox: deque = deque()
        self.latest: dict[str, int] = {}
        self.sent_at: dict[str, float] = {}
        self.pump_handle = None
        self.gap_handle = None
        self.leave_handle = None
        self.filling = False
        self.admitted_once = False  # a stream nobody was allowed on is released at once
        self.ready = asyncio.Event()
        self.tail_task = None

    # --- lifecycle ---

    async def start(self) -> None:
        await self.hub.join(self.stream)
        baseline = await database_sync_to_async(events.current_seq)(self.stream)
        self.last_seq = baseline
        for seq in [seq for seq in self.held if seq <= baseline]:
            del self.held[seq]
        self._drain()
        self.ready.set()
        self.tail_task = asyncio.ensure_future(self._tail())

    def stop(self) -> None:
        for handle in (self.pump_handle, self.gap_handle, self.leave_handle):
            if handle is not None:
                handle.cancel()
        if self.tail_task is not None:
            self.tail_task.cancel()

    @property
    def sockets(self) -> int:
        return len(self.public) + len(self.moderation)

    def attach(self, subscriber: Subscriber) -> None:
        if self.leave_handle is not None:
            self.leave_handle.cancel()
            self.leave_handle = None
        subscriber.relay = self
        if subscriber.audiences is None or events.MODERATION in subscriber.audiences:
            self.moderation.add(subscriber)  # pending sockets buffer every audience
        else:
            self.public.add(subscriber)

    def admit(self, subscriber: Subscriber, audiences, credential: str) -> None:
        """Authorization decided what a pending socket may see."""
        subscriber.audiences, subscriber.credential = audiences, credential
        self.admitted_once = True
        subscriber.buffer = deque(e for e in subscriber.buffer if e[2] in audiences)
        if events.MODERATION not in audiences and subscriber in self.moderation:
            self.moderation.discard(subscriber)
            self.public.add(subscriber)

    def detach(self, subscriber: Subscriber) -> None:
        self.public.discard(subscriber)
        self.moderation.discard(subscriber)
        if not self.sockets and self.leave_handle is None:
            loop = asyncio.get_running_loop()
            grace = self.hub.leave_grace if self.admitted_once else 0
            self.leave_handle = loop.call_later(grace, self.hub.release, self)

    # --- incoming ---

    def on_message(self, msg: dict) -> None:
        if msg.get("type") == "stream.control":
            self._control(msg)
            return
        payload = msg.get("event") or {}
        if payload.get("stream") != self.stream or not isinstance(payload.get("seq"), int):
            return
        self._offer(msg.get("audience", events.PUBLIC), payload)

    def _offer(self, audience: str, payload: dict) -> None:
        seq = payload["seq"]
        if self.last_seq is not None and seq <= self.last_seq:
            return  # already delivered (a broadcast that came after the gap fill)
        self.held[seq] = (audience, payload)
        if self.last_seq is not None:
            self._drain()

    def _drain(self) -> None:
        while self.last_seq + 1 in self.held:
            self.last_seq += 1
            audience, payload = self.held.pop(self.last_seq)
            self._accept(audience, payload)
        if self.held and self.gap_handle is None:
            loop = asyncio.get_running_loop()
            self.gap_handle = loop.call_later(GAP_WAIT, self._gap_timeout)
        elif not self.held and self.gap_handle is not None:
            self.gap_handle.cancel()
            self.gap_handle = None

    def _gap_timeout(self) -> None:
        self.gap_handle = None
        if self.held:
            self.fill()

    def fill(self) -> None:
        """Read missed events from the log: once per process and gap, never per socket."""
        if not self.filling and self.last_seq is not None:
            self.filling = True
            asyncio.ensure_future(self._fill())

    async def _fill(self) -> None:
        read = database_sync_to_async(events.entries_after)
        try:
            while True:
                rows = await read(self.stream, self.last_seq, 500)
                for audience, payload in rows:
                    if payload["seq"] > self.last_seq:
                        self.held[payload["seq"]] = (audience, payload)
                self._drain()
                if len(rows) < 500:
                    break
        except Exception:  # noqa: BLE001 - try again on the next gap or tail check
            logger.warning("gap fill for %s failed", self.stream, exc_info=True)
        finally:
            self.filling = False

    async def _tail(self) -> None:
        """Catch events whose broadcast was lost (Redis down, publisher died after commit)."""
        read = database_sync_to_async(events.current_seq)
        while True:
            await asyncio.sleep(TAIL_CHECK if self.hub.joined(self.stream) else JOIN_RETRY)
            try:
                if not self.hub.joined(self.stream):
                    await self.hub.join(self.stream)
                if await read(self.stream) > self.last_seq:
                    self.fill()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001
                logger.warning("tail check for %s failed", self.stream, exc_info=True)

    # --- outgoing ---

    def _accept(self, audience: str, payload: dict) -> None:
        key = events.coalesce_key(payload["type"], payload["data"])
        if key is not None:
            self.latest[key] = payload["seq"]
        self.outbox.append((key, audience, payload))
        if self.pump_handle is None:
            self._pump()

    def _pump(self) -> None:
        """Deliver in seq order; a full-state event waits for its key's next slot and is
        skipped when a newer one of the same key is already queued (the last one always goes)."""
        self.pump_handle = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self.outbox:
            key, audience, payload = self.outbox[0]
            if key is not None:
                if self.latest[key] > payload["seq"]:
                    self.outbox.popleft()
                    continue
                due = self.sent_at.get(key, -COALESCE_INTERVAL) + COALESCE_INTERVAL
                if now < due:
                    self.pump_handle = loop.call_at(due, self._pump)
                    return
                self.sent_at[key] = now
                del self.latest[key]
            self.outbox.popleft()
            self._emit(audience, payload)

    def _emit(self, audience: str, payload: dict) -> None:
        msg = encode(payload)
        seq = payload["seq"]
        if audience == events.PUBLIC:
            for subscriber in tuple(self.public):
                subscriber.push(seq, msg)
        for subscriber in tuple(self.moderation):
            subscriber.push(seq, msg, audience)

    def _control(self, msg: dict) -> None:
        if msg.get("action") == "close":
            for subscriber in tuple(self.public) + tuple(self.moderation):
                if subscriber.credential == msg.get("credential"):
                    subscriber.drop(int(msg.get("code", 4403)))


class Hub:
    """This process's (event loop's) stream relays and their one Redis subscription.

    With REDIS_URL: one pub/sub connection, subscribed to the channel of each stream that
    has a relay here (`events.redis_channel`), read by one task. Without it nothing is
    subscribed: `events.broadcast` reaches every hub of the process through
    `deliver_local`.
    """

    def __init__(self, leave_grace: float = LEAVE_GRACE):
        self.redis_url = settings.REDIS_URL
        self.relays: dict[str, StreamRelay] = {}
        self.client = None
        self.pubsub = None
        self.reader = None
        self.subscribed: set[str] = set()  # streams whose channel this hub's pubsub has joined
        self.lock = asyncio.Lock()
        self.leave_grace = leave_grace

    async def attach(self, stream: str, subscriber: Subscriber) -> StreamRelay:
        relay = self.relays.get(stream)
        if relay is None:
            relay = self.relays[stream] = StreamRelay(self, stream)
            relay.attach(subscriber)
            try:
                await relay.start()
            except BaseException:
                self.relays.pop(stream, None)
                relay.stop()
                relay.ready.set()
                raise
        else:
            relay.attach(subscriber)
            await relay.ready.wait()
        return relay

    def joined(self, stream: str) -> bool:
        """Whether this process hears the stream's broadcasts (always, without Redis)."""
        return not self.redis_url or stream in self.subscribed

    async def join(self, stream: str) -> bool:
        """Subscribe this process to the stream's channel; False if Redis is down (the relay
        then works from the database and tries again every JOIN_RETRY)."""
        if self.joined(stream):
            return True
        async with self.lock:
            try:
                if self.pubsub is None:
                    if self.client is None:
                        self.client = redis.Redis.from_url(
                            self.redis_url, socket_connect_timeout=2, socket_keepalive=True
                        )
                    self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                await asyncio.wait_for(
                    self.pubsub.subscribe(events.redis_channel(stream)), timeout=JOIN_TIMEOUT
                )
                self.subscribed.add(stream)
                if self.reader is None:
                    self.reader = asyncio.ensure_future(self._read(self.pubsub))
                return True
            except Exception:  # noqa: BLE001 - the relay still works from the database
                logger.warning("subscribing to %s on Redis failed", stream, exc_info=True)
                await self._drop_subscription()
                return False

    async def _drop_subscription(self) -> None:
        """Give up a broken subscription (caller holds the lock): every relay re-joins on a
        fresh connection from its tail check and fills in what it missed from the log."""
        pubsub, self.pubsub = self.pubsub, None
        reader, self.reader = self.reader, None
        self.subscribed.clear()
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    def release(self, relay: StreamRelay) -> None:
        if relay.sockets or self.relays.get(relay.stream) is not relay:
            return
        del self.relays[relay.stream]
        relay.stop()
        if relay.stream in self.subscribed:
            asyncio.ensure_future(self._leave(relay.stream))

    async def _leave(self, stream: str) -> None:
        async with self.lock:
            if stream in self.relays or stream not in self.subscribed:
                return  # a socket came back for it meanwhile, or the subscription is gone
            self.subscribed.discard(stream)
            try:
                await self.pubsub.unsubscribe(events.redis_channel(stream))
            except Exception:  # noqa: BLE001
                logger.warning("unsubscribing from %s failed", stream, exc_info=True)

    async def _read(self, pubsub) -> None:
        while True:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001
                logger.warning("the Redis subscription failed", exc_info=True)
                async with self.lock:
                    if self.pubsub is pubsub:
                        await self._drop_subscription()
                return
            if message is None or message["type"] != "message":
                continue
            try:
                envelope = json.loads(message["data"])
            except ValueError:
                logger.warning("not an event on %s", message["channel"])
                continue
            self.dispatch(envelope)

    def dispatch(self, msg: dict) -> None:
        stream = (msg.get("event") or {}).get("stream") or msg.get("stream")
        relay = self.relays.get(stream)
        if relay is not None:
            try:
                relay.on_message(msg)
            except Exception:  # noqa: BLE001 - one bad message must not stop the relay
                logger.exception("relay for %s failed on a message", stream)

    async def close(self) -> None:
        """Tests: stop every relay, the reader and the Redis connections of this hub."""
        for relay in list(self.relays.values()):
            relay.stop()
        self.relays.clear()
        reader = self.reader
        async with self.lock:
            await self._drop_subscription()
        if reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
        if self.client is not None:
            await self.client.aclose()
            self.client = None


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def deliver_local(envelope: dict) -> None:
    """From any thread of this process: give an event to every hub's relays (no Redis),
    scheduled on each hub's event loop without waiting for it.

    The relay runs in a context of its own, not the publishing thread's: the timers and
    tasks it starts (a gap fill's database read) would otherwise inherit that thread's
    asgiref state and be refused as a deadlock."""
    for loop, current in list(_hubs.items()):
        if loop.is_closed():
            continue
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            contextvars.Context().run(current.dispatch, envelope)
        else:
            loop.call_soon_threadsafe(current.dispatch, envelope, context=contextvars.Context())


events.local_receivers.append(deliver_local)


def hub() -> Hub:
    """The hub of the running event loop (one per worker process in production)."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(loop)
    if current is None:
        current = _hubs[loop] = Hub()
    return current


async def reset_hub() -> None:
    """Tests: forget this loop's hub so the next socket starts from scratch."""
    loop = asyncio.get_running_loop()
    current = _hubs.pop(loop, None)
    if current is not None:
        await current.close()
