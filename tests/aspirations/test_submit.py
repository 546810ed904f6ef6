"""Submitting a proposal: who may, what it must say, and bad input that writes nothing."""

import pytest

from aspirations.models import Aspiration, AspirationVersion, Attachment
from aspirations.services import MAX_ATTACHMENT_BYTES
from consultations.models import Consultation
from tests.aspirations.conftest import PDF, jpeg_bytes, png_bytes, upload
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(public_works, kel_panggungrejo, rpjmd):
    return {
        "title": "Penerangan jalan gang Mawar",
        "description": "Gang gelap di malam hari; warga meminta lampu jalan tenaga surya.",
        "category": public_works.pk,
        "kelurahan": kel_panggungrejo.pk,
        "estimated_cost": "45000000",
        "beneficiaries": 120,
    }


def post(api_as, user, body, fmt="json"):
    return api_as(user).post("/api/v1/aspirations/", body, format=fmt)


def test_a_representative_proposes_on_behalf_of_the_organization(api_as, representative, body):
    answer = post(api_as, representative, body)
    assert answer.status_code == 201
    data = answer.json()
    assert (data["status"], data["stage"], data["version"]) == ("submitted", "kelurahan", 1)
    assert data["organization_name"] == "LSM Pelita Pasuruan"
    assert data["kecamatan_name"] == "Panggungrejo"
    assert data["supports"] == {"organizations": 0, "citizens": 0}


def test_a_member_also_proposes_for_the_organization(api_as, member, body, organization):
    answer = post(api_as, member, body)
    assert answer.status_code == 201
    assert answer.json()["organization"] == organization.pk


def test_a_citizen_proposes_as_a_citizen(api_as, citizen, body):
    answer = post(api_as, citizen, body)
    assert answer.status_code == 201
    assert answer.json()["organization"] is None


def test_a_member_of_an_unverified_organization_proposes_as_an_individual(
    api_as, unverified_member, body
):
    answer = post(api_as, unverified_member, body)
    assert answer.status_code == 201
    assert answer.json()["organization"] is None


def test_the_newest_open_rpjmd_consultation_is_the_default(api_as, citizen, body, rpjmd):
    answer = post(api_as, citizen, body)
    assert answer.json()["consultation"] == rpjmd.pk


def test_staff_do_not_submit_proposals(api_as, official, moderator, planner, body):
    for user in (official, moderator, planner):
        assert post(api_as, user, body).status_code == 403
    assert not Aspiration.objects.exists()


def test_anonymous_is_asked_to_sign_in(api_as, body):
    assert post(api_as, None, body).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kelurahan": 999999}, "kelurahan"),
        ({"kelurahan": "99999999999999999999999"}, "kelurahan"),
        ({"category": 424242}, "category"),
        ({"estimated_cost": "-1"}, "estimated_cost"),
        ({"estimated_cost": "NaN"}, "estimated_cost"),
        ({"beneficiaries": 0}, "beneficiaries"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": ""}, "description"),
        ({"rw": "RW5"}, "rw"),
        ({"rw": "0"}, "rw"),
    ],
)
def test_bad_input_is_a_clear_400_and_writes_nothing(api_as, citizen, body, change, field):
    answer = post(api_as, citizen, {**body, **change})
    assert answer.status_code == 400
    assert field in answer.json()
    assert not Aspiration.objects.exists()
    assert not AspirationVersion.objects.exists()


def test_a_kelurahan_of_another_kecamatan_is_refused(api_as, citizen, body, kel_bukir):
    panggungrejo = kel_bukir.kecamatan.__class__.objects.get(name="Panggungrejo")
    answer = post(
        api_as, citizen, {**body, "kelurahan": kel_bukir.pk, "kecamatan": panggungrejo.pk}
    )
    assert answer.status_code == 400
    assert "kelurahan" in answer.json()
    assert not Aspiration.objects.exists()


def test_no_open_rpjmd_consultation_means_no_proposals(api_as, citizen, body, rpjmd):
    Consultation.objects.filter(pk=rpjmd.pk).update(status=Consultation.Status.CLOSED)
    assert post(api_as, citizen, body).status_code == 409
    assert not Aspiration.objects.exists()


def test_proposals_go_to_an_rpjmd_consultation_only(api_as, citizen, body, open_consultation):
    answer = post(api_as, citizen, {**body, "consultation": open_consultation.pk})
    assert answer.status_code == 400
    assert "consultation" in answer.json()


def test_a_draft_consultation_is_not_found(api_as, citizen, body):
    draft = ConsultationFactory(kind="rpjmd", status=Consultation.Status.DRAFT)
    answer = post(api_as, citizen, {**body, "consultation": draft.pk})
    assert answer.status_code == 400
    assert not Aspiration.objects.exists()


def test_an_inactive_category_is_not_offered(api_as, citizen, body, public_works):
    public_works.is_active = False
    public_works.save()
    assert post(api_as, citizen, body).status_code == 400


# --- attachments ------------------------------------------------------------------------------


def test_photos_and_pdfs_are_kept_as_downloads_with_their_real_type(api_as, citizen, body):
    files = [
        upload("foto.png", png_bytes(), "image/png"),
        upload("foto2.jpeg", jpeg_bytes(), "image/jpeg"),
        upload("proposal.pdf", PDF, "application/pdf"),
    ]
    answer = post(api_as, citizen, {**body, "attachments": files}, fmt="multipart")
    assert answer.status_code == 201, answer.json()
    kinds = [(f["name"], f["content_type"]) for f in answer.json()["attachments"]]
    assert kinds == [
        ("foto.png", "image/png"),
        ("foto2.jpg", "image/jpeg"),
        ("proposal.pdf", "application/pdf"),
    ]
    download = api_as(None).get(answer.json()["attachments"][2]["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="proposal.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download.content == PDF


def test_html_named_like_a_photo_is_refused(api_as, citizen, body):
    page = upload("foto.png", b"<html><script>alert(1)</script></html>", "image/png")
    answer = post(api_as, citizen, {**body, "attachments": [page]}, fmt="multipart")
    assert answer.status_code == 400
    assert "attachments" in answer.json()
    assert not Aspiration.objects.exists() and not Attachment.objects.exists()


def test_a_gif_is_not_one_of_the_types_taken(api_as, citizen, body):
    gif = upload("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")
    answer = post(api_as, citizen, {**body, "attachments": [gif]}, fmt="multipart")
    assert answer.status_code == 400


def test_a_file_over_5_mb_is_refused_with_413(api_as, citizen, body):
    big = upload("besar.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf")
    answer = post(api_as, citizen, {**body, "attachments": [big]}, fmt="multipart")
    assert answer.status_code == 413
    assert "attachments" in answer.json()
    assert not Aspiration.objects.exists()


def test_at_most_three_attachments(api_as, citizen, body):
    files = [upload(f"f{n}.pdf", PDF, "application/pdf") for n in range(4)]
    answer = post(api_as, citizen, {**body, "attachments": files}, fmt="multipart")
    assert answer.status_code == 400
    assert not Aspiration.objects.exists()


def test_a_file_name_cannot_carry_a_path_or_another_extension(api_as, citizen, body):
    sneaky = upload('../../etc/"passwd".html', png_bytes(), "text/html")
    answer = post(api_as, citizen, {**body, "attachments": [sneaky]}, fmt="multipart")
    assert answer.status_code == 201
    name = answer.json()["attachments"][0]["name"]
    assert name.endswith(".png") and "/" not in name and '"' not in name
