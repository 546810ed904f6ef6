"""The pages: list with filters, a proposal (support, decide, score, comment), submitting and
editing, "Usulan saya", the triage queue, the ranking and a programme's proposals."""

import pytest
from django.conf import settings

from aspirations import decisions
from aspirations.models import Aspiration, Decision, Score
from tests.aspirations.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_list_speaks_indonesian_and_english_on_request(client, proposal):
    page = html(client.get("/aspirasi/"))
    assert "Aspirasi (usulan)" in page and proposal.title in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get("/aspirasi/"))
    assert "Proposals (aspirasi)" in page


def test_the_list_filters_by_area_and_stage(client, proposal, propose, citizen, kel_bukir):
    elsewhere = propose(citizen, title="Paving jalan Bukir", kelurahan=kel_bukir)
    page = html(client.get(f"/aspirasi/?kecamatan={kel_bukir.kecamatan_id}"))
    assert elsewhere.title in page and proposal.title not in page
    page = html(client.get("/aspirasi/?stage=kota"))
    assert elsewhere.title not in page and "Tidak ada usulan" in page


def test_the_list_pages_back_in_time(client, propose, citizen):
    made = [propose(citizen, title=f"Usulan nomor {n:02d}") for n in range(22)]
    first = html(client.get("/aspirasi/"))
    assert made[-1].title in first and made[0].title not in first
    assert f"sebelum={made[2].pk}" in first
    older = html(client.get(f"/aspirasi/?sebelum={made[2].pk}"))
    assert made[0].title in older and made[-1].title not in older


def test_a_representative_supports_from_the_page(client, other_representative, proposal):
    client.force_login(other_representative)
    assert "Dukung usulan ini" in html(client.get(f"/aspirasi/{proposal.pk}/"))
    response = client.post(f"/aspirasi/{proposal.pk}/dukung/", {"action": "support"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.support_organizations == 1
    assert "Tarik dukungan" in html(client.get(f"/aspirasi/{proposal.pk}/"))


def test_the_page_says_why_one_may_not_support(client, representative, proposal):
    client.force_login(representative)
    page = html(client.get(f"/aspirasi/{proposal.pk}/"))
    assert "tidak dapat mendukung usulannya sendiri" in page
    assert "Dukung usulan ini" not in page


def test_only_the_stage_official_sees_the_decision_form(client, lurah, camat, proposal):
    client.force_login(camat)
    assert "Catat keputusan" not in html(client.get(f"/aspirasi/{proposal.pk}/"))
    client.force_login(lurah)
    assert "Catat keputusan" in html(client.get(f"/aspirasi/{proposal.pk}/"))


def test_the_official_scores_and_decides_from_the_page(client, lurah, proposal, criteria):
    client.force_login(lurah)
    fields = {f"score-{c.pk}": str(n) for c, n in zip(criteria, (4, 5, 3), strict=True)}
    client.post(f"/aspirasi/{proposal.pk}/skor/", fields)
    assert sorted(Score.objects.values_list("value", flat=True)) == [3, 4, 5]
    response = client.post(
        f"/aspirasi/{proposal.pk}/putuskan/",
        {"outcome": "forwarded", "reason": "Prioritas kelurahan."},
    )
    assert response.status_code == 302
    timeline = html(client.get(f"/aspirasi/{proposal.pk}/"))
    assert "Diteruskan ke tahap berikutnya" in timeline and "Pak Lurah" in timeline


def test_a_refused_decision_is_shown_and_writes_nothing(client, lurah, proposal):
    client.force_login(lurah)
    client.post(f"/aspirasi/{proposal.pk}/putuskan/", {"outcome": "rejected", "reason": ""})
    assert not Decision.objects.exists()
    page = html(client.get(f"/aspirasi/{proposal.pk}/"))
    assert "Tuliskan alasan keputusan ini" in page


def test_a_citizen_submits_a_proposal_with_a_photo_from_the_form(
    client, citizen, rpjmd, public_works, kel_panggungrejo
):
    client.force_login(citizen)
    form = html(client.get("/aspirasi/baru/"))
    assert "Anda mengusulkan sebagai warga." in form and 'enctype="multipart/form-data"' in form
    response = client.post(
        "/aspirasi/baru/",
        {
            "title": "Taman bermain anak RW 07",
            "description": "Lahan kosong milik kelurahan dapat dijadikan taman bermain.",
            "category": public_works.pk,
            "kelurahan": kel_panggungrejo.pk,
            "rw": "7",
            "estimated_cost": "90000000",
            "beneficiaries": "300",
            "attachments": [upload("lahan.png", png_bytes(), "image/png")],
        },
    )
    proposal = Aspiration.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aspirasi/{proposal.pk}/"
    page = html(client.get(response["Location"]))
    assert "Taman bermain anak RW 07" in page and "lahan.png" in page and "<img" in page


def test_a_refused_form_keeps_what_was_typed(client, citizen, rpjmd, public_works):
    client.force_login(citizen)
    response = client.post(
        "/aspirasi/baru/",
        {"title": "Judul yang diketik", "description": "Uraian", "category": public_works.pk},
    )
    assert response.status_code == 400
    assert "Judul yang diketik" in html(response)
    assert not Aspiration.objects.exists()


def test_staff_get_no_form(client, official, rpjmd):
    client.force_login(official)
    assert client.get("/aspirasi/baru/").status_code == 403


def test_the_author_edits_until_the_first_decision(client, representative, lurah, proposal):
    client.force_login(representative)
    page = html(client.get(f"/aspirasi/{proposal.pk}/ubah/"))
    assert proposal.title in page
    fields = {
        "title": "Perbaikan saluran drainase (diperluas)",
        "description": proposal.description,
        "category": proposal.category_id,
        "kelurahan": proposal.kelurahan_id,
        "estimated_cost": "160000000",
        "beneficiaries": "500",
    }
    assert client.post(f"/aspirasi/{proposal.pk}/ubah/", fields).status_code == 302
    proposal.refresh_from_db()
    assert proposal.version == 2
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    assert client.get(f"/aspirasi/{proposal.pk}/ubah/").status_code == 409


def test_my_proposals_shows_each_decision(client, representative, member, lurah, proposal):
    decisions.aspiration_decide(
        actor=lurah, aspiration=proposal, outcome="deferred", reason="Menunggu survei lokasi."
    )
    client.force_login(member)  # a colleague in Pelita sees the organization's proposals
    page = html(client.get("/aspirasi/saya/"))
    assert proposal.title in page and "Menunggu survei lokasi." in page


def test_the_triage_queue_is_the_officials(client, lurah, citizen, proposal, propose):
    client.force_login(lurah)
    page = html(client.get("/aspirasi/triase/"))
    assert proposal.title in page and "Rekap (XLSX)" in page
    client.force_login(citizen)
    assert client.get("/aspirasi/triase/").status_code == 403


def test_the_ranking_page_asks_for_an_area_and_then_ranks(client, proposal, kel_panggungrejo):
    assert "Pilih wilayah tahap ini" in html(client.get("/aspirasi/peringkat/?stage=kelurahan"))
    page = html(client.get(f"/aspirasi/peringkat/?stage=kelurahan&kelurahan={kel_panggungrejo.pk}"))
    assert proposal.title in page


def test_the_programme_lists_what_it_carries_and_the_consultation_links_to_it(
    client, lurah, camat, bappeda, proposal, drainage_programme
):
    for actor in (lurah, camat):
        decisions.aspiration_decide(
            actor=actor, aspiration=Aspiration.objects.get(pk=proposal.pk), outcome="forwarded"
        )
    decisions.aspiration_decide(
        actor=bappeda,
        aspiration=Aspiration.objects.get(pk=proposal.pk),
        outcome="accepted",
        item=drainage_programme,
        pagu="120000000",
    )
    page = html(client.get(f"/aspirasi/program/{drainage_programme.pk}/"))
    assert proposal.title in page and "Rp 120.000.000" in page
    consultation = html(client.get(f"/konsultasi/{drainage_programme.consultation_id}/"))
    assert f"/aspirasi/program/{drainage_programme.pk}/" in consultation
    assert "1 usulan ditampung program ini" in consultation


def test_unknown_and_overlong_ids_are_404(client):
    assert client.get("/aspirasi/424242/").status_code == 404
    assert client.get("/aspirasi/99999999999999999999999/").status_code == 404
    assert client.get("/api/v1/aspirations/99999999999999999999999/").status_code == 404
