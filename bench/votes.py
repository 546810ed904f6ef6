#!/usr/bin/env python3
"""Votes per second through the real HTTP API, beside two baselines (issue 4, docs/PERFORMANCE.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_voting_bench \
        python bench/votes.py --seconds 20 --daphne

Builds a fresh PostgreSQL database, seeds one organization + representative +
API token per client, and measures with the same concurrency (16 clients):

  full   PUT /api/v1/items/{id}/vote/ — token auth, permission checks, ballot lock,
         audit chain, tally, `tally.updated` event: the production path
  (a)    a minimal Django view on the same server: token lookup, upsert, tally +1
  (c)    the ORM floor: the statements the vote's rules need, each as its cheapest ORM
         call, with none of the vote's Python (bench/urls.py `floor_vote`)
  (b)    raw psycopg INSERT … ON CONFLICT DO UPDATE + tally update (and the upsert alone)

Servers: gunicorn (WSGI, sync workers — the production HTTP path,
ARCHITECTURE.md §6) and, with --daphne, the one-process Daphne demo. Each
client votes on a random item of a 40-item consultation with a random choice, so
the mix is casts and changes. Then a paced run at half the maximum rate gives the
latency, and `check_tallies` / `verify_votes` must find no drift.
"""

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import support  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/rd_voting_bench"
ITEMS = 40
CHOICES = ("for", "against", "abstain")


# --- Setup -----------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return (result.stdout + result.stderr).strip() + f" (exit {result.returncode})"


def seed(clients: int) -> dict:
    """Organizations, representatives, tokens and three consultations; returns their ids."""
    import django

    django.setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import timezone
    from knox.models import AuthToken

    from accounts.models import Membership, Organization
    from consultations.models import Consultation, Item
    from voting.models import Tally, VoteChain

    User = get_user_model()
    now = timezone.now()
    consultations = {}
    for label in ("full", "minimal", "floor", "raw"):
        consultation = Consultation.objects.create(
            title=f"Bench {label}",
            status=Consultation.Status.OPEN,
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30),
            published_at=now,
        )
        items = Item.objects.bulk_create(
            [Item(consultation=consultation, title=f"Item {n}", position=n) for n in range(ITEMS)]
        )
        if label != "full":  # the baselines only increment existing rows
            Tally.objects.bulk_create([Tally(item=item) for item in items])
        if label == "floor":
            VoteChain.objects.create(consultation=consultation)
        consultations[label] = {"id": consultation.pk, "items": [item.pk for item in items]}
    tokens = []
    for n in range(clients):
        organization = Organization.objects.create(
            name=f"LSM Bench {n}",
            registration_number=f"SKT-BENCH-{n}",
            registration_expires_on=timezone.localdate() + datetime.timedelta(days=900),
            status=Organization.Status.VERIFIED,
            verified_at=now,
        )
        user = User.objects.create_user(username=f"bench{n}", password=None)
        Membership.objects.create(
            user=user, organization=organization, role=Membership.Role.REPRESENTATIVE
        )
        tokens.append((AuthToken.objects.create(user=user)[1], organization.pk, user.pk))
    connections.close_all()
    return {"consultations": consultations, "tokens": tokens}


def start(kind: str, env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    if kind == "gunicorn":
        return support.start_gunicorn(env, options=("-w", str(workers)))
    command = [
        sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}",
        "backend.asgi:application",
    ]  # fmt: skip
    return support.start_server(command, env)


# --- Load ------------------------------------------------------------------------------


class Client:
    """One HTTP/1.1 client; reconnects whenever the server closes (gunicorn sync does)."""

    def __init__(self, port: int, token: str):
        self.port, self.token, self.conn = port, token, None

    def put(self, path: str, body: dict) -> int:
        payload = json.dumps(body)
        headers = {
            "Authorization": f"Token {self.token}",
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
        }
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("PUT", path, payload, headers)
                response = self.conn.getresponse()
                response.read()
                if response.will_close:
                    self.conn.close()
                    self.conn = None
                return response.status
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        return 0


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a server process and its workers."""
    return _cpu(lambda process, parent, name: pid in (process, parent))


def database_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL process on the machine (its backends
    serve only this benchmark while it runs)."""
    return _cpu(lambda process, parent, name: name == "postgres")


def _cpu(wanted) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = stat.read_text().rpartition(")")
        except OSError:
            continue
        fields = tail.split()
        name = head.partition("(")[2]
        if wanted(int(stat.parent.name), int(fields[1]), name):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_load(port, tokens, path_for, seconds, rate=None, server_pid=None):
    """Closed loop (rate None) or paced at `rate` req/s in total; returns the figures."""
    clients = len(tokens)
    latencies: list[list[float]] = [[] for _ in tokens]
    statuses: list[dict] = [{} for _ in tokens]
    stop = time.monotonic() + seconds
    start_barrier = threading.Barrier(clients)

    def worker(index, token):
        rng = random.Random(index)
        client = Client(port, token)
        start_barrier.wait()
        interval = clients / rate if rate else 0
        next_at = time.monotonic() + rng.random() * interval
        while True:
            if rate:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            begun = next_at if rate else time.monotonic()  # paced: count queueing too
            if time.monotonic() >= stop:
                break
            status = client.put(path_for(rng), {"choice": rng.choice(CHOICES)})
            latencies[index].append(time.monotonic() - begun)
            statuses[index][status] = statuses[index].get(status, 0) + 1
            next_at += interval

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tokens)]
    cpu_before = server_cpu(server_pid) if server_pid else 0.0
    database_before = database_cpu()
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cpu = server_cpu(server_pid) - cpu_before if server_pid else 0.0
    database = database_cpu() - database_before
    codes: dict = {}
    for per in statuses:
        for code, n in per.items():
            codes[code] = codes.get(code, 0) + n
    return summarize(
        [x for per in latencies for x in per],
        codes,
        elapsed,
        cpu if server_pid else None,
        database,
    )


def summarize(
    latencies: list[float], codes: dict, elapsed: float, cpu: float | None, database: float
) -> dict:
    merged = sorted(latencies)
    ok = codes.get(200, 0)
    return {
        "database_cpu_s": database,
        "database_ms_per_request": 1000 * database / ok if ok else None,
        "rate": ok / elapsed,
        "requests": len(merged),
        "statuses": codes,
        "elapsed": elapsed,
        "server_cpu_s": cpu,
        "cpu_ms_per_request": 1000 * cpu / ok if cpu is not None and ok else None,
        "latencies": merged,
        "p50_ms": 1000 * statistics.median(merged) if merged else None,
        "p95_ms": 1000 * merged[int(0.95 * (len(merged) - 1))] if merged else None,
        "p99_ms": 1000 * merged[int(0.99 * (len(merged) - 1))] if merged else None,
    }


def interleaved(port, tokens, paths, seconds, rounds, server_pid) -> list[dict]:
    """Alternate the paths in `rounds` short runs and add them up, so a change in the
    machine's load during the run (other processes) weighs on every path alike."""
    parts: list[list[dict]] = [[] for _ in paths]
    for _ in range(rounds):
        for index, path_for in enumerate(paths):
            parts[index].append(
                run_load(port, tokens, path_for, seconds / rounds, server_pid=server_pid)
            )
    results = []
    for runs in parts:
        codes: dict = {}
        for run in runs:
            for code, n in run["statuses"].items():
                codes[code] = codes.get(code, 0) + n
        cpu = sum(run["server_cpu_s"] or 0.0 for run in runs)
        database = sum(run["database_cpu_s"] for run in runs)
        latencies = [x for run in runs for x in run["latencies"]]
        elapsed = sum(run["elapsed"] for run in runs)
        results.append(summarize(latencies, codes, elapsed, cpu, database))
    return results


def run_raw(url, seed_data, seconds, clients, with_tally=True):
    """Baseline (b): the same upsert (+ tally update) straight through psycopg."""
    import psycopg

    items = seed_data["consultations"]["raw"]["items"]
    tokens = seed_data["tokens"][:clients]
    counts = [0] * clients
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(clients)
    columns = {"for": "for_count", "against": "against_count", "abstain": "abstain_count"}

    def worker(index):
        rng = random.Random(index)
        _key, organization_id, user_id = tokens[index]
        with psycopg.connect(url) as conn:
            barrier.wait()
            while time.monotonic() < stop:
                item = rng.choice(items)
                choice = rng.choice(CHOICES)
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO voting_vote (organization_id, item_id, choice, cast_by_id,"
                        " cast_at, updated_at, receipt) VALUES (%s, %s, %s, %s, now(), now(), '')"
                        " ON CONFLICT (organization_id, item_id) DO UPDATE"
                        " SET choice = EXCLUDED.choice, updated_at = EXCLUDED.updated_at",
                        (organization_id, item, choice, user_id),
                    )
                    if with_tally:
                        column = columns[choice]
                        conn.execute(
                            f"UPDATE voting_tally SET {column} = {column} + 1 WHERE item_id = %s",  # noqa: S608
                            (item,),
                        )
                counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rate": sum(counts) / (time.monotonic() - began)}


# --- Main ------------------------------------------------------------------------------


def load() -> str:
    """The machine's load average (1, 5, 15 min): the benchmark shares it with whatever runs."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def fmt(result: dict) -> str:
    parts = [f"{result['rate']:7.1f}/s"]
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        if result.get(key) is not None:
            parts.append(f"{key[:3]} {result[key]:6.1f} ms")
    if result.get("cpu_ms_per_request") is not None:
        parts.append(f"server CPU {result['cpu_ms_per_request']:.2f} ms/vote")
    if result.get("database_ms_per_request") is not None:
        parts.append(f"PostgreSQL CPU {result['database_ms_per_request']:.2f} ms/vote")
    if "statuses" in result:
        parts.append(f"status {result['statuses']}")
    return "  ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--daphne", action="store_true", help="also measure the Daphne demo")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of full and (a)")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("bench/votes.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)  # one process per server: the in-memory channel layer
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})

    print(f"interpreter: {platform.python_implementation()} {platform.python_version()} "
          f"({sys.executable}); cores: {os.cpu_count()}; clients: {args.clients}; "
          f"load average {load()}")  # fmt: skip
    support.create_database(url)
    print("migrate:", manage(env, "migrate", "--noinput").splitlines()[-1])
    data = seed(args.clients)
    tokens = [token for token, _org, _user in data["tokens"]]
    full = data["consultations"]["full"]
    minimal = data["consultations"]["minimal"]
    floor = data["consultations"]["floor"]
    figures: dict = {"clients": args.clients, "seconds": args.seconds}

    def full_path(rng):
        return f"/api/v1/items/{rng.choice(full['items'])}/vote/"

    def minimal_path(rng):
        return f"/bench/minimal-vote/{rng.choice(minimal['items'])}/"

    def floor_path(rng):
        return f"/bench/floor-vote/{rng.choice(floor['items'])}/"

    servers = [("gunicorn", args.workers)] + ([("daphne", 1)] if args.daphne else [])
    for kind, workers in servers:
        process, port = start(kind, env, workers)
        try:
            run_load(port, tokens, full_path, 1.0)  # warm up both paths
            run_load(port, tokens, minimal_path, 1.0)
            run_load(port, tokens, floor_path, 1.0)
            result_full, result_minimal, result_floor = interleaved(
                port, tokens, [full_path, minimal_path, floor_path], args.seconds, args.rounds,
                process.pid,
            )  # fmt: skip
            half = run_load(
                port, tokens, full_path, args.seconds, rate=result_full["rate"] / 2,
                server_pid=process.pid,
            )  # fmt: skip
        finally:
            process.terminate()
            process.wait(timeout=20)
        label = f"{kind} ({workers} worker{'s' if workers > 1 else ''})"
        figures[kind] = {
            "full": result_full,
            "minimal": result_minimal,
            "floor": result_floor,
            "half_rate": half,
        }
        print(f"\n{label}")
        print(f"  full API           {fmt(result_full)}")
        print(f"  (a) minimal view   {fmt(result_minimal)}")
        print(f"  (c) ORM floor      {fmt(result_floor)}")
        print(f"  full at half rate  {fmt(half)}  (target {result_full['rate'] / 2:.0f}/s)")
        print(f"  full / (a)         {100 * result_full['rate'] / result_minimal['rate']:.0f} %")
        print(f"  (c) / (a)          {100 * result_floor['rate'] / result_minimal['rate']:.0f} %")
        for result in (result_full, result_minimal, result_floor, half):
            result.pop("latencies")

    raw = run_raw(url, data, args.seconds, args.clients)
    upsert = run_raw(url, data, args.seconds, args.clients, with_tally=False)
    figures["raw"] = {"upsert_and_tally": raw, "upsert_only": upsert}
    print(
        f"\n(b) raw psycopg upsert + tally {raw['rate']:7.1f}/s;"
        f" upsert alone {upsert['rate']:7.1f}/s"
    )

    print(f"load average at the end: {load()}")
    figures["load_average"] = os.getloadavg()
    checks = {
        "check_tallies": manage(env, "check_tallies", "--consultation", str(full["id"])),
        "verify_votes": manage(env, "verify_votes", "--consultation", str(full["id"])),
    }
    figures["checks"] = checks
    for name, output in checks.items():
        print(f"{name}: {output.splitlines()[-1]}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    return 0 if all(out.endswith("(exit 0)") for out in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
