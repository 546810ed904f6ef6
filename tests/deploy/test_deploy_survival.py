"""A live hearing survives a deploy (issue 20, point 3).

DEPLOY_CLIENTS clients (default 500) follow a live hearing through nginx (wss) while members
post hearing comments and representatives cast and change votes, through nginx (https), a
few a second. Meanwhile the deploy's restart runs exactly as an administrator runs it:
deploy/rolling_restart.sh, with `systemctl` standing in for the local layout (the same units,
signals and reload): the uvicorn workers one at a time, each listening again before the
next, then `reload` of gunicorn (SIGHUP: new workers, the old ones finish their requests),
then the job worker. The writes go on until after the restart.

Must hold:
- no write is lost: every write is acknowledged (a 5xx is retried, as a client would; the
  number of retries is printed), every acknowledged comment is published in the database
  and on the stream, every acknowledged vote is the organization's current choice with its
  receipt in the vote log, and the last tally event of each item equals the stored tally;
- every client ends with every event exactly once: each public event after its snapshot at
  most once and in order, and every one that a newer tally of the same item did not
  supersede (docs/REALTIME.md §4) — so every acknowledged comment and each final tally;
- every client was cut off at least once (both workers were restarted) and came back.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from deploy.layout import ROOT
from tests.deploy.clients import Follower, api
from tests.faults.processes import VOTE_CHOICES, HearingWrites, shell
from tests.faults.test_worker_kill import expected_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.xdist_group("deploy")]

CLIENTS = int(os.environ.get("DEPLOY_CLIENTS", "500"))
RETRIED = {502, 503, 504}

# A hearing of its own (the other tests write to the shared one).
SETUP = """
import json
from django.utils import timezone
from knox.models import AuthToken
from accounts.models import Membership
from hearings.models import Hearing
from voting.services import hearing_open_voting
from tests.factories import (
    ConsultationFactory, HearingFactory, ItemFactory, MembershipFactory, OrganizationFactory,
    UserFactory,
)
# The session's first setup used the factories' sequences from 0 in another process.
for made in (ConsultationFactory, HearingFactory, ItemFactory, MembershipFactory,
             OrganizationFactory, UserFactory):
    made.reset_sequence(10_000)
official = UserFactory(groups=["officials"], password=None)
consultation = ConsultationFactory(title="Forum konsultasi saat pembaruan")
items = [ItemFactory(consultation=consultation) for _ in range(2)]
hearing = HearingFactory(
    consultation=consultation, status=Hearing.Status.LIVE, started_at=timezone.now()
)
hearing_open_voting(actor=official, hearing=hearing, item=items[0])
organizations = [OrganizationFactory() for _ in range(6)]
representatives = [
    MembershipFactory(
        organization=o, role=Membership.Role.REPRESENTATIVE, user=UserFactory(password=None)
    ).user
    for o in organizations
]
members = [
    MembershipFactory(organization=o, user=UserFactory(password=None)).user
    for o in organizations
    for _ in range(3)
]
token = lambda user: AuthToken.objects.create(user=user)[1]
print(json.dumps({
    "consultation": consultation.pk,
    "hearing": hearing.pk,
    "items": [item.pk for item in items],
    "representatives": [[u.membership.organization_id, token(u)] for u in representatives],
    "members": [token(u) for u in members],
}))
"""

DATABASE = """
import json
from comments.models import Comment
from hearings.models import Hearing
from realtime.models import StreamEvent
from voting.models import Tally, Vote, VoteRecord
hearing = Hearing.objects.get(pk=%(hearing)d)
items = list(hearing.consultation.items.values_list("pk", flat=True))
rows = StreamEvent.objects.filter(stream=hearing.stream).order_by("seq")
print(json.dumps({
    "events": [[e.seq, e.audience, e.type, e.data] for e in rows],
    "comments": {c.pk: [c.body, c.status] for c in Comment.objects.filter(hearing=hearing)},
    "votes": [
        [v.organization_id, v.item_id, v.choice, v.receipt]
        for v in Vote.objects.filter(item__in=items)
    ],
    "log": list(
        VoteRecord.objects.filter(consultation=hearing.consultation).values_list("hash", flat=True)
    ),
    "tallies": {
        t.item_id: {c: t.count(c) for c in %(choices)r}
        for t in Tally.objects.filter(item__in=items)
    },
}))
"""


class Writes(HearingWrites):
    """The hearing's traffic through nginx, each write retried on a 5xx as a client would."""

    occasion = "selama pembaruan"

    def __init__(self, site, hearing: dict):
        super().__init__(hearing)
        self.layout = site.layout
        self.retried: Counter = Counter()

    async def call(self, method: str, path: str, token: str, body: dict):
        for _ in range(20):
            try:
                status, answer = await asyncio.to_thread(
                    api, self.layout, method, path, token, body, timeout=60
                )
            except OSError:
                status, answer = 0, {}
            if status not in RETRIED and status != 0:
                self.statuses.append(status)
                return status, answer
            self.retried[status] += 1
            await asyncio.sleep(0.5)
        self.statuses.append(status)
        return status, answer


def rolling_restart(site) -> subprocess.CompletedProcess:
    """deploy/rolling_restart.sh as an administrator runs it, systemctl standing in."""
    control = site.layout.serve_control()
    serve = ROOT / "deploy" / "serve_production.py"
    return subprocess.run(
        [str(ROOT / "deploy" / "rolling_restart.sh")],
        env={
            **os.environ,
            "SYSTEMCTL": f"{sys.executable} {serve} systemctl {control}",
            "RUANG_WS_PORTS": " ".join(map(str, site.layout.ports.ws)),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


async def run(site, hearing: dict):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 900
    followers = [Follower(site.layout, hearing["hearing"]) for _ in range(CLIENTS)]
    final = loop.create_future()
    readies = [asyncio.Event() for _ in followers]
    tasks = [
        asyncio.create_task(f.run(final, ready, deadline))
        for f, ready in zip(followers, readies, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 300)

    writes = Writes(site, hearing)
    restart = asyncio.create_task(asyncio.to_thread(rolling_restart, site))
    n, after_restart = 0, None
    while after_restart is None or loop.time() < after_restart:
        await (writes.comment(n) if n % 2 == 0 else writes.vote(n))
        n += 1
        await asyncio.sleep(0.2)
        if restart.done() and after_restart is None:
            after_restart = loop.time() + 3  # a few more writes on the new processes
    script = DATABASE % {"hearing": hearing["hearing"], "choices": VOTE_CHOICES}
    database = json.loads(await asyncio.to_thread(shell, site.layout.env, script))
    final.set_result(max(seq for seq, audience, _, _ in database["events"] if audience == "public"))
    await asyncio.wait_for(asyncio.gather(*tasks), max(1, deadline - loop.time()))
    return writes, n, restart.result(), database, followers


def test_a_live_hearing_survives_a_rolling_restart_with_every_write_and_every_event(site):
    started = time.monotonic()
    hearing = json.loads(shell(site.layout.env, SETUP))
    writes, attempted, restart, database, followers = asyncio.run(run(site, hearing))

    assert restart.returncode == 0, restart.stdout + restart.stderr
    assert not site.layout.failed()

    # No write lost: every one acknowledged, every acknowledged one stored.
    assert set(writes.statuses) <= {200, 201}, Counter(writes.statuses)
    assert len(writes.comments) == (attempted + 1) // 2
    assert len(writes.votes) == attempted // 2
    for pk, body in writes.comments.items():
        assert database["comments"][str(pk)] == [body, "published"]
    current = {}
    for organization, item, choice, receipt in writes.votes:
        assert receipt in database["log"]
        current[(organization, item)] = [choice, receipt]
    assert {(o, i): [c, r] for o, i, c, r in database["votes"]} == current
    events = [(seq, t, data) for seq, _, t, data in database["events"]]
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))
    assert {d["id"] for _, t, d in events if t == "comment.published"} == set(writes.comments)
    final_tallies = {}
    for _, t, data in events:
        if t == "tally.updated":
            final_tallies[data["item"]] = {c: n for c, n in data["counts"].items() if n}
    item = hearing["items"][0]
    made = Counter(choice for (_, i), (choice, _) in current.items() if i == item)
    stored = {c: n for c, n in database["tallies"][str(item)].items() if n}
    assert final_tallies[item] == stored == dict(made)

    # Every client: each event at most once and in order; every one not superseded.
    for follower in followers:
        seqs = [seq for seq, _, _ in follower.events]
        assert seqs == sorted(set(seqs))
        may, must = expected_for(database, follower.snapshot)
        assert must <= set(seqs) <= may
        seen = {d["id"] for _, t, d in follower.events if t == "comment.published"}
        assert seen == set(writes.comments)
        assert follower.reconnects >= 1  # both workers went: every client was cut off once

    received = sum(len(f.events) for f in followers)
    codes = Counter(code for f in followers for code in f.close_codes)
    failures = Counter(failure for f in followers for failure in f.failures)
    print(
        f"\n{CLIENTS} clients through nginx; {len(writes.comments)} comments and "
        f"{len(writes.votes)} votes during the restart, {len(events)} events; "
        f"{received} deliveries; reconnects {sum(f.reconnects for f in followers)} "
        f"(close codes {dict(codes)}, failed attempts {dict(failures)}); "
        f"5xx hidden by a retry: {dict(writes.retried)}; "
        f"{time.monotonic() - started:.1f}s\n{restart.stdout}"
    )
