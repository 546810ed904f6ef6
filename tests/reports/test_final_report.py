import pytest
from django.utils import timezone

from comments.models import Response
from consultations.models import Consultation
from tests.factories import (
    CommentFactory,
    DraftVersionFactory,
    ResponseFactory,
    SectionFactory,
)
from tests.feedback_data import consultation_with_comments


@pytest.fixture
def concluded(open_consultation, organization, representative, official):
    world = consultation_with_comments(open_consultation, organization, representative, official)
    consultation = world.consultation
    pasal1, pasal2, pasal3 = world.sections
    final = DraftVersionFactory(consultation=consultation, number=2, published_at=timezone.now())
    SectionFactory(
        consultation=consultation,
        version=final,
        number="Pasal 1",
        heading="Ketentuan Umum",
        body=pasal1.body + " Termasuk taman kampung.",
        previous=pasal1,
        position=1,
    )
    SectionFactory(
        consultation=consultation,
        version=final,
        number="Pasal 2",
        heading="Tujuan",
        body=pasal2.body,
        previous=pasal2,
        position=2,
    )
    SectionFactory(
        consultation=consultation,
        version=final,
        number="Pasal 4",
        heading="Pemantauan",
        body="Bappeda memantau pelaksanaan setiap tahun.",
        position=4,
    )
    ResponseFactory(
        comment=None,
        consultation=consultation,
        section=pasal2,
        responder=official,
        outcome=Response.Outcome.NOTED,
        body="Indikator tujuan akan disusun bersama Bappeda.",
        published_at=timezone.now(),
    )
    ResponseFactory(
        comment=world.published[2],
        responder=official,
        outcome=Response.Outcome.ACCEPTED,
        body="Draf jawaban yang belum diterbitkan.",
        published_at=None,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.CONCLUDED, concluded_at=timezone.now()
    )
    consultation.refresh_from_db()
    world.consultation = consultation
    return world


def report_url(consultation):
    return f"/konsultasi/{consultation.pk}/laporan-akhir/"


def test_anyone_reads_the_final_report_of_a_concluded_consultation(client, concluded):
    response = client.get(report_url(concluded.consultation))

    assert response.status_code == 200
    html = response.content.decode()
    assert concluded.consultation.title in html
    assert "@media print" not in html  # print styles live in the stylesheet
    assert "feedback.css" in html


def test_you_said_we_did_shows_published_answers_only(client, concluded):
    html = client.get(report_url(concluded.consultation)).content.decode()

    assert "Taman kampung dimasukkan ke penjelasan Pasal 1." in html
    assert "Indikator tujuan akan disusun bersama Bappeda." in html
    assert "Draf jawaban yang belum diterbitkan." not in html
    assert "Komentar yang disembunyikan moderator." not in html
    assert "menunggu moderasi" not in html


def test_the_report_shows_what_changed_in_the_final_version(client, concluded):
    response = client.get(report_url(concluded.consultation))

    changes = {c["section"].number: c for c in response.context["changes"]}
    assert changes["Pasal 1"]["kind"] == "changed"
    assert ("insert", "Termasuk taman kampung.") in changes["Pasal 1"]["ops"]
    assert changes["Pasal 2"]["kind"] == "unchanged"
    assert changes["Pasal 4"]["kind"] == "new"
    assert changes["Pasal 3"]["kind"] == "removed"
    assert "<ins>Termasuk taman kampung.</ins>" in response.content.decode()


def test_the_matrix_follows_the_consulted_sections(client, concluded):
    response = client.get(report_url(concluded.consultation))

    matrix = {row["section"].number: row for row in response.context["matrix"] if row["section"]}
    assert matrix["Pasal 1"]["section"].pk == concluded.sections[0].pk
    assert len(matrix["Pasal 1"]["answered"]) == 1
    assert matrix["Pasal 2"]["unanswered"] == 2
    assert len(matrix["Pasal 2"]["section_responses"]) == 1


def test_final_tallies_are_listed_per_item(client, concluded):
    response = client.get(report_url(concluded.consultation))

    assert [row["tally"].item.pk for row in response.context["tally_rows"]] == [
        item.pk for item in concluded.items
    ]
    assert not any(row["tally"].hidden for row in response.context["tally_rows"])


def test_an_open_consultation_has_no_public_final_report(client, open_consultation):
    assert client.get(report_url(open_consultation)).status_code == 404


def test_planner_may_preview_the_report_before_it_is_concluded(client, planner, open_consultation):
    client.force_login(planner)

    response = client.get(report_url(open_consultation))

    assert response.status_code == 200
    assert response.context["concluded"] is False


def test_the_consultation_page_of_a_concluded_consultation_links_the_final_report(
    client, concluded
):
    html = client.get(f"/konsultasi/{concluded.consultation.pk}/").content.decode()

    assert f"/konsultasi/{concluded.consultation.pk}/laporan-akhir/" in html


def test_the_demo_final_report_shows_what_changed(client, db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    consultation = Consultation.objects.get(status=Consultation.Status.CONCLUDED)

    response = client.get(report_url(consultation))

    kinds = {c["section"].number: c["kind"] for c in response.context["changes"]}
    assert kinds["Pasal 2"] == "changed"
    assert kinds["Pasal 4"] == "new"
    assert consultation.versions.count() == 2


@pytest.fixture
def revised_while_open(open_consultation, organization, representative, official):
    """Version 2 of the text was published while the consultation was open; people then
    commented on its sections. Concluded with version 2 as the final text."""
    world = consultation_with_comments(open_consultation, organization, representative, official)
    consultation = world.consultation
    second = DraftVersionFactory(consultation=consultation, number=2, published_at=timezone.now())
    for section in world.sections:
        revised = SectionFactory(
            consultation=consultation,
            version=second,
            number=section.number,
            heading=section.heading,
            body=section.body + " (versi 2)",
            previous=section,
            position=section.position,
        )
        CommentFactory(
            consultation=consultation,
            section=revised,
            stance="oppose",
            body=f"Tentang {revised.number} versi 2.",
        )
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.CONCLUDED, concluded_at=timezone.now()
    )
    consultation.refresh_from_db()
    return consultation


def test_each_section_is_listed_once_whichever_version_was_commented_on(client, revised_while_open):
    response = client.get(report_url(revised_while_open))

    numbers = [row["section"].number for row in response.context["matrix"] if row["section"]]
    assert numbers == ["Pasal 1", "Pasal 2", "Pasal 3"]
    said = response.content.decode().split('id="matrix-title"')[1].split('id="changes-title"')[0]
    assert said.count("Pasal 1 · ") == 1


def test_comments_on_the_later_version_count_under_their_section(client, revised_while_open):
    response = client.get(report_url(revised_while_open))

    matrix = {row["section"].number: row for row in response.context["matrix"] if row["section"]}
    published_v1 = revised_while_open.comments.filter(
        section__version__number=1, status="published", is_removed=False
    )
    for number, row in matrix.items():
        on_v1 = published_v1.filter(section__number=number).count()
        assert row["total"] == on_v1 + 1, number
        assert row["counts"]["oppose"] >= 1
