"""Two ASGI worker processes behind Redis serve one hearing consistently (issue 5, item 5).

The test starts its own database (a throwaway PostgreSQL database when the suite runs on
PostgreSQL, else a SQLite file), two uvicorn workers on two ports, and publishes from a
third process (`manage.py shell`, as a gunicorn HTTP worker would in production).
"""

import asyncio
import json

import pytest
from django.conf import settings

from tests.faults.processes import base_env, free_port, shell, stop, throwaway_database, uvicorn

pytestmark = pytest.mark.redis


@pytest.fixture
def worker_env(tmp_path):
    env = base_env(tmp_path, REDIS_URL=settings.REDIS_URL)
    with throwaway_database(tmp_path, env):
        yield env


@pytest.fixture
def two_workers(worker_env, tmp_path):
    ports, processes = [free_port(), free_port()], []
    try:
        for n, port in enumerate(ports):
            processes.append(uvicorn(port, worker_env, tmp_path / f"worker-{n}.log"))
        yield ports
    finally:
        for process in processes:
            stop(process)


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
