"""What each reader sees: public view, moderator view, big screen — live and on replay."""

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from aspirations import payloads as aspiration_payloads
from comments import moderation as comment_moderation
from comments import payloads as comment_payloads
from comments.models import Comment
from hearings import payloads
from realtime import events
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    ManualCountFactory,
)
from tests.realtime.conftest import open_socket, publish, receive
from voting import payloads as voting_payloads

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_relays")]

make_hearing = database_sync_to_async(HearingFactory)
make_comment = database_sync_to_async(CommentFactory)

PUBLIC_TYPES = [t for t, audience in events.EVENT_TYPES.items() if audience == events.PUBLIC]


@database_sync_to_async
def one_of_each(hearing) -> list[tuple[str, dict]]:
    """The data of one event of every stored type, each from its payload builder."""
    published = CommentFactory(consultation=hearing.consultation, hearing=hearing)
    pending = CommentFactory(
        consultation=hearing.consultation, hearing=hearing, status=Comment.Status.PENDING
    )
    screened = CommentFactory(
        consultation=hearing.consultation, hearing=hearing, on_screen_at=timezone.now()
    )
    hidden = CommentFactory(consultation=hearing.consultation, hearing=hearing)
    item = ItemFactory(consultation=hearing.consultation)
    count = ManualCountFactory(hearing=hearing, item=item)
    question = CommentFactory(consultation=hearing.consultation, hearing=hearing, stance="question")
    return [
        ("comment.published", comment_payloads.comment(published)),
        ("comment.submitted", comment_payloads.comment(pending)),
        ("comment.screened", comment_payloads.comment(screened)),
        ("comment.hidden", comment_payloads.comment_hidden(hidden)),
        ("tally.updated", voting_payloads.tally_of(item)),
        ("agenda.changed", payloads.agenda(hearing)),
        ("voting.opened", {"hearing": hearing.pk, "item": payloads.item(item)}),
        ("voting.closed", voting_payloads.voting_closed(hearing, item)),
        ("attendance.updated", payloads.attendance(hearing)),
        ("hearing.started", payloads.hearing(hearing)),
        ("hearing.updated", payloads.hearing(hearing)),
        ("hearing.ended", payloads.hearing(hearing)),
        ("screen.changed", payloads.screen(hearing)),
        ("speakers.changed", payloads.speakers(hearing)),
        ("manual_count.entered", payloads.manual_count(count)),
        ("question.updated", payloads.question_state(question)),
        ("forum.changed", aspiration_payloads.forum(hearing)),
    ]


async def publish_one_of_each(hearing) -> dict:
    """One event of every stored type; returns type -> seq."""
    seqs = {}
    for type, data in await one_of_each(hearing):
        seqs[type] = await publish(hearing.stream, type, data)
    assert set(seqs) == set(events.EVENT_TYPES) - {"snapshot"}
    return seqs


async def collect(ws, count):
    return [await receive(ws) for _ in range(count)]


@pytest.mark.parametrize("view", ["public", "screen", "moderator"])
async def test_every_event_type_reaches_exactly_the_readers_allowed_to_see_it(view, moderator):
    hearing = await make_hearing(display_key="kunci-layar")
    path = {
        "public": f"/ws/hearings/{hearing.pk}/?after=0",
        "screen": f"/ws/hearings/{hearing.pk}/?after=0&key=kunci-layar",
        "moderator": f"/ws/hearings/{hearing.pk}/?after=0&view=moderator",
    }[view]
    live, _, _ = await open_socket(path, user=moderator if view == "moderator" else None)
    try:
        seqs = await publish_one_of_each(hearing)
        expected = [
            type
            for type in seqs
            if view == "moderator" or events.EVENT_TYPES[type] == events.PUBLIC
        ]
        received = await collect(live, len(expected))
        assert [m["type"] for m in received] == expected
        assert [m["seq"] for m in received] == sorted(seqs[t] for t in expected)
        assert await live.receive_nothing(timeout=0.2)
    finally:
        await live.disconnect()

    replay, _, _ = await open_socket(path, user=moderator if view == "moderator" else None)
    try:
        assert [m["type"] for m in await collect(replay, len(expected))] == expected
        assert await replay.receive_nothing(timeout=0.2)
    finally:
        await replay.disconnect()


async def test_a_hidden_comment_never_comes_back_through_replay(moderator):
    hearing = await make_hearing()
    comment = await make_comment(
        consultation=hearing.consultation, hearing=hearing, body="Isi yang akan disembunyikan"
    )
    await publish(hearing.stream, "comment.published", comment_payloads.comment(comment))
    await database_sync_to_async(comment_moderation.comment_hide)(
        actor=moderator, comment=comment, reason="Di luar topik."
    )
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    try:
        first, second = await collect(ws, 2)
        assert first["data"] == {"id": comment.pk, "redacted": True}
        assert second["type"] == "comment.hidden"
        assert "disembunyikan" not in str(first) + str(second)
    finally:
        await ws.disconnect()


async def test_a_secret_tally_reaches_sockets_without_counts():
    hearing = await make_hearing()
    ws, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?after=0")
    try:
        item = await database_sync_to_async(ItemFactory)(
            consultation=await database_sync_to_async(ConsultationFactory)(ballot="secret")
        )
        secret = await database_sync_to_async(voting_payloads.tally_of)(item)
        await publish(hearing.stream, "tally.updated", secret)
        message = await receive(ws)
        assert message["data"] == {
            "item": item.pk,
            "counts": {},
            "total": None,
            "hidden": True,
            "chain": {"length": 0, "head": "0" * 64},
        }
    finally:
        await ws.disconnect()


async def test_public_readers_of_the_snapshot_get_no_moderation_events(moderator):
    hearing = await make_hearing()
    public, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    console, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?view=moderator", user=moderator)
    try:
        assert (await receive(public))["type"] == "snapshot"
        assert (await receive(console))["type"] == "snapshot"
        pending = await make_comment(
            consultation=hearing.consultation, hearing=hearing, status=Comment.Status.PENDING
        )
        await publish(hearing.stream, "comment.submitted", comment_payloads.comment(pending))
        assert (await receive(console))["data"]["body"] == pending.body
        assert await public.receive_nothing(timeout=0.3)
    finally:
        await public.disconnect()
        await console.disconnect()


async def test_only_the_moderator_snapshot_lists_comments_waiting_for_moderation(moderator):
    hearing = await make_hearing()
    pending = await make_comment(
        consultation=hearing.consultation, hearing=hearing, status=Comment.Status.PENDING
    )
    public, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    console, _, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?view=moderator", user=moderator)
    try:
        public_snapshot, console_snapshot = await receive(public), await receive(console)
        assert "pending_comments" not in public_snapshot["data"]
        assert pending.body not in str(public_snapshot)
        assert [c["id"] for c in console_snapshot["data"]["pending_comments"]] == [pending.pk]
    finally:
        await public.disconnect()
        await console.disconnect()
