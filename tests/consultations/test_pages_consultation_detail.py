from decimal import Decimal

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import Consultation
from tests.factories import ConsultationFactory, ItemFactory, SectionFactory
from tests.pages_support import NAV_PHRASE, PERSONAS, client_for, persona

pytestmark = pytest.mark.django_db


def detail(consultation, **query):
    url = reverse("consultation-detail", args=[consultation.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", PERSONAS)
def test_detail_renders_for_every_persona_in_both_languages(
    request, name, language, open_consultation
):
    response = client_for(persona(request, name), language).get(detail(open_consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert NAV_PHRASE[language] in html
    assert open_consultation.title in html
    assert {"id": "Daftar isi", "en": "Contents"}[language] in html


@pytest.mark.parametrize("name", ["anonymous", "citizen", "member", "representative"])
def test_a_draft_is_not_found_for_the_public(request, name, draft_consultation):
    response = client_for(persona(request, name)).get(detail(draft_consultation))
    assert response.status_code == 404
    assert draft_consultation.title not in response.content.decode()


@pytest.mark.parametrize("name", ["official", "moderator", "planner"])
def test_staff_can_preview_a_draft(request, name, draft_consultation):
    response = client_for(persona(request, name)).get(detail(draft_consultation))
    assert response.status_code == 200
    assert "Pendahuluan" in response.content.decode()


def test_unknown_consultation_is_a_friendly_404():
    response = client_for(None).get(reverse("consultation-detail", args=[999999]))
    assert response.status_code == 404
    assert "Halaman yang Anda cari tidak ada." in response.content.decode()


def test_sections_come_in_order_with_anchors_and_a_table_of_contents(open_consultation):
    html = client_for(None).get(detail(open_consultation)).content.decode()
    assert html.index('id="pasal-1"') < html.index('id="pasal-2"') < html.index('id="pasal-3"')
    assert 'href="#pasal-3"' in html
    assert "Hak Warga" in html


def test_each_section_and_item_renders_its_footer_include(open_consultation, settings):
    """The comments and voting branches fill these includes, once per section and item."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "consultations/_section_footer.html": "[thread {{ section.number }}]",
                    "consultations/_item_footer.html": "[vote {{ item.title }}]",
                },
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [engine]
    html = client_for(None).get(detail(open_consultation)).content.decode()
    for number in ("Pasal 1", "Pasal 2", "Pasal 3"):
        assert f"[thread {number}]" in html
    assert "[vote Rancangan secara keseluruhan]" in html


def test_rpjmd_items_show_code_path_indicators_and_rupiah_ceiling():
    consultation = ConsultationFactory(kind=Consultation.Kind.RPJMD, title="RPJMD 2025–2029")
    SectionFactory(consultation=consultation, number="Bab I", heading="Pendahuluan")
    ItemFactory(
        consultation=consultation,
        code="1.02.02",
        title="Peningkatan Kualitas Pelayanan Kesehatan Masyarakat",
        programme_path="Misi 2 › Sasaran 2.1",
        indicators=["Angka kematian ibu: 98 → 75"],
        budget_ceiling=Decimal("1500000000"),
    )
    html = client_for(None).get(detail(consultation)).content.decode()
    assert "1.02.02" in html
    assert "Misi 2 › Sasaran 2.1" in html
    assert "Angka kematian ibu: 98 → 75" in html
    assert "Rp 1.500.000.000" in html
    assert "Pagu indikatif" in html


def test_a_new_version_highlights_what_changed_and_keeps_the_old_text(official):
    consultation = services.consultation_create(actor=official, title="Perwali Partisipasi")
    services.section_add(
        actor=official,
        consultation=consultation,
        number="Pasal 1",
        heading="Ketentuan Umum",
        body="Daerah adalah Kota Pasuruan.",
    )
    services.section_add(
        actor=official,
        consultation=consultation,
        number="Pasal 3",
        heading="Hak Masyarakat",
        body="Rancangan dibagikan paling lambat 14 hari sebelum forum.",
    )
    services.consultation_publish(actor=official, consultation=consultation)
    version = services.version_start(
        actor=official, consultation=consultation, note="Jangka waktu diperpanjang."
    )
    services.section_update(
        actor=official,
        section=version.sections.get(number="Pasal 3"),
        body="Rancangan dibagikan paling lambat 21 hari sebelum forum.",
    )
    services.version_publish(actor=official, version=version)
    client = client_for(None)

    current = client.get(detail(consultation)).content.decode()
    assert "<del>14</del>" in current
    assert "<ins>21</ins>" in current
    assert "Jangka waktu diperpanjang." in current
    assert current.count("changed-mark") == 1  # only Pasal 3 is marked in the contents

    old = client.get(detail(consultation, version=1)).content.decode()
    assert "paling lambat 14 hari" in old
    assert "<ins>" not in old
    assert "versi 1, naskah yang lebih lama" in old


@pytest.mark.parametrize("version", ["7", "abc", "0"])
def test_an_unknown_version_is_not_found(open_consultation, version):
    response = client_for(None).get(detail(open_consultation, version=version))
    assert response.status_code == 404


def test_an_unpublished_version_is_hidden_from_the_public_but_not_from_officials(
    official, open_consultation
):
    services.version_start(actor=official, consultation=open_consultation)
    assert client_for(None).get(detail(open_consultation, version=2)).status_code == 404
    assert client_for(official).get(detail(open_consultation, version=2)).status_code == 200


def test_section_text_is_escaped(open_consultation):
    SectionFactory(
        consultation=open_consultation,
        number="Pasal 9",
        heading="<script>alert(1)</script>",
        body="<b>tebal</b>",
    )
    html = client_for(None).get(detail(open_consultation)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;tebal&lt;/b&gt;" in html


def test_detail_needs_a_bounded_number_of_queries(open_consultation, django_assert_max_num_queries):
    for n in range(10):
        SectionFactory(consultation=open_consultation, number=f"Pasal {n + 10}")
        ItemFactory(consultation=open_consultation)
    client = client_for(None)
    with django_assert_max_num_queries(8):
        client.get(detail(open_consultation))
