"""The final report of the RPJMD consultation has "Aspirasi yang ditampung": totals per
kecamatan and per category, and the accepted proposals with their programmes."""

import pytest

from aspirations import decisions
from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_the_final_report_totals_proposals_per_kecamatan_and_category(
    client,
    lurah,
    camat,
    bappeda,
    proposal,
    propose,
    citizen,
    kel_bukir,
    health,
    drainage_programme,
    rpjmd,
):
    propose(citizen, title="Posyandu Bukir", kelurahan=kel_bukir, category=health)
    for actor in (lurah, camat):
        decisions.aspiration_decide(actor=actor, aspiration=proposal, outcome="forwarded")
        proposal.refresh_from_db()
    decisions.aspiration_decide(
        actor=bappeda,
        aspiration=proposal,
        outcome="accepted",
        item=drainage_programme,
        pagu="175000000",
    )
    Consultation.objects.filter(pk=rpjmd.pk).update(status=Consultation.Status.CONCLUDED)
    page = client.get(f"/konsultasi/{rpjmd.pk}/laporan-akhir/").content.decode()
    assert "Aspirasi yang ditampung" in page
    assert "2 usulan diajukan untuk rencana ini" in page and "1 diterima" in page
    for text in ("Panggungrejo", "Gadingrejo", "Kesehatan", "Pekerjaan Umum dan Penataan Ruang"):
        assert text in page
    assert "1.03.05" in page and "Rp 175.000.000" in page


def test_a_consultation_without_proposals_has_no_such_section(client, closed_consultation):
    Consultation.objects.filter(pk=closed_consultation.pk).update(status="concluded")
    page = client.get(f"/konsultasi/{closed_consultation.pk}/laporan-akhir/").content.decode()
    assert "Aspirasi yang ditampung" not in page
