"""publish(): gapless seq per stream in the caller's transaction, broadcast after commit."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from comments import moderation as comment_moderation
from comments import payloads as comment_payloads
from comments.models import Comment
from realtime import events
from realtime.models import Stream, StreamEvent
from tests.factories import CommentFactory, HearingFactory

pytestmark = pytest.mark.django_db


def test_each_stream_counts_its_own_seq_from_one():
    seqs = [events.publish("hearing:1", "hearing.started", {}).seq for _ in range(3)]
    assert seqs == [1, 2, 3]
    assert events.publish("hearing:2", "hearing.started", {}).seq == 1
    assert events.current_seq("hearing:1") == 3


def test_unknown_event_types_and_audiences_are_refused():
    with pytest.raises(ValueError):
        events.publish("hearing:1", "comment.deleted", {})
    with pytest.raises(ValueError):
        events.publish("hearing:1", "snapshot", {})
    with pytest.raises(ValueError):
        events.publish("hearing:1", "hearing.started", {}, audience="everyone")


def test_a_rolled_back_change_keeps_no_event_and_gives_its_seq_back(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "broadcast", lambda payload, audience: sent.append(payload))
    events.publish("hearing:1", "hearing.started", {})
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("hearing:1", "hearing.ended", {})
        raise RuntimeError("the service failed after publishing")
    assert events.publish("hearing:1", "hearing.ended", {}).seq == 2
    assert list(StreamEvent.objects.values_list("seq", flat=True)) == [1, 2]


def test_the_stored_event_is_the_one_publish_returns():
    events.publish("hearing:1", "hearing.started", {})

    event = events.publish("hearing:1", "hearing.ended", {"id": 1})

    assert event.seq == 2
    stored = StreamEvent.objects.get(pk=event.id)
    assert (stored.stream, stored.seq, stored.data) == ("hearing:1", 2, {"id": 1})
    assert Stream.objects.get(key="hearing:1").last_seq == 2


def test_the_callers_writes_roll_back_with_their_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        Stream.objects.create(key="other:1", last_seq=7)
        events.publish("hearing:1", "hearing.started", {})
        raise RuntimeError("the service failed after publishing")

    assert not Stream.objects.filter(key="other:1").exists()
    assert not StreamEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_broadcast_happens_only_after_commit(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "broadcast", lambda payload, audience: sent.append(payload))
    with transaction.atomic():
        events.publish("hearing:1", "hearing.started", {"id": 1})
        assert sent == []
    assert [payload["seq"] for payload in sent] == [1]
    assert sent[0]["stream"] == "hearing:1" and sent[0]["type"] == "hearing.started"


@pytest.mark.django_db(transaction=True)
def test_a_redis_that_is_down_never_fails_the_write(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with transaction.atomic():
        event = events.publish("hearing:1", "hearing.started", {})
    assert StreamEvent.objects.filter(pk=event.pk).exists()


def test_redact_rewrites_the_named_events_of_one_id_in_one_stream():
    text = {"body": "Teks yang nanti disembunyikan"}
    events.publish("hearing:1", "comment.published", {"id": 7, **text})
    events.publish("hearing:1", "comment.published", {"id": 8, "body": "Tetap"})
    events.publish("hearing:1", "comment.screened", {"id": 7, **text})
    events.publish("hearing:1", "comment.submitted", {"id": 7, **text})
    events.publish("hearing:2", "comment.published", {"id": 7, **text})

    types = ("comment.published", "comment.screened")
    assert events.redact("hearing:1", types=types, data_id=7) == 2

    replay = events.events_after("hearing:1", 0, audiences=events.AUDIENCES[events.MODERATION])
    assert [m["data"] for m in replay[:3]] == [
        {"id": 7, "redacted": True},
        {"id": 8, "body": "Tetap"},
        {"id": 7, "redacted": True},
    ]
    assert replay[3]["data"] == {"id": 7, **text}  # a type not named stays
    assert events.events_after("hearing:2", 0)[0]["data"] == {"id": 7, **text}


def test_hiding_a_comment_removes_its_text_from_earlier_events_of_both_its_streams(moderator):
    hearing = HearingFactory()
    comment = CommentFactory(
        consultation=hearing.consultation, hearing=hearing, body="Teks yang nanti disembunyikan"
    )
    other = CommentFactory(consultation=hearing.consultation, hearing=hearing)
    for stream in (hearing.stream, hearing.consultation.stream):
        events.publish(stream, "comment.published", comment_payloads.comment(comment))
        events.publish(stream, "comment.published", comment_payloads.comment(other))
    comment_moderation.comment_hide(actor=moderator, comment=comment, reason="Di luar topik.")
    for stream in (hearing.stream, hearing.consultation.stream):
        replay = events.events_after(stream, 0)
        assert replay[0]["data"] == {"id": comment.pk, "redacted": True}
        assert replay[1]["data"]["body"] == other.body
        assert replay[2] == {**replay[2], "type": "comment.hidden", "data": {"id": comment.pk}}
        assert "disembunyikan" not in str(replay)


def test_moderation_events_are_replayed_only_to_the_moderation_audience():
    events.publish("hearing:1", "hearing.started", {})
    pending = CommentFactory(status=Comment.Status.PENDING)
    events.publish("hearing:1", "comment.submitted", comment_payloads.comment(pending))
    public = events.events_after("hearing:1", 0)
    moderation = events.events_after("hearing:1", 0, audiences=events.AUDIENCES[events.MODERATION])
    assert [m["type"] for m in public] == ["hearing.started"]
    assert [m["type"] for m in moderation] == ["hearing.started", "comment.submitted"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_on_one_stream_get_gapless_unique_seqs():
    threads, errors = 8, []
    per_thread = 25
    barrier = threading.Barrier(threads)

    def publisher():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    events.publish("hearing:99", "attendance.updated", {"count": 1})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=publisher) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    seqs = sorted(StreamEvent.objects.filter(stream="hearing:99").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    assert events.current_seq("hearing:99") == threads * per_thread
