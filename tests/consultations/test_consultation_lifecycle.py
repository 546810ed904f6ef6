import pytest

from backend.errors import Conflict, NotAllowed
from consultations import services
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_official_can_publish_a_draft_with_sections(official, draft_consultation):
    consultation = services.consultation_publish(actor=official, consultation=draft_consultation)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.versions.get().is_published


def test_member_cannot_publish(member, draft_consultation):
    with pytest.raises(NotAllowed):
        services.consultation_publish(actor=member, consultation=draft_consultation)
    draft_consultation.refresh_from_db()
    assert draft_consultation.status == Consultation.Status.DRAFT


def test_consultation_without_sections_cannot_be_published(official):
    consultation = services.consultation_create(actor=official, title="Kosong")
    with pytest.raises(Conflict):
        services.consultation_publish(actor=official, consultation=consultation)


def test_cannot_close_before_opening(official, draft_consultation):
    with pytest.raises(Conflict):
        services.consultation_close(actor=official, consultation=draft_consultation, reason="X")
