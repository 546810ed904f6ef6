import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, Invalid, NotAllowed
from consultations import services
from consultations.models import Consultation
from tests.factories import ConsultationFactory, ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_official_creates_a_draft_with_a_first_version(official):
    consultation = services.consultation_create(
        actor=official, title=" Perwali Pasar ", kind="policy_draft", closes_at=later(30)
    )
    assert consultation.status == Consultation.Status.DRAFT
    assert consultation.title == "Perwali Pasar"
    assert [v.number for v in consultation.versions.all()] == [1]


@pytest.mark.parametrize("persona", ["planner", "moderator", "representative", "anonymous"])
def test_only_officials_create(request, persona):
    with pytest.raises(NotAllowed):
        services.consultation_create(actor=request.getfixturevalue(persona), title="X")
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"title": " "},
        {"title": "X", "opens_at": later(5), "closes_at": later(1)},
        {"title": "X", "max_choices": 0},
        {"title": "X", "kind": "perda"},
        {"title": "X", "color": "red"},
    ],
)
def test_invalid_consultations_are_refused(official, fields):
    with pytest.raises(Invalid):
        services.consultation_create(actor=official, **fields)
    assert not Consultation.objects.exists()


def test_a_draft_may_change_anything(official, draft_consultation):
    services.consultation_update(
        actor=official, consultation=draft_consultation, ballot="secret", voting_method="approval"
    )
    draft_consultation.refresh_from_db()
    assert draft_consultation.ballot == "secret"


def test_an_open_consultation_keeps_its_rules(official, open_consultation):
    services.consultation_update(
        actor=official, consultation=open_consultation, title="Judul", closes_at=later(60)
    )
    with pytest.raises(Conflict):
        services.consultation_update(
            actor=official, consultation=open_consultation, moderation="pre"
        )
    open_consultation.refresh_from_db()
    assert open_consultation.moderation == "post"
    assert open_consultation.title == "Judul"


def test_an_open_consultation_cannot_close_in_the_past_by_editing(official, open_consultation):
    with pytest.raises(Invalid):
        services.consultation_update(
            actor=official, consultation=open_consultation, closes_at=later(-1)
        )


def test_sending_an_unchanged_rule_field_while_open_is_fine(official, open_consultation):
    services.consultation_update(
        actor=official, consultation=open_consultation, ballot=open_consultation.ballot
    )


@pytest.mark.parametrize("status", ["closed", "concluded"])
def test_a_closed_consultation_cannot_change(official, status):
    consultation = ConsultationFactory(status=status)
    with pytest.raises(Conflict):
        services.consultation_update(actor=official, consultation=consultation, title="Baru")


# Lifecycle -------------------------------------------------------------------------------


def test_publish_with_a_later_opening_time_schedules_it(official):
    consultation = ConsultationFactory(status="draft", opens_at=later(3), closes_at=later(30))
    SectionFactory(consultation=consultation)
    consultation = services.consultation_publish(actor=official, consultation=consultation)
    assert consultation.status == "scheduled"
    assert consultation.opens_at > timezone.now()
    assert consultation.published_at is not None


def test_publishing_after_the_closing_time_is_a_conflict(official):
    consultation = ConsultationFactory(status="draft", opens_at=later(-10), closes_at=later(-1))
    SectionFactory(consultation=consultation)
    with pytest.raises(Conflict):
        services.consultation_publish(actor=official, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == "draft"
    assert not consultation.versions.get().is_published


def test_an_approval_vote_needs_enough_items(official):
    consultation = ConsultationFactory(status="draft", voting_method="approval", max_choices=3)
    SectionFactory(consultation=consultation)
    ItemFactory.create_batch(2, consultation=consultation)
    with pytest.raises(Conflict):
        services.consultation_publish(actor=official, consultation=consultation)
    ItemFactory(consultation=consultation)
    assert services.consultation_publish(actor=official, consultation=consultation).is_open


def test_close_then_conclude(official, open_consultation):
    closed = services.consultation_close(
        actor=official, consultation=open_consultation, reason="Jadwal DPRD maju."
    )
    assert closed.status == "closed"
    assert closed.closed_at is not None
    assert closed.closes_at <= timezone.now()
    with pytest.raises(Conflict):
        services.consultation_close(actor=official, consultation=closed, reason="Lagi.")
    concluded = services.consultation_conclude(actor=official, consultation=closed)
    assert concluded.status == "concluded"
    with pytest.raises(Conflict):
        services.consultation_conclude(actor=official, consultation=concluded)


def test_cannot_conclude_an_open_consultation(official, open_consultation):
    with pytest.raises(Conflict):
        services.consultation_conclude(actor=official, consultation=open_consultation)


@pytest.mark.parametrize("persona", ["planner", "moderator", "member"])
def test_only_officials_move_the_lifecycle(request, persona, open_consultation):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.consultation_close(actor=actor, consultation=open_consultation, reason="X")
    open_consultation.refresh_from_db()
    assert open_consultation.status == "open"
