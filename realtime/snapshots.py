"""Snapshot registry: the first message of a socket opened without `?after`.

Realtime knows no domain, so each stream kind gets its snapshot from a function the
domain registers (`snapshots.register("hearing", build_hearing_snapshot)`); the
defaults here give the basics. The snapshot and its seq are read in one consistent
database snapshot, so applying the events after that seq never misses a change.
"""

from collections.abc import Callable

from django.db import connection, transaction

from realtime import events, live

SnapshotBuilder = Callable[..., dict]
_builders: dict[str, SnapshotBuilder] = {}


def register(kind: str, builder: SnapshotBuilder) -> SnapshotBuilder:
    """`builder(obj, *, user, audiences) -> dict`; must show only what `audiences` may see."""
    _builders[kind] = builder
    return builder


def builder_for(kind: str) -> SnapshotBuilder:
    return _builders.get(kind) or DEFAULTS[kind]


def build(kind: str, obj, *, stream: str, user, audiences) -> tuple[int, dict]:
    """(seq, data): the state of `obj` as of event `seq` of `stream`."""
    fn = builder_for(kind)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            seq = events.current_seq(stream)
            return seq, fn(obj, user=user, audiences=audiences)
    # SQLite (demo) and nested calls: seq first, then state. The state may then already
    # contain a change whose event follows; clients apply events idempotently by id.
    seq = events.current_seq(stream)
    return seq, fn(obj, user=user, audiences=audiences)


def consultation_basics(consultation, *, user, audiences) -> dict:
    return {
        "consultation": {
            "id": consultation.pk,
            "title": consultation.title,
            "kind": consultation.kind,
            "status": consultation.status,
            "ballot": consultation.ballot,
            "voting_method": consultation.voting_method,
            "closes_at": events.iso(consultation.closes_at),
        }
    }


def hearing_basics(hearing, *, user, audiences) -> dict:
    agenda = list(hearing.agenda.all())
    return {
        "hearing": {
            "id": hearing.pk,
            "title": hearing.title,
            "status": hearing.status,
            "starts_at": events.iso(hearing.starts_at),
            "location": hearing.location,
            "started_at": events.iso(hearing.started_at),
            "ended_at": events.iso(hearing.ended_at),
            "screen_mode": hearing.screen_mode,
            "check_in_required": hearing.check_in_required,
        },
        **consultation_basics(hearing.consultation, user=user, audiences=audiences),
        "agenda": [events._agenda_item(entry) for entry in agenda],
        "current_agenda_item": events._agenda_item(
            next((e for e in agenda if e.pk == hearing.current_agenda_item_id), None)
        ),
        "voting_item": hearing.voting_item_id,
    }


def hearing_state(hearing, *, user, audiences) -> dict:
    """The hearing pages' own initial state (consultations.selectors.hearing_snapshot), so a
    socket opened without `?after` starts exactly where a freshly rendered page would; the
    moderator view adds the comments waiting for moderation."""

    data = {
        **hearing_basics(hearing, user=user, audiences=audiences),
        **live.hearing_state(hearing),
    }
    if events.MODERATION in audiences:
        pending = hearing.comments.filter(status="pending").select_related(
            "author", "organization", "section"
        )
        data["pending_comments"] = [events.comment_submitted(c) for c in pending[:200]]
    return data


DEFAULTS: dict[str, SnapshotBuilder] = {
    "consultation": consultation_basics,
    "hearing": hearing_state,
}
