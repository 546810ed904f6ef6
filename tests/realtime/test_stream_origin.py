"""The WebSocket Origin check compares scheme, host *and* port (realtime.access.origin_allowed):
a page on another port of our host is another program, so it may not use a visitor's session
on our streams. The site's own origin comes from the request (Host, in ALLOWED_HOSTS, and the
scheme, as Django's CSRF check takes them); CSRF_TRUSTED_ORIGINS are accepted as listed."""

import pytest
from channels.db import database_sync_to_async

from realtime.access import origin_allowed
from tests.factories import HearingFactory
from tests.realtime.conftest import open_socket, receive


def scope(origin: str | None, host: str = "localhost:8000", **extra) -> dict:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers += [(name.encode(), value.encode()) for name, value in extra.items()]
    return {"type": "websocket", "scheme": "ws", "headers": headers}


def test_another_port_of_our_host_is_refused():
    assert origin_allowed(scope("http://localhost:8000"))
    assert not origin_allowed(scope("http://localhost:9999"))
    assert not origin_allowed(scope("http://localhost"))


def test_another_scheme_of_our_host_and_port_is_refused():
    assert not origin_allowed(scope("https://localhost:8000"))


def test_the_default_port_may_be_written_or_left_out():
    assert origin_allowed(scope("http://localhost:80", host="localhost"))
    assert origin_allowed(scope("http://LOCALHOST", host="localhost"))


@pytest.mark.parametrize(
    "origin",
    [
        None,
        "",
        "null",
        "http://localhost:8000/path",
        "http://user@localhost:8000",
        "ws://localhost:8000",
        "http://localhost:99999",
        "http://localhost.evil.example:8000",
    ],
)
def test_what_is_not_our_serialized_origin_is_refused(origin):
    assert not origin_allowed(scope(origin))


def test_a_host_outside_allowed_hosts_has_no_origin_of_its_own():
    assert not origin_allowed(scope("http://evil.example:8000", host="evil.example:8000"))


def test_two_origin_headers_are_refused():
    both = scope("http://localhost:8000")
    both["headers"].append((b"origin", b"https://evil.example"))
    assert not origin_allowed(both)


def test_behind_the_tls_proxy_the_origin_is_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind = {"host": "localhost", "x-forwarded-proto": "https"}
    assert origin_allowed(scope("https://localhost", **behind))
    assert not origin_allowed(scope("http://localhost", **behind))
    assert origin_allowed({**scope("https://localhost", host="localhost"), "scheme": "wss"})


def test_csrf_trusted_origins_are_accepted_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://dialog.example"]
    assert origin_allowed(scope("https://dialog.example", host="127.0.0.1:8001"))
    assert origin_allowed(scope("https://dialog.example:443", host="127.0.0.1:8001"))
    assert not origin_allowed(scope("https://dialog.example:8443", host="127.0.0.1:8001"))
    assert not origin_allowed(scope("http://dialog.example", host="127.0.0.1:8001"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_relays")
async def test_a_signed_in_moderator_s_socket_from_another_port_is_refused(moderator):
    """The site is http://localhost:8000; a page at http://localhost:9999 gets nothing."""
    hearing = await database_sync_to_async(HearingFactory)()
    path = f"/ws/hearings/{hearing.pk}/?view=moderator"
    ws, connected, _ = await open_socket(
        path, user=moderator, host=b"localhost:8000", origin=b"http://localhost:9999"
    )
    await ws.disconnect()
    assert not connected

    ws, connected, code = await open_socket(
        path, user=moderator, host=b"localhost:8000", origin=b"http://localhost:8000"
    )
    try:
        assert connected, code
        assert (await receive(ws))["type"] == "snapshot"
    finally:
        await ws.disconnect()
