"""Clients of the local production layout, all through nginx over TLS: API calls with a
token, raw sockets for clients that misbehave, and a hearing follower that behaves as
live.js does."""

import asyncio
import json
import socket
import ssl

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from deploy.layout import Layout


def api(
    layout: Layout,
    method: str,
    path: str,
    token: str = "",
    body=None,
    *,
    headers: dict | None = None,
    **options,
):
    """(status, JSON answer or {}) of one /api/v1/ call."""
    headers = {"Content-Type": "application/json", "Accept-Language": "en", **(headers or {})}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    answer = layout.request(method, f"/api/v1/{path}", headers=headers, body=data, **options)
    try:
        return answer.status, json.loads(answer.body or b"{}")
    except ValueError:
        return answer.status, {}


def tls_socket(layout: Layout, *, source: str | None = None, timeout: float = 10) -> ssl.SSLSocket:
    """A TLS connection to nginx that the test drives byte by byte."""
    raw = socket.create_connection(
        ("127.0.0.1", layout.ports.https),
        timeout=timeout,
        source_address=(source, 0) if source else None,
    )
    return layout.tls_context().wrap_socket(raw, server_hostname="127.0.0.1")


def status_of(sock: socket.socket) -> int:
    """The status code of the answer waiting on a raw socket."""
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1])


class Follower:
    """A hearing page as live.js behaves: the snapshot first, then events; on a lost
    connection it reconnects with `?after=<last seq received>` (seqs may skip; the server
    sends in order and without gaps what this reader may see)."""

    def __init__(self, layout: Layout, hearing: int, query: str = ""):
        self.layout = layout
        self.url = f"wss://{layout.host}/ws/hearings/{hearing}/"
        self.query = query
        self.snapshot: int | None = None
        self.events: list[tuple[int, str, dict]] = []
        self.reconnects = 0
        self.close_codes: list[int] = []
        self.failures: list[str] = []  # why a connection attempt failed

    @property
    def last_seq(self) -> int:
        return self.events[-1][0] if self.events else (self.snapshot or 0)

    async def run(self, final: asyncio.Future, ready: asyncio.Event, deadline: float):
        loop = asyncio.get_running_loop()
        context = self.layout.tls_context()
        while loop.time() < deadline:
            after = f"after={self.last_seq}" if self.snapshot is not None else ""
            query = "&".join(part for part in (self.query, after) if part)
            try:
                async with connect(
                    f"{self.url}?{query}" if query else self.url,
                    ssl=context,
                    origin=self.layout.url,
                    open_timeout=30,
                    compression=None,
                ) as websocket:
                    if self.snapshot is None:
                        self.snapshot = json.loads(await websocket.recv())["seq"]
                        ready.set()
                    while True:
                        if final.done() and self.last_seq >= final.result():
                            return
                        try:
                            message = json.loads(await asyncio.wait_for(websocket.recv(), 0.5))
                        except TimeoutError:
                            continue
                        self.events.append((message["seq"], message["type"], message["data"]))
            except ConnectionClosed as closed:
                self.close_codes.append(closed.rcvd.code if closed.rcvd else 1006)
                self.reconnects += 1
                await asyncio.sleep(0.5)
            except (TimeoutError, OSError, WebSocketException) as exc:
                self.failures.append(type(exc).__name__)
                self.reconnects += 1
                await asyncio.sleep(0.5)
