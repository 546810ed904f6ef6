"""WebSocket consumers: `/ws/hearings/<id>/` and `/ws/consultations/<id>/`, push only.

Connect: accept, authorize (refusals close with the domain error's code, see
docs/REALTIME.md), subscribe to this process's relay *first* (it buffers live events
for the socket), then either replay the log after `?after=` or send a snapshot with its
seq, then flush the buffered events with a higher seq. Subscribing before reading the
database is what makes replay + live gapless and duplicate-free.
"""

import asyncio
import contextlib
import json
import logging

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from backend.errors import DomainError
from realtime import access, events, snapshots
from realtime.relay import Subscriber, encode, hub

logger = logging.getLogger(__name__)

REPLAY_PAGE = 500
CLOSE_INTERNAL = 1011


def replay_page(stream: str, after: int, audiences, limit: int) -> tuple[int, list[dict]]:
    return events.current_seq(stream), events.events_after(
        stream, after, audiences=audiences, limit=limit
    )


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

    async def websocket_connect(self, message):
        self.subscriber = None
        await self.accept()
        try:
            query = access.parse_query(self.scope.get("query_string", b""))
            grant = await database_sync_to_async(access.authorize)(
                self.kind,
                int(self.scope["url_route"]["kwargs"]["pk"]),
                self.scope.get("user"),
                query,
            )
        except DomainError as exc:
            await self.close(code=exc.ws_close_code)
            return
        self.grant = grant
        self.subscriber = Subscriber(
            self.base_send,
            audiences=grant.audiences,
            credential=grant.credential,
            on_drop=self._dropped,
        )
        try:
            await hub().attach(grant.stream, self.subscriber)
            last = None
            if query.after is not None:
                last = await self._replay(query.after)
            if last is None:
                last = await self._snapshot()
        except Exception:
            logger.exception("opening %s failed", grant.stream)
            self._detach()
            await self.close(code=CLOSE_INTERNAL)
            return
        self.subscriber.go_live(last)

    async def _replay(self, after: int) -> int | None:
        """Send every event after `after`; None when `after` is ahead of the log
        (the client saw another history, e.g. a reset demo): it gets a snapshot instead."""
        read = database_sync_to_async(replay_page)
        last = after
        while True:
            current, page = await read(self.grant.stream, last, self.grant.audiences, REPLAY_PAGE)
            if last == after and after > current:
                return None
            for message in without_superseded(page):
                await self.base_send(encode(message))
            if page:
                last = page[-1]["seq"]
            if len(page) < REPLAY_PAGE:
                # `current` was read before the page: every event up to it was in the page.
                return max(last, current)

    async def _snapshot(self) -> int:
        seq, data = await database_sync_to_async(snapshots.build)(
            self.kind,
            self.grant.obj,
            stream=self.grant.stream,
            user=self.scope.get("user"),
            audiences=self.grant.audiences,
        )
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
        # If even the close frame cannot be written, the server's ping timeout ends it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.close(code=code), timeout=5)

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
