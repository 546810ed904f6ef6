"""Demo proposals (aspirasi) on the RPJMD consultation, at every stage, made through the
aspirations services; called from `load_demo` (DEMO_EXTENSIONS).

Who decides where: `lurah.panggungrejo`, `lurah.mandaranrejo` and `lurah.kebonsari` (the
kelurahan stage in those three kelurahan of Kecamatan Panggungrejo), `camat.panggungrejo`
(the kecamatan stage there) and `bappeda` (the city stage). The story leaves one proposal
at each place a proposal can be: waiting at a kelurahan, deferred, rejected, merged, ranked
first at the kecamatan (so a new proposal from Panggungrejo can rank second behind it),
waiting at the city, and accepted into a programme with a pagu. The kecamatan's Musrenbang
forum is a hearing with the proposal at its stage on the agenda.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from aspirations import decisions, forum, lists, services, supports
from aspirations.models import Kecamatan, Kelurahan, Stage
from comments import moderation as comment_moderation
from consultations.models import Item
from demo.management.commands.load_demo import DEMO_PASSWORD
from hearings import services as hearing_services

CATEGORIES = [
    "Pekerjaan Umum dan Penataan Ruang",
    "Kesehatan",
    "Pendidikan",
    "Lingkungan Hidup",
    "Sosial dan Pemberdayaan Masyarakat",
    "Koperasi dan Usaha Mikro",
    "Perhubungan",
]
CRITERIA = [
    ("Urgensi", "Seberapa mendesak masalahnya bagi warga."),
    ("Jangkauan manfaat", "Berapa banyak warga yang merasakan manfaatnya."),
    ("Kesesuaian dengan misi RPJMD", "Seberapa dekat dengan misi dan sasaran RPJMD."),
]
# username, full name, stage, kelurahan (kelurahan stage) or kecamatan (kecamatan stage)
STAGE_OFFICIALS = [
    ("lurah.panggungrejo", "Agus Setiawan (Lurah Panggungrejo)", Stage.KELURAHAN, "Panggungrejo"),
    ("lurah.mandaranrejo", "Sri Wahyuni (Lurah Mandaranrejo)", Stage.KELURAHAN, "Mandaranrejo"),
    ("lurah.kebonsari", "Hendra Gunawan (Lurah Kebonsari)", Stage.KELURAHAN, "Kebonsari"),
    (
        "camat.panggungrejo",
        "Dra. Lilik Suryani (Camat Panggungrejo)",
        Stage.KECAMATAN,
        "Panggungrejo",
    ),
]

# key, proposer, kelurahan, category, title, description, cost, beneficiaries, rw
PROPOSALS = [
    (
        "rob",
        "fwpl",
        "Mandaranrejo",
        "Pekerjaan Umum dan Penataan Ruang",
        "Pompa air dan pintu air untuk banjir rob Mandaranrejo",
        "Setiap pasang tinggi air laut masuk ke permukiman RW 02–04. Kami mengusulkan dua "
        "pompa air dan pintu air di muara saluran, dioperasikan bersama warga.",
        "850000000",
        1800,
        "03",
    ),
    (
        "rob-duplicate",
        "warga",
        "Mandaranrejo",
        "Pekerjaan Umum dan Penataan Ruang",
        "Normalisasi saluran di Mandaranrejo agar tidak banjir",
        "Saluran di sekitar pasar ikan dangkal; air rob lama surut.",
        "300000000",
        600,
        "",
    ),
    (
        "posyandu",
        "pelita.anggota",
        "Kebonsari",
        "Kesehatan",
        "Alat ukur dan timbangan digital untuk 6 posyandu Kebonsari",
        "Pengukuran balita masih memakai alat lama sehingga data stunting tidak akurat. "
        "Usulan: antropometri kit dan timbangan digital untuk enam posyandu.",
        "48000000",
        950,
        "05",
    ),
    (
        "bank-sampah",
        "fwpl",
        "Kebonsari",
        "Lingkungan Hidup",
        "Bank sampah RW 05 Kebonsari: gudang dan alat pencacah",
        "Bank sampah warga sudah berjalan dua tahun tanpa gudang. Usulan: gudang 4×6 m, "
        "timbangan dan alat pencacah plastik.",
        "120000000",
        700,
        "05",
    ),
    (
        "lampu",
        "warga",
        "Panggungrejo",
        "Pekerjaan Umum dan Penataan Ruang",
        "Lampu penerangan jalan tenaga surya di Gang Mawar",
        "Gang Mawar gelap pada malam hari dan rawan; warga mengusulkan delapan lampu tenaga surya.",
        "64000000",
        240,
        "07",
    ),
    (
        "wirausaha",
        "karyamuda",
        "Panggungrejo",
        "Koperasi dan Usaha Mikro",
        "Pelatihan kewirausahaan digital untuk pemuda Panggungrejo",
        "Pelatihan pemasaran daring dan pembukuan sederhana untuk 60 pemuda, 6 bulan.",
        "75000000",
        60,
        "",
    ),
    (
        "gedung",
        "pelita",
        "Panggungrejo",
        "Sosial dan Pemberdayaan Masyarakat",
        "Gedung serbaguna baru di kantor Kelurahan Panggungrejo",
        "Gedung pertemuan warga yang ada sempit; usulan gedung baru dua lantai.",
        "2500000000",
        5000,
        "",
    ),
    (
        "paving",
        "warga",
        "Bukir",
        "Perhubungan",
        "Perbaikan jalan paving RW 02 Bukir",
        "Paving di jalan lingkungan RW 02 rusak dan berlubang sepanjang 350 m.",
        "210000000",
        430,
        "02",
    ),
    (
        "sekolah",
        "pelita",
        "Kepel",
        "Pendidikan",
        "Taman baca anak di balai RW 01 Kepel",
        "Ruang baca dengan 500 buku anak dan relawan pendamping dari LSM.",
        "35000000",
        300,
        "01",
    ),
]
# Supports: proposal key -> usernames (representatives support for their organization).
SUPPORTS = {
    "rob": ["pelita", "ycp", "warga"],
    "rob-duplicate": ["pelita"],
    "posyandu": ["fwpl", "ycp", "warga"],
    "bank-sampah": ["pelita", "warga"],
    "lampu": ["fwpl", "pelita"],
}


def _users() -> dict:
    """Accounts as a request loads them (demo.users cache stale memberships)."""
    return {user.username: user for user in get_user_model().objects.all()}


def _stage_officials(demo, admin) -> None:
    # Staff accounts have no service (the admin makes them with Django's auth API, as
    # load_demo does for the other staff); their stage comes from the aspirations service.
    officials = Group.objects.get(name="officials")
    for username, full_name, stage, area in STAGE_OFFICIALS:
        user = get_user_model().objects.create_user(
            username=username,
            email=f"{username.replace('.', '')}@pasuruankota.go.id",
            password=DEMO_PASSWORD,
            first_name=full_name,
        )
        user.groups.add(officials)
        area_kwargs = (
            {"kelurahan": Kelurahan.objects.get(name=area)}
            if stage == Stage.KELURAHAN
            else {"kecamatan": Kecamatan.objects.get(name=area)}
        )
        lists.official_scope_set(actor=admin, user=user, stage=stage, **area_kwargs)
        demo.users[username] = user
    lists.official_scope_set(actor=admin, user=demo.users["bappeda"], stage=Stage.KOTA)


def _photo() -> SimpleUploadedFile:
    """A drawn "photo" of a flooded street, so the demo shows an attachment."""
    image = Image.new("RGB", (640, 400), (120, 170, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 640, 400), fill=(70, 110, 140))
    for x in range(40, 640, 150):
        draw.rectangle((x, 150, x + 90, 260), fill=(210, 200, 180))
    draw.text((20, 20), "Banjir rob, Mandaranrejo", fill=(20, 30, 40))
    handle = io.BytesIO()
    image.save(handle, format="JPEG", quality=80)
    return SimpleUploadedFile("banjir-rob-mandaranrejo.jpg", handle.getvalue())


FORUM_TITLE = "Forum Musrenbang Kecamatan Panggungrejo"


def _forum(rpjmd, camat, made) -> None:
    """The kecamatan's Musrenbang forum as a live hearing (scheduled for the next 13:00):
    the proposals at its stage on the agenda, so the big screen shows their supports and
    scores when the chair gets to them."""
    now = timezone.localtime()
    starts_at = now.replace(hour=13, minute=0, second=0, microsecond=0)
    if starts_at <= now:
        starts_at += datetime.timedelta(days=1)
    hearing = hearing_services.hearing_create(
        actor=camat,
        consultation=rpjmd,
        title=FORUM_TITLE,
        starts_at=starts_at,
        location="Aula Kantor Kecamatan Panggungrejo",
        chair_name="Dra. Lilik Suryani (Camat Panggungrejo)",
    )
    hearing_services.agenda_item_add(
        actor=camat, hearing=hearing, title="Pembukaan dan tata tertib forum"
    )
    forum.forum_agenda_add(actor=camat, hearing=hearing, aspiration=made["rob"])
    hearing_services.agenda_item_add(
        actor=camat, hearing=hearing, title="Penetapan skala prioritas dan berita acara"
    )


def load(demo) -> None:
    users = _users()
    admin, bappeda = users["admin"], users["bappeda"]
    rpjmd = demo.consultations["rpjmd"]
    categories = {
        name: lists.category_create(actor=bappeda, name=name, position=n)
        for n, name in enumerate(CATEGORIES, start=1)
    }
    criteria = [
        lists.criterion_create(actor=bappeda, name=name, description=text, position=n)
        for n, (name, text) in enumerate(CRITERIA, start=1)
    ]
    _stage_officials(demo, admin)
    users = _users()
    made = {}
    for key, who, kelurahan, category, title, text, cost, people, rw in PROPOSALS:
        made[key] = services.aspiration_submit(
            actor=users[who],
            consultation=rpjmd,
            title=title,
            description=text,
            category=categories[category],
            kelurahan=Kelurahan.objects.get(name=kelurahan),
            estimated_cost=cost,
            beneficiaries=people,
            rw=rw,
            attachments=[_photo()] if key == "rob" else (),
        )
    for key, supporters in SUPPORTS.items():
        for username in supporters:
            supports.aspiration_support(actor=users[username], aspiration=made[key])

    def decide(username, key, outcome, **fields):
        return decisions.aspiration_decide(
            actor=users[username], aspiration=made[key], outcome=outcome, **fields
        )

    def score(username, key, values):
        decisions.aspiration_score(
            actor=users[username],
            aspiration=made[key],
            scores=list(zip(criteria, values, strict=True)),
        )

    # Kelurahan stage.
    score("lurah.mandaranrejo", "rob", (5, 5, 5))
    decide("lurah.mandaranrejo", "rob", "forwarded", reason="Prioritas 1 Musrenbang Kelurahan.")
    decide(
        "lurah.mandaranrejo",
        "rob-duplicate",
        "merged",
        merged_into=made["rob"],
        reason="Lokasi dan tujuan sama dengan usulan pompa dan pintu air rob.",
    )
    for key in ("posyandu", "bank-sampah"):
        decide("lurah.kebonsari", key, "forwarded", reason="Disepakati forum Musrenbang Kelurahan.")
    decide(
        "lurah.panggungrejo",
        "wirausaha",
        "deferred",
        reason="Ditunda ke tahun depan: Dinas Koperasi menyiapkan pelatihan serupa tahun ini.",
    )
    decide(
        "lurah.panggungrejo",
        "gedung",
        "rejected",
        reason="Biaya jauh di atas pagu kelurahan dan gedung yang ada masih layak dipakai; "
        "disarankan jadwal pemakaian bersama.",
    )
    # Kecamatan stage: scores, then the two from Kebonsari go on to the city.
    score("camat.panggungrejo", "rob", (5, 5, 4))
    score("camat.panggungrejo", "posyandu", (4, 4, 4))
    score("camat.panggungrejo", "bank-sampah", (3, 3, 4))
    for key in ("posyandu", "bank-sampah"):
        decide("camat.panggungrejo", key, "forwarded", reason="Masuk skala prioritas kecamatan.")
    # City stage.
    decide(
        "bappeda",
        "posyandu",
        "accepted",
        item=Item.objects.get(consultation=rpjmd, code="1.02.03"),
        pagu="45000000",
        reason="Ditampung dalam program Percepatan Penurunan Stunting, kegiatan posyandu.",
    )
    # A comment on a proposal, moderated like every RPJMD comment.
    comment = services.aspiration_comment(
        actor=users["pelita.anggota"],
        aspiration=made["rob"],
        stance="support",
        body="Kami ikut mendukung. Mohon pintu air dilengkapi jadwal operasi yang diumumkan "
        "ke warga, agar tidak ada salah paham saat pasang.",
    )
    comment_moderation.comment_approve(actor=users["moderator"], comment=comment)
    _forum(rpjmd, users["camat.panggungrejo"], made)
    demo.log(
        f"Aspirations: {len(made)} proposals at every stage, "
        f"{len(STAGE_OFFICIALS)} stage officials."
    )
