import datetime
import json

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, PrivacyChoice
from accounts.names import pseudonym
from comments.models import Comment
from consultations.models import Consultation
from privacy import tasks
from privacy.models import ErasureLog
from tests.factories import (
    PASSWORD,
    AspirationFactory,
    AttachmentFactory,
    CommentEditFactory,
    CommentFactory,
    CommentReportFactory,
    ConsultationFactory,
    ErasureLogFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from voting.services import vote_cast

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def warga(db):
    return UserFactory(username="warga", first_name="Siti Aminah", email="siti@contoh.id")


@pytest.fixture
def stranger(db):
    return UserFactory(username="orang", first_name="Orang Lain")


def token_for(api_client, username):
    answer = api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    return answer.json()["token"]


def test_my_data_holds_every_category_and_only_my_own(api_as, warga, stranger, open_consultation):
    mine = CommentFactory(consultation=open_consultation, author=warga, body="Punyaku.")
    CommentEditFactory(comment=mine, body="Versi lama.")
    CommentFactory(consultation=open_consultation, author=stranger, body="Punya orang.")
    CommentReportFactory(comment=mine, reporter=warga, reason="uji")
    Consent.objects.create(user=warga, kind=Consent.Kind.PRIVACY_NOTICE, version="2026.1")
    AccessLog.objects.create(username="warga", ip_address="10.0.0.1", user_agent="uji")
    AccessLog.objects.create(username="orang", ip_address="10.0.0.2", user_agent="uji")

    response = api_as(warga).get("/api/v1/me/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    for category in (
        "profile", "privacy", "consents", "memberships", "comments", "reports",
        "notifications", "logins", "records",
    ):  # fmt: skip
        assert category in data
    assert data["profile"]["email"] == "siti@contoh.id"
    assert [c["body"] for c in data["comments"]] == ["Punyaku."]
    assert data["comments"][0]["history"][0]["body"] == "Versi lama."
    assert len(data["reports"]) == 1 and data["consents"][0]["version"] == "2026.1"
    assert [log["ip_address"] for log in data["logins"]["sign_ins"]] == ["10.0.0.1"]
    text = response.content.decode()
    assert "Punya orang" not in text and "Orang Lain" not in text and "10.0.0.2" not in text
    assert "pbkdf2" not in text and "md5$" not in text and '"password"' not in text


def test_my_data_lists_other_apps_rows_and_gives_stored_files_by_size(api_as, warga):
    attachment = AttachmentFactory(aspiration=AspirationFactory(author=warga))
    data = api_as(warga).get("/api/v1/me/data/").json()
    assert [a["title"] for a in data["records"]["aspirations.aspiration"]] == [
        attachment.aspiration.title
    ]
    (stored,) = data["records"]["aspirations.attachment"]
    assert stored["data"] == {"bytes": len(attachment.data)} and "sha256" in stored


def test_my_data_needs_a_sign_in_and_has_no_path_for_another_user(api_as, warga):
    assert api_as(None).get("/api/v1/me/data/").status_code == 401
    assert api_as(warga).get(f"/api/v1/users/{warga.pk}/data/").status_code == 404


def test_the_data_page_downloads_the_same_file(client, warga):
    client.force_login(warga)
    page = client.get(reverse("privacy-mine"))
    assert page.status_code == 200 and reverse("privacy-download") in page.content.decode()
    file = client.get(reverse("privacy-download"))
    assert json.loads(file.content)["profile"]["username"] == "warga"


def test_a_wrong_password_closes_nothing(api_client, warga, open_consultation):
    CommentFactory(consultation=open_consultation, author=warga)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, 'warga')}")
    answer = api_client.post(
        "/api/v1/me/delete/", {"password": "salah-sekali", "withdraw_open_comments": True}
    )
    assert answer.status_code == 403
    warga.refresh_from_db()
    assert warga.is_active and warga.first_name == "Siti Aminah"
    assert Comment.objects.filter(author=warga).count() == 1
    assert not ErasureLog.objects.exists()
    assert api_client.get("/api/v1/me/privacy/").status_code == 200


def test_guessing_the_password_through_account_closing_is_cut_off(api_as, warga):
    client = api_as(warga)
    for _attempt in range(5):
        assert client.post("/api/v1/me/delete/", {"password": "tebakan"}).status_code == 403
    limited = client.post("/api/v1/me/delete/", {"password": PASSWORD})
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    warga.refresh_from_db()
    assert warga.is_active


def test_closing_the_account_erases_it_and_ends_every_sign_in(
    api_client, client, warga, closed_consultation, planner, api_as
):
    comment = CommentFactory(consultation=closed_consultation, author=warga, body="Tetap ada.")
    client.force_login(warga)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, 'warga')}")
    answer = api_client.post("/api/v1/me/delete/", {"password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    alias = pseudonym(warga.pk)
    assert answer.json()["pseudonym"] == alias

    warga.refresh_from_db()
    assert (warga.username, warga.first_name, warga.email) == (alias, "", "")
    assert not warga.is_active and not warga.has_usable_password()
    assert api_client.get("/api/v1/me/privacy/").status_code == 401  # token revoked
    assert client.get(reverse("privacy-mine")).status_code == 302  # session revoked
    for username in ("warga", alias):
        login = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert login.status_code == 200  # the form again: no sign-in

    assert Comment.objects.get(pk=comment.pk).body == "Tetap ada."
    page = client.get(reverse("consultation-comments", args=[closed_consultation.pk]))
    assert alias in page.content.decode() and "Siti" not in page.content.decode()
    export = api_as(planner).get(f"/api/v1/consultations/{closed_consultation.pk}/export.csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert alias in text and "Siti" not in text


def test_withdrawing_removes_comments_on_open_consultations_only(client, warga, open_consultation):
    closed = ConsultationFactory(status=Consultation.Status.CLOSED)
    CommentFactory(consultation=open_consultation, author=warga, body="Tarik ini.")
    kept = CommentFactory(consultation=closed, author=warga, body="Arsip publik.")
    client.force_login(warga)
    response = client.post(reverse("privacy-delete"), {"password": PASSWORD, "withdraw": "1"})
    assert response.status_code == 302
    assert not Comment.objects.filter(body="Tarik ini.", is_removed=False).exists()
    assert Comment.objects.get(pk=kept.pk).body == "Arsip publik."
    log = ErasureLog.objects.get()
    assert (log.comments_withdrawn, log.comments_kept) == (1, 1)


def test_the_page_refuses_a_wrong_password_in_indonesian(client, warga):
    client.force_login(warga)
    response = client.post(reverse("privacy-delete"), {"password": "keliru"})
    assert response.status_code == 403
    assert "Kata sandi" in response.content.decode() or "password" in response.content.decode()
    warga.refresh_from_db()
    assert warga.is_active


def test_organisation_votes_stay_and_the_audit_row_holds_no_erased_data(
    api_as, representative, organization, open_consultation
):
    item = open_consultation.items.get()
    vote = vote_cast(actor=representative, item=item, choice="for")
    name, email = representative.get_full_name(), representative.email
    api_as(representative).post("/api/v1/me/delete/", {"password": PASSWORD})
    vote.refresh_from_db()
    assert vote.organization_id == organization.pk
    log = ErasureLog.objects.get()
    row = " ".join(str(getattr(log, f.attname)) for f in log._meta.concrete_fields)
    assert name not in row and email not in row and "rina" not in row
    assert log.memberships_ended == 1


def test_officials_read_the_erasure_log_in_the_admin(client, official):
    ErasureLogFactory(pseudonym="Warga-ABC123")
    official.is_staff = True
    official.save(update_fields=["is_staff"])
    client.force_login(official)
    page = client.get("/admin/privacy/erasurelog/")
    assert page.status_code == 200 and "Warga-ABC123" in page.content.decode()


def test_retention_purges_old_sign_in_records_and_stale_sign_ups_and_keeps_recent_ones(settings):
    now = timezone.now()
    old = now - datetime.timedelta(days=settings.RETENTION_DAYS_LOGIN_LOGS + 1)
    AccessLog.objects.create(username="a", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.filter(username="a").update(attempt_time=old)
    AccessLog.objects.create(username="b", ip_address="10.0.0.1", user_agent="x")
    stale = now - datetime.timedelta(days=settings.RETENTION_DAYS_PENDING_REGISTRATIONS + 1)
    pending = OrganizationFactory(status="pending", created_at=stale, verified_at=None)
    fresh_pending = OrganizationFactory(status="pending", verified_at=None)
    ghost = UserFactory(username="hantu")
    User.objects.filter(pk=ghost.pk).update(date_joined=stale, last_login=None)
    active = UserFactory(username="aktif")
    User.objects.filter(pk=active.pk).update(date_joined=stale, last_login=now)
    member = MembershipFactory(organization=fresh_pending).user
    User.objects.filter(pk=member.pk).update(date_joined=stale, last_login=None)

    done = tasks.purge_expired_personal_data.call_local()

    assert done["access_logs"] == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["b"]
    assert done["pending_organizations"] == 1 and done["pending_accounts"] >= 1
    assert not type(pending).objects.filter(pk=pending.pk).exists()
    assert type(pending).objects.filter(pk=fresh_pending.pk).exists()
    assert not User.objects.filter(pk=ghost.pk).exists()
    assert User.objects.filter(pk=active.pk).exists()
    assert PrivacyChoice.objects.filter(user=active).exists()
