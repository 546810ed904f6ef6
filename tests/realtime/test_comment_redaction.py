"""A replay never serves text the comment no longer shows (issue 14, finding 11).

When a comment's text changes or leaves (edited, hidden, rejected, deleted), its earlier
events carrying text are redacted in the log of every stream it went to, in every
audience: `?after=0` over WebSocket (consultation and hearing streams, public and
moderator views) and the hearing's HTTP catch-up show only the current text or
`{"id", "redacted": true}`.
"""

import json

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from comments import moderation, services
from comments.models import Comment
from realtime.models import StreamEvent
from tests.factories import (
    ConsultationFactory,
    HearingFactory,
    MembershipFactory,
    UserFactory,
)
from tests.realtime.conftest import open_socket, receive

PHONE = "0812-3456-7890"
ORIGINAL = f"Jalan di RT 04 rusak parah; hubungi saya di {PHONE} untuk foto-fotonya."
CORRECTED = "Jalan di RT 04 rusak parah; foto-fotonya ada pada pengurus RT."


def the_log_of(*streams) -> str:
    rows = StreamEvent.objects.filter(stream__in=streams).values_list("data", flat=True)
    return json.dumps(list(rows), ensure_ascii=False)


async def replay(path: str, user=None) -> list[dict]:
    """Everything a socket opened with ?after=0 gets, until the stream is quiet."""
    ws, connected, code = await open_socket(path, user=user)
    assert connected, code
    messages = []
    try:
        while not await ws.receive_nothing(timeout=0.3):
            messages.append(await receive(ws))
    finally:
        await ws.disconnect()
    return messages


@database_sync_to_async
def comment_edited_out_in_a_live_hearing():
    consultation = ConsultationFactory()
    hearing = HearingFactory(consultation=consultation, status="live")
    author = MembershipFactory(user=UserFactory(username="dedi-rt04")).user
    comment = services.comment_create(
        actor=author, consultation=consultation, hearing=hearing, stance="oppose", body=ORIGINAL
    )
    services.comment_edit(actor=author, comment=comment, body=CORRECTED)
    moderator = UserFactory(username="mira-redaksi", groups=["moderators"])
    return consultation, hearing, comment, moderator


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_a_phone_number_edited_out_is_nowhere_in_any_replay():
    consultation, hearing, comment, moderator = await comment_edited_out_in_a_live_hearing()
    replays = {
        "consultation": await replay(f"/ws/consultations/{consultation.pk}/?after=0"),
        "consultation, moderators": await replay(
            f"/ws/consultations/{consultation.pk}/?after=0&view=moderator", moderator
        ),
        "hearing": await replay(f"/ws/hearings/{hearing.pk}/?after=0"),
        "hearing, moderators": await replay(
            f"/ws/hearings/{hearing.pk}/?after=0&view=moderator", moderator
        ),
    }
    catch_up = await database_sync_to_async(Client().get)(
        f"/api/v1/hearings/{hearing.pk}/events/", {"after": 0}
    )
    replays["hearing, HTTP catch-up"] = catch_up.json()["events"]

    for name, messages in replays.items():
        text = json.dumps(messages, ensure_ascii=False)
        assert PHONE not in text, name
        published = [m["data"] for m in messages if m["type"] == "comment.published"]
        assert published == [{"id": comment.pk, "redacted": True}, published[-1]], name
        assert published[-1]["body"] == CORRECTED, name
    stored = await database_sync_to_async(the_log_of)(consultation.stream, hearing.stream)
    assert PHONE not in stored


@pytest.fixture
def waiting_comment(pre_consultation, member):
    return services.comment_create(
        actor=member,
        consultation=pre_consultation,
        section=pre_consultation.sections.get(),
        stance="question",
        body=ORIGINAL,
    )


@pytest.mark.django_db
def test_a_waiting_comment_edited_keeps_only_its_new_text_for_the_moderators(
    member, waiting_comment
):
    services.comment_edit(actor=member, comment=waiting_comment, body=CORRECTED)

    log = the_log_of(waiting_comment.consultation.stream)
    assert PHONE not in log
    assert CORRECTED in log


@pytest.mark.django_db
def test_a_withdrawn_waiting_comment_leaves_no_text_in_the_log(member, waiting_comment):
    services.comment_delete(actor=member, comment=waiting_comment)

    assert PHONE not in the_log_of(waiting_comment.consultation.stream)


@pytest.mark.django_db
def test_a_rejected_comment_leaves_no_text_in_the_log(moderator, waiting_comment):
    moderation.comment_reject(actor=moderator, comment=waiting_comment, reason="Data pribadi.")

    assert PHONE not in the_log_of(waiting_comment.consultation.stream)


@pytest.mark.django_db
def test_an_approved_text_that_is_edited_and_waits_again_leaves_no_old_text(
    moderator, member, waiting_comment
):
    moderation.comment_approve(actor=moderator, comment=waiting_comment)
    services.comment_edit(actor=member, comment=waiting_comment, body=CORRECTED)

    waiting_comment.refresh_from_db()
    assert waiting_comment.status == Comment.Status.PENDING
    assert PHONE not in the_log_of(waiting_comment.consultation.stream)


@pytest.mark.django_db
def test_a_deleted_published_comment_leaves_no_text_in_the_log(member, open_consultation):
    comment = services.comment_create(
        actor=member, consultation=open_consultation, stance="oppose", body=ORIGINAL
    )
    services.comment_delete(actor=member, comment=comment)

    assert PHONE not in the_log_of(open_consultation.stream)
