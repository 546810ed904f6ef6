"""Fault: Redis dies and comes back in the middle of a live hearing.

Real processes: our own redis-server on a free port (never the machine's shared one), a
throwaway database, one gunicorn HTTP worker (the writes) and one uvicorn ASGI worker (the
sockets), both pointed at that Redis. CLIENTS WebSocket clients follow the hearing while
an official changes the screen mode WRITES times per phase: before the outage, with Redis
killed (SIGKILL), and after Redis is restarted on the same port.

Must hold: every write is acknowledged (200) in every phase — the channel layer being down
never fails a change; and every client, after replaying with `?after=<last seq it holds
without a gap>`, holds every event of the stream exactly once (compared with the seq list
in the database, read through the HTTP replay endpoint).
"""

import asyncio
import json
import os
import signal
import time

import pytest

from tests.faults.processes import (
    base_env,
    free_port,
    gunicorn,
    http,
    origin_of,
    private_redis,
    shell,
    stop,
    throwaway_database,
    uvicorn,
)

pytestmark = [pytest.mark.redis]

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "20"))
WRITES = int(os.environ.get("FAULT_WRITES", "10"))

SETUP = """
import json
from django.contrib.auth.models import Group
from django.utils import timezone
from knox.models import AuthToken
from hearings.models import Hearing
from tests.factories import HearingFactory, UserFactory
official = UserFactory(username="alice", groups=["officials"])
hearing = HearingFactory(status=Hearing.Status.LIVE, started_at=timezone.now())
print(json.dumps({"hearing": hearing.pk, "token": AuthToken.objects.create(user=official)[1]}))
"""


class Follower:
    """A client as our JavaScript behaves: live events, and replay from its last seq."""

    def __init__(self, url: str):
        self.url = url
        self.seqs: list[int] = []
        self.live = 0
        self.replayed = 0

    @property
    def contiguous(self) -> int:
        last = 0
        for seq in sorted(set(self.seqs)):
            if seq != last + 1:
                break
            last = seq
        return last

    async def follow(self, stop_event: asyncio.Event, ready: asyncio.Event):
        import websockets

        async with websockets.connect(
            self.url, origin=origin_of(self.url), open_timeout=20
        ) as socket:
            snapshot = json.loads(await socket.recv())
            assert snapshot["type"] == "snapshot"
            self.seqs.extend(range(1, snapshot["seq"] + 1))  # the snapshot stands for them
            ready.set()
            while not stop_event.is_set():
                try:
                    message = json.loads(await asyncio.wait_for(socket.recv(), 0.5))
                except TimeoutError:
                    continue
                except websockets.ConnectionClosed:
                    return
                self.seqs.append(message["seq"])
                self.live += 1

    async def catch_up(self, last_seq: int):
        import websockets

        after = self.contiguous
        # Everything we hold beyond the gap is dropped and read again, as live.js does.
        self.seqs = [seq for seq in self.seqs if seq <= after]
        if after >= last_seq:
            return
        async with websockets.connect(
            f"{self.url}?after={after}", origin=origin_of(self.url), open_timeout=20
        ) as socket:
            while self.contiguous < last_seq:
                message = json.loads(await asyncio.wait_for(socket.recv(), 20))
                self.seqs.append(message["seq"])
                self.replayed += 1


@pytest.fixture
def hearing_under_redis(tmp_path):
    redis_port = free_port()
    redis = private_redis(redis_port, tmp_path)
    env = base_env(tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    processes = {"redis": redis}
    try:
        with throwaway_database(tmp_path, env):
            data = json.loads(shell(env, SETUP))
            http_port, ws_port = free_port(), free_port()
            processes["http"] = gunicorn(http_port, env, tmp_path / "gunicorn.log")
            processes["ws"] = uvicorn(ws_port, env, tmp_path / "uvicorn.log")
            yield {
                **data,
                "api": f"http://127.0.0.1:{http_port}/api/v1",
                "ws": f"ws://127.0.0.1:{ws_port}/ws/hearings/{data['hearing']}/",
                "redis_port": redis_port,
                "processes": processes,
                "tmp_path": tmp_path,
            }
    finally:
        for process in processes.values():
            stop(process)


async def run_hearing(h: dict) -> tuple[list[int], dict, list["Follower"], list[int]]:
    stop_event = asyncio.Event()
    followers = [Follower(h["ws"]) for _ in range(CLIENTS)]
    readies = [asyncio.Event() for _ in followers]
    tasks = [
        asyncio.create_task(f.follow(stop_event, ready))
        for f, ready in zip(followers, readies, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)

    url = f"{h['api']}/hearings/{h['hearing']}/screen/"
    codes: dict[str, list[int]] = {"before": [], "redis down": [], "after restart": []}
    modes = ["blank", "live"]

    async def write(phase: str, n: int):
        for i in range(n):
            status, _ = await asyncio.to_thread(
                http, "POST", url, h["token"], {"mode": modes[i % 2]}
            )
            codes[phase].append(status)

    await write("before", WRITES)
    stop(h["processes"]["redis"], sig=signal.SIGKILL)
    await write("redis down", WRITES)
    h["processes"]["redis"] = private_redis(h["redis_port"], h["tmp_path"])
    await asyncio.sleep(2)  # let the relay notice and resubscribe if it can
    await write("after restart", WRITES)
    await asyncio.sleep(2)
    stop_event.set()
    await asyncio.gather(*tasks, return_exceptions=True)

    _, page = await asyncio.to_thread(
        http, "GET", f"{h['api']}/hearings/{h['hearing']}/events/?after=0&limit=1000", h["token"]
    )
    database_seqs = [event["seq"] for event in page["events"]]
    for follower in followers:
        await follower.catch_up(page["last_seq"])
    return database_seqs, codes, followers, [page["last_seq"]]


def test_redis_restart_fails_no_write_and_every_client_recovers_every_event(
    hearing_under_redis,
):
    started = time.monotonic()
    database_seqs, codes, followers, (last_seq,) = asyncio.run(
        asyncio.wait_for(run_hearing(hearing_under_redis), 240)
    )
    for phase, statuses in codes.items():
        assert statuses == [200] * WRITES, phase
    assert database_seqs == list(range(1, last_seq + 1))
    assert last_seq >= 3 * WRITES
    for follower in followers:
        assert sorted(follower.seqs) == database_seqs  # every event, exactly once
    # The fault really happened: the HTTP worker could not broadcast while Redis was down.
    log = (hearing_under_redis["tmp_path"] / "gunicorn.log").read_text()
    assert "broadcast of hearing:" in log
    live = sum(f.live for f in followers)
    replayed = sum(f.replayed for f in followers)
    print(
        f"\n{CLIENTS} clients, {3 * WRITES} writes, {last_seq} events; "
        f"live deliveries {live}, replayed {replayed}, {time.monotonic() - started:.1f}s"
    )
