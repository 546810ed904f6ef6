"""Scale of reads (issue 7): the comment list and the consultation page over 1,000,000 comments.

Seeds PostgreSQL with 1,000,000 comments (90 % in one consultation, 10 % in another, every
tenth a reply, every tenth answered, every twentieth hidden), 5,000 verified organizations
with a representative each, and 100,000 votes (5,000 organizations × 20 items) with their
tallies; then, through gunicorn (the production HTTP path, docs/DEPLOY.md), times:

  GET /api/v1/comments/?<filter>            page 1 and a page deep in the cursor (the page
                                            after 90 % of the matching rows; the cursor is
                                            built the way DRF encodes it, and the page's
                                            first comment is checked against the database)
  GET /api/v1/consultations/{id}/           the consultation in the API
  GET /konsultasi/{id}/                     the consultation page (sections with comment
                                            counts, items with tallies and own votes)

as anonymous, a member, a moderator (API tokens) and a representative (session, for the
page). One client, one request at a time, page 1 and the
deep page alternating so both see the same machine load. It also counts the SQL queries of
every request in-process (Django test client, same database): they must not depend on the
page or the number of rows.

    /work/venv/bin/python bench/api.py                    # the full size (run it alone)
    /work/venv/bin/python bench/api.py --comments 50000   # development
    --keep keeps the database, --reuse measures a kept one again, --explain prints the plans.
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_api (default)
"""

import argparse
import base64
import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import support  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rd_bench_api"
SECTIONS = 10
ITEMS = 20
GUNICORN = ["--workers", "3", "--threads", "4", "--timeout", "60"]  # docs/DEPLOY.md


# --- Seeding ---------------------------------------------------------------------------------


def seed(comments: int, organizations: int) -> None:
    """Small objects through the ORM (bulk), comments and votes in SQL."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Agency, Membership, Organization
    from consultations.models import Consultation, DraftVersion, Item, Section

    now = timezone.now()
    agency = Agency.objects.create(name="Badan Perencanaan Pembangunan Daerah", acronym="Bappeda")
    moderator = User.objects.create_user("moderator", first_name="Bu Sari")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    planner = User.objects.create_user("planner", first_name="Pak Budi")
    planner.groups.add(Group.objects.get_or_create(name="planners")[0])
    expires = timezone.localdate() + datetime.timedelta(days=900)
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Lembaga Swadaya {n}",
            acronym=f"LS{n}",
            registration_number=f"SKT-{n:05d}",
            registration_expires_on=expires,
            status=Organization.Status.VERIFIED,
            verified_at=now,
        )
        for n in range(organizations)
    )
    users = User.objects.bulk_create(
        User(username=f"wakil{n}", first_name=f"Wakil {n}", password=make_password(None))
        for n in range(organizations)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organization=org, role=Membership.Role.REPRESENTATIVE)
        for user, org in zip(users, orgs, strict=True)
    )
    member = User.objects.create_user("anggota", first_name="Anggota")
    Membership.objects.create(user=member, organization=orgs[0], role=Membership.Role.MEMBER)

    shares = []
    for title, share in (("Ranperda RTRW (bench)", 0.9), ("Ranperwal Parkir (bench)", 0.1)):
        consultation = Consultation.objects.create(
            title=title,
            summary="Rancangan untuk uji beban.",
            agency=agency,
            status=Consultation.Status.OPEN,
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now + datetime.timedelta(days=30),
            published_at=now - datetime.timedelta(days=30),
        )
        version = DraftVersion.objects.create(
            consultation=consultation, number=1, published_at=now - datetime.timedelta(days=30)
        )
        Section.objects.bulk_create(
            Section(
                consultation=consultation,
                version=version,
                position=n,
                number=f"Pasal {n}",
                heading=f"Ketentuan {n}",
                body="Isi pasal. " * 40,
            )
            for n in range(1, SECTIONS + 1)
        )
        Item.objects.bulk_create(
            Item(consultation=consultation, position=n, title=f"Program {n}", code=f"1.{n:02d}")
            for n in range(1, ITEMS + 1)
        )
        shares.append((consultation, share))
    main = shares[0][0]
    with connection.cursor() as cursor, support.bulk_load(cursor, "comments_comment"):
        for consultation, share in shares:
            support.insert_comments(
                cursor,
                consultation=consultation.pk,
                sections=list(consultation.sections.values_list("pk", flat=True)),
                items=list(consultation.items.values_list("pk", flat=True)),
                authors=[u.pk for u in users],
                organizations=[o.pk for o in orgs],
                rows=round(comments * share),
                newest_first=False,
                replies=True,
                responder=planner.pk,
            )
    with connection.cursor() as cursor:
        # Every organization votes on every item of the main consultation; tallies to match.
        cursor.execute(
            """
            INSERT INTO voting_vote
              (organization_id, item_id, choice, cast_by_id, cast_at, updated_at, receipt)
            SELECT m.organization_id, i.id,
                   (ARRAY['for','against','abstain'])[1 + (m.organization_id + i.id) %% 3],
                   m.user_id, now(), now(), ''
            FROM accounts_membership m CROSS JOIN consultations_item i
            WHERE m.role = 'representative' AND i.consultation_id = %s
            """,
            [main.pk],
        )
        cursor.execute(
            """
            INSERT INTO voting_tally
              (item_id, for_count, against_count, abstain_count, approve_count, updated_at)
            SELECT i.id,
                   count(*) FILTER (WHERE v.choice = 'for'),
                   count(*) FILTER (WHERE v.choice = 'against'),
                   count(*) FILTER (WHERE v.choice = 'abstain'), 0, now()
            FROM consultations_item i LEFT JOIN voting_vote v ON v.item_id = i.id
            GROUP BY i.id
            """
        )
        cursor.execute("VACUUM ANALYZE")  # autocommit: visibility map and statistics


def counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM comments_comment),"
            " (SELECT count(*) FROM accounts_organization),"
            " (SELECT count(*) FROM voting_vote)"
        )
        comments, organizations, votes = cursor.fetchone()
    return {"comments": comments, "organizations": organizations, "votes": votes}


# --- What to measure -------------------------------------------------------------------------


class Persona:
    def __init__(self, name, user, token=None, cookie=None):
        self.name, self.user, self.token, self.cookie = name, user, token, cookie

    def headers(self) -> dict:
        if self.token:
            return {"Authorization": f"Token {self.token}"}
        return {"Cookie": self.cookie} if self.cookie else {}


def personas() -> dict:
    """Anonymous; a member and a moderator with API tokens; a representative signed in."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser, User
    from django.test import Client as TestClient
    from knox.models import AuthToken

    found = {"anonymous": Persona("anonymous", AnonymousUser())}
    for name, username in (("member", "anggota"), ("moderator", "moderator")):
        user = User.objects.get(username=username)
        found[name] = Persona(name, user, AuthToken.objects.create(user=user)[1])
    representative = User.objects.get(username="wakil0")  # the member's organization
    session = TestClient()
    session.force_login(representative)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.cookies[settings.SESSION_COOKIE_NAME].value}"
    found["representative"] = Persona("represent.", representative, cookie=cookie)
    return found


def list_scenarios() -> list[tuple[str, str, dict]]:
    """(label, persona, query parameters) of the comment list."""
    from accounts.models import Organization
    from comments.models import Comment
    from consultations.models import Consultation

    main, other = Consultation.objects.order_by("pk")[:2]
    section = main.sections.order_by("position")[2]
    item = main.items.order_by("position")[3]
    organization = Organization.objects.order_by("pk")[1234 % Organization.objects.count()]
    author = organization.memberships.get().user_id
    oldest = Comment.objects.order_by("created_at").values_list("created_at", flat=True)[0]
    newest = Comment.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
    since, until = oldest + (newest - oldest) * 0.25, oldest + (newest - oldest) * 0.75
    combined = {"consultation": main.pk, "section": section.pk, "stance": "support"}
    middle = {"created_after": since.isoformat(), "created_before": until.isoformat()}
    return [
        ("no filter", "anonymous", {}),
        ("no filter", "member", {}),
        ("no filter", "moderator", {}),
        ("consultation (90 %)", "anonymous", {"consultation": main.pk}),
        ("consultation (90 %)", "member", {"consultation": main.pk}),
        ("consultation (10 %)", "anonymous", {"consultation": other.pk}),
        ("consultation (10 %)", "member", {"consultation": other.pk}),
        ("section", "anonymous", {"section": section.pk}),
        ("section", "member", {"section": section.pk}),
        ("consultation + section + stance", "anonymous", combined),
        ("item", "anonymous", {"item": item.pk}),
        ("organization", "anonymous", {"organization": organization.pk}),
        ("author", "anonymous", {"author": author}),
        ("stance", "anonymous", {"stance": "question"}),
        ("status=hidden", "moderator", {"status": "hidden"}),
        ("status=published", "moderator", {"status": "published"}),
        ("since + until (middle half)", "anonymous", middle),
        ("top_level", "anonymous", {"top_level": "true"}),
        ("has_response", "anonymous", {"has_response": "true"}),
        ("search, every comment", "anonymous", {"q": "hijau"}),
        ("search, 1 % of comments", "anonymous", {"q": "nomor 42"}),
        ("search, 105 comments", "anonymous", {"q": "nomor 4242"}),
    ]


def filtered(persona: Persona, params: dict):
    """The list's queryset, built as CommentViewSet builds it."""
    from types import SimpleNamespace

    from django.http import QueryDict

    from comments import selectors
    from comments.filters import CommentFilter

    request = SimpleNamespace(user=persona.user)
    queryset = selectors.comment_list(persona.user)
    filterset = CommentFilter(QueryDict(urlencode(params)), queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.order_by("created_at", "id")


def deep_cursor(persona: Persona, params: dict, fraction: float = 0.9):
    """(matching rows, DRF's cursor after `fraction` of them, the id that must come next).

    Encoded as backend.pagination.CreatedCursorPagination encodes its `next` links: the
    position is str() of the last row's created_at.
    """
    qs = filtered(persona, params)
    total = qs.count()
    if total < 2:
        return total, None, None
    position = qs.values_list("created_at", flat=True)[min(total - 2, int(total * fraction))]
    following = qs.filter(created_at__gt=position).values_list("id", flat=True).first()
    token = base64.b64encode(urlencode({"p": str(position)}).encode("ascii")).decode("ascii")
    return total, token, following


def query_count(path: str, persona: Persona) -> tuple[int, list]:
    """SQL queries of one request, in-process (Django test client, the same database)."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = TestClient(headers=persona.headers()).get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), queries.captured_queries


def explain(path: str, persona: Persona) -> None:
    """EXPLAIN ANALYZE of the request's longest query (the list itself)."""
    from django.db import connection

    _n, queries = query_count(path, persona)
    sql = max(queries, key=lambda q: len(q["sql"]))["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        print(f"\n  {persona.name} {path}")
        print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


# --- Client ----------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection; reopens when the server closes it."""

    def __init__(self, port: int):
        self.port, self.conn = port, None

    def get(self, path: str, headers: dict) -> tuple[int, bytes, float]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                started = time.perf_counter()
                self.conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
                response = self.conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                if response.will_close:
                    self.conn.close()
                    self.conn = None
                return response.status, body, elapsed
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def measure(client, paths: list[str], headers: dict, samples: int, warmup: int) -> list[list]:
    """Timings of several URLs, taken in turn so that each sees the same machine load."""
    timings: list[list[float]] = [[] for _ in paths]
    for round_ in range(warmup + samples):
        for index, path in enumerate(paths):
            status, body, elapsed = client.get(path, headers)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}: {body[:300]!r}")
            if round_ >= warmup:
                timings[index].append(elapsed)
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- Main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--organizations", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=100, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per URL")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--only", help="only the comment lists whose label contains this")
    parser.add_argument("--explain", action="store_true", help="print the list query plans")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = support.server_env(url)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "backend.settings"})
    import django

    django.setup()
    from django.db import connections

    from consultations.models import Consultation

    print(f"load average {loadavg()} on {os.cpu_count()} cores")
    server = None
    try:
        if not args.reuse:
            support.create_database(url)
            support.migrate(env)
            started = time.perf_counter()
            seed(args.comments, args.organizations)
            print(f"seeded in {time.perf_counter() - started:.1f} s")
        size = counts()
        print(
            f"database {url.rsplit('/', 1)[1]}: {size['comments']:,} comments, "
            f"{size['organizations']:,} organizations, {size['votes']:,} votes"
        )
        people = personas()
        lists = []
        for label, who, params in list_scenarios():
            if args.only and args.only not in label:
                continue
            total, token, following = deep_cursor(people[who], params)
            paths = ["/api/v1/comments/?" + urlencode(params)]
            if token:
                paths.append("/api/v1/comments/?" + urlencode({**params, "cursor": token}))
            queries = [query_count(path, people[who])[0] for path in paths]
            if args.explain:
                for path in paths:
                    explain(path, people[who])
            lists.append((label, people[who], total, paths, following, queries))
        consultation = Consultation.objects.order_by("pk").first().pk
        pages = [
            ("API   /api/v1/consultations/{id}/", f"/api/v1/consultations/{consultation}/"),
            ("page  /konsultasi/{id}/", f"/konsultasi/{consultation}/"),
        ]
        connections.close_all()

        server, port = support.start_gunicorn(env, options=GUNICORN)
        client = Client(port)
        print(
            f"\ngunicorn {' '.join(GUNICORN)}; one client; {args.samples} timed requests per URL"
            f" after {args.warmup} untimed; page 1 and the deep page in turn; ms\n"
        )
        print(
            f"{'GET /api/v1/comments/?…':<32} {'as':<10} {'matching':>9} {'queries':>8}"
            f" {'p50':>6} {'p99':>6} {'deep p50':>8} {'deep p99':>8} {'deep/p1':>7}"
        )
        for label, persona, total, paths, following, queries in lists:
            timings = measure(client, paths, persona.headers(), args.samples, args.warmup)
            first = timings[0]
            line = (
                f"{label:<32} {persona.name:<10} {total:>9,} {'/'.join(map(str, queries)):>8}"
                f" {ms(statistics.median(first)):>6} {ms(support.percentile(first, 0.99)):>6}"
            )
            if len(paths) > 1:
                _status, body, _s = client.get(paths[1], persona.headers())
                results = json.loads(body)["results"]
                assert results[0]["id"] == following, (label, "deep page starts elsewhere")
                deep = timings[1]
                ratio = statistics.median(deep) / statistics.median(first)
                line += (
                    f" {ms(statistics.median(deep)):>8} {ms(support.percentile(deep, 0.99)):>8}"
                    f" {ratio:>6.2f}×"
                )
            print(line, flush=True)

        print(f"\n{'consultation':<34} {'as':<10} {'queries':>8} {'p50':>6} {'p99':>6}")
        for label, path in pages:
            for who in ("anonymous", "representative"):
                persona = people[who]
                connections.close_all()
                queries = query_count(path, persona)[0]
                (timings,) = measure(client, [path], persona.headers(), args.samples, args.warmup)
                print(
                    f"{label:<34} {persona.name:<10} {queries:>8}"
                    f" {ms(statistics.median(timings)):>6}"
                    f" {ms(support.percentile(timings, 0.99)):>6}",
                    flush=True,
                )
    finally:
        if server is not None:
            support.stop(server)
        print(f"\nload average {loadavg()}")
        connections.close_all()
        if args.keep or args.reuse:
            print("kept the database")
        else:
            support.drop_database(url)
            print("dropped the database")
    return 0


if __name__ == "__main__":
    sys.exit(main())
