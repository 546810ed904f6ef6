"""The issue's "Done means", through the API as the demo's people would do it: Pelita
proposes drainage repair in Kelurahan Panggungrejo with a photo; FWPL and a citizen support
it; the kelurahan official forwards it; the kecamatan official scores it (second of two) and
forwards it; Bappeda accepts it into programme 1.03.05 with a pagu. Pelita reads the whole
timeline, the programme's page lists the proposal, the kecamatan's rekap opens in openpyxl
with the scores and the decisions."""

import io

import openpyxl
import pytest

from tests.aspirations.conftest import png_bytes, upload
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fwpl_representative(db):
    organization = OrganizationFactory(name="Forum Warga Peduli Lingkungan", acronym="FWPL")
    return MembershipFactory(
        user=UserFactory(username="fwpl"), organization=organization, role="representative"
    ).user


def test_a_proposal_goes_from_pelita_through_every_stage_into_the_plan(
    api_as,
    client,
    representative,
    fwpl_representative,
    citizen,
    lurah,
    camat,
    bappeda,
    rpjmd,
    drainage_programme,
    public_works,
    kel_panggungrejo,
    panggungrejo,
    criteria,
    propose,
    other_representative,
):
    # Pelita proposes, with a photo of the blocked channel.
    answer = api_as(representative).post(
        "/api/v1/aspirations/",
        {
            "title": "Perbaikan saluran drainase Jl. Panglima Sudirman",
            "description": "Saluran tersumbat sampah; tiap hujan air masuk ke rumah warga.",
            "category": public_works.pk,
            "kelurahan": kel_panggungrejo.pk,
            "rw": "4",
            "estimated_cost": "185000000",
            "beneficiaries": 620,
            "attachments": [upload("saluran.png", png_bytes())],
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["status"], body["stage"]) == ("submitted", "kelurahan")
    assert body["organization_name"] == "LSM Pelita Pasuruan"
    assert [f["content_type"] for f in body["attachments"]] == ["image/png"]
    pk = body["id"]

    # FWPL and a citizen support it.
    assert api_as(fwpl_representative).put(f"/api/v1/aspirations/{pk}/support/").json() == {
        "organizations": 1,
        "citizens": 0,
    }
    assert api_as(citizen).put(f"/api/v1/aspirations/{pk}/support/").json() == {
        "organizations": 1,
        "citizens": 1,
    }

    # The kelurahan official forwards it.
    answer = api_as(lurah).post(
        f"/api/v1/aspirations/{pk}/decisions/",
        {"outcome": "forwarded", "reason": "Prioritas 1 Musrenbang Kelurahan Panggungrejo."},
        format="json",
    )
    assert answer.status_code == 201, answer.json()

    # At the kecamatan another proposal scores higher: this one ranks second.
    rival = propose(other_representative, title="Pompa air kawasan pesisir Mandaranrejo")
    api_as(lurah).post(
        f"/api/v1/aspirations/{rival.pk}/decisions/", {"outcome": "forwarded"}, format="json"
    )
    kecamatan = api_as(camat)
    for target, values in ((rival.pk, (5, 5, 5)), (pk, (5, 4, 4))):
        scores = [{"criterion": c.pk, "value": v} for c, v in zip(criteria, values, strict=True)]
        answer = kecamatan.put(
            f"/api/v1/aspirations/{target}/scores/", {"scores": scores}, format="json"
        )
        assert answer.status_code == 200, answer.json()
    ranking = kecamatan.get(
        f"/api/v1/aspirations/ranking/?stage=kecamatan&kecamatan={panggungrejo.pk}"
    ).json()
    assert [(row["rank"], row["aspiration"]["id"], row["score"]) for row in ranking] == [
        (1, rival.pk, 15),
        (2, pk, 13),
    ]
    answer = kecamatan.post(
        f"/api/v1/aspirations/{pk}/decisions/",
        {"outcome": "forwarded", "reason": "Peringkat 2 Musrenbang Kecamatan."},
        format="json",
    )
    assert answer.status_code == 201
    assert (answer.json()["rank"], answer.json()["ranked_among"]) == (2, 2)

    # Bappeda accepts it into programme 1.03.05 with a pagu.
    answer = api_as(bappeda).post(
        f"/api/v1/aspirations/{pk}/decisions/",
        {
            "outcome": "accepted",
            "item": drainage_programme.pk,
            "pagu": "175000000",
            "reason": "Masuk program pengendalian banjir 2026.",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()

    # Pelita sees the whole timeline, signed and dated.
    detail = api_as(representative).get(f"/api/v1/aspirations/{pk}/").json()
    assert (detail["status"], detail["stage"], detail["item_code"]) == (
        "accepted",
        "kota",
        "1.03.05",
    )
    assert detail["pagu"] == "175000000.00"
    assert [(d["stage"], d["outcome"], d["decided_by_name"]) for d in detail["decisions"]] == [
        ("kelurahan", "forwarded", "Pak Lurah"),
        ("kecamatan", "forwarded", "Bu Camat"),
        ("kota", "accepted", "Rahmat (Bappeda)"),
    ]
    client.force_login(representative)
    page = client.get(f"/aspirasi/{pk}/").content.decode()
    for text in ("Pak Lurah", "Bu Camat", "Rahmat (Bappeda)", "1.03.05", "Rp 175.000.000"):
        assert text in page
    mine = client.get("/aspirasi/saya/").content.decode()
    assert "Perbaikan saluran drainase" in mine and "1.03.05" in mine

    # The programme's page lists it.
    programme = client.get(f"/aspirasi/program/{drainage_programme.pk}/").content.decode()
    assert f"#{pk}" in programme and "Perbaikan saluran drainase" in programme

    # The kecamatan's rekap opens with the scores and the decisions.
    answer = client.get(
        f"/api/v1/aspirations/rekap.xlsx?stage=kecamatan&kecamatan={panggungrejo.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    ours = next(row for row in rows[1:] if row[1] == pk)
    record = dict(zip(header, ours, strict=True))
    assert record["No."] == 2
    assert [record[c.name] for c in criteria] == [5, 4, 4]
    assert record["Total score"] == 13
    assert record["Decision"] == "Forwarded to the next stage"
    assert record["Reason"] == "Peringkat 2 Musrenbang Kecamatan."
    assert record["Status now"] == "Accepted"
