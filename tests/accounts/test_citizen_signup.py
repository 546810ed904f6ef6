"""A citizen (warga) makes their own account on /daftar/ (or POST /api/v1/auth/register/)
and may then comment where a consultation is open to the public, never where it is for
organizations only (issue 17 §6). The rules are issue 9's: usernames, passwords, the
sign-up throttle per address."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import permissions
from comments.models import Comment

pytestmark = pytest.mark.django_db
User = get_user_model()

URL = "/daftar/"
API = "/api/v1/auth/register/"
PASSWORD = "Suara-Warga-2026"


def form(**overrides):
    return {
        "username": "siti",
        "full_name": "Siti Aminah",
        "email": "siti@contoh.id",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "accept_privacy_notice": "on",
        **overrides,
    }


def sign_up(client=None, address="203.0.113.50", **overrides):
    return (client or Client()).post(URL, form(**overrides), REMOTE_ADDR=address)


def test_the_login_page_offers_the_citizen_sign_up(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{URL}"' in html
    assert "Daftar sebagai warga" in html
    assert reverse("organization-register") in html


def test_the_sign_up_page_asks_for_name_email_and_password(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("username", "full_name", "email", "password", "password_again"):
        assert f'name="{name}"' in html
    assert "Daftar sebagai warga" in html


def test_a_citizen_signs_up_and_is_signed_in_without_an_organization(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(username="siti")
    assert user.email == "siti@contoh.id"
    assert user.get_full_name() == "Siti Aminah"
    assert user.check_password(PASSWORD)
    assert permissions.membership_of(user) is None
    assert client.get(reverse("consultation-list")).wsgi_request.user == user


def test_the_sign_up_goes_back_to_the_page_it_came_from_on_this_site_only(client):
    assert sign_up(client, next="/konsultasi/1/")["Location"] == "/konsultasi/1/"
    elsewhere = sign_up(
        Client(), username="ani", email="ani@contoh.id", next="https://evil.example/"
    )
    assert elsewhere.status_code == 302
    assert "evil.example" not in elsewhere["Location"]


def test_a_taken_username_is_refused_and_nothing_is_made(client, citizen):
    response = sign_up(client, username="warga")
    assert response.status_code == 200
    assert "Nama pengguna ini sudah dipakai." in response.content.decode()
    assert User.objects.filter(username__iexact="warga").count() == 1


def test_a_username_differing_only_in_case_is_taken_too(client, citizen):
    assert sign_up(client, username="WARGA").status_code == 200
    assert User.objects.count() == 1


def test_an_email_address_in_use_is_refused_on_the_page_and_in_the_api(client, api_client, citizen):
    response = sign_up(client, email=citizen.email.upper())
    assert response.status_code == 200
    assert "Sudah ada akun dengan alamat email ini." in response.content.decode()
    answer = api_client.post(
        API,
        {"username": "ani", "password": PASSWORD, "email": citizen.email, "full_name": "Ani"},
        format="json",
    )
    assert answer.status_code == 409
    assert "email" in answer.json()
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["wаrga", "ρelita", "ｗａｒｇａ"])
def test_a_look_alike_username_is_refused(client, citizen, username):
    response = sign_up(client, username=username)
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_a_confusable_name_gets_the_alphabet_message(client):
    html = sign_up(client, username="раdi").content.decode()  # Cyrillic р and а
    assert "mencampur beberapa jenis huruf" in html
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["12345678", "password", "siti"])
def test_a_weak_password_is_refused(client, password):
    response = sign_up(client, password=password, password_again=password)
    assert response.status_code == 200
    assert 'id="id_password-errors"' in response.content.decode()
    assert not User.objects.exists()


def test_a_weak_password_is_a_400_in_the_api(api_client):
    answer = api_client.post(
        API,
        {"username": "siti", "password": "12345678", "email": "s@contoh.id", "full_name": "Siti"},
        format="json",
    )
    assert answer.status_code == 400
    assert "password" in answer.json()
    assert not User.objects.exists()


def test_two_different_passwords_are_refused(client):
    assert sign_up(client, password_again="Lain-Sekali-2026").status_code == 200
    assert not User.objects.exists()


def test_the_sign_up_page_shares_the_throttle_and_answers_429(client):
    rate = settings.RUANG["SIGNUP_RATE_PER_HOUR"]
    for n in range(rate):
        assert sign_up(username=f"warga{n}", email=f"w{n}@contoh.id").status_code == 302
    refused = sign_up(username="satu.lagi", email="lagi@contoh.id")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Terlalu banyak akun baru dari jaringan Anda." in refused.content.decode()
    assert User.objects.count() == rate


def test_the_page_and_the_organization_sign_up_count_together(client):
    rate = settings.RUANG["SIGNUP_RATE_PER_HOUR"]
    api = Client()
    for n in range(rate):
        api.post(
            API,
            {
                "username": f"api{n}",
                "password": PASSWORD,
                "email": f"api{n}@contoh.id",
                "full_name": f"Api {n}",
            },
            content_type="application/json",
            REMOTE_ADDR="203.0.113.50",
        )
    assert sign_up().status_code == 429


def test_the_page_speaks_english_too(client):
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(URL).content.decode()
    assert "Sign up as a citizen" in html


def test_a_signed_in_person_is_sent_on(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 302


# --- Who may comment: the consultation's audience decides -------------------------------------


def new_citizen(api_client):
    answer = api_client.post(
        API,
        {"username": "siti", "password": PASSWORD, "email": "siti@contoh.id", "full_name": "Siti"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    return User.objects.get(pk=answer.json()["id"])


def test_a_new_citizen_comments_on_a_public_consultation(api_client, api_as, public_consultation):
    citizen = new_citizen(api_client)
    answer = api_as(citizen).post(
        "/api/v1/comments/",
        {
            "consultation": public_consultation.pk,
            "stance": "support",
            "body": "Setuju, perlu taman.",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    comment = Comment.objects.get()
    assert comment.author == citizen and comment.organization is None


def test_a_new_citizen_gets_a_clear_403_on_an_organizations_only_consultation(
    api_client, api_as, open_consultation
):
    citizen = new_citizen(api_client)
    answer = api_as(citizen).post(
        "/api/v1/comments/",
        {"consultation": open_consultation.pk, "stance": "support", "body": "Saya warga."},
        format="json",
    )
    assert answer.status_code == 403
    assert "organisasi terverifikasi" in str(answer.json())
    assert not Comment.objects.exists()


def test_the_organizations_only_page_tells_a_citizen_why_and_what_to_do(client, open_consultation):
    sign_up(client)
    html = client.get(f"/konsultasi/{open_consultation.pk}/komentar/").content.decode()
    assert "organisasi terverifikasi" in html
    assert "terbuka untuk umum" in html
    assert reverse("organization-register") in html


def test_the_public_page_invites_an_anonymous_visitor_to_sign_up(client, public_consultation):
    html = client.get(f"/konsultasi/{public_consultation.pk}/komentar/").content.decode()
    assert f"{URL}?next=" in html


def test_the_public_page_gives_a_new_citizen_the_comment_form(client, public_consultation):
    sign_up(client)
    html = client.get(f"/konsultasi/{public_consultation.pk}/komentar/").content.decode()
    assert 'name="body"' in html
