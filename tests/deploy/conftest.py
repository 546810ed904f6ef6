"""The production layout for tests/deploy/: deploy/layout.py, the same code as
`python deploy/serve_production.py`, started once per test session on a throwaway PostgreSQL
database and a private redis-server, with the data below made by the factories in a
`manage.py shell` of the layout's own environment.

Every test here is marked postgres and redis (CI's PostgreSQL + Redis run has them) and
belongs to the xdist group "deploy", so one worker runs them all on one layout; the layout
needs Debian's nginx (REQUIRE_SERVICES=1 turns its absence into a failure).
"""

import json
import os
from dataclasses import dataclass

import pytest

from deploy.layout import Layout, Ports, nginx_binary
from tests.faults.processes import free_port, postgres_database, private_redis, shell, stop

# Users who only use API tokens get no password (no PBKDF2 round per user in the setup);
# the ones who sign in with a password get the production hasher.
SETUP = """
import json
from django.utils import timezone
from knox.models import AuthToken
from accounts.models import Membership
from comments.models import Comment
from hearings.models import Hearing
from voting.services import hearing_open_voting
from tests.factories import (
    PASSWORD, CommentFactory, ConsultationFactory, HearingFactory, ItemFactory,
    MembershipFactory, OrganizationFactory, UserFactory,
)
official = UserFactory(username="alice", groups=["officials"], password=None)
planner = UserFactory(username="budi", groups=["planners"], password=None)
consultation = ConsultationFactory(title="Ranperwal Ruang Terbuka Hijau")
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
dedi = MembershipFactory(organization=organizations[0], user=UserFactory(username="dedi")).user
# An export of ~6 MB: more than the socket buffers hold, so a reader who stops reading
# would keep the worker that writes it.
big = ConsultationFactory(title="Konsultasi dengan banyak masukan")
Comment.objects.bulk_create(
    CommentFactory.build(
        consultation=big, author=members[0], body=f"Masukan panjang nomor {n}. " + "x" * 4000
    )
    for n in range(1500)
)
token = lambda user: AuthToken.objects.create(user=user)[1]
print(json.dumps({
    "consultation": consultation.pk,
    "big_consultation": big.pk,
    "hearing": hearing.pk,
    "display_key": hearing.display_key,
    "items": [item.pk for item in items],
    "official": token(official),
    "planner": token(planner),
    "representatives": [[u.membership.organization_id, token(u)] for u in representatives],
    "members": [token(u) for u in members],
    "username": dedi.username,
    "password": PASSWORD,
}))
"""


@dataclass
class Site:
    layout: Layout
    data: dict


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    try:
        nginx_binary()
    except FileNotFoundError as exc:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES without nginx: {exc}")
        pytest.skip(str(exc))
    workdir = tmp_path_factory.mktemp("layout")
    redis_port = free_port()
    redis = private_redis(redis_port, workdir)
    try:
        with postgres_database() as database_url:
            layout = Layout(
                workdir,
                database_url=database_url,
                redis_url=f"redis://127.0.0.1:{redis_port}/0",
                ports=Ports.free(),
                # Four gunicorn threads in one process (with two, which one accepts a
                # connection is up to the kernel): eight slow clients would hold all four
                # without nginx in front.
                web_args="--workers 1 --threads 4",
                environment={
                    # Fewer failures before a lockout keep the lockout tests short; what is
                    # under test is whose address is counted.
                    "RUANG_LOGIN_FAILURE_LIMIT": "3",
                    # The hearing traffic must not meet the per-member comment limit.
                    "RUANG_COMMENT_RATE_PER_MINUTE": "10000",
                    "RUANG_COMMENT_RATE_PER_HOUR": "100000",
                },
            )
            with layout:
                yield Site(layout, json.loads(shell(layout.env, SETUP)))
    finally:
        stop(redis)
