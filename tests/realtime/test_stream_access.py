"""Who may open which stream; refusals close with the documented codes (docs/REALTIME.md)."""

import pytest
from channels.db import database_sync_to_async

from consultations.models import Consultation
from tests.factories import ConsultationFactory, HearingFactory
from tests.realtime.conftest import open_socket, receive, receive_until_closed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_relays")]

make_hearing = database_sync_to_async(HearingFactory)
make_consultation = database_sync_to_async(ConsultationFactory)


async def expect_closed(path, code, **kwargs):
    ws, connected, _ = await open_socket(path, **kwargs)
    try:
        assert connected
        assert await receive_until_closed(ws) == ("closed", code)
    finally:
        await ws.disconnect()


async def expect_snapshot(path, **kwargs) -> dict:
    ws, connected, code = await open_socket(path, **kwargs)
    try:
        assert connected, code
        message = await receive(ws)
        assert message["type"] == "snapshot"
        return message
    finally:
        await ws.disconnect()


async def test_anyone_may_follow_the_hearing_of_a_public_consultation():
    hearing = await make_hearing()
    message = await expect_snapshot(f"/ws/hearings/{hearing.pk}/")
    assert message["stream"] == f"hearing:{hearing.pk}"
    assert message["data"]["hearing"]["title"] == hearing.title


async def test_anyone_may_follow_an_open_consultation(open_consultation):
    message = await expect_snapshot(f"/ws/consultations/{open_consultation.pk}/")
    assert message["data"]["consultation"]["id"] == open_consultation.pk


async def test_a_draft_consultation_is_not_found_for_citizens_and_anonymous(
    draft_consultation, citizen
):
    await expect_closed(f"/ws/consultations/{draft_consultation.pk}/", 4404)
    await expect_closed(f"/ws/consultations/{draft_consultation.pk}/", 4404, user=citizen)


async def test_staff_roles_may_follow_a_draft(draft_consultation, official, planner, moderator):
    for user in (official, planner, moderator):
        await expect_snapshot(f"/ws/consultations/{draft_consultation.pk}/", user=user)


async def test_unknown_ids_close_with_4404():
    await expect_closed("/ws/hearings/987654/", 4404)
    await expect_closed("/ws/consultations/987654/", 4404)


async def test_a_big_screen_with_the_display_key_may_follow_even_a_draft_hearing():
    consultation = await make_consultation(status=Consultation.Status.DRAFT)
    hearing = await make_hearing(consultation=consultation, display_key="kunci-layar-rahasia")
    await expect_snapshot(f"/ws/hearings/{hearing.pk}/?key=kunci-layar-rahasia")


async def test_a_wrong_display_key_closes_with_4403():
    hearing = await make_hearing(display_key="kunci-layar-rahasia")
    await expect_closed(f"/ws/hearings/{hearing.pk}/?key=kunci-lama", 4403)


async def test_a_consultation_stream_takes_no_display_key(open_consultation):
    await expect_closed(f"/ws/consultations/{open_consultation.pk}/?key=apa-saja", 4403)


async def test_the_moderator_view_is_for_moderators_and_officials(
    moderator, official, citizen, representative
):
    hearing = await make_hearing()
    path = f"/ws/hearings/{hearing.pk}/?view=moderator"
    await expect_snapshot(path, user=moderator)
    await expect_snapshot(path, user=official)
    await expect_closed(path, 4403, user=citizen)
    await expect_closed(path, 4403, user=representative)
    await expect_closed(path, 4403)


async def test_the_moderator_view_is_not_opened_by_a_display_key(moderator):
    hearing = await make_hearing(display_key="kunci-layar")
    await expect_closed(f"/ws/hearings/{hearing.pk}/?view=moderator&key=kunci-layar", 4403)


@pytest.mark.parametrize("query", ["after=-1", "after=abc", "after=1.5", "view=admin"])
async def test_bad_query_parameters_close_with_4400(query):
    hearing = await make_hearing()
    await expect_closed(f"/ws/hearings/{hearing.pk}/?{query}", 4400)


@pytest.mark.parametrize(
    "origin", [b"https://evil.example", b"null", b"http://localhost.evil.example", None]
)
async def test_a_foreign_or_missing_origin_is_refused_before_the_handshake(origin, moderator):
    hearing = await make_hearing()
    ws, connected, _ = await open_socket(
        f"/ws/hearings/{hearing.pk}/?view=moderator", user=moderator, origin=origin
    )
    try:
        assert not connected
    finally:
        await ws.disconnect()


async def test_clients_cannot_push_anything_into_the_stream():
    hearing = await make_hearing()
    ws, connected, _ = await open_socket(f"/ws/hearings/{hearing.pk}/")
    try:
        assert (await receive(ws))["type"] == "snapshot"
        await ws.send_to(text_data='{"type": "comment.published", "data": {"body": "palsu"}}')
        assert await ws.receive_nothing(timeout=0.3)
    finally:
        await ws.disconnect()
