"""Fault: one of two ASGI workers is killed with SIGKILL mid-hearing and restarted.

Real processes: our own redis-server, a throwaway database, one gunicorn HTTP worker (the
writes) and two uvicorn workers on two ports (the sockets), all on one Redis. CLIENTS
clients, half on each worker, follow a live hearing while an official changes the screen
mode; worker B is SIGKILLed in the middle of the writes and started again on its port.
Clients of B reconnect by themselves with `?after=<last seq held without a gap>`, as
live.js does.

Must hold: every write is acknowledged (200) and its event is in the database (seq list
1..n, gapless); every client ends with every event exactly once.
"""

import asyncio
import json
import os
import signal
import sys

import pytest

from tests.faults.processes import (
    base_env,
    free_port,
    gunicorn,
    manage,
    private_redis,
    start,
    stop,
    throwaway_database,
    wait_for_port,
)
from tests.faults.test_redis_restart import SETUP, http

pytestmark = [pytest.mark.redis]

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "20"))
WRITES = int(os.environ.get("FAULT_WRITES", "30"))


def uvicorn(port: int, env: dict, log):
    process = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "backend.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env,
        log,
    )
    wait_for_port(port, process)
    return process


class ReconnectingFollower:
    def __init__(self, url: str):
        self.url = url
        self.seqs: list[int] = []
        self.reconnects = 0

    @property
    def contiguous(self) -> int:
        last = 0
        for seq in sorted(set(self.seqs)):
            if seq != last + 1:
                break
            last = seq
        return last

    async def run(self, until_seq: asyncio.Future, ready: asyncio.Event, deadline: float):
        import websockets

        loop = asyncio.get_running_loop()
        first = True
        while loop.time() < deadline:
            after = self.contiguous
            self.seqs = [seq for seq in self.seqs if seq <= after]
            url = self.url if first else f"{self.url}?after={after}"
            try:
                async with websockets.connect(
                    url, origin="http://127.0.0.1", open_timeout=5
                ) as socket:
                    if first:
                        snapshot = json.loads(await socket.recv())
                        self.seqs.extend(range(1, snapshot["seq"] + 1))
                        first = False
                        ready.set()
                    while True:
                        if until_seq.done() and self.contiguous >= until_seq.result():
                            return
                        try:
                            message = json.loads(await asyncio.wait_for(socket.recv(), 0.5))
                        except TimeoutError:
                            continue
                        self.seqs.append(message["seq"])
            except (TimeoutError, OSError, websockets.WebSocketException):
                self.reconnects += 1
                await asyncio.sleep(0.5)


@pytest.fixture
def two_workers(tmp_path):
    redis_port = free_port()
    processes = {"redis": private_redis(redis_port, tmp_path)}
    env = base_env(tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    try:
        with throwaway_database(tmp_path, env):
            data = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
            http_port, a_port, b_port = free_port(), free_port(), free_port()
            processes["http"] = gunicorn(http_port, env, tmp_path / "gunicorn.log")
            processes["a"] = uvicorn(a_port, env, tmp_path / "worker-a.log")
            processes["b"] = uvicorn(b_port, env, tmp_path / "worker-b.log")
            yield {
                **data,
                "env": env,
                "tmp_path": tmp_path,
                "api": f"http://127.0.0.1:{http_port}/api/v1",
                "ports": (a_port, b_port),
                "processes": processes,
            }
    finally:
        for process in processes.values():
            stop(process)


async def run(h: dict):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 180
    urls = [f"ws://127.0.0.1:{port}/ws/hearings/{h['hearing']}/" for port in h["ports"]]
    followers = [ReconnectingFollower(urls[n % 2]) for n in range(CLIENTS)]
    until_seq = loop.create_future()
    readies = [asyncio.Event() for _ in followers]
    tasks = [
        asyncio.create_task(f.run(until_seq, ready, deadline))
        for f, ready in zip(followers, readies, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)

    url = f"{h['api']}/hearings/{h['hearing']}/screen/"
    codes = []
    for i in range(WRITES):
        if i == WRITES // 3:
            stop(h["processes"]["b"], sig=signal.SIGKILL)
        if i == 2 * WRITES // 3:
            h["processes"]["b"] = uvicorn(h["ports"][1], h["env"], h["tmp_path"] / "worker-b.log")
        status, _ = await asyncio.to_thread(
            http, "POST", url, h["token"], {"mode": ("blank", "live")[i % 2]}
        )
        codes.append(status)
        await asyncio.sleep(0.1)

    _, page = await asyncio.to_thread(
        http, "GET", f"{h['api']}/hearings/{h['hearing']}/events/?after=0&limit=1000", h["token"]
    )
    until_seq.set_result(page["last_seq"])
    await asyncio.wait_for(asyncio.gather(*tasks), max(1, deadline - loop.time()))
    return codes, [e["seq"] for e in page["events"]], page["last_seq"], followers


def test_killing_a_worker_loses_no_write_and_every_client_ends_with_every_event_once(
    two_workers,
):
    codes, database_seqs, last_seq, followers = asyncio.run(run(two_workers))
    assert codes == [200] * WRITES
    assert database_seqs == list(range(1, last_seq + 1))
    assert last_seq >= WRITES
    for follower in followers:
        assert sorted(follower.seqs) == database_seqs
    on_b = followers[1::2]
    assert all(f.reconnects >= 1 for f in on_b)  # the kill really cut them off
    print(
        f"\n{CLIENTS} clients on 2 workers, {WRITES} writes, {last_seq} events; "
        f"reconnects on the killed worker: {sum(f.reconnects for f in on_b)}"
    )
