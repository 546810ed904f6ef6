"""Who may vote, per persona, through the API (403/409 with a message that says why)."""

import pytest
from django.utils import timezone

from consultations.models import Consultation
from hearings.models import Hearing
from tests.factories import AttendanceFactory, HearingFactory
from voting import permissions
from voting.models import Vote

pytestmark = pytest.mark.django_db


def url(item):
    return f"/api/v1/items/{item.pk}/vote/"


def test_anonymous_user_can_not_vote(api_as, stance_item):
    response = api_as(None).put(url(stance_item), {"choice": "for"}, format="json")

    assert response.status_code in (401, 403)
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "persona, message",
    [
        ("citizen", "bukan anggota organisasi"),
        ("member", "perwakilan"),
        ("unverified_member", "belum terverifikasi"),
        ("suspended_representative", "dibekukan"),
        ("official", "bukan anggota organisasi"),
        ("moderator", "bukan anggota organisasi"),
        ("planner", "bukan anggota organisasi"),
    ],
)
def test_persona_can_not_vote(request, api_as, stance_item, persona, message):
    user = request.getfixturevalue(persona)

    response = api_as(user).put(url(stance_item), {"choice": "for"}, format="json")

    assert response.status_code == 403
    assert message in response.json()["detail"]
    assert not Vote.objects.exists()


def test_expired_skt_stops_the_vote_and_says_when(api_as, expired_representative, stance_item):
    response = api_as(expired_representative).put(
        url(stance_item), {"choice": "for"}, format="json"
    )

    assert response.status_code == 403
    assert "12 Maret 2026" in response.json()["detail"]  # backend/templatetags/waktu.py


def test_representative_of_verified_organization_can_vote(api_as, representative, stance_item):
    response = api_as(representative).put(url(stance_item), {"choice": "for"}, format="json")

    assert response.status_code == 200
    assert response.json()["choice"] == "for"
    assert len(response.json()["receipt"]) == 64


def test_closed_consultation_answers_409(api_as, representative, closed_consultation):
    item = closed_consultation.items.get()

    response = api_as(representative).put(url(item), {"choice": "for"}, format="json")

    assert response.status_code == 409
    assert "sudah ditutup" in response.json()["detail"]


def test_passed_closing_time_closes_voting_even_before_the_status_changes(
    api_as, representative, stance_item
):
    Consultation.objects.filter(pk=stance_item.consultation_id).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )

    response = api_as(representative).put(url(stance_item), {"choice": "for"}, format="json")

    assert response.status_code == 409


def test_draft_consultation_items_are_not_found(api_as, representative, draft_consultation):
    from tests.factories import ItemFactory

    item = ItemFactory(consultation=draft_consultation)

    response = api_as(representative).put(url(item), {"choice": "for"}, format="json")

    assert response.status_code == 404


def test_unknown_choice_is_a_400_with_the_allowed_choices(api_as, representative, stance_item):
    response = api_as(representative).put(url(stance_item), {"choice": "maybe"}, format="json")

    assert response.status_code == 400
    assert "choice" in response.json()
    assert not Vote.objects.exists()


def test_missing_choice_is_a_400(api_as, representative, stance_item):
    response = api_as(representative).put(url(stance_item), {}, format="json")

    assert response.status_code == 400


def test_unknown_item_is_a_404(api_as, representative):
    response = api_as(representative).put("/api/v1/items/999999/vote/", {"choice": "for"})

    assert response.status_code == 404


def test_live_window_with_check_in_requires_attendance(api_as, representative, stance_item):
    hearing = HearingFactory(
        consultation=stance_item.consultation,
        status=Hearing.Status.LIVE,
        voting_item=stance_item,
        check_in_required=True,
    )

    refused = api_as(representative).put(url(stance_item), {"choice": "for"}, format="json")
    AttendanceFactory(hearing=hearing, organization=representative.membership.organization)
    accepted = api_as(representative).put(url(stance_item), {"choice": "for"}, format="json")

    assert refused.status_code == 403
    assert "presensi" in refused.json()["detail"]
    assert accepted.status_code == 200


def test_window_without_check_in_or_not_live_does_not_require_attendance(
    representative, stance_item
):
    HearingFactory(
        consultation=stance_item.consultation,
        status=Hearing.Status.SCHEDULED,
        voting_item=stance_item,
        check_in_required=True,
    )
    HearingFactory(
        consultation=stance_item.consultation,
        status=Hearing.Status.LIVE,
        voting_item=None,
        check_in_required=True,
    )

    assert permissions.can_vote(representative, stance_item)


def test_get_own_vote_shows_choice_and_whether_one_may_vote(
    api_as, member, representative, stance_item
):
    api_as(representative).put(url(stance_item), {"choice": "against"}, format="json")

    as_member = api_as(member).get(url(stance_item)).json()
    as_representative = api_as(representative).get(url(stance_item)).json()

    assert as_member["choice"] == "against"
    assert as_member["can_vote"] is False
    assert as_representative["can_vote"] is True
    assert as_representative["receipt"] == as_member["receipt"]


def test_citizen_has_no_own_vote(api_as, citizen, stance_item):
    assert api_as(citizen).get(url(stance_item)).status_code == 403


def test_delete_withdraws_and_returns_a_receipt(api_as, representative, stance_item):
    client = api_as(representative)
    client.put(url(stance_item), {"choice": "for"}, format="json")

    response = client.delete(url(stance_item))

    assert response.status_code == 200
    assert len(response.json()["receipt"]) == 64
    assert not Vote.objects.exists()
    assert client.delete(url(stance_item)).status_code == 404


def test_member_can_not_withdraw(api_as, representative, member, stance_item):
    api_as(representative).put(url(stance_item), {"choice": "for"}, format="json")

    assert api_as(member).delete(url(stance_item)).status_code == 403
    assert Vote.objects.count() == 1


def test_approval_limit_is_a_409(api_as, representative, approval_items):
    client = api_as(representative)
    for item in approval_items[:3]:
        assert client.put(url(item), {"choice": "approve"}, format="json").status_code == 200

    response = client.put(url(approval_items[3]), {"choice": "approve"}, format="json")
    state = client.get(url(approval_items[3])).json()

    assert response.status_code == 409
    assert state["choices_used"] == 3
    assert state["max_choices"] == 3
