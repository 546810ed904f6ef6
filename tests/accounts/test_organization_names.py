"""Organization names are unique however they are written, and a verified organization
that changes its name goes back to Bakesbangpol."""

import pytest

from accounts import services
from accounts.models import Organization
from backend.errors import Conflict

pytestmark = pytest.mark.django_db


def register(actor, name, number):
    return services.organization_register(
        actor=actor, name=name, registration_number=number, acronym=""
    )


@pytest.mark.parametrize(
    "look_alike",
    [
        "LSM Pelita Pasuruan",
        "lsm pelita pasuruan",
        "LSM  PELITA  Pasuruan",
        "LSM Реlita Pasuruan",  # Cyrillic Р and е
        "LSM Pe1ita Pasuruan",
        "ＬＳＭ Ｐｅｌｉｔａ Ｐａｓｕｒｕａｎ",  # fullwidth
    ],
)
def test_a_name_that_reads_like_a_registered_one_is_refused(citizen, organization, look_alike):
    with pytest.raises(Conflict) as refused:
        register(citizen, look_alike, "SKT-BARU/2026")
    assert refused.value.field == "name"
    assert Organization.objects.count() == 1


def test_a_different_name_is_fine_and_stored_normalised(citizen, organization):
    registered = register(citizen, "ＬＳＭ  Pelita  Probolinggo", "SKT-BARU/2026")
    assert registered.name == "LSM Pelita Probolinggo"


def test_the_api_answers_409_on_the_name_field(api_as, citizen, organization):
    response = api_as(citizen).post(
        "/api/v1/organizations/",
        {
            "name": "LSM PELITA PASURUAN",
            "registration_number": "SKT-BARU/2026",
            "registration_expires_on": "2030-01-01",
        },
        format="json",
    )
    assert response.status_code == 409
    assert "name" in response.json()


def test_renaming_into_another_organizations_name_is_refused(
    representative, organization, other_organization
):
    with pytest.raises(Conflict):
        services.organization_update(
            actor=representative, organization=organization, name="LSM Harapan Bangsa"
        )
    organization.refresh_from_db()
    assert organization.name == "LSM Pelita Pasuruan"


def test_a_renamed_verified_organization_goes_back_to_verification(
    api_as, representative, organization, open_consultation
):
    response = api_as(representative).patch(
        f"/api/v1/organizations/{organization.pk}/", {"name": "LSM Pelita Jaya"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    organization.refresh_from_db()
    assert organization.verified_at is None
    change = organization.changes.get()
    assert change.kind == "renamed"
    assert change.detail == "LSM Pelita Pasuruan (Pelita) → LSM Pelita Jaya (Pelita)"
    item = open_consultation.items.get()
    vote = api_as(representative).put(
        f"/api/v1/items/{item.pk}/vote/", {"choice": "for"}, format="json"
    )
    assert vote.status_code == 403  # a pending organization does not vote


def test_a_new_acronym_is_a_rename_too(representative, organization):
    services.organization_update(actor=representative, organization=organization, acronym="PLT")
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING


def test_the_same_name_or_other_details_keep_the_verification(representative, organization):
    services.organization_update(
        actor=representative,
        organization=organization,
        name="LSM Pelita Pasuruan",
        contact_phone="0343-1",
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.VERIFIED
    assert not organization.changes.exists()


def test_bakesbangpol_verifies_the_new_name(official, representative, organization):
    services.organization_update(
        actor=representative, organization=organization, name="LSM Pelita Jaya"
    )
    verified = services.organization_verify(actor=official, organization=organization)
    assert verified.is_verified
