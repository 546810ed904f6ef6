import pytest
from django.core.cache import cache

from backend.errors import Conflict, RateLimited
from comments import services
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_window(monkeypatch):
    """Fixed windows: pin the clock mid-minute so no test straddles a window boundary."""
    monkeypatch.setattr(services, "_clock", lambda: 1_800_000_030.0)


def test_the_sixth_comment_within_a_minute_is_rate_limited(member, open_consultation, post):
    for _ in range(5):
        post(member, open_consultation)
    with pytest.raises(RateLimited) as error:
        post(member, open_consultation)
    assert error.value.retry_after == 30
    assert Comment.objects.count() == 5


def test_the_limit_is_per_user(member, representative, open_consultation, post):
    for _ in range(5):
        post(member, open_consultation)
    assert post(representative, open_consultation).pk


def test_the_hourly_limit_applies_too(settings, member, open_consultation, post):
    settings.RUANG = {**settings.RUANG, "COMMENT_RATE_PER_MINUTE": 100, "COMMENT_RATE_PER_HOUR": 3}
    for _ in range(3):
        post(member, open_consultation)
    with pytest.raises(RateLimited) as error:
        post(member, open_consultation)
    assert error.value.retry_after <= 3600


def test_the_counter_lives_in_the_shared_cache(member, open_consultation, post):
    """Every worker process counts in the same cache key, so the limit holds across workers."""
    for _ in range(5):
        post(member, open_consultation)
    cache.clear()  # a fresh window: the limit is the cache's, not the process's
    assert post(member, open_consultation).pk


def test_rejected_input_does_not_use_up_the_limit(member, open_consultation, post):
    for _ in range(10):
        with pytest.raises(Exception):  # noqa: B017, PT011
            post(member, open_consultation, stance="bogus")
    assert post(member, open_consultation).pk


def test_the_same_body_twice_within_a_minute_is_a_duplicate(member, open_consultation, post):
    post(member, open_consultation, body="Mohon jam layanan diperpanjang.")
    with pytest.raises(Conflict):
        post(member, open_consultation, body="Mohon jam layanan diperpanjang.")
    assert Comment.objects.count() == 1


def test_the_duplicate_rule_holds_without_the_cache(member, open_consultation, post):
    post(member, open_consultation, body="Mohon jam layanan diperpanjang.")
    cache.clear()
    with pytest.raises(Conflict):
        post(member, open_consultation, body="Mohon jam layanan diperpanjang.")


def test_another_user_may_post_the_same_body(member, representative, open_consultation, post):
    post(member, open_consultation, body="Setuju.")
    assert post(representative, open_consultation, body="Setuju.").pk


def test_a_refused_comment_does_not_block_the_same_text_later(member, open_consultation, post):
    for _ in range(5):
        post(member, open_consultation)
    with pytest.raises(RateLimited):
        post(member, open_consultation, body="Teks penting.")
    cache.clear()
    assert post(member, open_consultation, body="Teks penting.").pk


def test_api_answers_429_with_retry_after(api_as, member, open_consultation):
    client = api_as(member)
    answers = [
        client.post(
            "/api/v1/comments/",
            {"consultation": open_consultation.pk, "stance": "support", "body": f"Komentar {n}"},
            format="json",
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [429]
    assert answers[-1]["Retry-After"] == "30"


def test_api_answers_409_for_a_duplicate(api_as, member, open_consultation):
    client = api_as(member)
    body = {"consultation": open_consultation.pk, "stance": "support", "body": "Sama persis."}
    assert client.post("/api/v1/comments/", body, format="json").status_code == 201
    assert client.post("/api/v1/comments/", body, format="json").status_code == 409


@pytest.mark.redis
def test_the_counter_is_shared_through_redis(member, open_consultation, post):
    from django.conf import settings

    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    for _ in range(5):
        post(member, open_consultation)
    with pytest.raises(RateLimited):
        post(member, open_consultation)


def test_services_check_is_callable_on_its_own(member):
    for _ in range(5):
        services.comment_rate_limit_check(actor=member)
    with pytest.raises(RateLimited):
        services.comment_rate_limit_check(actor=member)
