"""GET /api/v1/notifications/ (own, newest first, cursor-paginated, ?unread=1), read one,
read all, and the preferences: someone else's notification is a 404, an unknown kind a 400."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationPreference
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def test_the_list_has_only_my_notifications_newest_first_with_the_fixed_fields(
    api_as, member, representative
):
    now = timezone.now()
    older = NotificationFactory(user=member, created_at=now - datetime.timedelta(hours=2))
    newer = NotificationFactory(
        user=member, created_at=now - datetime.timedelta(hours=1), read_at=now
    )
    NotificationFactory(user=representative)
    answer = api_as(member).get(URL)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [n["id"] for n in results] == [newer.pk, older.pk]
    assert set(results[0]) == {"id", "kind", "created_at", "read", "title", "url", "data"}
    assert (results[0]["read"], results[1]["read"]) == (True, False)
    assert results[1]["data"]["reason"] == "Di luar pokok bahasan."


def test_unread_1_lists_only_the_unread_ones(api_as, member):
    unread = NotificationFactory(user=member)
    NotificationFactory(user=member, read_at=timezone.now())
    results = api_as(member).get(URL, {"unread": "1"}).json()["results"]
    assert [n["id"] for n in results] == [unread.pk]


def test_the_list_pages_by_cursor(api_as, member):
    for _ in range(5):
        NotificationFactory(user=member)
    first = api_as(member).get(URL, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and "cursor=" in first["next"]
    second = api_as(member).get(first["next"]).json()
    assert {n["id"] for n in first["results"]}.isdisjoint(n["id"] for n in second["results"])


def test_the_list_costs_the_same_few_queries_for_many_notifications(
    api_as, member, django_assert_max_num_queries
):
    for _ in range(40):
        NotificationFactory(user=member)
    client = api_as(member)
    with django_assert_max_num_queries(3):
        answer = client.get(URL)
    assert len(answer.json()["results"]) == 40


def test_signing_in_is_required(api_as):
    assert api_as(None).get(URL).status_code in (401, 403)
    assert api_as(None).post(f"{URL}read-all/").status_code in (401, 403)


def test_marking_one_read(api_as, member):
    notification = NotificationFactory(user=member)
    answer = api_as(member).post(f"{URL}{notification.pk}/read/")
    assert answer.status_code == 200 and answer.json()["read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_a_404_and_stays_unread(api_as, member, representative):
    theirs = NotificationFactory(user=representative)
    assert api_as(member).post(f"{URL}{theirs.pk}/read/").status_code == 404
    assert api_as(member).post(f"{URL}99999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_mine(api_as, member, representative):
    NotificationFactory(user=member)
    NotificationFactory(user=member)
    theirs = NotificationFactory(user=representative)
    answer = api_as(member).post(f"{URL}read-all/")
    assert answer.json() == {"read": 2}
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_read_and_change(api_as, member):
    client = api_as(member)
    answer = client.get(f"{URL}preferences/").json()
    assert answer["language"] == "id"
    assert answer["channels"]["comment_rejected"] == "email"
    assert "moderation_waiting" not in answer["channels"]  # for moderators only
    changed = client.put(
        f"{URL}preferences/",
        {"channels": {"comment_rejected": "digest", "hearing_scheduled": "off"}, "language": "en"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["channels"]["comment_rejected"] == "digest"
    assert changed.json()["language"] == "en"


@pytest.mark.parametrize(
    "body",
    [
        {"channels": {"everything": "email"}},
        {"channels": {"moderation_waiting": "email"}},  # not a moderator
        {"channels": {"comment_rejected": "pigeon"}},
        {"channels": ["comment_rejected"]},
        {"language": "fr"},
    ],
)
def test_unknown_kinds_channels_and_languages_are_a_400_and_nothing_is_saved(api_as, member, body):
    answer = api_as(member).put(
        f"{URL}preferences/",
        {"channels": {"comment_approved": "off", **body.get("channels", {})}}
        if isinstance(body.get("channels"), dict)
        else body,
        format="json",
    )
    assert answer.status_code == 400
    assert not NotificationPreference.objects.exists()
