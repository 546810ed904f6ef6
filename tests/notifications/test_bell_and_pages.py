"""The bell in the header shows the unread count (one query); the page "Pemberitahuan" lists
them, opens one (marking it read), marks all read and saves the channel per kind."""

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationPreference, NotificationSettings
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_bell_shows_the_unread_count_on_every_page(client, member):
    NotificationFactory(user=member)
    NotificationFactory(user=member)
    NotificationFactory(user=member, read_at="2026-12-01T00:00:00Z")
    client.force_login(member)
    for path in ("/", "/konsultasi/", "/komentar/saya/"):
        page = client.get(path).content.decode()
        assert 'class="bell has-unread"' in page, path
        assert 'data-unread="2"' in page, path


def test_the_bell_costs_one_query(client, member, django_assert_max_num_queries):
    NotificationFactory(user=member)
    client.force_login(member)
    with django_assert_max_num_queries(50) as queries:
        client.get("/konsultasi/")
    counts = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_no_bell_for_visitors_who_are_not_signed_in(client):
    assert 'class="bell' not in client.get("/").content.decode()


def test_the_page_lists_mine_with_the_reason_and_not_anyone_elses(client, member, representative):
    NotificationFactory(
        user=member, data={"consultation_title": "Ranperwal RTH", "reason": "Bukan pokok bahasan."}
    )
    NotificationFactory(user=representative, data={"consultation_title": "Milik Rina"})
    client.force_login(member)
    page = client.get("/notifikasi/").content.decode()
    assert "Komentar Anda pada “Ranperwal RTH” ditolak." in page
    assert "Alasan moderator: Bukan pokok bahasan." in page
    assert "Milik Rina" not in page


def test_opening_one_marks_it_read_and_goes_to_its_link(client, member):
    notification = NotificationFactory(user=member, url="/komentar/saya/#komentar-7")
    client.force_login(member)
    answer = client.post(f"/notifikasi/{notification.pk}/buka/")
    assert answer.status_code == 302 and answer["Location"] == "/komentar/saya/#komentar-7"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_to_another_site_is_not_followed(client, member):
    notification = NotificationFactory(user=member, url="https://contoh.example/phish")
    client.force_login(member)
    assert client.post(f"/notifikasi/{notification.pk}/buka/")["Location"] == "/notifikasi/"


def test_someone_elses_notification_cannot_be_opened(client, member, representative):
    theirs = NotificationFactory(user=representative)
    client.force_login(member)
    assert client.post(f"/notifikasi/{theirs.pk}/buka/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, member):
    NotificationFactory(user=member)
    NotificationFactory(user=member)
    client.force_login(member)
    client.post("/notifikasi/baca-semua/")
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert 'class="bell has-unread"' not in client.get("/").content.decode()


def test_the_unread_filter(client, member):
    NotificationFactory(user=member, data={"consultation_title": "Belum dibaca ini"})
    NotificationFactory(
        user=member, data={"consultation_title": "Sudah dibaca itu"}, read_at=timezone.now()
    )
    client.force_login(member)
    page = client.get("/notifikasi/?belum=1").content.decode()
    assert "Belum dibaca ini" in page and "Sudah dibaca itu" not in page


def test_saving_the_preferences_form(client, member):
    client.force_login(member)
    answer = client.post(
        "/notifikasi/preferensi/",
        {"comment_rejected": "digest", "hearing_scheduled": "off", "language": "en"},
    )
    assert answer.status_code == 302
    channels = dict(
        NotificationPreference.objects.filter(user=member).values_list("kind", "channel")
    )
    assert channels == {"comment_rejected": "digest", "hearing_scheduled": "off"}
    assert NotificationSettings.objects.get(user=member).language == "en"


def test_a_bad_channel_in_the_form_is_a_400_and_saves_nothing(client, member):
    client.force_login(member)
    answer = client.post("/notifikasi/preferensi/", {"comment_rejected": "merpati"})
    assert answer.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_the_page_needs_a_sign_in(client):
    assert client.get("/notifikasi/").status_code == 302


def test_the_page_in_english_shows_the_titles_in_english_too(client, member):
    NotificationFactory(user=member)  # its stored title is Indonesian (the e-mail language)
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/notifikasi/"})
    page = client.get("/notifikasi/").content.decode()
    assert "Mark all as read" in page and "How you hear of what happens" in page
    assert "Your comment on “Ranperwal Ruang Terbuka Hijau” was rejected." in page
