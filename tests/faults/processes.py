"""Real processes on 127.0.0.1 for fault, ops and multi-worker tests: a throwaway database,
workers (gunicorn for HTTP, uvicorn for ASGI), `manage.py` commands and shells, and a
private redis-server. The one place tests start, wait for and stop processes: everything
is bounded in time and killed by pid (its whole process group) at the end."""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def origin_of(url: str) -> str:
    """The Origin a browser on that server's pages sends (scheme, host and port: the
    WebSocket origin check compares all three)."""
    parts = urllib.parse.urlsplit(url)
    return f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}"


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port} after {timeout}s")


def manage(env: dict, *args: str, timeout: float = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {args}: {result.stderr[-2000:]}")
    return result.stdout


def shell(env: dict, code: str) -> str:
    """Run code in a fresh `manage.py shell`; returns the last line it printed."""
    lines = manage(env, "shell", "-v0", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


def shell_process(env: dict, code: str, log: Path) -> subprocess.Popen:
    """A `manage.py shell` that stays up, running code that talks over stdin and stdout
    (text); its stderr goes to log. Stop it with stop()."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("ab"),
        text=True,
        start_new_session=True,
    )


@contextlib.contextmanager
def postgres_database():
    """An empty PostgreSQL database beside the suite's (DATABASE_URL); yields its URL and
    drops it at the end, whoever is still connected."""
    import psycopg

    prefix = os.environ["DATABASE_URL"].rpartition("/")[0]
    name = f"rel_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{prefix}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{prefix}/{name}"
    finally:
        with psycopg.connect(f"{prefix}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_database(tmp_path: Path, env: dict):
    """A migrated database of its own: PostgreSQL when the suite runs on it, else SQLite."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        with postgres_database() as url:
            env["DATABASE_URL"] = url
            manage(env, "migrate", "-v0")
            yield env
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
        manage(env, "migrate", "-v0")
        yield env


SERVER_SECRET_KEY = secrets.token_urlsafe(50)


def base_env(tmp_path: Path, **extra) -> dict:
    return {
        **os.environ,
        # Servers run with DJANGO_DEBUG=0 (production) need a key of their own.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or SERVER_SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "RUANG_VAR_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 10):
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)


def gunicorn(port: int, env: dict, log: Path, *, threads: int = 1) -> subprocess.Popen:
    """One WSGI worker as deployed (docs/DEPLOY.md); `threads` > 1: gunicorn's gthread
    worker, as in production."""
    process = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "backend.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            str(threads),
            "--timeout",
            "30",
        ],
        env,
        log,
    )
    wait_for_port(port, process)
    return process


def uvicorn(
    port: int, env: dict, log: Path, *, factory: str = "", options: tuple = ()
) -> subprocess.Popen:
    """One ASGI worker as deployed (docs/DEPLOY.md), without its access log; `factory`:
    a `module:function` that returns the application instead of backend.asgi's."""
    app = ["--factory", factory] if factory else ["backend.asgi:application"]
    process = start(
        [sys.executable, "-m", "uvicorn", *app, "--host", "127.0.0.1", "--port", str(port)]
        + ["--no-access-log", *options],
        env,
        log,
    )
    wait_for_port(port, process)
    return process


def application_with_socket_buffer():
    """`uvicorn --factory`: the real application with the relay's per-socket bound
    (realtime.relay.SOCKET_BUFFER, 500 frames) set from FAULT_SOCKET_BUFFER, so that a
    fault test can reach it with fewer events; the code path is the same."""
    from backend.asgi import application
    from realtime import relay

    relay.SOCKET_BUFFER = int(os.environ["FAULT_SOCKET_BUFFER"])
    return application


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    return binary


def private_redis(port: int, tmp_path: Path) -> subprocess.Popen:
    """Our own redis-server (never the machine's shared one): no persistence, one port."""
    process = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=(tmp_path / f"redis-{port}.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(port, process, timeout=10)
    return process


def http(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    """One API call with a token: (status, JSON body; {} for an error)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


VOTE_CHOICES = ("for", "against", "abstain")


class HearingWrites:
    """A live hearing's write traffic for the fault and deploy tests: comments by the
    members and votes by the representatives, keeping what the server acknowledged, so a
    test can check afterwards that none of it was lost. Subclasses say how a call is made
    (`call`: one attempt, or retried as a client would)."""

    occasion = "dari forum"

    def __init__(self, hearing: dict):
        self.h = hearing
        self.statuses: list[int] = []
        self.comments: dict[int, str] = {}  # acknowledged: id -> body
        self.votes: list[tuple[int, int, str, str]] = []  # (organization, item, choice, receipt)
        self.item = hearing["items"][0]

    async def call(self, method: str, path: str, token: str, body: dict | None = None):
        raise NotImplementedError

    async def comment(self, n: int):
        body = f"Usulan nomor {n} {self.occasion}: mohon pasal ini diperjelas."
        members = self.h["members"]
        status, answer = await self.call(
            "POST",
            "comments/",
            members[n // 2 % len(members)],
            {
                "consultation": self.h["consultation"],
                "hearing": self.h["hearing"],
                "stance": "support",
                "body": body,
            },
        )
        if status == 201:
            self.comments[answer["id"]] = body

    async def vote(self, n: int):
        """The n-th representative's organization moves to the next choice on the item."""
        representatives = self.h["representatives"]
        organization, token = representatives[n // 2 % len(representatives)]
        previous = [v[2] for v in self.votes if v[:2] == (organization, self.item)]
        choice = VOTE_CHOICES[(VOTE_CHOICES.index(previous[-1]) + 1) % 3] if previous else "for"
        status, answer = await self.call(
            "PUT", f"items/{self.item}/vote/", token, {"choice": choice}
        )
        if status == 200:
            self.votes.append((organization, self.item, choice, answer["receipt"]))
