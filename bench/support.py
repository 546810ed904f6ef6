"""What the bench scripts share: a throwaway PostgreSQL database, a gunicorn server, fast seeding.

Seeding big tables goes through `INSERT … SELECT generate_series` in one statement: a
million comments take seconds, where the ORM would take minutes.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _admin_connection(url):
    import psycopg

    base, _name = url.rsplit("/", 1)
    return psycopg.connect(base + "/postgres", autocommit=True)


def create_database(url: str) -> None:
    """A new, empty database at `url` (an old one of the same name is dropped first)."""
    name = url.rsplit("/", 1)[1]
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Production mode (DJANGO_DEBUG=0) refuses to start without a key.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def server_env(url: str, **extra: str) -> dict:
    """The environment of a production-like server process on `url` (no Redis: one process)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or BENCH_SECRET_KEY,
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0", "--noinput"], check=True, cwd=ROOT, env=env
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, *, port: int | None = None, options=()) -> tuple:
    """gunicorn serving backend.wsgi (the production HTTP path); returns (process, port)."""
    command = [
        sys.executable, "-m", "gunicorn", "backend.wsgi:application",
        "--bind", "127.0.0.1:{port}", "--log-level", "warning", *options,
    ]  # fmt: skip
    return start_server(command, env, port=port)


def start_server(command: list[str], env: dict, *, port: int | None = None) -> tuple:
    """Start a server whose command line says `{port}` where its port goes, and wait until
    it listens; returns (process, port). Its output goes to a file (a pipe nobody reads
    would stall a chatty server)."""
    port = port or free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the server runs
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    log.seek(0)
    raise RuntimeError(f"{command[2]} did not start: {log.read().decode()[-2000:]}")


def stop(process) -> None:
    process.terminate()
    process.wait(timeout=30)


@contextlib.contextmanager
def bulk_load(cursor, table: str):
    """Load `table` as pg_restore does: indexes dropped and built again after the rows are in,
    foreign keys not checked row by row (the seeds are consistent by construction)."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET session_replication_role = replica")  # superuser: skips FK triggers
    try:
        yield
    finally:
        cursor.execute("RESET session_replication_role")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


def insert_comments(
    cursor,
    *,
    consultation: int,
    sections: list[int],
    items: list[int],
    authors: list[int],
    organizations: list[int],
    rows: int,
    newest_first: bool = True,
    replies: bool = False,
    responder: int | None = None,
) -> tuple[int, int]:
    """`rows` comments of one consultation in one statement; returns (first id, last id).

    Every 20th is hidden, a third point at an item, three in four speak for an
    organization, stances rotate; bodies ~100–180 characters. One second apart, ending now
    (`newest_first`: the first id is the newest, as bench/export.py always seeded).
    `replies`: every tenth comment answers the one before it. `responder`: every tenth
    comment gets a published response from that user.
    """
    cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM comments_comment")
    first = cursor.fetchone()[0]
    age = "(g - %(first)s)" if newest_first else "(%(first)s + %(rows)s - 1 - g)"
    cursor.execute(
        f"""
        INSERT INTO comments_comment
          (id, consultation_id, section_id, item_id, parent_id, author_id, organization_id,
           stance, body, status, moderation_reason, is_removed, report_count, created_at,
           author_name, organization_name, channel, external_ref)
        SELECT g, %(consultation)s,
               (%(sections)s::bigint[])[1 + g %% cardinality(%(sections)s::bigint[])],
               CASE WHEN g %% 3 = 0
                    THEN (%(items)s::bigint[])[1 + (g / 3) %% cardinality(%(items)s::bigint[])] END,
               CASE WHEN %(replies)s AND g %% 10 = 5 AND g > %(first)s THEN g - 1 END,
               (%(authors)s::bigint[])[1 + g %% cardinality(%(authors)s::bigint[])],
               CASE WHEN g %% 4 <> 0 THEN (%(organizations)s::bigint[])
                    [1 + (g / 4) %% cardinality(%(organizations)s::bigint[])] END,
               (ARRAY['support','oppose','neutral','question'])[1 + g %% 4],
               'Komentar nomor ' || g || ': mohon ketentuan ini diperjelas, '
                 || 'terutama tentang "ruang terbuka hijau", partisipasi warga; '
                 || repeat('dan pelaksanaannya ', 1 + g %% 5),
               CASE WHEN g %% 20 = 0 THEN 'hidden' ELSE 'published' END,
               '', false, 0,
               now() - ({age} || ' seconds')::interval,
               '', '', 'online', ''
        FROM generate_series(%(first)s, %(first)s + %(rows)s - 1) AS g
        """,  # noqa: S608 — only the fixed `age` expression is formatted in
        {
            "first": first,
            "rows": rows,
            "consultation": consultation,
            "sections": sections,
            "items": items,
            "authors": authors,
            "organizations": organizations,
            "replies": replies,
        },
    )
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), %s)",
        [first + rows - 1],
    )
    if responder is not None:
        cursor.execute(
            """
            INSERT INTO comments_response
              (consultation_id, comment_id, outcome, body, responder_id, published_at,
               created_at, updated_at)
            SELECT consultation_id, id, 'accepted', 'Diterima; dimasukkan ke rancangan.',
                   %s, now(), now(), now()
            FROM comments_comment
            WHERE consultation_id = %s AND id %% 10 = 0 AND id BETWEEN %s AND %s
            """,
            [responder, consultation, first, first + rows - 1],
        )
    return first, first + rows - 1


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
