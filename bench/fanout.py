"""Fan-out benchmark (issue 5): live events to many WebSocket clients, side by side with a
bare `websockets.broadcast` server on the same machine and the same client.

    # quick (development): 200 clients, 20 events
    python bench/fanout.py
    # the documented run (docs/PERFORMANCE.md)
    python bench/fanout.py --clients 1000 --events 50 --idle 5000 \
        --configs bare,uvicorn,uvicorn-redis,daphne,daphne-redis

Configurations: `bare` (websockets.broadcast, no Django), `uvicorn` (one process, no
REDIS_URL: events go straight to the process's relays), `uvicorn-redis` (two uvicorn
processes + Redis pub/sub, clients split between them, events published through the
first), `daphne` and `daphne-redis` likewise.
Events are ~400-byte comment events published through realtime.events.publish at
--rate per second from inside a worker (bench/fanout_app.py); each carries its send
time, so clients measure publish-to-delivery latency (database write included).

Stalled readers (issue 7: "50 of 1,000 clients stop reading"): `--slow 50` runs each
configuration twice — `--clients` minus 50, all reading; then `--clients` of which 50
stop reading after connecting (4 KB receive buffer, a one-message queue, no pings
answered, so TCP back-pressure reaches the server) — and prints the reading clients'
p50/p99 in both runs and their ratio, then lets the stalled ones read again and counts
how they were closed (4408: cut off by the relay's bound) or what they had got:

    python bench/fanout.py --clients 1000 --slow 50 --events 50 \
        --configs uvicorn --no-storm    # (no storm with --slow anyway)

Reports per configuration: p50/p99/max latency, messages lost, duplicates or
out-of-order deliveries, server CPU seconds during the broadcast, RSS after it; then a
reconnect storm (every client drops at once and reconnects with ?after=, while events
keep coming: share caught up without gap within 10 s) and the RSS of one worker
holding --idle idle hearing sockets. Needs REDIS_URL for the -redis configurations
(default redis://127.0.0.1:6379/5) and uses a fresh SQLite file unless --database-url.
"""

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TICK = os.sysconf("SC_CLK_TCK")


# --- bare server -------------------------------------------------------------------------


async def bare_server(port: int) -> None:
    """The yardstick: websockets.broadcast of pre-encoded frames, nothing else."""
    from websockets.asyncio.server import broadcast, serve

    clients = set()
    seq = 0

    async def handler(ws):
        nonlocal seq
        if ws.request.path.startswith("/control"):
            async for command in ws:
                n, rate, size = (float(x) for x in command.split())
                start = time.monotonic()
                for number in range(int(n)):
                    delay = start + number / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    seq += 1
                    body = "x" * max(0, int(size) - 260)
                    data = {"id": number, "body": body, "sent_at": time.time()}
                    message = {"stream": "bare", "seq": seq, "type": "comment.published"}
                    broadcast(clients, json.dumps({**message, "at": "", "data": data}))
                await ws.send(str(seq))
            return
        clients.add(ws)
        try:
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=16):
        await asyncio.Future()


# --- client process ----------------------------------------------------------------------


class Sock:
    def __init__(self, url: str, origin: str, stalled: bool = False):
        self.url, self.origin = url, origin
        self.stalled = stalled
        self.close_code = None
        self.ws = None
        self.task = None
        self.last_seq = 0
        self.latencies = []
        self.duplicates = 0
        self.gaps = 0
        self.arrivals = {}
        self.by_seq = {}
        self.connected = asyncio.Event()

    async def connect(self, after: int | None) -> None:
        from websockets.asyncio.client import connect

        base = self.url.split("?")[0]
        url = self.url if after is None else f"{base}?after={after}"
        self.connected.clear()
        for attempt in range(20):
            try:
                if self.stalled:
                    self.ws = await self.connect_stalled(connect, url)
                    self.connected.set()
                    return  # never read: its kernel window closes
                self.ws = await connect(
                    url, origin=self.origin, compression=None, open_timeout=30, max_queue=None
                )
                break
            except Exception:  # noqa: BLE001 - retry like the screen's JavaScript does
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
        else:
            return
        self.task = asyncio.ensure_future(self.read())

    async def connect_stalled(self, connect, url: str):
        """A client that stops reading: 4 KB receive buffer, reading paused after one
        queued message, no pings sent (so none of its own keepalive closes it)."""
        host, port = url.split("/")[2].split(":")
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
        return await connect(
            url,
            origin=self.origin,
            compression=None,
            open_timeout=30,
            max_queue=1,
            ping_interval=None,
            sock=sock,
        )

    async def resume(self, quiet: float) -> None:
        """A stalled socket reads again: what the server still had for it, then its close."""
        from websockets.exceptions import ConnectionClosed

        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), quiet))
                self.last_seq = max(self.last_seq, message["seq"])
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else 1006
        except TimeoutError:
            self.close_code = None  # still open, nothing more came

    async def read(self) -> None:
        try:
            async for text in self.ws:
                now = time.time()
                message = json.loads(text)
                seq = message["seq"]
                if message["type"] == "snapshot":
                    self.last_seq = seq
                    self.connected.set()
                    continue
                self.connected.set()
                if seq <= self.last_seq:
                    self.duplicates += 1
                    continue
                if seq != self.last_seq + 1:
                    self.gaps += 1
                self.last_seq = seq
                self.arrivals[seq] = now
                self.latencies.append(now - message["data"]["sent_at"])
                self.by_seq[seq] = max(self.by_seq.get(seq, 0), now - message["data"]["sent_at"])
        except Exception:  # noqa: BLE001 - a dropped socket; the storm phase reconnects
            return

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


async def client_main(urls: list[str], count: int, bare: bool, stalled: int = 0) -> None:
    socks = []
    for i in range(count):
        url = urls[i % len(urls)]
        origin = "http://" + url.split("/")[2]
        socks.append(Sock(url, origin, stalled=i < stalled))
    stalled_socks = [s for s in socks if s.stalled]
    socks = [s for s in socks if not s.stalled]
    limiter = asyncio.Semaphore(50)

    async def open_one(sock, after=None):
        async with limiter:
            await sock.connect(after)
            if not bare and after is None and "after=" not in sock.url:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sock.connected.wait(), timeout=30)

    await asyncio.gather(*(open_one(s) for s in socks + stalled_socks))
    reply(
        {
            "ready": sum(1 for s in socks if s.ws is not None),
            "stalled": sum(1 for s in stalled_socks if s.ws is not None),
        }
    )

    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    dropped_at, before_drop = None, {}
    while True:
        line = (await reader.readline()).decode().split()
        if not line or line[0] == "QUIT":
            break
        if line[0] == "COLLECT":
            last, deadline = int(line[1]), time.monotonic() + float(line[2])
            while time.monotonic() < deadline and any(s.last_seq < last for s in socks):
                await asyncio.sleep(0.1)
            latencies = [x for s in socks for x in s.latencies]
            worst = {}
            for s in socks:
                for seq, value in s.by_seq.items():
                    worst[seq] = max(worst.get(seq, 0), value)
            reply(
                {
                    "latencies": latencies,
                    "worst_by_seq": worst,
                    "complete": sum(1 for s in socks if s.last_seq >= last),
                    "duplicates": sum(s.duplicates for s in socks),
                    "gaps": sum(s.gaps for s in socks),
                }
            )
            for s in socks:
                s.latencies, s.arrivals = [], {}
        elif line[0] == "DROP":
            await asyncio.gather(*(s.close() for s in socks))
            dropped_at = time.time()
            before_drop = {id(s): s.last_seq for s in socks}
            reply({"dropped": len(socks)})
            await asyncio.gather(*(open_one(s, after=s.last_seq) for s in socks))
            print(f"reconnected {len(socks)} in {time.time() - dropped_at:.2f}s", file=sys.stderr)
        elif line[0] == "CATCHUP":
            final, deadline = int(line[1]), time.monotonic() + float(line[2])
            while time.monotonic() < deadline and any(s.last_seq < final for s in socks):
                await asyncio.sleep(0.1)
            durations = []
            for s in socks:
                wanted = range(before_drop[id(s)] + 1, final + 1)
                if s.gaps or s.duplicates or any(n not in s.arrivals for n in wanted):
                    durations.append(None)
                else:
                    done = max((s.arrivals[n] for n in wanted), default=dropped_at)
                    durations.append(done - dropped_at)
            reply({"catchup": durations})
        elif line[0] == "RESUME":
            await asyncio.gather(*(s.resume(float(line[1])) for s in stalled_socks))
            reply(
                {
                    "close_codes": [s.close_code for s in stalled_socks],
                    "last_seqs": [s.last_seq for s in stalled_socks],
                }
            )
    await asyncio.gather(*(s.close() for s in socks + stalled_socks))


def reply(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


# --- driver ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_command(kind: str, port: int) -> list[str]:
    if kind == "bare":
        return [PY, str(Path(__file__)), "--role", "bare-server", "--port", str(port)]
    if kind.startswith("uvicorn"):
        return [
            PY,
            "-m",
            "uvicorn",
            "bench.fanout_app:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--backlog",
            "4096",
        ]
    return [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "-v", "0"]


class Config:
    def __init__(self, name: str, env: dict):
        self.name = name
        self.bare = name == "bare"
        workers = 2 if name.endswith("-redis") else 1
        self.ports = [free_port() for _ in range(workers)]
        self.env = dict(env)
        if not name.endswith("-redis"):
            self.env.pop("REDIS_URL", None)
        app = [] if self.bare or name.startswith("uvicorn") else ["bench.fanout_app:application"]
        self.processes = [
            subprocess.Popen(
                server_command(name, port) + app,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in self.ports
        ]
        for port in self.ports:
            wait_port(port)
        self.path = "/"
        if not self.bare:
            # Like the hearing pages: connect with ?after=<seq the page was rendered at>.
            hearing = self.http("/bench/hearing")["id"]
            self.path = f"/ws/hearings/{hearing}/?after=0"
            self.stream = f"hearing:{hearing}"

    def http(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[0]}{path}", timeout=300) as r:
            return json.loads(r.read())

    def publish(self, n: int, rate: float, size: int) -> int:
        if self.bare:

            async def control():
                from websockets.asyncio.client import connect

                async with connect(f"ws://127.0.0.1:{self.ports[0]}/control") as ws:
                    await ws.send(f"{n} {rate} {size}")
                    return int(await ws.recv())

            return asyncio.run(control())
        return self.http(f"/bench/publish?stream={self.stream}&n={n}&rate={rate}&size={size}")[
            "last"
        ]

    def urls(self) -> list[str]:
        return [f"ws://127.0.0.1:{port}{self.path}" for port in self.ports]

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.processes)

    def rss(self) -> float:
        return sum(rss_mb(p.pid) for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def shares(total: int, processes: int) -> list[int]:
    return [total // processes + (1 if i < total % processes else 0) for i in range(processes)]


class Clients:
    def __init__(self, config: Config, total: int, processes: int, stalled: int = 0):
        self.procs = [
            subprocess.Popen(
                [PY, str(Path(__file__)), "--role", "client", "--count", str(count)]
                + ["--stalled", str(slow), "--urls", ",".join(config.urls())]
                + (["--bare"] if config.bare else []),
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for count, slow in zip(
                shares(total, processes), shares(stalled, processes), strict=True
            )
            if count
        ]

    def read(self) -> list[dict]:
        return [json.loads(p.stdout.readline()) for p in self.procs]

    def send(self, line: str) -> None:
        for p in self.procs:
            p.stdin.write(line + "\n")
            p.stdin.flush()

    def quit(self) -> None:
        for p in self.procs:
            try:
                p.stdin.write("QUIT\n")
                p.stdin.flush()
                p.wait(timeout=60)
            except Exception:  # noqa: BLE001
                p.kill()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run_config(name: str, args, env: dict, clients_total: int = 0, stalled: int = 0) -> dict:
    """One configuration; `stalled` of the clients stop reading after connecting."""
    config = Config(name, env)
    try:
        clients = Clients(config, clients_total or args.clients, args.client_processes, stalled)
        answers = clients.read()
        ready = sum(r["ready"] for r in answers)
        time.sleep(1)
        warmup = config.publish(1, args.rate, args.size)  # not measured
        clients.send(f"COLLECT {warmup} 10")
        clients.read()
        cpu0, wall0 = config.cpu(), time.monotonic()
        last = config.publish(args.events, args.rate, args.size)
        wall = time.monotonic() - wall0  # CPU share over the publishing period
        clients.send(f"COLLECT {last} 20")
        results = clients.read()
        cpu = config.cpu() - cpu0
        latencies = [x for r in results for x in r["latencies"]]
        expected = ready * args.events  # the warm-up event is not counted
        row = {
            "config": name,
            "clients": ready,
            "stalled": sum(r["stalled"] for r in answers),
            "p50_ms": 1000 * percentile(latencies, 0.50),
            "p99_ms": 1000 * percentile(latencies, 0.99),
            "max_ms": 1000 * max(latencies, default=float("nan")),
            "lost": expected - len(latencies),
            "dup_or_gap": sum(r["duplicates"] + r["gaps"] for r in results),
            "cpu_s": cpu,
            "cpu_pct": 100 * cpu / wall,
            "rss_mb": config.rss(),
        }
        if args.verbose:
            worst = {}
            for r in results:
                for seq, value in r["worst_by_seq"].items():
                    worst[int(seq)] = max(worst.get(int(seq), 0), value)
            print(
                "# worst latency per seq (ms):",
                {k: round(v * 1000) for k, v in sorted(worst.items())},
            )
        if stalled:
            clients.send("RESUME 5")
            outcome = clients.read()
            codes = [c for r in outcome for c in r["close_codes"]]
            row["stalled_closed"] = {str(c): codes.count(c) for c in sorted(set(codes), key=str)}
            seqs = [q for r in outcome for q in r["last_seqs"]]
            row["stalled_had_all"] = sum(1 for q in seqs if q >= last)
        if args.storm and not config.bare and not stalled:
            clients.send("DROP")
            clients.read()
            final = [0]
            publisher = threading.Thread(
                target=lambda: final.__setitem__(0, config.publish(20, args.rate, args.size))
            )
            started = time.monotonic()
            publisher.start()
            publisher.join()
            row["storm_publish_s"] = time.monotonic() - started
            clients.send(f"CATCHUP {final[0]} 15")
            durations = [d for r in clients.read() for d in r["catchup"]]
            within = [d for d in durations if d is not None and d <= 10]
            row["storm_caught_up_10s_pct"] = 100 * len(within) / max(1, len(durations))
            row["storm_p95_s"] = percentile(
                [d if d is not None else float("inf") for d in durations], 0.95
            )
        clients.quit()
        return row
    finally:
        config.stop()


def run_idle(name: str, args, env: dict) -> dict:
    config = Config(name, env)
    try:
        clients = Clients(config, args.idle, args.client_processes)
        ready = sum(r["ready"] for r in clients.read())
        time.sleep(2)
        row = {"config": name, "idle_sockets": ready, "rss_mb": config.rss()}
        clients.quit()
        return row
    finally:
        config.stop()


def run_slow(args, env: dict) -> None:
    """The reading clients' latency without and with `--slow` stalled clients beside them."""
    args.storm = False  # the storm measures reconnects, not this
    for name in args.configs.split(","):
        if name == "bare":
            continue
        without = run_config(name, args, env, clients_total=args.clients - args.slow)
        with_slow = run_config(name, args, env, stalled=args.slow)
        for row in (without, with_slow):
            print(
                json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}),
                flush=True,
            )
        print(
            f"# {name}: {with_slow['clients']} reading clients with {with_slow['stalled']} "
            f"stalled beside them: p50 {with_slow['p50_ms'] / without['p50_ms']:.2f}x, "
            f"p99 {with_slow['p99_ms'] / without['p99_ms']:.2f}x the run without them",
            flush=True,
        )


def prepare_env(args) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": args.redis_url,
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="fanout-")) / "db.sqlite3")
    subprocess.run(
        [PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env={**env, "REDIS_URL": ""}, check=True
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", default="driver", choices=["driver", "client", "bare-server"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--count", type=int)
    parser.add_argument("--urls")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--idle", type=int, default=0, help="also measure RSS with N idle sockets")
    parser.add_argument("--stalled", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--slow", type=int, default=0, help="compare with N of the clients not reading"
    )
    parser.add_argument("--no-storm", dest="storm", action="store_false")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--configs", default="bare,uvicorn,uvicorn-redis,daphne")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    if args.role == "bare-server":
        asyncio.run(bare_server(args.port))
        return
    if args.role == "client":
        asyncio.run(client_main(args.urls.split(","), args.count, args.bare, args.stalled))
        return

    env = prepare_env(args)
    print(
        f"# {args.clients} clients in {args.client_processes} processes, {args.events} events "
        f"at {args.rate}/s of ~{args.size} bytes, {os.cpu_count()} cores",
        flush=True,
    )
    if args.slow:
        run_slow(args, env)
        return
    rows = []
    for name in args.configs.split(","):
        row = run_config(name, args, env)
        rows.append(row)
        print(
            json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}),
            flush=True,
        )
    if args.idle:
        for name in ("bare", "uvicorn", "daphne"):
            row = run_idle(name, args, env)
            print(
                json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}),
                flush=True,
            )
    bare = next((r for r in rows if r["config"] == "bare"), None)
    if bare:
        for row in rows:
            if row is not bare:
                ratio = row["p99_ms"] / bare["p99_ms"] if bare["p99_ms"] else float("nan")
                print(f"# {row['config']}: p99 {ratio:.2f}x bare, lost {row['lost']}")


if __name__ == "__main__":
    main()
