"""Fault: one of two ASGI workers is killed with SIGKILL mid-hearing and restarted.

Real processes: our own redis-server, a throwaway database, one gunicorn HTTP worker (the
writes) and two uvicorn workers on two ports (the sockets), all on one Redis. CLIENTS
clients, half on each worker, follow a live hearing while members of six organizations
post hearing comments (post-moderated: each is a public `comment.published`) and their
representatives cast and change votes on the item in the hearing's voting window (each a
`tally.updated`); halfway the official moves the window to a second item. Worker B is
SIGKILLed after a third of the writes and started again after two thirds, while the
writes go on. Clients reconnect by themselves with `?after=<last seq received>`, as
live.js does.

Must hold:
- every write is acknowledged, and every acknowledged comment and vote is in the
  database (the comment with its body; the vote as the organization's current choice
  with the receipt it was answered, in the vote log), and each item's last tally event
  equals the tally the acknowledged votes make;
- every client, on either worker, ends with the public events of the stream after its
  snapshot, compared with StreamEvent in the database: each at most once and in order,
  every one of them except `tally.updated` events superseded by a newer tally of the same
  item (the relay and the replay may coalesce those; the newest always arrives), so
  every client saw every acknowledged comment and each item's final tally;
- every client of B reconnected (proof the kill cut them off).
"""

import asyncio
import json
import os
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from realtime.events import coalesce_key
from tests.faults.processes import (
    VOTE_CHOICES,
    HearingWrites,
    base_env,
    free_port,
    gunicorn,
    http,
    origin_of,
    private_redis,
    shell,
    stop,
    throwaway_database,
    uvicorn,
)

pytestmark = [pytest.mark.redis]

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "200"))
WRITES = int(os.environ.get("FAULT_WRITES", "60"))  # half comments, half votes

SETUP = """
import json
from django.utils import timezone
from knox.models import AuthToken
from hearings.models import Hearing
from accounts.models import Membership
from voting.services import hearing_open_voting
from tests.factories import (
    ConsultationFactory, HearingFactory, ItemFactory, MembershipFactory, OrganizationFactory,
    UserFactory,
)
official = UserFactory(username="alice", groups=["officials"])
consultation = ConsultationFactory()  # open, post-moderated, open ballot, for/against/abstain
items = [ItemFactory(consultation=consultation) for _ in range(2)]
hearing = HearingFactory(
    consultation=consultation, status=Hearing.Status.LIVE, started_at=timezone.now()
)
hearing_open_voting(actor=official, hearing=hearing, item=items[0])
organizations = [OrganizationFactory() for _ in range(6)]
representatives = [
    MembershipFactory(organization=o, role=Membership.Role.REPRESENTATIVE).user
    for o in organizations
]
members = [MembershipFactory(organization=o).user for o in organizations for _ in range(3)]
token = lambda user: AuthToken.objects.create(user=user)[1]
print(json.dumps({
    "consultation": consultation.pk,
    "hearing": hearing.pk,
    "items": [item.pk for item in items],
    "official": token(official),
    "representatives": [[u.membership.organization_id, token(u)] for u in representatives],
    "members": [token(u) for u in members],
}))
"""

# What the database holds at the end, for the hearing: its public events, the comments
# and votes, the vote log's hashes and the tallies.
DATABASE = """
import json
from comments.models import Comment
from hearings.models import Hearing
from realtime.models import StreamEvent
from voting.models import Tally, Vote, VoteRecord
hearing = Hearing.objects.get(pk=%(hearing)d)
rows = StreamEvent.objects.filter(stream=hearing.stream).order_by("seq")
print(json.dumps({
    "events": [[e.seq, e.audience, e.type, e.data] for e in rows],
    "comments": {c.pk: [c.body, c.status] for c in Comment.objects.filter(hearing=hearing)},
    "votes": [[v.organization_id, v.item_id, v.choice, v.receipt] for v in Vote.objects.all()],
    "log": list(VoteRecord.objects.values_list("hash", flat=True)),
    "tallies": {t.item_id: {c: t.count(c) for c in %(choices)r} for t in Tally.objects.all()},
}))
"""


class Follower:
    """A client as live.js behaves: snapshot first, then events; on a lost connection it
    reconnects with `?after=<last seq received>` (seqs may skip; the server sends in
    order and without gaps what this reader may see)."""

    def __init__(self, url: str):
        self.url = url
        self.snapshot: int | None = None
        self.events: list[tuple[int, str, dict]] = []
        self.reconnects = 0

    @property
    def last_seq(self) -> int:
        return self.events[-1][0] if self.events else (self.snapshot or 0)

    async def run(self, final: asyncio.Future, ready: asyncio.Event, deadline: float):
        import websockets

        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            url = self.url if self.snapshot is None else f"{self.url}?after={self.last_seq}"
            try:
                async with websockets.connect(
                    url, origin=origin_of(url), open_timeout=10, compression=None
                ) as socket:
                    if self.snapshot is None:
                        self.snapshot = json.loads(await socket.recv())["seq"]
                        ready.set()
                    while True:
                        if final.done() and self.last_seq >= final.result():
                            return
                        try:
                            message = json.loads(await asyncio.wait_for(socket.recv(), 0.5))
                        except TimeoutError:
                            continue
                        self.events.append((message["seq"], message["type"], message["data"]))
            except (TimeoutError, OSError, websockets.WebSocketException):
                self.reconnects += 1
                await asyncio.sleep(0.5)


@pytest.fixture
def two_workers(tmp_path):
    redis_port = free_port()
    processes = {"redis": private_redis(redis_port, tmp_path)}
    env = base_env(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        # A bigger FAULT_WRITES must not meet the per-member comment limit (not under test).
        RUANG_COMMENT_RATE_PER_MINUTE="10000",
        RUANG_COMMENT_RATE_PER_HOUR="100000",
    )
    try:
        with throwaway_database(tmp_path, env):
            http_port, a_port, b_port = free_port(), free_port(), free_port()
            with ThreadPoolExecutor(4) as pool:  # start everything at once
                setup = pool.submit(shell, env, SETUP)
                starting = {
                    "http": pool.submit(gunicorn, http_port, env, tmp_path / "gunicorn.log"),
                    "a": pool.submit(uvicorn, a_port, env, tmp_path / "worker-a.log"),
                    "b": pool.submit(uvicorn, b_port, env, tmp_path / "worker-b.log"),
                }
                for name, future in starting.items():
                    if future.exception() is None:
                        processes[name] = future.result()
                for future in [setup, *starting.values()]:
                    future.result()  # raises what failed, after the rest were recorded
            data = json.loads(setup.result())
            yield {
                **data,
                "env": env,
                "tmp_path": tmp_path,
                "api": f"http://127.0.0.1:{http_port}/api/v1",
                "ports": (a_port, b_port),
                "processes": processes,
            }
    finally:
        for process in processes.values():
            stop(process)


class Writes(HearingWrites):
    """One attempt per call: a failed write is simply not acknowledged."""

    async def call(self, method: str, path: str, token: str, body: dict | None = None):
        status, answer = await asyncio.to_thread(
            http, method, f"{self.h['api']}/{path}", token, body
        )
        self.statuses.append(status)
        return status, answer

    async def move_voting_window(self):
        hearing, token = f"hearings/{self.h['hearing']}", self.h["official"]
        await self.call("POST", f"{hearing}/close-voting/", token)
        self.item = self.h["items"][1]
        await self.call("POST", f"{hearing}/open-voting/", token, {"item": self.item})


async def run(h: dict):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 150
    urls = [f"ws://127.0.0.1:{port}/ws/hearings/{h['hearing']}/" for port in h["ports"]]
    followers = [Follower(urls[n % 2]) for n in range(CLIENTS)]
    final = loop.create_future()
    readies = [asyncio.Event() for _ in followers]
    tasks = [
        asyncio.create_task(f.run(final, ready, deadline))
        for f, ready in zip(followers, readies, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)

    writes, restart = Writes(h), None
    for n in range(WRITES):
        if n == WRITES // 3:
            stop(h["processes"]["b"], sig=signal.SIGKILL)
        if n == 2 * WRITES // 3:  # B starts again while the writes go on
            restart = asyncio.create_task(
                asyncio.to_thread(uvicorn, h["ports"][1], h["env"], h["tmp_path"] / "worker-b.log")
            )
        if n == WRITES // 2:
            await writes.move_voting_window()
        await (writes.comment(n) if n % 2 == 0 else writes.vote(n))
        await asyncio.sleep(0.1)
    if restart is not None:
        h["processes"]["b"] = await restart

    script = DATABASE % {"hearing": h["hearing"], "choices": VOTE_CHOICES}
    database = json.loads(await asyncio.to_thread(shell, h["env"], script))
    final.set_result(max(seq for seq, audience, _, _ in database["events"] if audience == "public"))
    await asyncio.wait_for(asyncio.gather(*tasks), max(1, deadline - loop.time()))
    return writes, database, followers


def expected_for(database: dict, after: int) -> tuple[set[int], set[int]]:
    """(may receive, must receive) for a public reader whose snapshot was at `after`."""
    public = [
        (seq, t, data) for seq, audience, t, data in database["events"] if audience == "public"
    ]
    newest = {}
    for seq, t, data in public:
        key = coalesce_key(t, data)
        if key is not None:
            newest[key] = seq
    may = {seq for seq, _, _ in public if seq > after}
    must = {
        seq
        for seq, t, data in public
        if seq > after and newest.get(coalesce_key(t, data), seq) == seq
    }
    return may, must


def test_killing_a_worker_loses_no_write_and_every_client_ends_with_every_event_once(
    two_workers,
):
    started = time.monotonic()
    writes, database, followers = asyncio.run(run(two_workers))

    # Every write acknowledged; every acknowledged comment and vote is in the database.
    assert set(writes.statuses) <= {200, 201}, Counter(writes.statuses)
    assert len(writes.comments) == (WRITES + 1) // 2
    assert len(writes.votes) == WRITES // 2
    stored = database["comments"]
    for pk, body in writes.comments.items():
        assert stored[str(pk)] == [body, "published"]
    current = {}
    for organization, item, choice, receipt in writes.votes:
        assert receipt in database["log"]
        current[(organization, item)] = [choice, receipt]
    assert {(o, i): [c, r] for o, i, c, r in database["votes"]} == current
    events = [(seq, t, data) for seq, _, t, data in database["events"]]
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))
    published = {data["id"] for _, t, data in events if t == "comment.published"}
    assert published == set(writes.comments)
    final_tallies = {}
    for _, t, data in events:
        if t == "tally.updated":
            final_tallies[data["item"]] = {c: n for c, n in data["counts"].items() if n}
    for item in two_workers["items"]:
        made = Counter(choice for (_, i), (choice, _) in current.items() if i == item)
        stored_tally = {c: n for c, n in database["tallies"][str(item)].items() if n}
        assert final_tallies[item] == stored_tally == dict(made)

    # Every client: each public event at most once, in order; every one that was not
    # superseded, so every acknowledged comment and each item's final tally.
    for follower in followers:
        seqs = [seq for seq, _, _ in follower.events]
        assert seqs == sorted(set(seqs))
        may, must = expected_for(database, follower.snapshot)
        assert must <= set(seqs) <= may
        seen = {data["id"] for _, t, data in follower.events if t == "comment.published"}
        assert seen == set(writes.comments)
    on_b = followers[1::2]
    assert all(f.reconnects >= 1 for f in on_b)  # the kill really cut them off

    received = sum(len(f.events) for f in followers)
    coalesced = sum(len(expected_for(database, f.snapshot)[0]) for f in followers) - received
    print(
        f"\n{CLIENTS} clients on 2 workers, {len(writes.comments)} comments and "
        f"{len(writes.votes)} votes, {len(events)} events; {received} deliveries, "
        f"{coalesced} superseded tallies skipped; reconnect attempts of the killed "
        f"worker's clients: {sum(f.reconnects for f in on_b)}; {time.monotonic() - started:.1f}s"
    )
