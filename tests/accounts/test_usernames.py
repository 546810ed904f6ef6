"""Usernames are NFKC-normalised and look-alikes are refused, so nobody signs up as a
second `warga` that a representative would invite by mistake."""

import pytest
from django.contrib.auth import get_user_model

from accounts import services
from backend.errors import Conflict, Invalid

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_up(username):
    return services.user_register(
        username=username, password="Pendapat-Warga-2026", email="", full_name="Uji"
    )


def test_a_fullwidth_username_is_the_same_as_the_plain_one(citizen):
    with pytest.raises(Conflict):
        sign_up("ｗａｒｇａ")
    assert User.objects.count() == 1


def test_a_fullwidth_username_is_stored_plain():
    assert sign_up("ｎｕｒｕｌ").username == "nurul"


@pytest.mark.parametrize(
    "username",
    [
        "wаrga",  # Cyrillic а among Latin letters
        "варга",  # all Cyrillic, reads as Latin
        "pelіta",  # Ukrainian і
        "ρelita",  # Greek rho
    ],
)
def test_look_alike_usernames_are_refused(username):
    with pytest.raises(Invalid) as refused:
        sign_up(username)
    assert refused.value.field == "username"
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["andré", "budi.santoso", "nurul_h", "李明"])
def test_ordinary_names_stay_allowed(username):
    assert sign_up(username).username == username


def test_the_sign_up_api_refuses_a_look_alike(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "wаrga",
            "password": "Pendapat-Warga-2026",
            "email": "a@example.id",
            "full_name": "Palsu",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "username" in response.json()


def test_the_admins_user_form_refuses_a_look_alike(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "wаrga",
            "password1": "Pendapat-Warga-2026",
            "password2": "Pendapat-Warga-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not User.objects.filter(username="wаrga").exists()
    ok = client.post(
        "/admin/auth/user/add/",
        {
            "username": "ｓｉｎｔａ",
            "password1": "Pendapat-Warga-2026",
            "password2": "Pendapat-Warga-2026",
            "usable_password": "true",
        },
    )
    assert ok.status_code == 302
    assert User.objects.filter(username="sinta").exists()
