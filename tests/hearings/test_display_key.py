"""The display key is checked by one predicate, `hearings.permissions.can_use_display_key`,
on every surface a big screen uses: the screen page, its QR code, heartbeats, the event
replay and the WebSocket. Replacing the predicate changes every one of them, which is what
proves there is no second copy of the comparison."""

import pytest
from channels.db import database_sync_to_async

from hearings import permissions
from tests.factories import HearingFactory
from tests.realtime.conftest import open_socket, receive, receive_until_closed

KEY = "kunci-layar-rahasia"


@pytest.fixture
def refuse_every_key(monkeypatch):
    asked = []

    def never(hearing, key):
        asked.append(key)
        return False

    monkeypatch.setattr(permissions, "can_use_display_key", never)
    return asked


@pytest.fixture
def screen_hearing(open_consultation):
    return HearingFactory(consultation=open_consultation, display_key=KEY)


def test_the_predicate_takes_only_the_current_key(screen_hearing):
    assert permissions.can_use_display_key(screen_hearing, KEY)
    for key in (None, "", "kunci-lama", KEY.upper(), KEY + " ", 12345):
        assert not permissions.can_use_display_key(screen_hearing, key)


def test_a_hearing_whose_key_was_cleared_takes_no_key(screen_hearing):
    screen_hearing.display_key = ""
    assert not permissions.can_use_display_key(screen_hearing, "")


def test_the_screen_page_asks_the_predicate(client, screen_hearing, refuse_every_key):
    response = client.get(f"/hearings/{screen_hearing.pk}/screen/", {"key": KEY})
    assert response.status_code == 403
    assert refuse_every_key == [KEY]


def test_the_screen_qr_code_asks_the_predicate(client, screen_hearing, refuse_every_key):
    response = client.get(f"/hearings/{screen_hearing.pk}/screen/qr.svg", {"key": KEY})
    assert response.status_code == 403
    assert refuse_every_key == [KEY]


def test_the_heartbeat_asks_the_predicate(api_as, anonymous, screen_hearing, refuse_every_key):
    response = api_as(anonymous).post(
        f"/api/v1/hearings/{screen_hearing.pk}/screens/",
        {"key": KEY, "screen": "proyektor-1"},
        format="json",
    )
    assert response.status_code == 403
    assert refuse_every_key == [KEY]


def test_the_event_replay_asks_the_predicate(api_as, anonymous, screen_hearing, refuse_every_key):
    response = api_as(anonymous).get(f"/api/v1/hearings/{screen_hearing.pk}/events/", {"key": KEY})
    assert response.status_code == 403
    assert refuse_every_key == [KEY]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_the_websocket_asks_the_predicate(monkeypatch):
    hearing = await database_sync_to_async(HearingFactory)(display_key=KEY)
    ws, connected, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key={KEY}")
    try:
        assert connected
        assert (await receive(ws))["type"] == "snapshot"
    finally:
        await ws.disconnect()

    monkeypatch.setattr(permissions, "can_use_display_key", lambda hearing, key: False)
    ws, connected, _ = await open_socket(f"/ws/hearings/{hearing.pk}/?key={KEY}")
    try:
        assert connected
        assert await receive_until_closed(ws) == ("closed", 4403)
    finally:
        await ws.disconnect()
