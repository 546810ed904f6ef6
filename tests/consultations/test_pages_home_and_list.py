import pytest
from django.urls import reverse

from consultations.models import Consultation
from tests.factories import AgencyFactory, ConsultationFactory
from tests.pages_support import NAV_PHRASE, PERSONAS, client_for, persona

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", PERSONAS)
def test_home_renders_for_every_persona_in_both_languages(
    request, name, language, open_consultation
):
    response = client_for(persona(request, name), language).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert NAV_PHRASE[language] in html
    assert open_consultation.title in html


def test_home_speaks_indonesian_even_to_an_english_browser(open_consultation):
    response = client_for(None).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Konsultasi yang sedang dibuka" in response.content.decode()


def test_language_switch_sets_english_and_returns_to_the_page(client, open_consultation):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("consultation-list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("consultation-list")
    assert "Filter consultations" in client.get(reverse("consultation-list")).content.decode()


def test_home_lists_only_open_consultations(open_consultation, draft_consultation):
    closed = ConsultationFactory(title="Konsultasi yang sudah ditutup", status="closed")
    html = client_for(None).get(reverse("home")).content.decode()
    assert open_consultation.title in html
    assert draft_consultation.title not in html
    assert closed.title not in html


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", PERSONAS)
def test_consultation_list_renders_for_every_persona(request, name, language, open_consultation):
    response = client_for(persona(request, name), language).get(reverse("consultation-list"))
    assert response.status_code == 200
    assert open_consultation.title in response.content.decode()


def test_list_hides_drafts_from_the_public_but_shows_them_to_officials(
    official, draft_consultation, open_consultation
):
    public = client_for(None).get(reverse("consultation-list")).content.decode()
    assert draft_consultation.title not in public
    internal = client_for(official).get(reverse("consultation-list")).content.decode()
    assert draft_consultation.title in internal


def test_list_filters_by_kind_status_agency_and_text(open_consultation):
    bappeda = AgencyFactory(name="Bappeda Kota Pasuruan", acronym="Bappeda")
    rpjmd = ConsultationFactory(
        title="Rancangan Awal RPJMD", kind=Consultation.Kind.RPJMD, agency=bappeda
    )
    closed = ConsultationFactory(title="Perwali Sampah", status=Consultation.Status.CLOSED)
    client = client_for(None)

    def titles(**query):
        html = client.get(reverse("consultation-list"), query).content.decode()
        return {c.title for c in (open_consultation, rpjmd, closed) if c.title in html}

    assert titles(kind="rpjmd") == {rpjmd.title}
    assert titles(status="closed") == {closed.title}
    assert titles(agency=bappeda.pk) == {rpjmd.title}
    assert titles(q="sampah") == {closed.title}
    assert titles() == {open_consultation.title, rpjmd.title, closed.title}


def test_invalid_filters_are_ignored_with_a_message_not_an_error(open_consultation):
    response = client_for(None).get(reverse("consultation-list"), {"status": "nonsense"})
    assert response.status_code == 200
    assert "tidak valid" in response.content.decode()


def test_list_paginates_and_keeps_the_filters(open_consultation):
    for n in range(25):
        ConsultationFactory(title=f"Konsultasi nomor {n}", kind=Consultation.Kind.RPJMD)
    response = client_for(None).get(reverse("consultation-list"), {"kind": "rpjmd"})
    html = response.content.decode()
    assert "kind=rpjmd&amp;page=2" in html
    second = client_for(None).get(reverse("consultation-list"), {"kind": "rpjmd", "page": 2})
    assert second.status_code == 200
    assert "Halaman 2 dari 2" in second.content.decode()


def test_list_needs_a_bounded_number_of_queries(django_assert_max_num_queries):
    for n in range(15):
        ConsultationFactory(title=f"Konsultasi {n}")
    client = client_for(None)
    with django_assert_max_num_queries(8):
        client.get(reverse("consultation-list"))
