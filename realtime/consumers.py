"""WebSocket consumers: `/ws/hearings/<id>/` and `/ws/consultations/<id>/`, push only.

Connect: accept, subscribe to this process's relay *first* (it buffers live events for
the socket), then in one database round trip resolve the user from the session,
authorize (refusals close with the domain error's code, see docs/REALTIME.md) and read
the replay page after `?after=` or the snapshot with its seq; send it, then flush the
buffered events with a higher seq. Subscribing before reading the database is what
makes replay + live gapless and duplicate-free.
"""

import asyncio
import contextlib
import json
import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from backend.errors import DomainError
from realtime import access, events, snapshots
from realtime.relay import Subscriber, encode, hub

logger = logging.getLogger(__name__)

REPLAY_PAGE = 500
CLOSE_INTERNAL = 1011


def on_connect_threads(func):
    """Connect-time reads run on Django's one thread for synchronous code. A pool of four
    threads was tried: in a storm of 1,000 reconnects the publisher no longer queued
    behind them, but the threads took the GIL from the event loop and the handshakes
    slowed down threefold (docs/PERFORMANCE.md)."""
    return database_sync_to_async(func)


def replay_page(stream: str, after: int, audiences, limit: int) -> tuple[int, list[dict]]:
    """(current seq, then the page): the seq is read first, so the page holds every
    event up to it."""
    return events.current_seq(stream), events.events_after(
        stream, after, audiences=audiences, limit=limit
    )


class _SessionRequest:
    """What django.contrib.auth.get_user needs from a request: its session."""

    def __init__(self, session):
        self.session = session


def user_from_session(session):
    """The signed-in user (or AnonymousUser), resolved in the same thread hop as the rest
    of the connect instead of in a separate one (AuthMiddleware's)."""
    if session is None:
        return AnonymousUser()
    return get_user(_SessionRequest(session))


def without_superseded(page: list[dict]) -> list[dict]:
    """In a replay page only the newest full state per coalesce key matters."""
    newest = {}
    for message in page:
        key = events.coalesce_key(message["type"], message["data"])
        if key is not None:
            newest[key] = message["seq"]
    if not newest:
        return page
    return [
        message
        for message in page
        if newest.get(events.coalesce_key(message["type"], message["data"]), message["seq"])
        == message["seq"]
    ]


class StreamConsumer(AsyncWebsocketConsumer):
    """Push-only stream of one consultation or hearing; the process relay does the fan-out."""

    kind = ""
    # No per-socket channel-layer channel: the relay subscribes once per process.
    channel_layer_alias = "realtime.no-per-socket-channel"

    async def dispatch(self, message):
        """As AsyncConsumer.dispatch, without its `aclose_old_connections()` thread hop per
        message: every database access here goes through database_sync_to_async, which
        closes stale connections itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message):
        self.subscriber = None
        await self.accept()
        try:
            query = access.parse_query(self.scope.get("query_string", b""))
        except DomainError as exc:
            await self.close(code=exc.ws_close_code)
            return
        pk = int(self.scope["url_route"]["kwargs"]["pk"])
        # Subscribe first (pending: buffers everything, sends nothing), then one database
        # round trip decides access and reads the replay page or the snapshot.
        self.subscriber = Subscriber(self.base_send, on_drop=self._dropped)
        try:
            relay = await hub().attach(f"{self.kind}:{pk}", self.subscriber)
            grant, opening = await on_connect_threads(self.open_stream)(pk, query)
        except DomainError as exc:
            self._detach()
            await self.close(code=exc.ws_close_code)
            return
        except Exception:
            logger.exception("opening %s:%s failed", self.kind, pk)
            self._detach()
            await self.close(code=CLOSE_INTERNAL)
            return
        self.grant = grant
        relay.admit(self.subscriber, grant.audiences, grant.credential)
        try:
            if opening[0] == "replay":
                last = await self._replay(query.after, opening[1], opening[2])
            else:
                last = await self._send_snapshot(opening[1], opening[2])
        except Exception:
            logger.exception("opening %s failed", grant.stream)
            self._detach()
            await self.close(code=CLOSE_INTERNAL)
            return
        self.subscriber.go_live(last)

    def open_stream(self, pk: int, query: access.Query):
        """Sync, one thread hop: the user from the session, access, then the first replay
        page — or the snapshot when there is no `after` or it is ahead of the log (a client
        that saw another history, e.g. a reset demo database)."""
        if "user" not in self.scope:
            self.scope["user"] = user_from_session(self.scope.get("session"))
        grant = access.authorize(self.kind, pk, self.scope["user"], query)
        if query.after is not None:
            current, page = replay_page(grant.stream, query.after, grant.audiences, REPLAY_PAGE)
            if query.after <= current:
                return grant, ("replay", current, page)
        seq, data = snapshots.build(
            self.kind, grant.obj, stream=grant.stream, audiences=grant.audiences
        )
        return grant, ("snapshot", seq, data)

    async def _replay(self, after: int, current: int, page: list[dict]) -> int:
        """Send every event after `after`, page by page; returns the seq it is complete to."""
        read = on_connect_threads(replay_page)
        last = after
        while True:
            for message in without_superseded(page):
                await self.base_send(encode(message))
            if page:
                last = page[-1]["seq"]
            if len(page) < REPLAY_PAGE:
                # `current` was read before the page: every event up to it was in the page.
                return max(last, current)
            current, page = await read(self.grant.stream, last, self.grant.audiences, REPLAY_PAGE)

    async def _send_snapshot(self, seq: int, data: dict) -> int:
        message = {
            "stream": self.grant.stream,
            "seq": seq,
            "type": "snapshot",
            "at": events.iso(timezone.now()),
            "data": data,
        }
        await self.base_send(
            {"type": "websocket.send", "text": json.dumps(message, ensure_ascii=False)}
        )
        return seq

    def _dropped(self, code: int) -> None:
        asyncio.ensure_future(self._close_quietly(code))

    async def _close_quietly(self, code: int) -> None:
        """The close frame waits behind what the socket could not take yet, for as long as
        it takes: a client that stalled and reads again must learn that it was cut off
        (giving up after a few seconds left it connected, answering pings, and never
        sent another event). Nothing is written to the socket meanwhile; the wait ends
        when the frame goes out or the connection is lost."""
        with contextlib.suppress(Exception):
            await self.close(code=code)

    def _detach(self) -> None:
        subscriber, self.subscriber = self.subscriber, None
        if subscriber is not None:
            subscriber.dropped = True
            if subscriber.relay is not None:
                subscriber.relay.detach(subscriber)

    async def websocket_receive(self, message):
        """Push only: whatever a client sends is ignored."""

    async def websocket_disconnect(self, message):
        self._detach()
        raise StopConsumer()


class HearingConsumer(StreamConsumer):
    kind = "hearing"


class ConsultationConsumer(StreamConsumer):
    kind = "consultation"
