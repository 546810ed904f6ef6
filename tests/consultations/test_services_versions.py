import pytest

from backend.errors import Conflict, Invalid, NotAllowed
from consultations import selectors, services
from consultations.models import Section
from tests.factories import ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_sections_of_a_draft_are_added_edited_and_deleted(official, draft_consultation):
    section = services.section_add(
        actor=official, consultation=draft_consultation, number="Bab II", heading="H", body="B"
    )
    assert section.position == 2
    services.section_update(actor=official, section=section, heading="Gambaran Umum")
    section.refresh_from_db()
    assert section.heading == "Gambaran Umum"
    services.section_delete(actor=official, section=section)
    assert draft_consultation.sections.count() == 1


def test_a_section_needs_number_heading_and_text(official, draft_consultation):
    for fields in (
        {"number": " ", "heading": "H", "body": "B"},
        {"number": "Bab II", "heading": "", "body": "B"},
        {"number": "Bab II", "heading": "H", "body": "  "},
    ):
        with pytest.raises(Invalid):
            services.section_add(actor=official, consultation=draft_consultation, **fields)
    assert draft_consultation.sections.count() == 1


def test_section_numbers_are_unique_within_a_version(official, draft_consultation):
    with pytest.raises(Conflict):
        services.section_add(
            actor=official, consultation=draft_consultation, number="Bab I", heading="H", body="B"
        )
    other = services.section_add(
        actor=official, consultation=draft_consultation, number="Bab II", heading="H", body="B"
    )
    with pytest.raises(Conflict):
        services.section_update(actor=official, section=other, number="Bab I")


def test_the_published_text_is_not_edited_in_place(official, open_consultation):
    section = open_consultation.sections.first()
    with pytest.raises(Conflict):
        services.section_add(
            actor=official, consultation=open_consultation, number="Pasal 9", heading="H", body="B"
        )
    with pytest.raises(Conflict):
        services.section_update(actor=official, section=section, body="Diubah")
    with pytest.raises(Conflict):
        services.section_delete(actor=official, section=section)
    section.refresh_from_db()
    assert section.body != "Diubah"


def test_a_new_version_copies_the_text_and_keeps_the_old_one(official, open_consultation):
    version = services.version_start(actor=official, consultation=open_consultation, note="v2")
    assert version.number == 2
    assert not version.is_published
    assert selectors.current_version(open_consultation).number == 1
    copy = version.sections.get(number="Pasal 2")
    services.section_update(actor=official, section=copy, body="Teks yang baru sama sekali.")
    services.version_publish(actor=official, version=version)
    assert selectors.current_version(open_consultation).number == 2
    old = Section.objects.get(version__number=1, number="Pasal 2", consultation=open_consultation)
    copy.refresh_from_db()
    assert old.body != copy.body
    assert copy.previous == old
    assert ("insert", "Teks yang baru sama sekali.") in selectors.section_changes(copy)


def test_a_draft_consultation_has_no_second_version(official, draft_consultation):
    with pytest.raises(Conflict):
        services.version_start(actor=official, consultation=draft_consultation)


def test_one_new_version_at_a_time(official, open_consultation):
    services.version_start(actor=official, consultation=open_consultation)
    with pytest.raises(Conflict):
        services.version_start(actor=official, consultation=open_consultation)


def test_a_concluded_consultation_gets_no_new_version(official):
    consultation = ConsultationFactory(status="concluded")
    SectionFactory(consultation=consultation)
    with pytest.raises(Conflict):
        services.version_start(actor=official, consultation=consultation)


def test_a_closed_consultation_may_prepare_a_final_version_but_not_edit_sections(official):
    consultation = ConsultationFactory(status="closed")
    SectionFactory(consultation=consultation)
    version = services.version_start(actor=official, consultation=consultation)
    with pytest.raises(Conflict):
        services.section_update(actor=official, section=version.sections.get(), body="X")
    services.version_publish(actor=official, version=version)


def test_an_empty_version_cannot_be_published(official, open_consultation):
    version = services.version_start(actor=official, consultation=open_consultation)
    for section in version.sections.all():
        services.section_delete(actor=official, section=section)
    with pytest.raises(Conflict):
        services.version_publish(actor=official, version=version)


def test_publishing_a_version_twice_is_a_conflict(official, open_consultation):
    with pytest.raises(Conflict):
        services.version_publish(actor=official, version=open_consultation.versions.get())


def test_a_concluded_consultation_publishes_no_version(official):
    consultation = ConsultationFactory(status="closed")
    SectionFactory(consultation=consultation)
    version = services.version_start(actor=official, consultation=consultation)
    services.consultation_conclude(actor=official, consultation=consultation)
    with pytest.raises(Conflict):
        services.version_publish(actor=official, version=version)


@pytest.mark.parametrize("persona", ["planner", "moderator", "representative"])
def test_only_officials_edit_the_text(request, persona, draft_consultation, open_consultation):
    actor = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.section_add(
            actor=actor, consultation=draft_consultation, number="Bab II", heading="H", body="B"
        )
    with pytest.raises(NotAllowed):
        services.version_start(actor=actor, consultation=open_consultation)
