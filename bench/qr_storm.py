"""QR-join storm (issue 20): 500 phones scan the big screen's QR code within 10 s. Each loads
the hearing room page, the static files it needs (its stylesheets and script, and the
module that script imports), opens the hearing's WebSocket and waits for the snapshot.

    python bench/qr_storm.py --database-url postgres://postgres@127.0.0.1:5432/rd_qr_storm \\
        --redis-url redis://127.0.0.1:6379/7          # the documented run (PERFORMANCE.md)
    python bench/qr_storm.py --phones 100 --seconds 5 # a quick look

Configurations, measured in one run, one after the other, on the same demo data (the
Kota Pasuruan demo with its hearing live and 40 comments made in the room):
  ceiling     nginx of the production layout serving a static copy of the room page and
              the same static files (no Django, no socket): what the machine can do at best
  production  the layout of docs/DEPLOY.md (deploy/layout.py): nginx with TLS, gunicorn,
              two uvicorn workers, PostgreSQL (--database-url, recreated) and Redis
  demo        `manage.py demo`: one Daphne process, SQLite, plain HTTP

Phones arrive evenly over --seconds, from --client-processes processes. Each phone uses one
keep-alive connection for the page and then its static files (Accept-Encoding: gzip, as a
phone sends), then opens the socket without `?after=`, so the first message is the
snapshot. Times are from the phone's scan: page (HTML complete), loaded (every static file
too), snapshot (the snapshot message received). Server CPU is the user + system time of
the serving processes (nginx and its workers, gunicorn and its workers, the two uvicorn
workers; Daphne), from the first scan to the last phone done; "load" is the machine's load
average when the storm began (other work on a shared machine shows there).
"""

import argparse
import asyncio
import contextlib
import gzip
import json
import multiprocessing
import os
import re
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402

from bench.support import create_database, drop_database  # noqa: E402
from deploy.layout import Layout, Ports, free_port, wait_for_port  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
WARM_UP = 24  # phones, one at a time, before each storm

# The demo hearing goes live and gets comments made in the room, as during a hearing.
LIVE_HEARING = """
from django.contrib.auth import get_user_model
from comments.models import Comment
from demo.hearings import HEARING_TITLE
from hearings import services
from hearings.models import Hearing
hearing = Hearing.objects.get(title=HEARING_TITLE)
official = get_user_model().objects.get(username="bappeda")
if hearing.status != Hearing.Status.LIVE:
    hearing = services.hearing_start(actor=official, hearing=hearing)
author = get_user_model().objects.get(username="pelita.anggota")
Comment.objects.bulk_create(
    Comment(
        consultation=hearing.consultation,
        hearing=hearing,
        author=author,
        organization=author.membership.organization,
        stance=["support", "oppose", "question"][n % 3],
        body=f"Masukan dari ruang sidang nomor {n}: mohon Pasal 3 memuat jadwal konsultasi.",
        status=Comment.Status.PUBLISHED,
    )
    for n in range(40)
)
print(hearing.pk)
"""


# --- one phone ---------------------------------------------------------------------------


class Connection:
    """A minimal HTTP/1.1 keep-alive client (Content-Length and chunked answers)."""

    def __init__(self, reader, writer, host: str):
        self.reader, self.writer, self.host = reader, writer, host

    async def get(self, path: str) -> tuple[int, bytes, dict]:
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept-Encoding: gzip\r\n"
            "User-Agent: qr-storm\r\nAccept: */*\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                body += await self.reader.readexactly(size + 2)
                body = body[:-2]
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return status, body, headers

    def close(self):
        self.writer.close()


async def phone(target: dict, start: float) -> dict:
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    began = time.monotonic()
    result = {"page": None, "loaded": None, "snapshot": None, "error": ""}
    context = None
    if target["tls"]:
        context = ssl.create_default_context(cafile=target["cafile"])
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", target["port"], ssl=context), 60
        )
        connection = Connection(reader, writer, target["host"])
        try:
            status, body, _ = await asyncio.wait_for(connection.get(target["page"]), 60)
            if status != 200:
                raise RuntimeError(f"page {status}")
            result["page"] = time.monotonic() - began
            for path in static_files(body.decode()):
                status, _, _ = await asyncio.wait_for(connection.get(path), 60)
                if status != 200:
                    raise RuntimeError(f"{path} {status}")
            result["loaded"] = time.monotonic() - began
        finally:
            connection.close()
        if target.get("socket"):
            async with connect(
                target["socket"], ssl=context, origin=target["origin"], open_timeout=60
            ) as websocket:
                message = json.loads(await asyncio.wait_for(websocket.recv(), 60))
                if message["type"] != "snapshot":
                    raise RuntimeError(f"first message {message['type']}")
                result["snapshot"] = time.monotonic() - began
    except Exception as exc:  # noqa: BLE001 - a failed phone is counted, not fatal
        result["error"] = f"{type(exc).__name__}: {exc}"[:200]
    return result


def static_files(page: str) -> list[str]:
    """The page's stylesheets and scripts, then what a module script imports."""
    found = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page)
    imports = [
        f"{script.rsplit('/', 1)[0]}/live.js" for script in scripts if script.endswith("room.js")
    ]
    return found + scripts + imports


def client_process(target: dict, starts: list[float], results) -> None:
    async def main():
        return await asyncio.gather(*(phone(target, start) for start in starts))

    results.put(asyncio.run(main()))


# --- one storm ---------------------------------------------------------------------------


def process_group_cpu(groups: list[int]) -> float:
    """User + system seconds of every process in these process groups (from /proc)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def warm_up(target: dict) -> None:
    """A few phones one after the other before the storm: every worker process has served
    a page and a socket (a real server has been up for a while; a fresh worker's first
    request loads the URLs, templates and connection pool)."""

    async def main():
        for _ in range(WARM_UP):
            await phone(target, 0)

    asyncio.run(main())


def storm(name: str, target: dict, groups: dict[str, list[int]], args) -> dict:
    """`groups`: the server's parts (name: process groups), for the CPU of each."""
    warm_up(target)
    first = time.monotonic() + 2
    starts = [first + n * args.seconds / args.phones for n in range(args.phones)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [
        context.Process(
            target=client_process, args=(target, starts[k :: args.client_processes], results)
        )
        for k in range(args.client_processes)
    ]
    cpu_before = {part: process_group_cpu(pids) for part, pids in groups.items()}
    load = os.getloadavg()[0]
    for process in processes:
        process.start()
    phones = [phone for _ in processes for phone in results.get(timeout=600)]
    elapsed = time.monotonic() - first
    cpu = {part: process_group_cpu(pids) - cpu_before[part] for part, pids in groups.items()}
    for process in processes:
        process.join()
    errors = [p["error"] for p in phones if p["error"]]
    row = {"name": name, "phones": len(phones), "failed": len(errors), "cpu": cpu}
    row["window"], row["load"] = elapsed, load
    for metric in ("page", "loaded", "snapshot"):
        values = [p[metric] for p in phones if p[metric] is not None]
        row[metric] = [percentile(values, q) for q in (0.5, 0.95, 0.99)] if values else None
    if errors:
        row["errors"] = sorted(set(errors))[:5]
    return row


# --- the configurations ------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode:
        # The command's own words, not only its exit status: the bench is run by hand.
        sys.exit(f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stderr[-4000:]}")
    return done.stdout


def production_and_ceiling(args, workdir: Path) -> list[dict]:
    create_database(args.database_url)
    layout = Layout(
        workdir / "production",
        database_url=args.database_url,
        redis_url=args.redis_url,
        ports=Ports.free(),
    )
    try:
        with layout:
            manage(layout.env, "load_demo")
            hearing = int(manage(layout.env, "shell", "-c", LIVE_HEARING).strip().splitlines()[-1])
            page = f"/hearings/{hearing}/"
            room = layout.request("GET", page)
            copy = workdir / "production" / "static" / "qr-ceiling" / "room.html"
            copy.parent.mkdir(parents=True)
            copy.write_bytes(room.body)
            common = {"tls": True, "cafile": str(layout.certificate), "port": layout.ports.https}
            common["host"] = layout.host
            groups = {"nginx": [layout.processes["nginx"].pid]}
            groups["gunicorn"] = [layout.processes["ruang-web"].pid]
            groups["uvicorn"] = [layout.processes[f"ruang-ws@{p}"].pid for p in layout.ports.ws]
            rows = [
                storm("ceiling", {**common, "page": "/static/qr-ceiling/room.html"}, groups, args)
            ]
            time.sleep(5)
            target = {
                **common,
                "page": page,
                "socket": f"wss://{layout.host}/ws/hearings/{hearing}/",
                "origin": layout.url,
            }
            rows.append(storm("production", target, groups, args))
            return rows
    finally:
        drop_database(args.database_url)


def demo(args, workdir: Path) -> dict:
    env = {
        **os.environ,
        "RUANG_VAR_DIR": str(workdir / "demo"),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    manage(env, "demo", "--no-serve")
    hearing = int(manage(env, "shell", "-c", LIVE_HEARING).strip().splitlines()[-1])
    port = free_port()
    log = (workdir / "demo.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, server, timeout=180)
        time.sleep(2)
        target = {
            "tls": False,
            "port": port,
            "host": f"127.0.0.1:{port}",
            "page": f"/hearings/{hearing}/",
            "socket": f"ws://127.0.0.1:{port}/ws/hearings/{hearing}/",
            "origin": f"http://127.0.0.1:{port}",
        }
        return storm("demo", target, {"daphne": [server.pid]}, args)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        server.wait(timeout=30)


def table(rows: list[dict]) -> str:
    def cpu(parts: dict) -> str:
        detail = ", ".join(f"{part} {seconds:.1f}" for part, seconds in parts.items())
        return f"{sum(parts.values()):.1f} ({detail})" if len(parts) > 1 else f"{detail}"

    def cells(values):
        return " / ".join(f"{v:.2f}" for v in values) if values else "—"

    lines = [
        "| configuration | page p50 / p95 / p99 s | loaded p50 / p95 / p99 s "
        "| snapshot p50 / p95 / p99 s | failed | server CPU s | window s | load |",
        "| --- | --- | --- | --- | ---: | --- | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {cells(row['page'])} | {cells(row['loaded'])} | "
            f"{cells(row['snapshot'])} | {row['failed']} of {row['phones']} | "
            f"{cpu(row['cpu'])} | {row['window']:.1f} | {row['load']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--configs", default="ceiling,production,demo")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/rd_qr_storm",
        help="recreated and dropped by the script",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    configs = args.configs.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="qr-storm-") as tmp:
        workdir = Path(tmp)
        if {"ceiling", "production"} & set(configs):
            rows += [row for row in production_and_ceiling(args, workdir) if row["name"] in configs]
            print(table(rows), flush=True)
        if "demo" in configs:
            rows.append(demo(args, workdir))
    print(f"\n{args.phones} phones over {args.seconds:.0f} s, {os.cpu_count()} cores\n")
    print(table(rows))
    for row in rows:
        for error in row.get("errors", []):
            print(f"  {row['name']}: {error}")


if __name__ == "__main__":
    main()
