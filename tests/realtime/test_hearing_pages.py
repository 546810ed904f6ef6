"""Live hearing pages: room, big screen (display key, no login), console; friendly 403/404."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.services import privacy_notice_accept
from hearings import services
from hearings.models import Attendance
from tests.factories import AgendaItemFactory, CommentFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_consultation):
    hearing = HearingFactory(consultation=open_consultation, title="Forum Konsultasi Publik RTH")
    AgendaItemFactory(hearing=hearing, title="Pembukaan", position=1)
    return hearing


def speak(client, language):
    """Pages follow the language switch (a cookie), not the browser's Accept-Language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def login(client, user):
    client.force_login(user)
    return client


# --- hearing room -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_room_renders_for_anyone_in_both_languages(client, hearing, language):
    response = speak(client, language).get(f"/hearings/{hearing.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert "Forum Konsultasi Publik RTH" in content
    assert 'id="live-config"' in content
    assert "realtime/room.js" in content


def test_room_never_shows_the_display_key(client, member, hearing):
    content = login(client, member).get(f"/hearings/{hearing.pk}/").content.decode()
    assert hearing.display_key not in content


def test_room_shows_published_hearing_comments_escaped(client, hearing, organization):
    CommentFactory(
        consultation=hearing.consultation,
        hearing=hearing,
        organization=organization,
        body="<script>alert('x')</script> Mohon diperjelas",
    )
    CommentFactory(
        consultation=hearing.consultation,
        hearing=hearing,
        status="pending",
        body="Belum dimoderasi",
    )
    content = client.get(f"/hearings/{hearing.pk}/").content.decode()
    assert "Mohon diperjelas" in content
    assert "<script>alert" not in content
    assert "Belum dimoderasi" not in content


def test_room_of_a_draft_consultation_is_a_friendly_404(client, citizen, draft_consultation):
    hearing = HearingFactory(consultation=draft_consultation)
    response = login(client, citizen).get(f"/hearings/{hearing.pk}/")
    assert response.status_code == 404
    assert "Ruang Dialog" in response.content.decode()
    assert client.get("/hearings/999999/").status_code == 404


def test_room_offers_check_in_with_the_qr_token(client, member, hearing):
    token = services.check_in_token(hearing)
    content = login(client, member).get(f"/hearings/{hearing.pk}/?checkin={token}").content
    assert b'name="token"' in content
    assert b"LSM Pelita Pasuruan" in content


def test_check_in_form_checks_the_organization_in(client, member, hearing, organization):
    token = services.check_in_token(hearing)
    response = login(client, member).post(f"/hearings/{hearing.pk}/check-in/", {"token": token})
    assert response.status_code == 302
    assert Attendance.objects.filter(hearing=hearing, organization=organization).exists()
    content = client.get(f"/hearings/{hearing.pk}/").content.decode()
    assert 'id="check-in-status"' in content


def test_check_in_form_refuses_a_forged_token(client, member, hearing):
    login(client, member).post(f"/hearings/{hearing.pk}/check-in/", {"token": "1:forged:sig"})
    assert not Attendance.objects.exists()


def test_anonymous_check_in_is_sent_to_the_login_page(client, hearing):
    response = client.post(f"/hearings/{hearing.pk}/check-in/", {"token": "abc"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- big screen ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_screen_renders_with_the_display_key_and_no_login(client, hearing, language):
    response = speak(client, language).get(
        f"/hearings/{hearing.pk}/screen/", {"key": hearing.display_key}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert 'class="screen theme-dark' in content
    assert 'id="event-log"' in content


def test_screen_has_a_light_theme(client, hearing):
    response = client.get(
        f"/hearings/{hearing.pk}/screen/", {"key": hearing.display_key, "theme": "light"}
    )
    assert 'class="screen theme-light' in response.content.decode()


@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_screen_without_a_valid_key_is_a_friendly_403(client, hearing, key):
    params = {} if key is None else {"key": key}
    response = client.get(f"/hearings/{hearing.pk}/screen/", params)
    assert response.status_code == 403
    assert "moderator" in response.content.decode().lower()


def test_rotated_key_locks_out_the_old_screen_link(client, moderator, hearing):
    old = hearing.display_key
    services.display_key_rotate(actor=moderator, hearing=hearing)
    assert client.get(f"/hearings/{hearing.pk}/screen/", {"key": old}).status_code == 403


def test_screen_of_an_unknown_hearing_is_404(client):
    assert client.get("/hearings/999999/screen/", {"key": "x"}).status_code == 404


def test_screen_qr_code_is_a_local_svg_with_a_check_in_link(client, hearing):
    response = client.get(f"/hearings/{hearing.pk}/screen/qr.svg", {"key": hearing.display_key})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    bad = client.get(f"/hearings/{hearing.pk}/screen/qr.svg", {"key": "nope"})
    assert bad.status_code == 403


def test_screen_qr_encodes_the_room_with_a_valid_check_in_token(hearing, rf, member):
    from realtime.views import room_url_with_check_in

    url = room_url_with_check_in(rf.get("/"), hearing)
    assert f"/hearings/{hearing.pk}/?checkin=" in url
    token = url.split("checkin=", 1)[1]
    services.attendance_check_in(actor=member, hearing=hearing, token=token)


# --- moderator console --------------------------------------------------------------


def test_console_asks_anonymous_visitors_to_log_in(client, hearing):
    response = client.get(f"/hearings/{hearing.pk}/console/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["representative", "citizen", "planner"])
def test_console_is_a_friendly_403_for_others(client, request, hearing, persona):
    response = login(client, request.getfixturevalue(persona)).get(
        f"/hearings/{hearing.pk}/console/"
    )
    assert response.status_code == 403
    assert "Ruang Dialog" in response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("persona", ["moderator", "official"])
def test_console_renders_for_those_who_run_the_hearing(client, request, hearing, persona, language):
    response = login(speak(client, language), request.getfixturevalue(persona)).get(
        f"/hearings/{hearing.pk}/console/"
    )
    assert f'<html lang="{language}">' in response.content.decode()
    assert response.status_code == 200
    content = response.content.decode()
    assert f"key={hearing.display_key}" in content
    assert "realtime/console.js" in content


def test_hearing_list_links_the_rooms(client, hearing):
    content = client.get("/hearings/").content.decode()
    assert f"/hearings/{hearing.pk}/" in content


def test_superuser_runs_the_console_without_groups(client, django_user_model, hearing):
    admin = django_user_model.objects.create_superuser("root", "root@example.id", "x-secret-9")
    # Like anyone, the superuser has agreed to the privacy notice (else the page asks first).
    privacy_notice_accept(actor=admin, version=settings.PRIVACY_NOTICE_VERSION)
    assert not Group.objects.filter(user=admin).exists()
    assert login(client, admin).get(f"/hearings/{hearing.pk}/console/").status_code == 200
