"""Helpers for WebSocket tests: the real ASGI application (origin check, session auth,
routing), a communicator per persona, and publishing the way services do it."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from realtime import events, relay

ORIGIN = b"http://localhost"


@pytest.fixture
async def fresh_relays():
    """Each test starts with no relay (no subscription) and leaves none behind."""
    await relay.reset_hub()
    yield
    await relay.reset_hub()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def open_socket(
    path: str, *, user=None, origin: bytes | None = ORIGIN, host: bytes = b"localhost"
):
    """A connected communicator as `user` (None: anonymous). Callers must disconnect it."""
    from backend.asgi import application

    headers = [(b"host", host)]
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def receive(communicator, timeout: float = 3) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


async def receive_until_closed(communicator, timeout: float = 3):
    """The next output: a message dict, or ("closed", code)."""
    output = await communicator.receive_output(timeout=timeout)
    if output["type"] == "websocket.close":
        return ("closed", output.get("code"))
    return json.loads(output["text"])


def _publish(stream, type, data, audience=None):
    with transaction.atomic():
        return events.publish(stream, type, data, audience=audience).seq


async def publish(stream: str, type: str, data: dict, audience: str | None = None) -> int:
    """Publish as a service would (in a transaction, broadcast on commit); returns the seq."""
    return await database_sync_to_async(_publish)(stream, type, data, audience)
