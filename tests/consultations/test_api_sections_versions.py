import pytest

from consultations import services
from consultations.models import DraftVersion, Section
from tests.factories import ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def url(consultation, suffix=""):
    return f"/api/v1/consultations/{consultation.pk}/{suffix}"


def numbers(response):
    return [row["number"] for row in response.json()]


@pytest.fixture
def revised(official, open_consultation):
    """An open consultation whose version 2 changes Pasal 2 and is not yet published."""
    version = services.version_start(actor=official, consultation=open_consultation, note="Revisi")
    section = version.sections.get(number="Pasal 2")
    services.section_update(
        actor=official,
        section=section,
        body="Setiap warga dan organisasi berhak menyampaikan pendapat secara tertulis.",
    )
    return open_consultation


# Reading sections ------------------------------------------------------------------------


def test_anyone_reads_the_sections_of_an_open_consultation(api_client, open_consultation):
    response = api_client.get(url(open_consultation, "sections/"))
    assert response.status_code == 200
    assert numbers(response) == ["Pasal 1", "Pasal 2", "Pasal 3"]
    assert response.json()[0]["version"] == 1
    assert response.json()[0]["changes"] == []


def test_draft_sections_are_404_for_the_public(api_client, api_as, citizen, draft_consultation):
    assert api_client.get(url(draft_consultation, "sections/")).status_code == 404
    assert api_as(citizen).get(url(draft_consultation, "sections/")).status_code == 404


def test_planner_reads_draft_sections(api_as, planner, draft_consultation):
    assert numbers(api_as(planner).get(url(draft_consultation, "sections/"))) == ["Bab I"]


def test_an_unpublished_new_version_stays_internal(api_client, api_as, moderator, revised):
    public = api_client.get(url(revised, "sections/"))
    assert {row["version"] for row in public.json()} == {1}
    assert api_client.get(url(revised, "sections/?version=2")).status_code == 404
    staff = api_as(moderator).get(url(revised, "sections/?version=2"))
    assert staff.status_code == 200
    assert {row["version"] for row in staff.json()} == {2}


def test_a_published_new_version_shows_what_changed(api_client, api_as, official, revised):
    response = api_as(official).post(url(revised, "versions/2/publish/"))
    assert response.status_code == 200
    assert response.json()["is_published"] is True
    current = api_client.get(url(revised, "sections/")).json()
    assert {row["version"] for row in current} == {2}
    changed = next(row for row in current if row["number"] == "Pasal 2")
    assert {"op": "insert", "text": "dan organisasi"} in changed["changes"]
    assert {"op": "delete", "text": "lisan maupun"} in changed["changes"]
    unchanged = next(row for row in current if row["number"] == "Pasal 1")
    assert all(change["op"] == "equal" for change in unchanged["changes"])
    older = api_client.get(url(revised, "sections/?version=1")).json()
    assert {row["version"] for row in older} == {1}
    assert api_client.get(url(revised)).json()["current_version"] == 2


def test_a_single_section_can_be_read(api_client, open_consultation):
    section = open_consultation.sections.get(number="Pasal 2")
    response = api_client.get(url(open_consultation, f"sections/{section.pk}/"))
    assert response.status_code == 200
    assert response.json()["heading"] == "Tujuan"


def test_a_section_of_another_consultation_is_404(api_client, open_consultation):
    other = ConsultationFactory()
    section = SectionFactory(consultation=other)
    assert api_client.get(url(open_consultation, f"sections/{section.pk}/")).status_code == 404


@pytest.mark.parametrize("version", ["abc", "-1", "1.5"])
def test_a_bad_version_number_is_400(api_client, open_consultation, version):
    assert api_client.get(url(open_consultation, f"sections/?version={version}")).status_code == 400


@pytest.mark.parametrize("version", ["7", "9" * 40])
def test_an_unknown_version_is_404(api_client, open_consultation, version):
    assert api_client.get(url(open_consultation, f"sections/?version={version}")).status_code == 404


def test_listing_sections_takes_a_fixed_number_of_queries(
    api_client, official, django_assert_max_num_queries
):
    consultation = ConsultationFactory()
    for n in range(30):
        SectionFactory(consultation=consultation, number=f"Pasal {n + 1}")
    services.version_start(actor=official, consultation=consultation)
    services.version_publish(actor=official, version=consultation.versions.get(number=2))
    with django_assert_max_num_queries(4):
        response = api_client.get(url(consultation, "sections/"))
    assert len(response.json()) == 30


# Writing sections ------------------------------------------------------------------------


def test_official_adds_a_section_to_a_draft(api_as, official, draft_consultation):
    response = api_as(official).post(
        url(draft_consultation, "sections/"),
        {"number": "Bab II", "heading": "Gambaran Umum", "body": "Kondisi geografis kota."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["position"] == 2
    assert draft_consultation.sections.count() == 2


def test_the_published_text_cannot_be_edited_in_place(api_as, official, open_consultation):
    client = api_as(official)
    section = open_consultation.sections.get(number="Pasal 1")
    add = client.post(
        url(open_consultation, "sections/"),
        {"number": "Pasal 9", "heading": "Baru", "body": "Teks."},
        format="json",
    )
    assert add.status_code == 409
    edit = client.patch(
        url(open_consultation, f"sections/{section.pk}/"), {"heading": "Ubah"}, format="json"
    )
    assert edit.status_code == 409
    assert client.delete(url(open_consultation, f"sections/{section.pk}/")).status_code == 409
    section.refresh_from_db()
    assert section.heading == "Ketentuan Umum"
    assert open_consultation.sections.count() == 3


def test_sections_of_a_new_version_can_be_edited(api_as, official, revised):
    client = api_as(official)
    section = revised.sections.get(version__number=2, number="Pasal 3")
    response = client.put(
        url(revised, f"sections/{section.pk}/"),
        {"number": "Pasal 3", "heading": "Hak dan Kewajiban Warga", "body": "Teks baru."},
        format="json",
    )
    assert response.status_code == 200
    added = client.post(
        url(revised, "sections/"),
        {"number": "Pasal 4", "heading": "Penutup", "body": "Berlaku sejak diundangkan."},
        format="json",
    )
    assert added.status_code == 201
    assert added.json()["version"] == 2
    removed = revised.sections.get(version__number=2, number="Pasal 1")
    assert client.delete(url(revised, f"sections/{removed.pk}/")).status_code == 204
    assert revised.sections.filter(version__number=1).count() == 3


def test_a_duplicate_section_number_is_409(api_as, official, draft_consultation):
    response = api_as(official).post(
        url(draft_consultation, "sections/"),
        {"number": "Bab I", "heading": "Lagi", "body": "Teks."},
        format="json",
    )
    assert response.status_code == 409
    assert draft_consultation.sections.count() == 1


def test_planner_cannot_edit_sections(api_as, planner, draft_consultation):
    section = draft_consultation.sections.get()
    response = api_as(planner).patch(
        url(draft_consultation, f"sections/{section.pk}/"), {"heading": "X"}, format="json"
    )
    assert response.status_code == 403


# Versions --------------------------------------------------------------------------------


def test_official_starts_a_new_version_of_an_open_consultation(api_as, official, open_consultation):
    response = api_as(official).post(
        url(open_consultation, "versions/"), {"note": "Masukan tahap 1"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["number"] == 2
    assert response.json()["is_published"] is False
    copies = Section.objects.filter(version__number=2, consultation=open_consultation)
    assert copies.count() == 3
    assert all(copy.previous_id for copy in copies)


def test_a_draft_consultation_edits_its_first_version_directly(
    api_as, official, draft_consultation
):
    response = api_as(official).post(url(draft_consultation, "versions/"))
    assert response.status_code == 409
    assert draft_consultation.versions.count() == 1


def test_only_one_new_version_at_a_time(api_as, official, revised):
    assert api_as(official).post(url(revised, "versions/")).status_code == 409


def test_the_public_sees_published_versions_only(api_client, api_as, official, revised):
    assert [v["number"] for v in api_client.get(url(revised, "versions/")).json()] == [1]
    assert [v["number"] for v in api_as(official).get(url(revised, "versions/")).json()] == [1, 2]
    assert api_client.get(url(revised, "versions/2/")).status_code == 404
    assert api_as(official).get(url(revised, "versions/2/")).json()["note"] == "Revisi"


def test_publishing_a_version_twice_is_409(api_as, official, revised):
    client = api_as(official)
    assert client.post(url(revised, "versions/2/publish/")).status_code == 200
    assert client.post(url(revised, "versions/2/publish/")).status_code == 409


def test_the_first_version_is_published_with_the_consultation(api_as, official, draft_consultation):
    response = api_as(official).post(url(draft_consultation, "versions/1/publish/"))
    assert response.status_code == 409
    assert not DraftVersion.objects.get(consultation=draft_consultation).is_published


def test_member_cannot_start_a_version(api_as, member, open_consultation):
    assert api_as(member).post(url(open_consultation, "versions/")).status_code == 403
    assert open_consultation.versions.count() == 1
