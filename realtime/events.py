"""The event log: the bottom layer, knows no domain models (ARCHITECTURE.md §2 rule 3, §5).

`publish()` appends a StreamEvent with the next gapless seq of its stream in the
caller's transaction and hands it to the channel layer only after commit, so a
rolled-back change broadcasts nothing and a down channel layer never fails a write.

The `data` of each type is built by the app that owns the entity, in its `payloads.py`
(one builder per entity, also used by the REST answer and the snapshot); services call
`publish(stream, type, payloads.x(...))`. This module only stores, orders, redacts on
request and broadcasts. See docs/REALTIME.md.
"""

import functools
import json
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from realtime.models import Stream, StreamEvent

logger = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")

# Who may read an event. Public events go to everyone allowed on the stream; moderation
# events only to sockets opened with ?view=moderator. One stream, one seq: the relay and
# the replay filter by audience, so readers of the public view see seq numbers skip.
PUBLIC = "public"
MODERATION = "moderation"
AUDIENCES = {PUBLIC: frozenset({PUBLIC}), MODERATION: frozenset({PUBLIC, MODERATION})}

EVENT_TYPES = {
    # ARCHITECTURE.md §5
    "snapshot": PUBLIC,
    "comment.published": PUBLIC,
    "comment.hidden": PUBLIC,
    "tally.updated": PUBLIC,
    "agenda.changed": PUBLIC,
    "voting.opened": PUBLIC,
    "voting.closed": PUBLIC,
    "attendance.updated": PUBLIC,
    "hearing.started": PUBLIC,
    "hearing.ended": PUBLIC,
    # additions for the live hearing (docs/REALTIME.md)
    "comment.submitted": MODERATION,  # a pending comment waiting for a moderator
    "comment.screened": PUBLIC,  # a moderator put a comment on (or took it off) the big screen
    "screen.changed": PUBLIC,  # big screen live / frozen / blank
    "speakers.changed": PUBLIC,  # the speaker queue, the current speaker and the timer
    "hearing.updated": PUBLIC,  # the chair changed the hearing's title, time or place
    "manual_count.entered": PUBLIC,  # a show-of-hands or paper count
    "question.updated": PUBLIC,  # a room question's upvotes, answered, merged, on screen
    "forum.changed": PUBLIC,  # the proposals on a forum's agenda: supports, scores (aspirations)
}


def iso(moment) -> str | None:
    return moment.astimezone(WIB).isoformat(timespec="seconds") if moment else None


def message(event: StreamEvent) -> dict:
    """The wire shape of an event (ARCHITECTURE.md §5)."""
    return {
        "stream": event.stream,
        "seq": event.seq,
        "type": event.type,
        "at": iso(event.created_at),
        "data": event.data,
    }


def coalesce_key(type: str, data: dict) -> str | None:
    """Events that carry a full state may be replaced by a newer one with the same key."""
    if type == "tally.updated":
        return f"tally:{data.get('item')}"
    if type == "question.updated":  # a burst of upvotes on one question
        return f"question:{data.get('id')}"
    return None


# --- Writing -------------------------------------------------------------------------


def _append(event: StreamEvent) -> None:
    """Give the event the stream's next seq and insert it.

    The counter goes up in one UPDATE whose row lock serialises the stream's publishers
    and is held until the caller's transaction ends, so seq n+1 can only be taken after
    seq n committed (or rolled back, giving the number back): readers never see a later
    seq without every earlier one. The UPDATE returns the new value (`Stream.objects.advance`). A
    stream's first event makes its counter row; two first publishers race harmlessly
    (ignore_conflicts, then the loser's UPDATE queues on the winner's lock).
    """
    seq = Stream.objects.advance(event.stream)
    if seq is None:
        Stream.objects.bulk_create([Stream(key=event.stream)], ignore_conflicts=True)
        seq = Stream.objects.advance(event.stream)
    event.seq = seq
    event.save(force_insert=True)


def publish(stream: str, type: str, data: dict, *, audience: str | None = None) -> StreamEvent:
    """Append an event to `stream` in the caller's transaction (a service's, ARCHITECTURE.md
    §2 rule 3) and broadcast it after that transaction commits."""
    if type not in EVENT_TYPES or type == "snapshot":
        raise ValueError(f"unknown event type {type!r}")
    audience = audience or EVENT_TYPES[type]
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    # No savepoint: an event is part of its caller's change, and a failed event must
    # fail the whole change anyway; a savepoint would only add two round trips per event.
    with transaction.atomic(savepoint=False):
        event = StreamEvent(
            stream=stream, type=type, audience=audience, data=data, created_at=timezone.now()
        )
        _append(event)
    payload = message(event)
    transaction.on_commit(lambda: broadcast(payload, audience))
    return event


def redact(stream: str, *, types: tuple[str, ...], data_id: int) -> int:
    """Rewrite the stored events of `types` in `stream` whose data has `"id": data_id` to
    `{"id": data_id, "redacted": true}`, in the caller's transaction: what was taken back
    (a hidden comment's text) is gone from the log, so a replay from 0 cannot show it."""
    return StreamEvent.objects.filter(stream=stream, type__in=types, data__id=data_id).update(
        data={"id": data_id, "redacted": True}
    )


def broadcast(payload: dict, audience: str = PUBLIC) -> None:
    """Best effort: a lost broadcast is recovered by the relays' gap fill and by replay."""
    envelope = {"type": "stream.event", "event": payload, "audience": audience}
    try:
        _send(payload["stream"], envelope)
    except Exception:  # noqa: BLE001 - Redis being down must never fail a write
        logger.warning(
            "broadcast of %s#%s failed", payload["stream"], payload["seq"], exc_info=True
        )


def send_control(stream: str, action: str, **fields) -> None:
    """Tell every relay holding `stream` to act on its sockets (e.g. close display-key screens)."""
    envelope = {"type": "stream.control", "stream": stream, "action": action, **fields}
    try:
        _send(stream, envelope)
    except Exception:  # noqa: BLE001
        logger.warning("control %s for %s failed", action, stream, exc_info=True)


def close_display_sockets(stream: str) -> None:
    """After a display key is rotated: screens still connected with the old key are cut off."""
    transaction.on_commit(lambda: send_control(stream, "close", credential="display_key"))


def _send(stream: str, envelope: dict) -> None:
    if settings.REDIS_URL:
        _redis_publish(stream, envelope)
    else:
        _local_deliver(envelope)


# Without REDIS_URL (one process: the demo, the SQLite tests) broadcasts go to these
# receivers; realtime.relay registers its hubs here (it sits above this module).
local_receivers: list[Callable[[dict], None]] = []


def _local_deliver(envelope: dict) -> None:
    """Hand the event to this process's relays without waiting for them: the publishing
    thread is often the one thread that does every database call of the process, and
    must not wait for an event loop busy with a reconnect storm."""
    for receive in local_receivers:
        receive(envelope)


def redis_channel(stream: str) -> str:
    """The Redis pub/sub channel of a stream, e.g. `ruang3.hearing:12`. Pub/sub channels
    are global to a Redis server, whatever database a URL names, so the name carries
    REDIS_URL's database: deployments, or parallel test workers, on separate databases
    of one server never hear each other's events."""
    database = _redis_client(settings.REDIS_URL).get_connection_kwargs().get("db", 0)
    return f"ruang{database}.{stream}"


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    """One pooled, thread-safe client per process for publishing from synchronous code
    (a gunicorn worker, a management command, Django's sync thread under ASGI)."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def _redis_publish(stream: str, envelope: dict) -> None:
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    _redis_client(settings.REDIS_URL).publish(redis_channel(stream), text)


# --- Reading -------------------------------------------------------------------------


def events_after(
    stream: str, after: int, *, audiences=AUDIENCES[PUBLIC], limit: int = 500
) -> list[dict]:
    """Replay: the stored events of `stream` with seq > after the reader may see, in order."""
    rows = StreamEvent.objects.filter(stream=stream, seq__gt=after)
    if not AUDIENCES[MODERATION] <= set(audiences):
        rows = rows.filter(audience__in=sorted(audiences))
    return [message(event) for event in rows.order_by("seq")[:limit]]


def entries_after(stream: str, after: int, limit: int = 500) -> list[tuple[str, dict]]:
    """Every audience, for the relays' gap fill: (audience, message) in seq order."""
    rows = StreamEvent.objects.filter(stream=stream, seq__gt=after).order_by("seq")[:limit]
    return [(event.audience, message(event)) for event in rows]


def current_seq(stream: str) -> int:
    return Stream.objects.filter(key=stream).values_list("last_seq", flat=True).first() or 0
