import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from tests.factories import OrganizationFactory
from tests.pages_support import client_for

pytestmark = pytest.mark.django_db
User = get_user_model()
URL = reverse("organization-register")


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "username": "andi",
        "full_name": "Andi Saputra",
        "email": "andi@contoh.id",
        "password": "pasuruan-maju-2025",
        "password_again": "pasuruan-maju-2025",
        "name": "LSM Suara Pesisir",
        "acronym": "Suara",
        "registration_number": "220/077/424.072/2024",
        "registration_issued_on": str(today - datetime.timedelta(days=100)),
        "registration_expires_on": str(today + datetime.timedelta(days=1000)),
        "address": "Jl. Pelabuhan No. 9, Kota Pasuruan",
        "contact_phone": "0343-420000",
        "accept_privacy_notice": "on",  # required (docs/PRIVACY.md)
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_form_renders_for_anonymous_in_both_languages(language):
    response = client_for(None, language).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert {"id": "Daftarkan organisasi Anda", "en": "Register your organization"}[language] in html
    assert '<label for="id_registration_number">' in html


def test_anonymous_registers_account_and_organization_in_one_step(client):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("my-organization")
    user = User.objects.get(username="andi")
    assert user.check_password("pasuruan-maju-2025")
    organization = Organization.objects.get(registration_number="220/077/424.072/2024")
    assert organization.status == Organization.Status.PENDING
    assert organization.contact_email == "andi@contoh.id"
    assert Membership.objects.get(user=user).role == Membership.Role.REPRESENTATIVE
    page = client.get(reverse("my-organization")).content.decode()  # signed in already
    assert "LSM Suara Pesisir" in page
    assert "Menunggu verifikasi" in page


def test_validation_errors_keep_the_typed_values(client):
    response = client.post(URL, form_data(password_again="lain-sekali-123", email="bukan-email"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kedua kata sandi tidak sama." in html
    assert 'value="LSM Suara Pesisir"' in html
    assert 'value="220/077/424.072/2024"' in html
    assert 'value="andi"' in html
    assert "pasuruan-maju-2025" not in html  # passwords are never echoed back
    assert not User.objects.filter(username="andi").exists()


def test_missing_required_fields_are_marked(client):
    response = client.post(URL, form_data(name="", registration_expires_on=""))
    assert response.status_code == 200
    assert response.content.decode().count('class="field has-error"') == 2
    assert not Organization.objects.exists()


def test_duplicate_skt_number_gives_a_friendly_error_and_creates_no_user(client):
    OrganizationFactory(registration_number="220/077/424.072/2024")
    response = client.post(URL, form_data())
    assert response.status_code == 200
    assert "Organisasi dengan nomor registrasi ini sudah terdaftar." in response.content.decode()
    assert not User.objects.filter(username="andi").exists()
    assert Organization.objects.count() == 1


def test_taken_username_is_reported_on_the_username_field(client, citizen):
    response = client.post(URL, form_data(username=citizen.username))
    assert response.status_code == 200
    assert "Nama pengguna ini sudah dipakai." in response.content.decode()
    assert not Organization.objects.exists()


def test_weak_password_is_refused_and_nothing_is_created(client):
    response = client.post(URL, form_data(password="12345678", password_again="12345678"))
    assert response.status_code == 200
    assert not User.objects.filter(username="andi").exists()


def test_expiry_before_issue_is_refused_and_leaves_no_user(client):
    response = client.post(
        URL, form_data(registration_issued_on="2025-01-01", registration_expires_on="2024-01-01")
    )
    assert response.status_code == 200
    assert "Tanggal berakhir harus setelah tanggal terbit." in response.content.decode()
    assert not User.objects.filter(username="andi").exists()


def test_a_signed_in_citizen_registers_only_the_organization(citizen):
    client = client_for(citizen)
    page = client.get(URL).content.decode()
    assert 'name="password"' not in page
    data = {k: v for k, v in form_data().items() if k not in ("username", "password")}
    data["contact_email"] = "sekretariat@suara.id"
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Organization.objects.get().memberships.get().user == citizen


def test_a_member_is_sent_to_their_organization(member):
    response = client_for(member).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("my-organization")
