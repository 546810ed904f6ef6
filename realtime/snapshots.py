"""The first message of a socket opened without `?after`: the state of the stream's object.

A hearing's snapshot is the hearing pages' own state (realtime/live.py), so a socket
opened without `after` starts exactly where a freshly rendered page would; the moderator
view adds the comments waiting for moderation. The snapshot and its seq are read in one
consistent database snapshot, so applying the events after that seq never misses a change.
"""

from django.db import connection, transaction

from realtime import events, live


def consultation_basics(consultation, *, audiences, seq: int) -> dict:
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


def hearing_state(hearing, *, audiences, seq: int) -> dict:
    return live.hearing_state(hearing, moderator=events.MODERATION in audiences, seq=seq)


BUILDERS = {"consultation": consultation_basics, "hearing": hearing_state}


def build(kind: str, obj, *, stream: str, audiences) -> tuple[int, dict]:
    """(seq, data): the state of `obj` as of event `seq` of `stream`."""
    fn = BUILDERS[kind]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            seq = events.current_seq(stream)
            return seq, fn(obj, audiences=audiences, seq=seq)
    # SQLite (demo) and nested calls: seq first, then state. The state may then already
    # contain a change whose event follows; clients apply events idempotently by id.
    seq = events.current_seq(stream)
    return seq, fn(obj, audiences=audiences, seq=seq)
