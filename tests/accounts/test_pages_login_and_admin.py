import pytest
from django.urls import reverse

from accounts.models import Organization
from consultations.models import Consultation
from tests.factories import OrganizationFactory, UserFactory
from tests.pages_support import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_login_page_renders_in_both_languages(language):
    response = client_for(None, language).get(reverse("login"))
    assert response.status_code == 200
    assert {"id": "Nama pengguna", "en": "Username"}[language] in response.content.decode()


def test_login_with_a_wrong_password_keeps_the_username_and_explains(representative):
    response = client_for(None).post(
        reverse("login"), {"username": "rina", "password": "salah-sekali"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nama pengguna atau kata sandi tidak sesuai." in html
    assert 'value="rina"' in html


def test_login_then_logout(representative, password, client):
    response = client.post(reverse("login"), {"username": "rina", "password": password})
    assert response.status_code == 302
    assert "Organisasi saya" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "Organisasi saya" not in client.get(reverse("home")).content.decode()


@pytest.fixture
def staff_official(official):
    official.is_staff = True
    official.save()
    return official


def test_an_official_with_staff_access_can_use_the_admin(staff_official, open_consultation):
    client = client_for(staff_official)
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_organization_changelist") + "?status=pending&q=LSM",
        reverse("admin:consultations_consultation_changelist") + "?status=open",
        reverse("admin:consultations_consultation_change", args=[open_consultation.pk]),
        reverse("admin:consultations_consultation_add"),
    ):
        assert client.get(url).status_code == 200, url


def test_official_verifies_a_pending_organization_from_the_admin(staff_official):
    pending = OrganizationFactory(status=Organization.Status.PENDING, verified_at=None)
    client = client_for(staff_official)
    response = client.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "verify", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Organization.Status.VERIFIED
    assert pending.verified_by == staff_official


def test_official_creates_a_consultation_in_the_admin_with_its_first_version(staff_official):
    client = client_for(staff_official)
    response = client.post(
        reverse("admin:consultations_consultation_add"),
        {
            "kind": "policy_draft",
            "title": "Ranperwal Pasar Rakyat",
            "summary": "",
            "audience": "lsm",
            "moderation": "post",
            "ballot": "open",
            "data_license": "CC-BY-4.0",
            "voting_method": "stance",
            "max_choices": "1",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get(title="Ranperwal Pasar Rakyat")
    assert consultation.versions.count() == 1
    assert consultation.created_by == staff_official


@pytest.mark.parametrize("name", ["moderator", "planner", "representative"])
def test_other_roles_do_not_get_into_the_admin(request, name):
    user = request.getfixturevalue(name)
    response = client_for(user).get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_staff_user_outside_the_officials_group_sees_no_models():
    clerk = UserFactory(username="clerk")
    clerk.is_staff = True
    clerk.save()
    response = client_for(clerk).get(reverse("admin:accounts_organization_changelist"))
    assert response.status_code == 403
