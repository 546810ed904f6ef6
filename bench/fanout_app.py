"""ASGI app for bench/fanout.py: the real application plus two bench-only HTTP routes.

`/bench/hearing` creates a hearing and answers its id; `/bench/publish?stream=…&n=…&rate=…&size=…`
publishes `n` comment-sized events through `realtime.events.publish` from inside this worker
(as a Django view in the same process would) at `rate` per second and answers the last seq.
Each event carries `sent_at` so clients measure publish-to-delivery latency. Never deployed.
"""

import asyncio
import json
import time
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.db import transaction

from backend.asgi import application as django_application
from realtime import events

PADDING = "Warga mengusulkan agar ruang terbuka hijau diperluas di setiap kelurahan. "


def _hearing_id() -> int:
    from tests.factories import HearingFactory

    return HearingFactory(display_key="bench-display-key").pk


def _publish(stream: str, number: int, size: int) -> int:
    body = (PADDING * (size // len(PADDING) + 1))[: max(0, size - 260)]
    data = {
        "id": number,
        "stance": "support",
        "organization": {"id": 1, "name": "LSM Pelita Pasuruan", "acronym": "Pelita"},
        "author": "Rina",
        "body": body,
        "sent_at": time.time(),
    }
    with transaction.atomic():
        return events.publish(stream, "comment.published", data).seq


async def _answer(send, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"].startswith("/bench/"):
        query = {k: v[-1] for k, v in parse_qs(scope["query_string"].decode()).items()}
        if scope["path"] == "/bench/hearing":
            await _answer(send, {"id": await database_sync_to_async(_hearing_id)()})
            return
        if scope["path"] == "/bench/publish":
            n, rate = int(query.get("n", 50)), float(query.get("rate", 10))
            size = int(query.get("size", 400))
            publish = database_sync_to_async(_publish)
            start, last = time.monotonic(), 0
            for number in range(n):
                delay = start + number / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                last = await publish(query["stream"], number, size)
            await _answer(send, {"last": last})
            return
    await django_application(scope, receive, send)
