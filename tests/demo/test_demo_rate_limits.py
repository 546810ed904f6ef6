"""The demo's accounts may comment as soon as the demo is up: loading the demo leaves no
rate-limit counter behind, and leaves the rest of the cache (on Redis: the job queue's
database) alone (issue 17, demo)."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from comments import services
from comments.models import Comment
from consultations.models import Consultation

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counters_of(user) -> list:
    now = int(time.time())
    keys = [
        f"ruang:comment-rate:{user.pk}:{window}:{bucket}"
        for window in (60, 3600)
        for bucket in (now // window, now // window - 1)
    ]
    return [key for key in keys if cache.get(key) is not None]


def test_after_loading_the_demo_its_accounts_comment_at_the_full_rate():
    cache.set("someone-elses-entry", "kept", 600)
    call_command("load_demo", verbosity=0)
    authors = User.objects.filter(comments__isnull=False).distinct()
    assert authors.count() >= 3
    for author in authors:
        assert counters_of(author) == [], author.username
    # The loader no longer wipes the whole cache (a FLUSHDB of the queue's Redis database).
    assert cache.get("someone-elses-entry") == "kept"
    pelita = User.objects.get(username="pelita.anggota")
    policy = Consultation.objects.get(audience=Consultation.Audience.PUBLIC, status="open")
    for n in range(settings.RUANG["COMMENT_RATE_PER_MINUTE"]):
        services.comment_create(
            actor=pelita, consultation=policy, stance="support", body=f"Komentar pertama {n}."
        )
    assert (
        Comment.objects.filter(author=pelita, body__startswith="Komentar pertama").count()
        == (settings.RUANG["COMMENT_RATE_PER_MINUTE"])
    )


def test_a_limit_of_none_counts_nothing(settings, member, open_consultation):
    settings.RUANG = {
        **settings.RUANG,
        "COMMENT_RATE_PER_MINUTE": None,
        "COMMENT_RATE_PER_HOUR": None,
    }
    for n in range(3):
        services.comment_create(
            actor=member, consultation=open_consultation, stance="neutral", body=f"Uji {n}."
        )
    assert counters_of(member) == []
