import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from tests.factories import UserFactory
from tests.pages_support import client_for

pytestmark = pytest.mark.django_db
URL = reverse("my-organization")


def test_anonymous_is_sent_to_log_in():
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("language", ["id", "en"])
def test_representative_sees_details_status_and_members(representative, member, language):
    html = client_for(representative, language).get(URL).content.decode()
    assert "LSM Pelita Pasuruan" in html
    assert {"id": "Terverifikasi", "en": "Verified"}[language] in html
    assert "@dedi" in html
    assert {"id": "Undang anggota", "en": "Invite member"}[language] in html


def test_member_sees_the_organization_but_cannot_manage_it(member, representative):
    html = client_for(member).get(URL).content.decode()
    assert "@rina" in html
    assert "Undang anggota" not in html
    assert 'value="remove"' not in html


def test_member_cannot_remove_others_by_posting_anyway(member, representative):
    membership = representative.membership
    client_for(member).post(URL, {"action": "remove", "membership": membership.pk})
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_pending_organization_explains_that_it_cannot_vote_yet(unverified_member):
    html = client_for(unverified_member).get(URL).content.decode()
    assert "Menunggu verifikasi" in html
    assert "belum memverifikasi" in html


def test_expired_registration_is_shown(representative, organization):
    organization.registration_expires_on = timezone.localdate() - datetime.timedelta(days=1)
    organization.save()
    html = client_for(representative).get(URL).content.decode()
    assert "sudah kedaluwarsa" in html


def test_citizen_without_organization_is_invited_to_register(citizen):
    html = client_for(citizen).get(URL).content.decode()
    assert "Anda belum menjadi anggota organisasi." in html
    assert reverse("organization-register") in html


def test_representative_invites_and_the_invited_user_accepts_on_their_page(representative):
    newcomer = UserFactory(username="joko")
    client = client_for(representative)
    response = client.post(URL, {"action": "add", "username": "Joko", "role": "member"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    page = client.get(URL).content.decode()
    assert "Jika akun ini ada, undangan telah dikirim." in page
    assert "@Joko" in page  # the open invitation, as typed
    invitee = client_for(newcomer)
    assert "LSM Pelita Pasuruan mengundang Anda" in invitee.get(URL).content.decode()
    invitation = newcomer.invitations.get()
    response = invitee.post(URL, {"action": "accept", "invitation": invitation.pk})
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.organization == representative.membership.organization
    assert membership.role == Membership.Role.MEMBER


@pytest.mark.parametrize("username", ["hantu", "sari"])
def test_inviting_an_unknown_or_taken_username_looks_the_same(
    representative, other_representative, username
):
    response = client_for(representative).post(
        URL, {"action": "add", "username": username, "role": "member"}, follow=True
    )
    assert response.status_code == 200
    assert "Jika akun ini ada, undangan telah dikirim." in response.content.decode()
    assert other_representative.membership.organization.acronym == "Harapan"


def test_representative_removes_a_member(representative, member):
    client = client_for(representative)
    response = client.post(URL, {"action": "remove", "membership": member.membership.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()
    assert "dedi tidak lagi menjadi anggota." in client.get(URL).content.decode()


def test_removing_a_membership_of_another_organization_is_not_found(
    representative, other_representative
):
    response = client_for(representative).post(
        URL, {"action": "remove", "membership": other_representative.membership.pk}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(user=other_representative).exists()


@pytest.mark.parametrize("value", ["", "abc", "1 OR 1=1"])
def test_garbage_membership_ids_are_not_found(representative, value):
    response = client_for(representative).post(URL, {"action": "remove", "membership": value})
    assert response.status_code == 404


def test_the_last_representative_cannot_remove_themselves(representative, member):
    client = client_for(representative)
    client.post(URL, {"action": "remove", "membership": representative.membership.pk})
    assert Membership.objects.filter(user=representative).exists()
    html = client.get(URL).content.decode()
    assert "Organisasi harus memiliki paling sedikit satu perwakilan." in html
