import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, PrivacyChoice
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_reads_in_indonesian_by_default_and_in_english(client, settings):
    page = client.get(reverse("privacy-notice"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pengendali Data Pribadi" in text and "Berapa lama" in text
    assert settings.PRIVACY_CONTROLLER["email"] in text
    assert str(settings.RETENTION_DAYS_LOGIN_LOGS) in text

    client.post("/i18n/setlang/", {"language": "en"})
    english = client.get(reverse("privacy-notice")).content.decode()
    assert "personal data controller" in english and "How long" in english
    assert "Indonesian text" in english


def sign_up_form(**overrides):
    data = {
        "username": "andi",
        "full_name": "Andi Saputra",
        "email": "andi@contoh.id",
        "password": "pasuruan-maju-2025",
        "password_again": "pasuruan-maju-2025",
        "name": "LSM Suara Pesisir",
        "acronym": "Suara",
        "registration_number": "SKT-77/2025",
        "registration_expires_on": (timezone.localdate().replace(year=2030)).isoformat(),
        "accept_privacy_notice": "on",
    }
    data.update(overrides)
    return data


def test_organisation_sign_up_records_the_notice_version_agreed_and_hides_the_name(
    client, settings
):
    response = client.post(reverse("organization-register"), sign_up_form())
    assert response.status_code == 302, response.content[:500]
    # Agreed at sign-up: the new account is not sent to the accept page.
    assert client.get(reverse("consultation-list")).status_code == 200
    consent = Consent.objects.get(user__username="andi")
    assert consent.kind == Consent.Kind.PRIVACY_NOTICE
    assert consent.version == settings.PRIVACY_NOTICE_VERSION
    choice = PrivacyChoice.objects.get(user__username="andi")
    assert choice.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert choice.notice_accepted_at is not None
    assert choice.show_name is False
    assert choice.pseudonym.startswith("Warga-")


def test_sign_up_without_agreeing_to_the_notice_makes_no_account(client):
    form = sign_up_form()
    del form["accept_privacy_notice"]
    response = client.post(reverse("organization-register"), form)
    assert response.status_code == 200
    assert not Consent.objects.exists()
    assert not PrivacyChoice.objects.filter(user__username="andi").exists()


def test_showing_the_name_is_a_separate_choice_at_sign_up(client):
    client.post(reverse("organization-register"), sign_up_form(show_name="on"))
    choice = PrivacyChoice.objects.get(user__username="andi")
    assert choice.show_name is True
    kinds = set(Consent.objects.values_list("kind", flat=True))
    assert kinds == {Consent.Kind.PRIVACY_NOTICE, Consent.Kind.PUBLIC_NAME}


def test_api_sign_up_records_consent_when_it_is_given(api_client, settings):
    answer = api_client.post(
        "/api/v1/auth/register/",
        {
            "username": "budi2",
            "password": "pasuruan-maju-2025",
            "email": "budi2@contoh.id",
            "full_name": "Budi",
            "accept_privacy_notice": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert Consent.objects.get(user__username="budi2").version == settings.PRIVACY_NOTICE_VERSION


def test_a_changed_notice_is_asked_again_at_the_next_sign_in_and_accepting_records_it(
    client, settings
):
    user = UserFactory(username="warga1")
    PrivacyChoice.objects.filter(user=user).update(notice_version="2025.1")
    response = client.post(
        reverse("login"), {"username": "warga1", "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302
    page = client.get(reverse("consultation-list"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("privacy-accept"))
    accept = client.get(page["Location"])
    assert accept.status_code == 200
    assert "Pengendali Data Pribadi" in accept.content.decode()

    done = client.post(
        reverse("privacy-accept"),
        {"version": settings.PRIVACY_NOTICE_VERSION, "agree": "1", "next": "/konsultasi/"},
    )
    assert done.status_code == 302 and done["Location"] == "/konsultasi/"
    assert Consent.objects.filter(
        user=user, kind=Consent.Kind.PRIVACY_NOTICE, version=settings.PRIVACY_NOTICE_VERSION
    ).exists()
    assert client.get(reverse("consultation-list")).status_code == 200


def test_accepting_a_notice_that_is_not_the_current_one_records_nothing(client, settings):
    user = UserFactory(username="warga2")
    PrivacyChoice.objects.filter(user=user).update(notice_version="2025.1")
    client.force_login(user)
    client.post(reverse("privacy-accept"), {"version": "2025.1", "agree": "1"})
    assert not Consent.objects.filter(user=user).exists()


def test_an_open_redirect_after_accepting_is_refused(client, settings):
    user = UserFactory(username="warga3")
    PrivacyChoice.objects.filter(user=user).update(notice_version="2025.1")
    client.force_login(user)
    done = client.post(
        reverse("privacy-accept"),
        {"version": settings.PRIVACY_NOTICE_VERSION, "agree": "1", "next": "https://evil.example/"},
    )
    assert done["Location"] == reverse("privacy-mine")


def test_an_api_token_caller_with_an_outdated_notice_gets_a_header_and_can_accept(
    api_client, settings
):
    user = UserFactory(username="warga4")
    PrivacyChoice.objects.filter(user=user).update(notice_version="2025.1")
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "warga4", "password": PASSWORD}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/privacy/")
    assert me.status_code == 200
    assert me["Privacy-Notice-Required"] == settings.PRIVACY_NOTICE_VERSION
    assert me.json()["notice_outdated"] is True

    wrong = api_client.post("/api/v1/me/privacy/", {"accept_notice_version": "2025.1"})
    assert wrong.status_code == 400
    ok = api_client.post(
        "/api/v1/me/privacy/", {"accept_notice_version": settings.PRIVACY_NOTICE_VERSION}
    )
    assert ok.status_code == 200 and ok.json()["notice_outdated"] is False
    assert "Privacy-Notice-Required" not in api_client.get("/api/v1/me/privacy/")


def test_the_name_choice_changes_any_time_on_the_my_data_page(client):
    user = UserFactory(username="warga5", first_name="Siti Aminah")
    client.force_login(user)
    page = client.get(reverse("privacy-mine")).content.decode()
    assert PrivacyChoice.objects.get(user=user).pseudonym in page
    client.post(reverse("privacy-mine"), {"action": "name", "show_name": "1"})
    assert PrivacyChoice.objects.get(user=user).show_name is True
    client.post(reverse("privacy-mine"), {"action": "name", "show_name": "0"})
    assert PrivacyChoice.objects.get(user=user).show_name is False
    assert list(
        Consent.objects.filter(user=user, kind=Consent.Kind.PUBLIC_NAME)
        .order_by("created_at", "id")
        .values_list("granted", flat=True)
    ) == [True, False]
