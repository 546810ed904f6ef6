"""Load the Pasuruan demo (the "Demo data contract" every branch and the README rely on).

Everything goes through services where one exists, in one transaction: a
failure leaves an empty database. Running it again on a loaded database does
nothing.

Other branches add their own demo data (comments, votes, a hearing) by
appending a function `load(demo)` (or its dotted path) to DEMO_EXTENSIONS; each
runs in order, inside the same transaction, after the core data, and receives
the `Demo` object below (users, organizations, agencies, consultations by key).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from consultations import services
from consultations.models import Consultation, Membership, Organization

User = get_user_model()

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented in the README

# `load(demo)` functions (or dotted paths to them) from other modules: comments, votes,
# hearings. Each runs through that module's services. Keep one line per module.
DEMO_EXTENSIONS: list = [
    "voting.demo.load_demo_votes",
    "consultations.demo_hearings.load_demo_hearing",
    "consultations.demo_comments.load_demo_comments",  # before the concluded final text
    "consultations.demo_feedback.load",
]


@dataclass
class Demo:
    """What the core demo created, for extensions to build on."""

    users: dict = field(default_factory=dict)  # username -> User
    agencies: dict = field(default_factory=dict)  # acronym -> Agency
    organizations: dict = field(default_factory=dict)  # acronym -> Organization
    # "policy", "rpjmd", "concluded", "draft" -> Consultation
    consultations: dict = field(default_factory=dict)
    now: datetime.datetime = field(default_factory=timezone.now)

    def log(self, message: str) -> None:
        """Extensions may report what they added; the command prints it."""
        self.messages.append(message)

    messages: list = field(default_factory=list)


# --- Text ---------------------------------------------------------------------------------

POLICY_TITLE = (
    "Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik dalam Penyusunan Kebijakan"
)
POLICY_SUMMARY = (
    "Rancangan ini mengatur cara Pemerintah Kota Pasuruan melibatkan warga, lembaga swadaya "
    "masyarakat dan organisasi kemasyarakatan sejak tahap perencanaan kebijakan: konsultasi "
    "publik daring, forum konsultasi publik tatap muka, kewajiban menanggapi setiap masukan, "
    "dan publikasi berita acara. Sampaikan pendapat Anda per pasal."
)
POLICY_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Dalam Peraturan Wali Kota ini yang dimaksud dengan:\n"
        "1. Daerah adalah Kota Pasuruan.\n"
        "2. Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara pemerintahan daerah.\n"
        "3. Partisipasi Publik adalah keterlibatan warga, lembaga swadaya masyarakat dan "
        "organisasi kemasyarakatan dalam penyusunan kebijakan daerah.\n"
        "4. Konsultasi Publik adalah kegiatan meminta, menerima dan menanggapi masukan atas "
        "rancangan kebijakan secara terbuka.\n"
        "5. Forum Konsultasi Publik adalah pertemuan tatap muka antara perangkat daerah dan "
        "masyarakat untuk membahas rancangan kebijakan.",
    ),
    (
        "Pasal 2",
        "Maksud dan Tujuan",
        "(1) Peraturan Wali Kota ini dimaksudkan sebagai pedoman bagi perangkat daerah dalam "
        "melibatkan masyarakat.\n"
        "(2) Peraturan Wali Kota ini bertujuan untuk meningkatkan kualitas kebijakan daerah, "
        "keterbukaan informasi, dan kepercayaan masyarakat kepada Pemerintah Daerah.",
    ),
    (
        "Pasal 3",
        "Hak Masyarakat",
        "(1) Setiap warga berhak memperoleh rancangan kebijakan paling lambat 14 (empat belas) "
        "hari sebelum Forum Konsultasi Publik.\n"
        "(2) Setiap warga dan organisasi kemasyarakatan berhak menyampaikan masukan secara lisan "
        "maupun tertulis.\n"
        "(3) Setiap masukan tertulis berhak memperoleh tanggapan tertulis dari perangkat daerah.",
    ),
    (
        "Pasal 4",
        "Kewajiban Perangkat Daerah",
        "(1) Perangkat daerah wajib mengumumkan rancangan kebijakan melalui laman Ruang Dialog.\n"
        "(2) Perangkat daerah wajib mencatat seluruh masukan dan menyusun rekapitulasi "
        "tanggapan.\n"
        "(3) Rekapitulasi tanggapan diumumkan paling lambat 30 (tiga puluh) hari setelah "
        "konsultasi publik ditutup.",
    ),
    (
        "Pasal 5",
        "Forum Konsultasi Publik",
        "(1) Forum Konsultasi Publik diselenggarakan paling sedikit 1 (satu) kali untuk setiap "
        "rancangan kebijakan yang berdampak luas.\n"
        "(2) Undangan disampaikan kepada lembaga swadaya masyarakat yang terdaftar di Badan "
        "Kesatuan Bangsa dan Politik.\n"
        "(3) Hasil Forum Konsultasi Publik dituangkan dalam berita acara yang ditandatangani "
        "perwakilan peserta.",
    ),
    (
        "Pasal 6",
        "Pemungutan Suara",
        "(1) Lembaga swadaya masyarakat yang telah diverifikasi dapat menyatakan sikap setuju, "
        "tidak setuju atau abstain atas rancangan kebijakan.\n"
        "(2) Hasil pemungutan suara bersifat masukan dan tidak mengikat Pemerintah Daerah.",
    ),
    (
        "Pasal 7",
        "Pendanaan",
        "Pendanaan pelaksanaan Peraturan Wali Kota ini bersumber dari Anggaran Pendapatan dan "
        "Belanja Daerah serta sumber lain yang sah dan tidak mengikat.",
    ),
    (
        "Pasal 8",
        "Ketentuan Penutup",
        "Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan. Agar setiap orang "
        "mengetahuinya, memerintahkan pengundangan Peraturan Wali Kota ini dengan "
        "penempatannya dalam Berita Daerah Kota Pasuruan.",
    ),
]
# Version 2 of the draft answers early input: a longer notice period in Pasal 3.
POLICY_V2_PASAL_3 = (
    "(1) Setiap warga berhak memperoleh rancangan kebijakan paling lambat 21 (dua puluh satu) "
    "hari sebelum Forum Konsultasi Publik.\n"
    "(2) Setiap warga dan organisasi kemasyarakatan berhak menyampaikan masukan secara lisan "
    "maupun tertulis, termasuk melalui laman Ruang Dialog.\n"
    "(3) Setiap masukan tertulis berhak memperoleh tanggapan tertulis dari perangkat daerah."
)

RPJMD_TITLE = "Konsultasi Publik Rancangan Awal RPJMD Kota Pasuruan 2025–2029"
RPJMD_SUMMARY = (
    "Bappeda Kota Pasuruan mengundang lembaga swadaya masyarakat yang terdaftar untuk menilai "
    "program prioritas Rancangan Awal RPJMD 2025–2029. Setiap organisasi dapat memilih paling "
    "banyak 3 (tiga) program yang dinilai paling mendesak."
)
RPJMD_SECTIONS = [
    (
        "Bab I",
        "Pendahuluan",
        "RPJMD Kota Pasuruan 2025–2029 merupakan penjabaran visi, misi dan program Wali Kota "
        "terpilih, disusun dengan berpedoman pada RPJPD Kota Pasuruan 2025–2045 dan RPJMN.",
    ),
    (
        "Bab II",
        "Gambaran Umum Kondisi Daerah",
        "Kota Pasuruan memiliki luas 36,58 km² dengan 4 kecamatan dan 34 kelurahan. Angka "
        "kemiskinan pada 2023 tercatat 6,5 persen; cakupan air minum layak 92 persen.",
    ),
    (
        "Bab III",
        "Permasalahan dan Isu Strategis",
        "Isu strategis meliputi kualitas layanan kesehatan dasar, stunting, banjir rob di "
        "kawasan pesisir, pengelolaan sampah, dan daya saing usaha mikro.",
    ),
    (
        "Bab IV",
        "Visi, Misi, Tujuan dan Sasaran",
        "Visi: Kota Pasuruan yang Maju, Sejahtera dan Berkelanjutan. Misi 1: tata kelola "
        "pemerintahan yang terbuka. Misi 2: sumber daya manusia yang sehat dan cerdas. "
        "Misi 3: perekonomian yang tangguh. Misi 4: lingkungan yang lestari.",
    ),
    (
        "Bab V",
        "Program Prioritas dan Pagu Indikatif",
        "Program prioritas berikut disusun per misi dan sasaran, lengkap dengan indikator "
        "kinerja dan pagu indikatif lima tahun. Pagu bersifat indikatif dan akan "
        "disesuaikan dengan kemampuan keuangan daerah.",
    ),
]
RPJMD_ITEMS = [
    (
        "1.02.02",
        "Peningkatan Kualitas Pelayanan Kesehatan Masyarakat",
        "Misi 2 › Sasaran 2.1",
        [
            "Angka kematian ibu per 100.000 kelahiran hidup: 98 → 75",
            "Puskesmas terakreditasi paripurna: 3 → 8",
        ],
        "1500000000",
    ),
    (
        "1.02.03",
        "Percepatan Penurunan Stunting",
        "Misi 2 › Sasaran 2.1",
        ["Prevalensi stunting balita: 17,2% → 10%", "Posyandu aktif: 120 → 168"],
        "2750000000",
    ),
    (
        "1.01.02",
        "Pengelolaan Pendidikan Dasar",
        "Misi 2 › Sasaran 2.2",
        ["Rata-rata lama sekolah: 9,6 → 10,4 tahun", "Sekolah ramah anak: 40% → 75%"],
        "4200000000",
    ),
    (
        "1.03.05",
        "Pengendalian Banjir dan Rob Kawasan Pesisir",
        "Misi 4 › Sasaran 4.1",
        ["Luas genangan banjir: 210 ha → 90 ha", "Saluran drainase dinormalisasi: 35 km"],
        "6800000000",
    ),
    (
        "2.11.03",
        "Pengelolaan Persampahan Berbasis Masyarakat",
        "Misi 4 › Sasaran 4.2",
        ["Sampah terkelola: 68% → 85%", "Bank sampah aktif: 42 → 80"],
        "1250000000",
    ),
    (
        "3.27.02",
        "Pemberdayaan Usaha Mikro dan Koperasi",
        "Misi 3 › Sasaran 3.1",
        ["Usaha mikro naik kelas: 150 unit per tahun", "Koperasi sehat: 45% → 70%"],
        "950000000",
    ),
]

CONCLUDED_TITLE = (
    "Rancangan Peraturan Wali Kota Pasuruan tentang Pengelolaan Sampah Rumah Tangga Berbasis "
    "Masyarakat"
)
CONCLUDED_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Sampah rumah tangga adalah sampah yang berasal dari kegiatan sehari-hari dalam rumah "
        "tangga, tidak termasuk tinja dan sampah spesifik.",
    ),
    (
        "Pasal 2",
        "Pemilahan di Sumber",
        "Setiap rumah tangga wajib memilah sampah organik dan anorganik sebelum diangkut ke "
        "tempat penampungan sementara.",
    ),
    (
        "Pasal 3",
        "Bank Sampah",
        "Pemerintah Daerah memfasilitasi pembentukan bank sampah di setiap kelurahan bersama "
        "lembaga swadaya masyarakat.",
    ),
]

DRAFT_TITLE = "Rancangan Kebijakan Penataan Ruang Terbuka Hijau Kota Pasuruan"
DRAFT_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Ruang terbuka hijau adalah area memanjang atau mengelompok yang penggunaannya lebih "
        "bersifat terbuka, tempat tumbuh tanaman secara alamiah maupun sengaja ditanam.",
    ),
    (
        "Pasal 2",
        "Proporsi Ruang Terbuka Hijau",
        "Proporsi ruang terbuka hijau publik paling sedikit 20 (dua puluh) persen dari luas "
        "wilayah kota.",
    ),
]

# username, full name, email, groups, is_staff
STAFF = [
    ("bappeda", "Rahmat Hidayat (Bappeda)", "bappeda@pasuruankota.go.id", ["officials"], True),
    (
        "bakesbangpol",
        "Siti Aminah (Bakesbangpol)",
        "bakesbangpol@pasuruankota.go.id",
        ["officials"],
        True,
    ),
    ("moderator", "Dewi Lestari", "moderator@pasuruankota.go.id", ["moderators"], False),
    ("planner", "Budi Santoso (Bappeda)", "perencana@pasuruankota.go.id", ["planners"], False),
]
# acronym, name, SKT number, address, representative, (full name), members, final status
ORGANIZATIONS = [
    (
        "Pelita",
        "LSM Pelita Pasuruan",
        "220/045/424.072/2023",
        "Jl. Pahlawan No. 12, Kel. Kebonsari, Kota Pasuruan",
        ("pelita", "Rina Wulandari"),
        [("pelita.anggota", "Dedi Kurniawan")],
        "verified",
    ),
    (
        "FWPL",
        "Forum Warga Peduli Lingkungan",
        "220/061/424.072/2022",
        "Jl. Hasanuddin No. 7, Kel. Bugul Kidul, Kota Pasuruan",
        ("fwpl", "Ahmad Fauzi"),
        [],
        "verified",
    ),
    (
        "YCP",
        "Yayasan Cahaya Pesisir",
        "220/018/424.072/2019",
        "Jl. Pelabuhan No. 3, Kel. Ngemplakrejo, Kota Pasuruan",
        ("ycp", "Nur Hasanah"),
        [],
        "expired",
    ),
    (
        "Karya Muda",
        "Ormas Karya Muda",
        "220/102/424.072/2025",
        "Jl. Soekarno-Hatta No. 88, Kel. Purworejo, Kota Pasuruan",
        ("karyamuda", "Yoga Pratama"),
        [],
        "pending",
    ),
]


def demo_exists() -> bool:
    return User.objects.filter(username="admin").exists() or Consultation.objects.exists()


class Command(BaseCommand):
    help = "Load the Kota Pasuruan demo data (does nothing when data already exists)."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        with transaction.atomic():
            demo = load()
        for message in demo.messages:
            self.stdout.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(demo.users)} accounts (password {DEMO_PASSWORD}), "
                f"{len(demo.organizations)} organizations, "
                f"{len(demo.consultations)} consultations."
            )
        )


def load() -> Demo:
    demo = Demo()
    _users(demo)
    _agencies(demo)
    _organizations(demo)
    _policy_draft(demo)
    _rpjmd(demo)
    _concluded(demo)
    _draft(demo)
    for extension in DEMO_EXTENSIONS:
        (import_string(extension) if isinstance(extension, str) else extension)(demo)
    return demo


def _user(demo: Demo, username: str, full_name: str, email: str = "") -> User:
    user = services.user_register(
        username=username,
        password=DEMO_PASSWORD,
        email=email or f"{username.replace('.', '')}@contoh.id",
        full_name=full_name,
    )
    demo.users[username] = user
    return user


def _users(demo: Demo) -> None:
    # No service creates superusers or grants roles: that is the admin's job.
    admin = User.objects.create_superuser(
        username="admin", email="admin@pasuruankota.go.id", password=DEMO_PASSWORD
    )
    admin.first_name = "Administrator"
    admin.save(update_fields=["first_name"])
    demo.users["admin"] = admin
    for username, full_name, email, groups, is_staff in STAFF:
        user = _user(demo, username, full_name, email)
        user.groups.set(Group.objects.filter(name__in=groups))
        if is_staff:
            user.is_staff = True  # officials work in the Django admin
            user.save(update_fields=["is_staff"])
    _user(demo, "warga", "Slamet Riyadi")


def _agencies(demo: Demo) -> None:
    official = demo.users["bappeda"]
    for name, acronym in [
        ("Badan Perencanaan Pembangunan Daerah Kota Pasuruan", "Bappeda"),
        ("Badan Kesatuan Bangsa dan Politik Kota Pasuruan", "Bakesbangpol"),
        ("Bagian Hukum Sekretariat Daerah Kota Pasuruan", "Bagian Hukum"),
        ("Dinas Lingkungan Hidup Kota Pasuruan", "DLH"),
    ]:
        demo.agencies[acronym] = services.agency_create(actor=official, name=name, acronym=acronym)


def _organizations(demo: Demo) -> None:
    today = timezone.localdate()
    bakesbangpol = demo.users["bakesbangpol"]
    for acronym, name, skt, address, (rep, rep_name), members, final in ORGANIZATIONS:
        representative = _user(demo, rep, rep_name)
        organization = services.organization_register(
            actor=representative,
            name=name,
            acronym=acronym,
            registration_number=skt,
            registration_issued_on=today - datetime.timedelta(days=400),
            registration_expires_on=today + datetime.timedelta(days=5 * 365 - 400),
            address=address,
            contact_email=f"{rep}@contoh.id",
            contact_phone="0343-42" + str(1000 + len(demo.organizations)),
        )
        for username, full_name in members:
            services.membership_add(
                actor=representative,
                organization=organization,
                user=_user(demo, username, full_name),
                role=Membership.Role.MEMBER,
            )
        if final in ("verified", "expired"):
            organization = services.organization_verify(
                actor=bakesbangpol, organization=organization
            )
        if final == "expired":
            # The SKT ran out after verification; no service back-dates a registration.
            Organization.objects.filter(pk=organization.pk).update(
                registration_issued_on=today - datetime.timedelta(days=5 * 365 + 40),
                registration_expires_on=today - datetime.timedelta(days=40),
            )
            organization.refresh_from_db()
        demo.organizations[acronym] = organization


def _sections(actor, consultation, sections) -> None:
    for number, heading, body in sections:
        services.section_add(
            actor=actor, consultation=consultation, number=number, heading=heading, body=body
        )


def _policy_draft(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=POLICY_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary=POLICY_SUMMARY,
        agency=demo.agencies["Bagian Hukum"],
        closes_at=demo.now + datetime.timedelta(days=21),
        audience=Consultation.Audience.PUBLIC,
        moderation=Consultation.Moderation.POST,
        ballot=Consultation.Ballot.OPEN,
        voting_method=Consultation.VotingMethod.STANCE,
    )
    _sections(official, consultation, POLICY_SECTIONS)
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Rancangan Peraturan Wali Kota secara keseluruhan",
        description="Sikap organisasi atas rancangan secara keseluruhan.",
    )
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Pasal 3 — Hak Masyarakat",
        description="Jangka waktu penyampaian rancangan dan hak atas tanggapan tertulis.",
    )
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Pasal 5 — Forum Konsultasi Publik",
        description="Kewajiban menyelenggarakan forum dan berita acara.",
    )
    consultation = services.consultation_publish(actor=official, consultation=consultation)
    # A second version after early input, so "what changed" has something to show.
    version = services.version_start(
        actor=official,
        consultation=consultation,
        note="Pasal 3: jangka waktu diperpanjang menjadi 21 hari setelah masukan awal LSM.",
    )
    pasal_3 = version.sections.get(number="Pasal 3")
    services.section_update(actor=official, section=pasal_3, body=POLICY_V2_PASAL_3)
    services.version_publish(actor=official, version=version)
    demo.consultations["policy"] = consultation


def _rpjmd(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=RPJMD_TITLE,
        kind=Consultation.Kind.RPJMD,
        summary=RPJMD_SUMMARY,
        agency=demo.agencies["Bappeda"],
        closes_at=demo.now + datetime.timedelta(days=14),
        audience=Consultation.Audience.LSM,
        moderation=Consultation.Moderation.PRE,
        ballot=Consultation.Ballot.OPEN,
        voting_method=Consultation.VotingMethod.APPROVAL,
        max_choices=3,
    )
    _sections(official, consultation, RPJMD_SECTIONS)
    for code, title, path, indicators, ceiling in RPJMD_ITEMS:
        services.item_add(
            actor=official,
            consultation=consultation,
            title=title,
            code=code,
            programme_path=path,
            indicators=indicators,
            budget_ceiling=Decimal(ceiling),
        )
    demo.consultations["rpjmd"] = services.consultation_publish(
        actor=official, consultation=consultation
    )


def _concluded(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=CONCLUDED_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary="Konsultasi telah selesai; rekapitulasi tanggapan sudah diumumkan.",
        agency=demo.agencies["DLH"],
        audience=Consultation.Audience.PUBLIC,
    )
    _sections(official, consultation, CONCLUDED_SECTIONS)
    services.item_add(
        actor=official, consultation=consultation, title="Rancangan secara keseluruhan"
    )
    services.consultation_publish(actor=official, consultation=consultation)
    services.consultation_close(actor=official, consultation=consultation)
    consultation = services.consultation_conclude(actor=official, consultation=consultation)
    # It ran earlier this year; no service rewrites history, so the dates are set directly.
    opened = demo.now - datetime.timedelta(days=120)
    closed = demo.now - datetime.timedelta(days=90)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=opened,
        published_at=opened,
        closes_at=closed,
        closed_at=closed,
        concluded_at=demo.now - datetime.timedelta(days=60),
    )
    consultation.versions.update(published_at=opened)
    consultation.refresh_from_db()
    demo.consultations["concluded"] = consultation


def _draft(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=DRAFT_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary="Masih disiapkan oleh Dinas Lingkungan Hidup; belum terbuka untuk publik.",
        agency=demo.agencies["DLH"],
    )
    _sections(official, consultation, DRAFT_SECTIONS)
    demo.consultations["draft"] = consultation
