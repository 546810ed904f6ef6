"""Fault: some clients of a live hearing stop reading their socket.

Real processes: our own redis-server, a throwaway database, one uvicorn worker (the
sockets) and a publisher process that writes events to the hearing's stream through
`realtime.events.publish` (as a service does) and Redis. CLIENTS clients follow the
hearing; SLOW of them stop reading right after their snapshot, with a 4 KB receive
buffer, so TCP back-pressure reaches the server. Then EVENTS events of EVENT_SIZE bytes
are published at RATE per second.

Must hold:
- every other client receives every event of the stream exactly once, in order;
- the server cuts every stalled client off (close code 4408, queued behind what the
  kernel already holds: the client finds it as soon as it reads again, however long
  after) and stops writing to it: it misses the events after the cut;
- the worker's memory stays bounded while they stall (RSS growth far below what
  buffering every event for every stalled socket would take);
- a cut-off client reconnects with `?after=<last seq it received>` and gets every
  event it missed, exactly once.

Sizing: a stalled socket is cut off once the kernel's send buffer (up to
net.ipv4.tcp_wmem's maximum, 4 MB here), the transport's 64 KB and the relay's bound
(SOCKET_BUFFER frames) are full. CI publishes 32 KB events and lowers the relay's bound
from 500 to FAULT_SOCKET_BUFFER=20 frames in the worker
(`processes.application_with_socket_buffer`; same code path), so ~120 events reach it.
The issue's size: `FAULT_CLIENTS=1000 FAULT_SLOW=50 FAULT_RATE=5` (docs/RELIABILITY.md).
The latency of the other clients with and without stalled ones is a timing, so it is
measured by `bench/fanout.py --slow 50` (docs/RELIABILITY.md), never asserted here.
"""

import asyncio
import json
import os
import socket
import time

import pytest

from tests.faults.processes import (
    base_env,
    free_port,
    origin_of,
    private_redis,
    rss_mb,
    shell_process,
    stop,
    throwaway_database,
    uvicorn,
)

pytestmark = [pytest.mark.redis]

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "200"))
SLOW = int(os.environ.get("FAULT_SLOW", "10"))
EVENTS = int(os.environ.get("FAULT_EVENTS", "200"))
EVENT_SIZE = int(os.environ.get("FAULT_EVENT_SIZE", "32000"))
RATE = float(os.environ.get("FAULT_RATE", "20"))
SOCKET_BUFFER = int(os.environ.get("FAULT_SOCKET_BUFFER", "20"))
STALL_AFTER = 6.0  # the stalled clients keep not reading this long after the last event

# One Django process for the whole test: creates the hearing, then answers commands on
# stdin — "publish <n> <rate> <size>" (events through realtime.events.publish, as a
# service does) and "seqs" (the public seqs of the stream in the database).
PUBLISHER = """
import json, sys, time
from django.db import transaction
from django.utils import timezone
from hearings.models import Hearing
from realtime import events
from realtime.models import StreamEvent
from tests.factories import HearingFactory
hearing = HearingFactory(status=Hearing.Status.LIVE, started_at=timezone.now())
print(json.dumps({"hearing": hearing.pk}), flush=True)
for line in sys.stdin:
    command, *args = line.split()
    if command == "publish":
        n, rate, size = int(args[0]), float(args[1]), int(args[2])
        start, last = time.monotonic(), 0
        for number in range(n):
            delay = start + number / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            data = {"id": number, "body": "x" * size}
            with transaction.atomic():
                last = events.publish(hearing.stream, "comment.published", data).seq
        print(json.dumps({"last": last}), flush=True)
    elif command == "seqs":
        rows = StreamEvent.objects.filter(stream=hearing.stream, audience=events.PUBLIC)
        print(json.dumps({"seqs": list(rows.order_by("seq").values_list("seq", flat=True))}),
              flush=True)
"""


class Publisher:
    def __init__(self, env: dict, log):
        self.process = shell_process(env, PUBLISHER, log)

    def ask(self, command: str = "") -> dict:
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        while True:  # skip what `shell` prints itself ("N objects imported …")
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"publisher exited with {self.process.poll()}")
            if line.startswith("{"):
                return json.loads(line)


class Reader:
    """A client that reads every message: its snapshot's seq, then each event's seq."""

    def __init__(self, url: str):
        self.url = url
        self.snapshot = None
        self.seqs: list[int] = []
        self.closed_with = None
        self.socket = None

    async def open(self, *, stalled: bool = False):
        import websockets

        sock = None
        if stalled:
            # A small receive buffer and a one-message queue: once we stop reading, the
            # kernel's window closes and the server's writes back up.
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", self.port))
        self.socket = await websockets.connect(
            self.url,
            origin=origin_of(self.url),
            open_timeout=30,
            compression=None,  # as deployed (--ws-per-message-deflate false)
            ping_interval=None,  # a stalled client answers no ping either
            max_queue=1 if stalled else 16,
            sock=sock,
        )
        snapshot = json.loads(await self.socket.recv())
        assert snapshot["type"] == "snapshot"
        self.snapshot = snapshot["seq"]

    @property
    def port(self) -> int:
        return int(self.url.split(":")[2].split("/")[0])

    @property
    def last_seq(self) -> int:
        return self.seqs[-1] if self.seqs else self.snapshot

    async def read(self, until: float | None = None):
        """Until the server closes the socket (or `until`, loop time, passes)."""
        import websockets

        loop = asyncio.get_running_loop()
        try:
            while until is None or loop.time() < until:
                timeout = None if until is None else max(0.01, until - loop.time())
                try:
                    text = await asyncio.wait_for(self.socket.recv(), timeout)
                except TimeoutError:
                    return
                self.seqs.append(json.loads(text)["seq"])
        except websockets.ConnectionClosed as closed:
            self.closed_with = closed.rcvd.code if closed.rcvd else 1006

    async def replay(self, final: int, timeout: float):
        """Reconnect with ?after=<last seq received> and read up to `final`."""
        import websockets

        async with websockets.connect(
            f"{self.url}?after={self.last_seq}", origin=origin_of(self.url), compression=None
        ) as ws:
            while self.last_seq < final:
                self.seqs.append(json.loads(await asyncio.wait_for(ws.recv(), timeout))["seq"])


@pytest.fixture
def hearing_with_one_worker(tmp_path):
    redis_port = free_port()
    processes = {"redis": private_redis(redis_port, tmp_path)}
    env = base_env(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        FAULT_SOCKET_BUFFER=str(SOCKET_BUFFER),
    )
    try:
        with throwaway_database(tmp_path, env):
            publisher = Publisher(env, tmp_path / "publisher.log")
            processes["publisher"] = publisher.process
            port = free_port()
            processes["ws"] = uvicorn(
                port,
                env,
                tmp_path / "worker.log",
                factory="tests.faults.processes:application_with_socket_buffer",
                # uvicorn's keepalive (20 s + 20 s as deployed) would also end a stalled
                # socket, with 1011; here the cut-off must be the relay's own, 4408.
                options=("--ws-ping-interval", "60"),
            )
            hearing = publisher.ask()["hearing"]
            yield {
                "publisher": publisher,
                "worker": processes["ws"],
                "url": f"ws://127.0.0.1:{port}/ws/hearings/{hearing}/",
                "tmp_path": tmp_path,
            }
    finally:
        for process in processes.values():
            stop(process)


async def follow_hearing(h: dict) -> dict:
    loop = asyncio.get_running_loop()
    fast = [Reader(h["url"]) for _ in range(CLIENTS - SLOW)]
    slow = [Reader(h["url"]) for _ in range(SLOW)]
    limiter = asyncio.Semaphore(50)

    async def open_one(reader, stalled):
        async with limiter:
            await reader.open(stalled=stalled)

    await asyncio.gather(*(open_one(r, False) for r in fast), *(open_one(r, True) for r in slow))
    readers = [asyncio.create_task(r.read()) for r in fast]
    await asyncio.sleep(0.5)
    worker = h["worker"].pid
    rss = {"before": rss_mb(worker), "peak": 0.0}

    async def sample():
        while True:
            rss["peak"] = max(rss["peak"], rss_mb(worker))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    started = loop.time()
    command = f"publish {EVENTS} {RATE} {EVENT_SIZE}"
    last = (await asyncio.to_thread(h["publisher"].ask, command))["last"]
    published_in = loop.time() - started
    deadline = loop.time() + 60
    while loop.time() < deadline and any(r.last_seq < last for r in fast):
        await asyncio.sleep(0.1)
    await asyncio.sleep(max(0.0, STALL_AFTER - (loop.time() - started - published_in)))
    sampler.cancel()

    # The stalled clients read again: what the kernel held, then the server's close.
    resumed = loop.time()
    await asyncio.gather(*(r.read(until=resumed + 20) for r in slow))
    cut_seen_in = loop.time() - resumed
    cut_at = [r.last_seq for r in slow]
    await asyncio.gather(*(r.replay(last, timeout=20) for r in slow))
    for reader in fast:
        await reader.socket.close()
    await asyncio.gather(*readers)
    database = (await asyncio.to_thread(h["publisher"].ask, "seqs"))["seqs"]
    return {
        "fast": fast,
        "slow": slow,
        "last": last,
        "database": database,
        "rss": rss,
        "cut_at": cut_at,
        "cut_seen_in": cut_seen_in,
        "published_in": published_in,
    }


def test_clients_that_stop_reading_are_cut_off_without_costing_the_others(
    hearing_with_one_worker,
):
    started = time.monotonic()
    run = asyncio.run(asyncio.wait_for(follow_hearing(hearing_with_one_worker), 180))
    last, database = run["last"], run["database"]
    assert database[-EVENTS:] == list(range(last - EVENTS + 1, last + 1))

    for reader in run["fast"]:
        assert reader.closed_with in (None, 1000), "a reading client was cut off"
        assert reader.seqs == [seq for seq in database if seq > reader.snapshot]

    for reader, cut_at in zip(run["slow"], run["cut_at"], strict=True):
        assert reader.closed_with == 4408
        # Cut off while events still came: the server stopped writing to it.
        assert cut_at <= last - SOCKET_BUFFER
        # Then ?after= replayed every event it missed: each event exactly once.
        assert reader.seqs == [seq for seq in database if seq > reader.snapshot]
    assert run["cut_seen_in"] < 20

    # Buffering every event for every stalled socket would take this much.
    unbounded_mb = SLOW * EVENTS * EVENT_SIZE / 2**20
    growth = run["rss"]["peak"] - run["rss"]["before"]
    assert growth < min(50.0, unbounded_mb / 2), run["rss"]
    print(
        f"\n{CLIENTS} clients, {SLOW} stalled, {EVENTS} events of {EVENT_SIZE} B in "
        f"{run['published_in']:.1f}s; stalled ones cut after seq {min(run['cut_at'])}-"
        f"{max(run['cut_at'])} of {last}, saw the 4408 {run['cut_seen_in']:.1f}s after "
        f"reading again; worker RSS {run['rss']['before']:.0f} MB -> peak "
        f"{run['rss']['peak']:.0f} MB (buffering all: +{unbounded_mb:.0f} MB); "
        f"{time.monotonic() - started:.1f}s"
    )
