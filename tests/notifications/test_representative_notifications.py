"""Representatives hear of an invitation, of voting opening (a consultation, or a live
window in a hearing), of voting closing within 24 hours while their organization has not
voted (once), and of the final tallies."""

import datetime

import pytest
from django.utils import timezone

from accounts import memberships as accounts_memberships
from consultations import services as consultation_services
from consultations.models import Consultation
from notifications import services
from notifications.models import Notification, Reminder
from tests.factories import ConsultationFactory, HearingFactory, ItemFactory, SectionFactory
from tests.notifications.conftest import kinds_of
from voting import services as voting_services

pytestmark = pytest.mark.django_db


def test_an_invitation_to_join_reaches_the_invited_user(committed, representative, citizen):
    committed(
        accounts_memberships.membership_invite,
        actor=representative,
        organization=representative.membership.organization,
        username="warga",
        role="member",
    )
    notification = Notification.objects.get(user=citizen)
    assert notification.kind == "membership_invited"
    assert "LSM Pelita Pasuruan" in notification.title


def test_an_invitation_for_a_username_nobody_has_tells_nobody(committed, representative):
    committed(
        accounts_memberships.membership_invite,
        actor=representative,
        organization=representative.membership.organization,
        username="tidak.ada",
        role="member",
    )
    assert not Notification.objects.exists()


def test_publishing_a_consultation_with_items_tells_the_representatives_voting_is_open(
    committed, official, draft_consultation, representative, other_representative, member
):
    ItemFactory(consultation=draft_consultation, title="Rancangan secara keseluruhan")
    committed(
        consultation_services.consultation_publish, actor=official, consultation=draft_consultation
    )
    assert kinds_of(representative) == ["voting_opened"]
    assert kinds_of(other_representative) == ["voting_opened"]
    assert kinds_of(member) == []  # members comment; representatives vote


def test_the_clock_opening_a_scheduled_consultation_tells_the_representatives(
    committed, representative
):
    consultation = ConsultationFactory(
        status=Consultation.Status.SCHEDULED,
        opens_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    SectionFactory(consultation=consultation)
    ItemFactory(consultation=consultation)
    committed(consultation_services.consultation_open_due, consultation=consultation)
    assert kinds_of(representative) == ["voting_opened"]


def test_a_live_voting_window_tells_the_representatives(
    committed, official, open_consultation, representative
):
    hearing = HearingFactory(consultation=open_consultation, status="live", title="FKP Pasal 1")
    item = open_consultation.items.get()
    committed(voting_services.hearing_open_voting, actor=official, hearing=hearing, item=item)
    notification = Notification.objects.get(user=representative)
    assert notification.kind == "voting_opened"
    assert "FKP Pasal 1" in notification.title
    assert notification.url == f"/hearings/{hearing.pk}/"


def test_voting_closing_in_24_hours_reminds_only_organizations_that_have_not_voted_once(
    representative, other_representative, open_consultation
):
    open_consultation.closes_at = timezone.now() + datetime.timedelta(hours=10)
    open_consultation.save(update_fields=["closes_at"])
    voting_services.vote_cast(
        actor=representative, item=open_consultation.items.get(), choice="for"
    )
    services.voting_closing_remind()
    services.voting_closing_remind()  # the job runs every 15 minutes
    assert kinds_of(other_representative) == ["voting_closing"]
    assert kinds_of(representative) == []
    assert Reminder.objects.filter(key__startswith="voting_closing:").count() == 1


def test_voting_closing_later_than_24_hours_reminds_nobody(other_representative, open_consultation):
    services.voting_closing_remind()  # closes in 30 days
    assert kinds_of(other_representative) == []


def test_closing_a_consultation_tells_the_representatives_of_the_final_tallies(
    committed, official, open_consultation, representative, other_representative
):
    committed(
        consultation_services.consultation_close,
        actor=official,
        consultation=open_consultation,
        reason="Batas waktu dimajukan oleh keputusan wali kota.",
    )
    assert kinds_of(representative) == ["tallies_final"]
    assert kinds_of(other_representative) == ["tallies_final"]
