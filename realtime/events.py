"""The event log: the bottom layer, knows no domain (ARCHITECTURE.md §2 rule 3).

`publish()` appends a StreamEvent with the next gapless seq of its stream in the
caller's transaction and hands it to the channel layer only after commit, so a
rolled-back change broadcasts nothing and a down channel layer never fails a write.
"""

import logging
from zoneinfo import ZoneInfo

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import F

from realtime.models import Stream, StreamEvent

logger = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")

EVENT_TYPES = frozenset(
    {
        "snapshot",
        "comment.published",
        "comment.hidden",
        "tally.updated",
        "agenda.changed",
        "voting.opened",
        "voting.closed",
        "attendance.updated",
        "hearing.started",
        "hearing.ended",
    }
)


def group_name(stream: str) -> str:
    """Channel-layer group for a stream key (group names allow no colon)."""
    return "stream." + stream.replace(":", ".")


def message(event: StreamEvent) -> dict:
    """The wire shape of an event (ARCHITECTURE.md §5)."""
    return {
        "stream": event.stream,
        "seq": event.seq,
        "type": event.type,
        "at": event.created_at.astimezone(WIB).isoformat(timespec="seconds"),
        "data": event.data,
    }


def _next_seq(stream: str) -> int:
    updated = Stream.objects.filter(key=stream).update(last_seq=F("last_seq") + 1)
    if not updated:
        try:
            with transaction.atomic():
                Stream.objects.create(key=stream, last_seq=1)
            return 1
        except IntegrityError:
            Stream.objects.filter(key=stream).update(last_seq=F("last_seq") + 1)
    return Stream.objects.values_list("last_seq", flat=True).get(key=stream)


def publish(stream: str, type: str, data: dict) -> StreamEvent:
    """Append an event to `stream` and broadcast it after the surrounding transaction commits."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    with transaction.atomic():
        event = StreamEvent.objects.create(
            stream=stream, seq=_next_seq(stream), type=type, data=data
        )
    payload = message(event)
    transaction.on_commit(lambda: broadcast(payload))
    return event


def broadcast(payload: dict) -> None:
    """Best effort: a lost broadcast is recovered by the client's replay."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group_name(payload["stream"]), {"type": "stream.event", "event": payload}
        )
    except Exception:  # noqa: BLE001 - the channel layer being down must never fail a write
        logger.warning(
            "broadcast of %s#%s failed", payload["stream"], payload["seq"], exc_info=True
        )


def events_after(stream: str, after: int, limit: int = 1000) -> list[dict]:
    """Replay: every stored event of `stream` with seq > after, in order."""
    rows = StreamEvent.objects.filter(stream=stream, seq__gt=after).order_by("seq")[:limit]
    return [message(event) for event in rows]


def current_seq(stream: str) -> int:
    return Stream.objects.filter(key=stream).values_list("last_seq", flat=True).first() or 0
