"""Fault: PostgreSQL drops every connection, then refuses new ones for a while.

Real processes on 127.0.0.1: a throwaway PostgreSQL database, one gunicorn HTTP worker as
in production (DEBUG off, 4 threads, Django's psycopg pool with its health check) and one
uvicorn ASGI worker. Member Dedi posts comments and representatives Rina (LSM Pelita) and
Sari (LSM Harapan) vote, through the API; the signed-in Dedi and an anonymous visitor
reload a consultation page on both workers, and a screen opens the consultation's
WebSocket on the ASGI worker again and again. Meanwhile PostgreSQL terminates every
backend of the database KILLS times, then refuses new connections for REFUSE_SECONDS
(`ALTER DATABASE … ALLOW_CONNECTIONS false`, only on the throwaway database), then accepts
them again. Nothing is restarted.

Must hold: every answer is a success or a 503 — from the API `{"detail", "code":
"unavailable"}` in Indonesian with Retry-After, from the site an Indonesian page with
Retry-After — never a 500, and each within the client's BOUND_SECONDS (a socket gets its
snapshot or the documented close 1011); every vote answered 200 is in the database exactly
once with its record, tally and event, and every vote answered 503 left nothing; every
comment answered 201 is there exactly once with its event; check_tallies and verify_votes
pass; and after the database accepts connections again every client succeeds again
within RECOVERY_SECONDS, the last five answers of each being successes.

Comments answered 503 are sent again once the service is back, as a client would: the
retry must be answered 201 (the first attempt left nothing) or 409 "already posted" (it
had been written: the 503 came from the read that builds the answer, after the commit —
see docs/RELIABILITY.md §7); either way the comment ends up there exactly once.
"""

import collections
import http.client
import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import pytest
from django.db import OperationalError

from tests.faults.processes import (
    base_env,
    free_port,
    gunicorn,
    manage,
    origin_of,
    shell,
    stop,
    throwaway_database,
    uvicorn,
)

KILLS = int(os.environ.get("FAULT_KILLS", "4"))
REFUSE_SECONDS = float(os.environ.get("FAULT_REFUSE_SECONDS", "6"))
# How long a request waits for a pooled connection before its 503 (production: 10 s),
# shortened so that the refusal outlasts it twice within the test's time budget.
POOL_TIMEOUT = os.environ.get("FAULT_POOL_TIMEOUT", "2")
BOUND_SECONDS = 20
RECOVERY_SECONDS = 20
ITEMS = 300

UNAVAILABLE_ID = "Layanan sementara tidak tersedia. Silakan coba lagi sebentar lagi."
CLIENTS = ("comment", "vote:rina", "vote:sari", "page:wsgi", "page:wsgi dedi", "page:asgi")

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from knox.models import AuthToken
from accounts.models import Membership
from tests.factories import (
    ConsultationFactory, ItemFactory, MembershipFactory, OrganizationFactory, SectionFactory,
    UserFactory,
)
pelita = OrganizationFactory(name="LSM Pelita Pasuruan", acronym="Pelita")
harapan = OrganizationFactory(name="LSM Harapan Bangsa", acronym="Harapan")
people = {}
for username, organization, role in (
    ("rina", pelita, Membership.Role.REPRESENTATIVE),
    ("dedi", pelita, Membership.Role.MEMBER),
    ("sari", harapan, Membership.Role.REPRESENTATIVE),
):
    people[username] = MembershipFactory(
        user=UserFactory(username=username), organization=organization, role=role
    ).user
consultation = ConsultationFactory(title="Ranperwal Ruang Terbuka Hijau")
SectionFactory(consultation=consultation, number="Pasal 1", heading="Ketentuan Umum")
ItemFactory(consultation=consultation, title="Rancangan secara keseluruhan", code="")
rpjmd = ConsultationFactory(title="Rancangan RPJMD 2026-2031", kind="rpjmd")
items = [ItemFactory(consultation=rpjmd).pk for _ in range(%(items)d)]
session = SessionStore()
session[SESSION_KEY] = str(people["dedi"].pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = people["dedi"].get_session_auth_hash()
session.create()
print(json.dumps({
    "consultation": consultation.pk,
    "rpjmd": rpjmd.pk,
    "items": items,
    "organizations": {"rina": pelita.pk, "sari": harapan.pk},
    "tokens": {name: AuthToken.objects.create(user=user)[1] for name, user in people.items()},
    "dedi_session": session.session_key,
}))
"""

STATE = """
import json
from comments.models import Comment
from realtime.models import StreamEvent
from voting.models import Tally, Vote, VoteRecord
print(json.dumps({
    "comments": list(Comment.objects.values_list("id", "body")),
    "votes": list(Vote.objects.values_list("organization_id", "item_id", "choice", "receipt")),
    "records": list(VoteRecord.objects.values_list("organization_id", "item_id", "hash")),
    "tallies": list(
        Tally.objects.values_list("item_id", "for_count", "against_count", "abstain_count")
    ),
    "events": {
        stream: list(
            StreamEvent.objects.filter(stream=stream).order_by("seq").values_list("seq", "type")
        )
        for stream in StreamEvent.objects.values_list("stream", flat=True).distinct()
    },
    "published": list(
        StreamEvent.objects.filter(type="comment.published").values_list("data__id", flat=True)
    ),
}))
"""


@dataclass
class Answer:
    what: str
    phase: str  # when the request was sent
    status: int | str  # HTTP status; "timeout", "error: …"; a socket's "close <code>"
    headers: dict = field(default_factory=dict)
    text: str = ""
    key: object = None
    ended: str = ""  # the phase when the answer came
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and 200 <= self.status < 300


def request(base: str, method: str, path: str, *, headers=None, body=None) -> tuple:
    """(status, headers, text) of one HTTP call on a new connection, within the bound."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=BOUND_SECONDS)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, url.path + path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    except TimeoutError:
        return "timeout", {}, ""
    except OSError as exc:
        return f"error: {exc!r}", {}, ""
    finally:
        connection.close()


class Fault:
    """The run's shared state: the phase we are in, and every answer seen."""

    def __init__(self):
        self.phase = "before"
        self.stop = threading.Event()
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.terminated: list[int] = []
        self.restored_at: float | None = None
        self.recovered: dict[str, float] = {}

    def record(self, answer: Answer, sent: float) -> Answer:
        answer.ended = self.phase
        answer.seconds = time.monotonic() - sent
        with self.lock:
            self.answers.append(answer)
            if answer.phase == "after" and answer.ok and answer.what not in self.recovered:
                self.recovered[answer.what] = time.monotonic() - self.restored_at
        return answer

    def answered_after(self, what: str) -> int:
        return len([a for a in self.answers if a.what == what and a.phase == "after"])


def post_comment(api: str, run: dict, body: str) -> tuple:
    return request(
        api,
        "POST",
        "/comments/",
        headers={"Authorization": f"Token {run['tokens']['dedi']}"},
        body={"consultation": run["consultation"], "stance": "support", "body": body},
    )


def comment_writer(fault: Fault, api: str, run: dict):
    """Dedi posts comment after comment on behalf of LSM Pelita."""
    n = 0
    while not fault.stop.is_set():
        n += 1
        body = f"Usulan uji gangguan basis data nomor {n}: mohon jalur hijau diperlebar."
        phase, sent = fault.phase, time.monotonic()
        status, headers, text = post_comment(api, run, body)
        fault.record(Answer("comment", phase, status, headers, text, key=body), sent)
        time.sleep(0.05)


def vote_writer(fault: Fault, api: str, run: dict, who: str):
    """A representative votes on one RPJMD programme after another, each once."""
    token = run["tokens"][who]
    for n, item in enumerate(run["items"]):
        if fault.stop.is_set():
            return
        choice = ("for", "against", "abstain")[n % 3]
        phase, sent = fault.phase, time.monotonic()
        status, headers, text = request(
            api,
            "PUT",
            f"/items/{item}/vote/",
            headers={"Authorization": f"Token {token}"},
            body={"choice": choice},
        )
        answer = Answer(f"vote:{who}", phase, status, headers, text, key=(item, choice))
        fault.record(answer, sent)
        time.sleep(0.05)
    raise AssertionError(f"{who} ran out of items: raise ITEMS")


def page_reader(fault: Fault, name: str, base: str, path: str, cookie: str | None):
    """A browser reloading the consultation page (anonymous, or signed in by cookie)."""
    headers = {"Cookie": cookie} if cookie else {}
    while not fault.stop.is_set():
        phase, sent = fault.phase, time.monotonic()
        status, response_headers, text = request(base, "GET", path, headers=headers)
        fault.record(Answer(f"page:{name}", phase, status, response_headers, text), sent)
        time.sleep(0.2)


def screen(fault: Fault, url: str):
    """Opens the consultation's stream: the snapshot (200 here), or a close code."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    while not fault.stop.is_set():
        phase, sent = fault.phase, time.monotonic()
        try:
            with connect(url, origin=origin_of(url), open_timeout=BOUND_SECONDS) as ws:
                first = json.loads(ws.recv(timeout=BOUND_SECONDS))
                status = 200 if first["type"] == "snapshot" else f"first {first['type']}"
        except ConnectionClosed as exc:
            status = f"close {exc.rcvd.code if exc.rcvd else None}"
        except TimeoutError:
            status = "timeout"
        fault.record(Answer("socket", phase, status), sent)
        time.sleep(0.3)


def terminate_backends(admin, database: str) -> int:
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [database],
    ).fetchall()
    return len(rows)


def allow_connections(admin, database: str, allowed: bool):
    # Only the throwaway database; a database name cannot be a query parameter.
    admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}')


@pytest.fixture
def workers(tmp_path):
    env = base_env(
        tmp_path,
        DJANGO_DEBUG="0",
        DATABASE_POOL="1",
        DATABASE_POOL_TIMEOUT=POOL_TIMEOUT,
        # Dedi posts many comments on purpose; the per-user limit is not under test.
        RUANG_COMMENT_RATE_PER_MINUTE="100000",
        RUANG_COMMENT_RATE_PER_HOUR="100000",
    )
    processes = {}
    try:
        with throwaway_database(tmp_path, env):
            run = json.loads(shell(env, SETUP % {"items": ITEMS}))
            http_port, asgi_port = free_port(), free_port()
            processes["http"] = gunicorn(http_port, env, tmp_path / "gunicorn.log", threads=4)
            processes["asgi"] = uvicorn(asgi_port, env, tmp_path / "uvicorn.log")
            yield {
                **run,
                "env": env,
                "database": env["DATABASE_URL"].rpartition("/")[2],
                "admin_url": env["DATABASE_URL"].rpartition("/")[0] + "/postgres",
                "api": f"http://127.0.0.1:{http_port}/api/v1",
                "http": f"http://127.0.0.1:{http_port}",
                "asgi": f"http://127.0.0.1:{asgi_port}",
                "ws": f"ws://127.0.0.1:{asgi_port}/ws/consultations/{run['consultation']}/",
                "tmp_path": tmp_path,
            }
    finally:
        for process in processes.values():
            stop(process)


def drive(run: dict) -> Fault:
    """Writers and readers run through every phase; the database fails under them."""
    import psycopg

    fault = Fault()
    page = f"/konsultasi/{run['consultation']}/"
    clients = [
        (comment_writer, fault, run["api"], run),
        (vote_writer, fault, run["api"], run, "rina"),
        (vote_writer, fault, run["api"], run, "sari"),
        (page_reader, fault, "wsgi", run["http"], page, None),
        (page_reader, fault, "wsgi dedi", run["http"], page, f"sessionid={run['dedi_session']}"),
        (page_reader, fault, "asgi", run["asgi"], page, None),
        (screen, fault, run["ws"]),
    ]
    errors = []

    def guarded(client, *args):
        try:
            client(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=client) for client in clients]
    for base in (run["http"], run["asgi"]):  # first requests import and connect: not timed
        assert request(base, "GET", page)[0] == 200
    for thread in threads:
        thread.start()
    with psycopg.connect(run["admin_url"], autocommit=True) as admin:
        try:
            time.sleep(2)
            fault.phase = "kills"
            for _ in range(KILLS):
                fault.terminated.append(terminate_backends(admin, run["database"]))
                time.sleep(0.7)
            fault.phase = "refused"
            allow_connections(admin, run["database"], False)
            fault.terminated.append(terminate_backends(admin, run["database"]))
            time.sleep(REFUSE_SECONDS)
        finally:
            allow_connections(admin, run["database"], True)
            fault.restored_at = time.monotonic()
            fault.phase = "after"
    # Run on until every client has had five answers sent after the restore.
    deadline = fault.restored_at + RECOVERY_SECONDS
    while time.monotonic() < deadline and not all(
        fault.answered_after(what) >= 5 for what in (*CLIENTS, "socket")
    ):
        time.sleep(0.2)
    fault.stop.set()
    for thread in threads:
        thread.join(BOUND_SECONDS + 5)
    assert not [thread for thread in threads if thread.is_alive()]
    assert not errors, errors
    return fault


def summary(fault: Fault) -> str:
    """Per client and phase: the statuses seen; how slow; how soon each succeeded again."""
    seen: dict = {}
    slowest: dict = {}
    for a in fault.answers:
        phase = seen.setdefault(a.what, {}).setdefault(a.phase, {})
        phase[a.status] = phase.get(a.status, 0) + 1
        slowest[a.phase] = max(slowest.get(a.phase, 0), round(a.seconds, 2))
    recovered = {what: round(seconds, 1) for what, seconds in sorted(fault.recovered.items())}
    return (
        f"backends terminated {fault.terminated}; {len(fault.answers)} answers {seen}; "
        f"slowest answer per phase (s) {slowest}; first success after the database came "
        f"back (s) {recovered}"
    )


def database_state(run: dict) -> dict:
    return json.loads(shell(run["env"], STATE))


@pytest.mark.postgres
def test_a_dropped_database_answers_503_writes_nothing_half_and_recovers_by_itself(workers):
    started = time.monotonic()
    fault = drive(workers)
    answers = [a for a in fault.answers if a.what != "socket"]
    sockets = [a for a in fault.answers if a.what == "socket"]
    print(f"\n{summary(fault)}; {time.monotonic() - started:.1f}s")

    # Every answer: a success or a clean 503 (a socket: its snapshot or close 1011).
    wrong = [(a.what, a.status, a.text[:300]) for a in answers if not (a.ok or a.status == 503)]
    assert wrong == []
    assert {a.status for a in sockets} <= {200, "close 1011"}, {a.status for a in sockets}
    for a in answers:
        if a.status != 503:
            continue
        assert a.headers.get("retry-after", "").isdigit(), (a.what, a.headers)
        if a.what.startswith("page:"):
            assert a.headers["content-type"].startswith("text/html")
            assert '<html lang="id">' in a.text
            assert UNAVAILABLE_ID in a.text
        else:
            assert json.loads(a.text) == {"detail": UNAVAILABLE_ID, "code": "unavailable"}

    # The fault happened: the commenter, a voter and every page were refused ...
    refused = {a.what for a in answers if a.status == 503}
    assert {"comment", "page:wsgi", "page:wsgi dedi", "page:asgi"} <= refused, refused
    assert refused & {"vote:rina", "vote:sari"}, refused
    # ... and nothing failed that was over before it began.
    early = [(a.what, a.status) for a in fault.answers if a.ended == "before"]
    assert all(status in (200, 201) for _, status in early), early

    # It came back by itself: each client's last five answers sent after the database
    # accepted connections again are successes.
    for what in (*CLIENTS, "socket"):
        last = [a.status for a in fault.answers if a.what == what and a.phase == "after"]
        assert len(last) >= 5 and all(s in (200, 201) for s in last[-5:]), (what, last)

    # Comments refused with 503 are sent again, as a client does once the service is back:
    # each retry must be accepted, because a 503 never hides a saved comment (the API reads
    # its answer back inside the write's transaction; found by this test: it used to read
    # after the commit, so a drop at that moment saved the comment and answered 503).
    refused_comments = [a.key for a in answers if a.what == "comment" and a.status == 503]
    retries = {body: post_comment(workers["api"], workers, body) for body in refused_comments}
    written_though_refused = []
    for body, (status, _, text) in retries.items():
        assert status in (201, 409), (status, text)
        if status == 409:  # "you have just posted exactly this comment"
            assert json.loads(text)["code"] == "conflict" and "body" in json.loads(text)
            written_though_refused.append(body)

    # Nothing half-written, nothing twice.
    state = database_state(workers)
    posted = [a for a in answers if a.what == "comment"]
    bodies = collections.Counter(body for _, body in state["comments"])
    assert sorted(bodies) == sorted(a.key for a in posted)
    assert set(bodies.values()) == {1}
    for a in posted:
        if a.status == 201:
            assert (json.loads(a.text)["id"], a.key) in [tuple(c) for c in state["comments"]]
    assert sorted(state["published"]) == sorted(pk for pk, _ in state["comments"])

    organizations, rpjmd = workers["organizations"], workers["rpjmd"]
    votes = {(org, item): (choice, receipt) for org, item, choice, receipt in state["votes"]}
    records = [tuple(record) for record in state["records"]]
    cast = []
    for a in answers:
        if not a.what.startswith("vote:"):
            continue
        organization, (item, choice) = organizations[a.what[5:]], a.key
        if a.status == 200:
            receipt = json.loads(a.text)["receipt"]
            assert votes.pop((organization, item)) == (choice, receipt)
            assert records.count((organization, item, receipt)) == 1
            cast.append((item, choice))
        else:
            assert (organization, item) not in votes, f"answered 503 but voted: {a.key}"
            assert not [r for r in records if r[:2] == (organization, item)], a.key
    assert votes == {}  # no vote that nobody was told about
    assert len(records) == len(cast)

    expected = collections.defaultdict(lambda: [0, 0, 0])
    for item, choice in cast:
        expected[item][("for", "against", "abstain").index(choice)] += 1
    for item, *counts in state["tallies"]:
        assert counts == expected[item], item

    events = state["events"]  # stream -> [(seq, type)], gapless
    for stream, seqs in events.items():
        assert [seq for seq, _ in seqs] == list(range(1, len(seqs) + 1)), stream
    assert set(events) <= {f"consultation:{workers['consultation']}", f"consultation:{rpjmd}"}
    tally_events = [type_ for _, type_ in events.get(f"consultation:{rpjmd}", [])]
    assert tally_events == ["tally.updated"] * len(cast)

    assert "OK:" in manage(workers["env"], "check_tallies")
    assert "OK consultation" in manage(workers["env"], "verify_votes")
    assert written_though_refused == []
    print(
        f"{len(retries)} comments sent again after a 503; {len(cast)} votes, {len(bodies)} comments"
    )


def test_a_page_and_the_api_answer_503_in_indonesian_when_the_database_drops(
    client, monkeypatch, member, open_consultation
):
    """The same answers in-process (on SQLite too): a query failing with a dropped
    connection gives the page and the API a 503 with Retry-After, not a 500."""
    from consultations import views
    from voting import api

    def dropped(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views.selectors, "consultation_for_page", dropped)
    monkeypatch.setattr(api.selectors, "item_for_voting", dropped)
    client.raise_request_exception = False
    client.force_login(member)  # the 503 page must not need the session's user

    page = client.get(f"/konsultasi/{open_consultation.pk}/")
    assert page.status_code == 503
    assert page["Retry-After"].isdigit()
    assert '<html lang="id">' in page.content.decode()
    assert UNAVAILABLE_ID in page.content.decode()

    item = open_consultation.items.get()
    answer = client.put(f"/api/v1/items/{item.pk}/vote/", {"choice": "for"}, "application/json")
    assert answer.status_code == 503
    assert answer["Retry-After"].isdigit()
    assert answer.json() == {"detail": UNAVAILABLE_ID, "code": "unavailable"}
