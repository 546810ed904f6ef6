"""Personas and shared fixtures (ARCHITECTURE.md §4 roles).

Alice is an official, Mira a moderator, Pak Budi a planner; LSM Pelita is a
verified organization with representative Rina and member Dedi; LSM Harapan is
another verified organization with representative Sari; LSM Baru is pending
with member Wawan.
"""

import fcntl
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Membership, Organization
from comments import services as comment_services
from comments.models import Comment
from consultations.models import Consultation
from tests.factories import (
    PASSWORD,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    MembershipFactory,
    OrganizationFactory,
    SectionFactory,
    UserFactory,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REQUIRE_E2E = os.environ.get("REQUIRE_E2E") == "1"


def _own_redis_database_per_xdist_worker():
    """Under pytest-xdist each worker gets REDIS_URL's database + 1 + its number.

    The suite clears the cache before every test (a Redis FLUSHDB), so two workers on one
    database would wipe each other's rate-limit counters mid-test. The channel layers and
    caches are built lazily, so replacing the settings here, before any test, is in time;
    the environment carries the new URL to the servers the tests start.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not settings.REDIS_URL:
        return
    from backend.settings import redis_backends, redis_database

    number = redis_database(settings.REDIS_URL) + 1 + int(worker.removeprefix("gw"))
    url = urlunsplit(urlsplit(settings.REDIS_URL)._replace(path=f"/{number}"))
    os.environ["REDIS_URL"] = settings.REDIS_URL = url
    settings.CHANNEL_LAYERS, settings.CACHES = redis_backends(url)


_own_redis_database_per_xdist_worker()


def pytest_collection_modifyitems(config, items):
    """Skip service-bound tests where the service is absent, unless CI requires them.

    Browser tests run last: Playwright's sync API keeps an event loop running in the
    main thread for the session-wide browser, which async tests after it cannot share.
    """
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            if REQUIRE_SERVICES:
                item.add_marker(
                    pytest.mark.xfail(
                        reason="REQUIRE_SERVICES without PostgreSQL", strict=True, run=False
                    )
                )
            else:
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "sqlite" in item.keywords and on_postgres:
            # Not a missing service: the test is about SQLite itself and ran in the SQLite
            # run (CI runs both); here it would only cost the serialized server-test time.
            item.add_marker(pytest.mark.skip(reason="about SQLite itself: the SQLite run has it"))
        if "redis" in item.keywords and not has_redis:
            if REQUIRE_SERVICES:
                item.add_marker(
                    pytest.mark.xfail(
                        reason="REQUIRE_SERVICES without Redis", strict=True, run=False
                    )
                )
            else:
                item.add_marker(pytest.mark.skip(reason="needs Redis (set REDIS_URL)"))


# Tests that start servers of their own, each with hundreds of clients or its own workers.
# Under pytest-xdist they take turns (a file lock shared by the run's workers), so no two of
# them compete for the two cores; everything else runs beside them.
OWN_SERVERS = (
    "tests/faults/",
    "tests/ops/",
    "tests/deploy/",
    "tests/realtime/test_multiprocess.py",
    "tests/security/test_rate_limits_across_workers.py",
)


@pytest.fixture(autouse=True)
def _one_server_test_at_a_time(request):
    if "PYTEST_XDIST_WORKER" not in os.environ or not any(
        part in str(request.node.fspath) for part in OWN_SERVERS
    ):
        yield
        return
    run = request.getfixturevalue("testrun_uid")
    with open(Path(tempfile.gettempdir()) / f"ruang-tests-{run}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is not under test; a fast hasher keeps the suite short."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a page request in English activates English
    for the thread, and the next test on that worker would otherwise inherit it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def official(db):
    return UserFactory(username="alice", first_name="Alice Official", groups=["officials"])


@pytest.fixture
def moderator(db):
    return UserFactory(username="mira", first_name="Mira Moderator", groups=["moderators"])


@pytest.fixture
def planner(db):
    return UserFactory(username="budi", first_name="Pak Budi", groups=["planners"])


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="LSM Pelita Pasuruan", acronym="Pelita")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="LSM Harapan Bangsa", acronym="Harapan")


@pytest.fixture
def pending_organization(db):
    return OrganizationFactory(
        name="LSM Baru", acronym="Baru", status=Organization.Status.PENDING, verified_at=None
    )


@pytest.fixture
def representative(organization):
    return MembershipFactory(
        user=UserFactory(username="rina"),
        organization=organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user


@pytest.fixture
def member(organization):
    return MembershipFactory(
        user=UserFactory(username="dedi"), organization=organization, role=Membership.Role.MEMBER
    ).user


@pytest.fixture
def other_representative(other_organization):
    return MembershipFactory(
        user=UserFactory(username="sari"),
        organization=other_organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user


@pytest.fixture
def unverified_member(pending_organization):
    return MembershipFactory(
        user=UserFactory(username="wawan"),
        organization=pending_organization,
        role=Membership.Role.REPRESENTATIVE,
    ).user


@pytest.fixture
def citizen(db):
    """Signed in, but in no organization."""
    return UserFactory(username="warga")


@pytest.fixture
def superuser(db):
    """Django admin's superuser (staff), for the /admin/ pages."""
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def open_consultation(db):
    consultation = ConsultationFactory(title="Ranperwal Ruang Terbuka Hijau")
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Ketentuan Umum")
    SectionFactory(consultation=consultation, number="Pasal 2", heading="Tujuan")
    SectionFactory(consultation=consultation, number="Pasal 3", heading="Hak Warga")
    ItemFactory(consultation=consultation, title="Rancangan secara keseluruhan", code="")
    return consultation


@pytest.fixture
def draft_consultation(db):
    consultation = ConsultationFactory(status=Consultation.Status.DRAFT, title="Draf RPJMD")
    SectionFactory(consultation=consultation, number="Bab I", heading="Pendahuluan")
    return consultation


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """api_as(user) -> an APIClient signed in as that user (None: anonymous)."""

    def login(user):
        client = APIClient()
        if user is not None and user.is_authenticated:
            client.force_authenticate(user)
        return client

    return login


# --- Consultations in other states, sections, comments ---------------------------------


@pytest.fixture
def pasal_1(open_consultation):
    return open_consultation.sections.get(number="Pasal 1")


@pytest.fixture
def pasal_3(open_consultation):
    return open_consultation.sections.get(number="Pasal 3")


@pytest.fixture
def pre_consultation(db):
    """The RPJMD consultation: every comment waits for a moderator."""
    consultation = ConsultationFactory(
        title="Rancangan Awal RPJMD", kind="rpjmd", moderation=Consultation.Moderation.PRE
    )
    SectionFactory(consultation=consultation, number="Bab I", heading="Pendahuluan")
    return consultation


@pytest.fixture
def public_consultation(db):
    consultation = ConsultationFactory(
        title="Rencana Taman Kota", audience=Consultation.Audience.PUBLIC
    )
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    return consultation


@pytest.fixture
def closed_consultation(db):
    consultation = ConsultationFactory(title="Ranperwal Parkir", status=Consultation.Status.CLOSED)
    SectionFactory(consultation=consultation, number="Pasal 1", heading="Umum")
    return consultation


@pytest.fixture
def live_hearing(closed_consultation):
    return HearingFactory(consultation=closed_consultation, status="live")


@pytest.fixture
def post():
    """post(actor, consultation, **fields) -> a comment made through the service."""

    def make(actor, consultation, *, stance="support", body=None, **fields):
        make.n += 1
        return comment_services.comment_create(
            actor=actor,
            consultation=consultation,
            stance=stance,
            body=body or f"Masukan ke-{make.n}: mohon ketentuan ini diperjelas.",
            **fields,
        )

    make.n = 0
    return make


@pytest.fixture
def published_comment(open_consultation, pasal_1, member):
    return comment_services.comment_create(
        actor=member,
        consultation=open_consultation,
        section=pasal_1,
        stance=Comment.Stance.OPPOSE,
        body="Pasal 1 terlalu umum; definisi 'warga' perlu diperjelas.",
    )


@pytest.fixture
def pending_comment(pre_consultation, member):
    return comment_services.comment_create(
        actor=member,
        consultation=pre_consultation,
        section=pre_consultation.sections.get(),
        stance=Comment.Stance.QUESTION,
        body="Berapa target indikator kemiskinan pada tahun 2027?",
    )


@pytest.fixture
def generous_limits(settings):
    settings.RUANG = {
        **settings.RUANG,
        "COMMENT_RATE_PER_MINUTE": 10_000,
        "COMMENT_RATE_PER_HOUR": 10_000,
    }
