"""CSRF on every state-changing HTML form and session-authenticated API call (the sign-in
lockout: test_accounts_lockout.py).

The browser's session cookie is what a forged cross-site request carries, so each call
here is made with a real session (Client.force_login) and `enforce_csrf_checks=True`,
without the token: it must be refused with 403 and change nothing. Token-authenticated
API calls carry no ambient credential and need no CSRF token (not tested here).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Membership, Organization
from tests.factories import PASSWORD, UserFactory
from tests.security.test_authorization_matrix import (
    ROUTES,
    build_path,
    request_for,
    world,  # noqa: F401 - fixture
)
from voting.models import Vote

TEMPLATE_DIRS = [Path(settings.BASE_DIR)]
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL | re.IGNORECASE)


def session_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_every_post_form_in_every_template_carries_the_csrf_token():
    """Found by scanning the templates, so a new form is checked without editing this test."""
    checked = 0
    for template in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        for form in FORM.findall(template.read_text()):
            if re.search(r'method\s*=\s*"post"', form, re.IGNORECASE):
                checked += 1
                has_token = "{% csrf_token %}" in form or 'value="{{ csrf_token }}"' in form
                assert has_token, f"{template}: {form[:120]}"
    assert checked >= 7


# --- HTML forms ------------------------------------------------------------------------------


def test_voting_form_without_token_is_refused_and_casts_nothing(representative, open_consultation):
    item = open_consultation.items.first()
    response = session_client(representative).post(
        f"/voting/items/{item.pk}/vote/", {"choice": "for"}
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_voting_form_with_token_casts(representative, open_consultation):
    """The control: the same client, with the token from the page, gets through."""
    item = open_consultation.items.first()
    client = session_client(representative)
    client.get(f"/konsultasi/{open_consultation.pk}/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        f"/voting/items/{item.pk}/vote/", {"choice": "for", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Vote.objects.count() == 1


def test_organization_registration_without_token_is_refused(citizen):
    response = session_client(citizen).post(
        "/organisasi/daftar/",
        {
            "name": "LSM Palsu",
            "registration_number": "SKT-1/2026",
            "registration_expires_on": "2030-01-01",
        },
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(name="LSM Palsu").exists()


def test_adding_a_member_without_token_is_refused(representative, organization):
    UserFactory(username="penyusup")
    response = session_client(representative).post(
        "/organisasi/saya/", {"action": "add", "username": "penyusup"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="penyusup").exists()


def test_removing_a_member_without_token_is_refused(representative, member):
    response = session_client(representative).post(
        "/organisasi/saya/", {"action": "remove", "membership": member.membership.pk}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(user=member).exists()


def test_hearing_check_in_without_token_is_refused(member, open_consultation):
    from tests.factories import HearingFactory

    hearing = HearingFactory(consultation=open_consultation)
    response = session_client(member).post(f"/hearings/{hearing.pk}/check-in/", {"token": "x"})
    assert response.status_code == 403
    assert not hearing.attendances.exists()


def test_logout_without_token_is_refused(member):
    client = session_client(member)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/api/v1/auth/me/").status_code == 200


def test_language_switch_without_token_is_refused(member):
    assert session_client(member).post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_login_without_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "dedi", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# --- session-authenticated API ---------------------------------------------------------------

UNSAFE = sorted(key for key in ROUTES if key[1] in ("post", "put", "patch", "delete"))


@pytest.mark.parametrize(("name", "method"), UNSAFE, ids=["-".join(key) for key in UNSAFE])
def test_session_api_call_without_csrf_token_is_refused(name, method, world):  # noqa: F811
    """As the official, who could do almost all of these; the request never reaches the view."""
    kwargs, body = request_for(name, method, world, "official")
    client = session_client(world["users"]["official"])
    response = getattr(client, method)(
        build_path(ROUTES[(name, method)], kwargs), body, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_api_call_with_csrf_token_gets_through(official, open_consultation):
    client = session_client(official)
    client.get("/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.patch(
        f"/api/v1/consultations/{open_consultation.pk}/",
        {"summary": "Ringkasan baru"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_token_authenticated_api_call_needs_no_csrf_token(representative, open_consultation):
    from knox.models import AuthToken

    client = Client(enforce_csrf_checks=True)
    _instance, key = AuthToken.objects.create(user=representative)
    item = open_consultation.items.first()
    response = client.put(
        f"/api/v1/items/{item.pk}/vote/",
        {"choice": "for"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
