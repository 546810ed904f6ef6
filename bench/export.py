"""Export benchmark: CSV of 1,000,000 comments and XLSX of 100,000 from PostgreSQL.

Compares, on the same database and the same columns:
  1. `COPY (SELECT …) TO STDOUT WITH CSV` read straight from psycopg (the ceiling);
  2. optionally (--orm) the plain ORM loop: `.values_list().iterator()` + `csv.writer`;
  3. GET /api/v1/consultations/{id}/export.csv through gunicorn (the production
     configuration, WSGI), filters and visibility rules applied, body hashed by the
     client and checked against the `.sha256` sidecar;
  4. GET …/export.xlsx of 100,000 comments.
It samples the gunicorn worker's RSS while each download runs and reports the peak.

Heavy: run it alone, once. It creates a dedicated database and drops it afterwards.

    /work/venv/bin/python bench/export.py                  # 1,000,000 + 100,000 rows
    /work/venv/bin/python bench/export.py --rows 100000 --xlsx-rows 20000   # a quick look
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_export (default)
"""

import argparse
import hashlib
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import support  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rd_bench_export"
PORT = 8765


def seed(rows: int, xlsx_rows: int) -> dict:
    """Small objects through the ORM, the comments with INSERT … SELECT generate_series."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone
    from knox.models import AuthToken

    from accounts.models import Agency, Organization
    from consultations.models import Consultation, DraftVersion, Item, Section

    agency = Agency.objects.create(name="Badan Perencanaan Pembangunan Daerah", acronym="Bappeda")
    planner = User.objects.create_user("planner", first_name="Pak Budi")
    planner.groups.add(Group.objects.get_or_create(name="planners")[0])
    token = AuthToken.objects.create(user=planner)[1]
    authors = [User.objects.create_user(f"warga{n}", first_name=f"Warga {n}") for n in range(50)]
    organizations = [
        Organization.objects.create(
            name=f"LSM Bench {n}",
            acronym=f"B{n}",
            registration_number=f"SKT-BENCH-{n}",
            status="verified",
        )
        for n in range(50)
    ]
    consultations = []
    for title, count in (("Bench CSV", rows), ("Bench XLSX", xlsx_rows)):
        consultation = Consultation.objects.create(
            title=title, agency=agency, status="open", opens_at=timezone.now()
        )
        version = DraftVersion.objects.create(
            consultation=consultation, number=1, published_at=timezone.now()
        )
        sections = [
            Section.objects.create(
                consultation=consultation,
                version=version,
                position=n,
                number=f"Pasal {n}",
                heading=f"Ketentuan {n}",
                body="Isi pasal.",
            )
            for n in range(1, 11)
        ]
        items = [
            Item.objects.create(consultation=consultation, position=n, title=f"Program {n}")
            for n in range(1, 4)
        ]
        with connection.cursor() as cursor:
            support.insert_comments(
                cursor,
                consultation=consultation.pk,
                sections=[section.pk for section in sections],
                items=[item.pk for item in items],
                authors=[author.pk for author in authors],
                organizations=[organization.pk for organization in organizations],
                rows=count,
                responder=planner.pk,
            )
            cursor.execute("ANALYZE")
        consultations.append(consultation.pk)
    return {"token": token, "csv": consultations[0], "xlsx": consultations[1]}


COPY_SQL = """
COPY (
  SELECT c.id, date_trunc('second', c.created_at AT TIME ZONE 'Asia/Jakarta'),
         s.number, s.heading, i.title, c.stance, o.name,
         COALESCE(NULLIF(u.first_name, ''), u.username), c.status, c.body,
         r.outcome, r.body
  FROM comments_comment c
  JOIN auth_user u ON u.id = c.author_id
  LEFT JOIN consultations_section s ON s.id = c.section_id
  LEFT JOIN consultations_item i ON i.id = c.item_id
  LEFT JOIN accounts_organization o ON o.id = c.organization_id
  LEFT JOIN comments_response r ON r.comment_id = c.id
  WHERE c.consultation_id = %s AND c.status = 'published' AND NOT c.is_removed
  ORDER BY c.created_at, c.id
) TO STDOUT WITH (FORMAT csv)
"""


def bench_copy(url, consultation_id) -> tuple[int, float]:
    import psycopg

    started = time.perf_counter()
    rows = 0
    with (
        psycopg.connect(url) as conn,
        conn.cursor() as cursor,
        cursor.copy(COPY_SQL, [consultation_id]) as copy,
    ):
        for _data in copy:
            rows += 1
    return rows, time.perf_counter() - started


def bench_orm(consultation_id) -> tuple[int, float]:
    import csv
    import io

    from comments.models import Comment

    started = time.perf_counter()
    out = io.StringIO()
    writer = csv.writer(out)
    rows = 0
    qs = Comment.objects.filter(
        consultation_id=consultation_id, status="published", is_removed=False
    ).values_list(
        "id",
        "created_at",
        "section__number",
        "section__heading",
        "item__title",
        "stance",
        "organization__name",
        "author__first_name",
        "status",
        "body",
        "response__outcome",
        "response__body",
    )
    for row in qs.order_by("created_at", "id").iterator(chunk_size=5000):
        writer.writerow(row)
        rows += 1
        if out.tell() > 1 << 20:
            out.seek(0)
            out.truncate()
    return rows, time.perf_counter() - started


def worker_pid(master_pid) -> int:
    for _ in range(100):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True
        ).stdout.split()
        if out:
            return int(out[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def rss_kb(pid, field="VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kb(self.pid))
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def download(path, token) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    digest = hashlib.sha256()
    size = 0
    first_byte = None
    while chunk := response.read(1 << 16):
        if first_byte is None:
            first_byte = time.perf_counter() - started
        digest.update(chunk)
        size += len(chunk)
    elapsed = time.perf_counter() - started
    headers = dict(response.getheaders())
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return {
        "seconds": elapsed,
        "first_byte": first_byte or elapsed,
        "bytes": size,
        "sha256": digest.hexdigest(),
        "headers": headers,
    }


def sidecar(path, token) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", path, headers={"Authorization": f"Token {token}"})
    body = conn.getresponse().read().decode()
    conn.close()
    return body.split()[0] if body else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--orm", action="store_true", help="also time the plain ORM loop")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = support.server_env(url)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "backend.settings"})

    print(f"database {url.rsplit('/', 1)[1]}: {args.rows:,} + {args.xlsx_rows:,} comments")
    support.create_database(url)
    server = None
    try:
        support.migrate(env)
        started = time.perf_counter()
        ids = seed(args.rows, args.xlsx_rows)
        print(f"seeded in {time.perf_counter() - started:.1f} s")

        bench_copy(url, ids["csv"])  # warm the cache
        rows, seconds = bench_copy(url, ids["csv"])
        copy_rate = rows / seconds
        print(f"COPY direct      : {rows:,} rows in {seconds:.2f} s = {copy_rate:,.0f} rows/s")
        if args.orm:
            orm_rows, orm_seconds = bench_orm(ids["csv"])
            print(
                f"ORM + csv.writer : {orm_rows:,} rows in {orm_seconds:.2f} s = "
                f"{orm_rows / orm_seconds:,.0f} rows/s ({orm_rows / orm_seconds / copy_rate:.0%})"
            )

        server, _port = support.start_gunicorn(
            env, port=PORT, options=["--workers", "1", "--timeout", "600"]
        )
        worker = worker_pid(server.pid)
        time.sleep(2)
        idle = rss_kb(worker)
        base = f"/api/v1/consultations/{ids['csv']}/export.csv"
        download(base + "?stance=question", ids["token"])  # warm up imports and the pool

        sampler = RssSampler(worker)
        sampler.start()
        result = download(base, ids["token"])
        peak = sampler.stop()
        exported = int(result["headers"]["X-Export-Comments"])
        rate = exported / result["seconds"]
        check = sidecar(f"{base}.sha256?export={result['headers']['X-Export-Id']}", ids["token"])
        print(
            f"HTTP export.csv : {exported:,} rows, {result['bytes'] / 1e6:.1f} MB in "
            f"{result['seconds']:.2f} s = {rate:,.0f} rows/s ({rate / copy_rate:.0%} of COPY), "
            f"first byte {result['first_byte'] * 1000:.0f} ms, "
            f"sha256 sidecar {'matches' if check == result['sha256'] else 'DIFFERS'}"
        )
        print(f"  worker RSS idle {idle / 1024:.0f} MB, peak during export {peak / 1024:.0f} MB")

        sampler = RssSampler(worker)
        sampler.start()
        result = download(f"/api/v1/consultations/{ids['xlsx']}/export.xlsx", ids["token"])
        peak = sampler.stop()
        exported = int(result["headers"]["X-Export-Comments"])
        matches = result["headers"].get("X-Export-SHA256") == result["sha256"]
        print(
            f"HTTP export.xlsx: {exported:,} rows, {result['bytes'] / 1e6:.1f} MB in "
            f"{result['seconds']:.2f} s, worker RSS peak {peak / 1024:.0f} MB, "
            f"X-Export-SHA256 {'matches' if matches else 'DIFFERS'}"
        )
    finally:
        if server is not None:
            support.stop(server)
        if args.keep:
            print("kept the database")
        else:
            from django.db import connections

            connections.close_all()
            support.drop_database(url)
            print("dropped the database")


if __name__ == "__main__":
    main()
