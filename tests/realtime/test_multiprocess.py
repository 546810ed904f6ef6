"""Two ASGI worker processes behind Redis serve one hearing consistently (issue 5, item 5).

The test starts its own database (a throwaway PostgreSQL database when the suite runs on
PostgreSQL, else a SQLite file), two uvicorn workers on two ports, and publishes from a
third process (`manage.py shell`, as a gunicorn HTTP worker would in production).
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker on {port} exited: {process.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"worker on {port} did not start")


@pytest.fixture
def worker_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "REDIS_URL": settings.REDIS_URL,
        "RUANG_VAR_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    dropper = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        base = os.environ["DATABASE_URL"]
        prefix = base.rpartition("/")[0]
        name = f"rt_mp_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{prefix}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{prefix}/{name}"

        def dropper():
            with psycopg.connect(f"{prefix}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    manage(env, "migrate", "-v0")
    yield env
    if dropper:
        dropper()


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def shell(env, code: str) -> str:
    """Run code in a fresh process; returns the last line it printed."""
    lines = manage(env, "shell", "-v0", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture
def two_workers(worker_env):
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            process = subprocess.Popen(
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
                cwd=ROOT,
                env=worker_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            processes.append(process)
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


PUBLISH = (
    "from django.db import transaction; from realtime import events\n"
    "for n in range({count}):\n"
    "    with transaction.atomic():\n"
    "        events.publish('hearing:{pk}', 'attendance.updated', {{'count': n}})\n"
)


async def open_stream(port: int, path: str):
    from websockets.asyncio.client import connect

    return await connect(f"ws://127.0.0.1:{port}{path}", origin=f"http://127.0.0.1:{port}")


async def next_message(ws) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=10))


def test_an_event_published_by_another_process_reaches_sockets_on_both_workers(
    worker_env, two_workers
):
    pk = shell(
        worker_env,
        "from tests.factories import HearingFactory; print(HearingFactory().pk)",
    )
    first, second = two_workers

    async def scenario():
        a = await open_stream(first, f"/ws/hearings/{pk}/")
        b = await open_stream(second, f"/ws/hearings/{pk}/")
        try:
            assert (await next_message(a))["type"] == "snapshot"
            assert (await next_message(b))["type"] == "snapshot"
            await asyncio.to_thread(shell, worker_env, PUBLISH.format(count=3, pk=pk))
            seqs_a = [(await next_message(a))["seq"] for _ in range(3)]
            seqs_b = [(await next_message(b))["seq"] for _ in range(3)]
            assert seqs_a == seqs_b == [1, 2, 3]
        finally:
            await b.close()
        # Worker 2's socket is gone; events go on; it comes back with ?after= and catches up.
        await asyncio.to_thread(shell, worker_env, PUBLISH.format(count=2, pk=pk))
        b = await open_stream(second, f"/ws/hearings/{pk}/?after=3")
        try:
            assert [(await next_message(b))["seq"] for _ in range(2)] == [4, 5]
            assert [(await next_message(a))["seq"] for _ in range(2)] == [4, 5]
        finally:
            await a.close()
            await b.close()

    asyncio.run(scenario())
