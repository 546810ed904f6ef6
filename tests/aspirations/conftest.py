"""The Musrenbang world: an open RPJMD consultation with its programmes, the city's
categories and scoring criteria, and the stage officials of Kelurahan Panggungrejo (Pak Lurah),
Kecamatan Panggungrejo (Bu Camat) and the city (Bappeda); a kelurahan official of Trajeng for
"the wrong area". Proposals are made through the service, as a client would make them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aspirations import lists, services
from aspirations.models import Kecamatan, Kelurahan, Stage
from consultations.models import Consultation
from hearings import services as hearing_services
from tests.factories import (
    CategoryFactory,
    ConsultationFactory,
    CriterionFactory,
    ItemFactory,
    UserFactory,
)


def png_bytes(size=(8, 6)) -> bytes:
    handle = io.BytesIO()
    Image.new("RGB", size, (20, 120, 110)).save(handle, format="PNG")
    return handle.getvalue()


def jpeg_bytes() -> bytes:
    handle = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 10)).save(handle, format="JPEG")
    return handle.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def rpjmd(db):
    consultation = ConsultationFactory(
        title="Rancangan Awal RPJMD Kota Pasuruan 2025–2029", kind=Consultation.Kind.RPJMD
    )
    ItemFactory(consultation=consultation, code="1.02.02", title="Pelayanan Kesehatan")
    ItemFactory(
        consultation=consultation,
        code="1.03.05",
        title="Pengendalian Banjir dan Rob Kawasan Pesisir",
        budget_ceiling="6800000000",
    )
    return consultation


@pytest.fixture
def drainage_programme(rpjmd):
    return rpjmd.items.get(code="1.03.05")


@pytest.fixture
def public_works(db):
    return CategoryFactory(name="Pekerjaan Umum dan Penataan Ruang")


@pytest.fixture
def health(db):
    return CategoryFactory(name="Kesehatan")


@pytest.fixture
def criteria(db):
    return [
        CriterionFactory(name="Urgensi", position=1),
        CriterionFactory(name="Jangkauan manfaat", position=2),
        CriterionFactory(name="Kesesuaian dengan misi RPJMD", position=3),
    ]


@pytest.fixture
def panggungrejo(db):
    return Kecamatan.objects.get(name="Panggungrejo")


@pytest.fixture
def kel_panggungrejo(panggungrejo):
    return Kelurahan.objects.get(kecamatan=panggungrejo, name="Panggungrejo")


@pytest.fixture
def kel_trajeng(panggungrejo):
    return Kelurahan.objects.get(kecamatan=panggungrejo, name="Trajeng")


@pytest.fixture
def kel_bukir(db):
    return Kelurahan.objects.get(name="Bukir")


def _official(username, name, **scope):
    user = UserFactory(username=username, first_name=name, groups=["officials"])
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    lists.official_scope_set(actor=admin, user=user, **scope)
    return user


@pytest.fixture
def lurah(kel_panggungrejo):
    return _official("lurah", "Pak Lurah", stage=Stage.KELURAHAN, kelurahan=kel_panggungrejo)


@pytest.fixture
def lurah_trajeng(kel_trajeng):
    return _official("lurah.trajeng", "Lurah Trajeng", stage=Stage.KELURAHAN, kelurahan=kel_trajeng)


@pytest.fixture
def camat(panggungrejo):
    return _official("camat", "Bu Camat", stage=Stage.KECAMATAN, kecamatan=panggungrejo)


@pytest.fixture
def bappeda(db):
    return _official("bappeda", "Rahmat (Bappeda)", stage=Stage.KOTA)


@pytest.fixture
def propose(rpjmd, public_works, kel_panggungrejo):
    """propose(actor, **fields) -> a proposal submitted through the service."""

    def make(actor, **fields):
        values = {
            "title": "Perbaikan saluran drainase Jl. Panglima Sudirman",
            "description": "Saluran tersumbat; setiap hujan deras air masuk ke rumah warga.",
            "category": public_works,
            "kelurahan": kel_panggungrejo,
            "estimated_cost": "150000000",
            "beneficiaries": 450,
            "consultation": rpjmd,
            **fields,
        }
        return services.aspiration_submit(actor=actor, **values)

    return make


@pytest.fixture
def proposal(propose, representative):
    """Pelita's proposal (Rina, its representative, submitted it)."""
    return propose(representative)


@pytest.fixture
def hearing(rpjmd, official):
    """The kelurahan's Musrenbang forum: a hearing on the proposals' RPJMD consultation."""
    hearing = hearing_services.hearing_create(
        actor=official,
        consultation=rpjmd,
        title="Musrenbang Kelurahan Panggungrejo",
        starts_at=rpjmd.opens_at,
    )
    hearing_services.agenda_item_add(actor=official, hearing=hearing, title="Pembukaan")
    return hearing
