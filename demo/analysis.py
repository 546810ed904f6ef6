"""Demo written submissions, a small campaign and the comment analysis (load_demo extension).

The planner imports the paper forms of a Musrenbang meeting and a stack of letters into the
RPJMD consultation, as a CSV through the same service as the upload page
(analysis.services.comment_import); the RPJMD is pre-moderated, so the moderator approves
them. Twelve of the letters are one message from twelve traders with small edits: a
campaign. Then the analysis of every consultation with comments is computed, so the
dashboard shows themes and the campaign from the first start.
"""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from analysis import services as analysis_services
from comments import moderation as comment_moderation
from comments.models import Comment

# ref, section, organization, author, stance, body, submitted_at, channel
FORMS = [
    (
        "MR-01",
        "Bab III",
        "",
        "Siti Aminah",
        "setuju",
        "Saluran air di Jl. Hasanuddin tersumbat sampah, setiap hujan air masuk ke rumah warga. "
        "Mohon normalisasi saluran dan pengerukan rutin.",
        "08-03-2025 09.10",
        "form",
    ),
    (
        "MR-02",
        "Bab III",
        "",
        "Abdul Rohman",
        "setuju",
        "Banjir rob di Panggungrejo makin sering, tanggul laut dan pompa air perlu jadi prioritas.",
        "08-03-2025 09.15",
        "form",
    ),
    (
        "MR-03",
        "Bab V",
        "Karang Taruna Kebonsari",
        "Dimas Prasetyo",
        "setuju",
        "Usul pelatihan pemasaran digital untuk UMKM anak muda supaya produk bisa dijual "
        "di lokapasar.",
        "08-03-2025 09.20",
        "form",
    ),
    (
        "MR-04",
        "Bab V",
        "",
        "Hj. Maimunah",
        "pertanyaan",
        "Apakah ada bantuan modal usaha tanpa agunan untuk pedagang kecil di pasar?",
        "08-03-2025 09.25",
        "form",
    ),
    (
        "MR-05",
        "Bab III",
        "",
        "Slamet",
        "menolak",
        "Lampu PJU di gang kami sudah tiga bulan mati, gelap dan rawan jambret. Jangan hanya "
        "jalan protokol yang terang.",
        "08-03-2025 09.30",
        "form",
    ),
    (
        "MR-06",
        "Bab III",
        "",
        "Nur Hasanah",
        "setuju",
        "Penerangan jalan di kampung kami perlu ditambah, anak-anak pulang mengaji malam hari "
        "lewat jalan gelap.",
        "08-03-2025 09.35",
        "form",
    ),
    (
        "MR-07",
        "Bab V",
        "PKK Kelurahan Gadingrejo",
        "Rina Wati",
        "setuju",
        "Posyandu perlu alat timbang baru dan insentif kader, angka stunting di RW kami masih "
        "tinggi.",
        "08-03-2025 09.40",
        "form",
    ),
    (
        "MR-08",
        "Bab V",
        "",
        "Bidan Yuli",
        "netral",
        "Puskesmas pembantu perlu tambahan bidan, ibu hamil harus antre lama untuk periksa.",
        "08-03-2025 09.45",
        "form",
    ),
    (
        "MR-09",
        "Bab III",
        "",
        "Pak Kasim",
        "setuju",
        "Sampah di TPS dekat pasar diangkut seminggu sekali saja, baunya sampai ke rumah. "
        "Jadwal pengangkutan sampah perlu ditambah.",
        "08-03-2025 09.50",
        "form",
    ),
    (
        "MR-10",
        "Bab III",
        "Bank Sampah Sejahtera",
        "Lilik",
        "setuju",
        "Bank sampah di kelurahan perlu dibantu pemasaran plastiknya supaya warga tetap mau "
        "memilah sampah.",
        "08-03-2025 09.55",
        "form",
    ),
    (
        "MR-11",
        "Bab V",
        "",
        "Guru Wahyuni",
        "setuju",
        "Gedung SD di kampung kami atapnya bocor, mohon rehabilitasi ruang kelas dan toilet "
        "sekolah.",
        "08-03-2025 10.00",
        "form",
    ),
    (
        "MR-12",
        "Bab V",
        "",
        "Andi",
        "pertanyaan",
        "Apakah beasiswa untuk anak nelayan masuk program pendidikan lima tahun ke depan?",
        "08-03-2025 10.05",
        "form",
    ),
    (
        "MR-13",
        "Bab IV",
        "",
        "Yusuf",
        "setuju",
        "Realisasi APBD tiap OPD sebaiknya diumumkan di papan informasi kelurahan supaya warga "
        "bisa ikut mengawasi.",
        "08-03-2025 10.10",
        "form",
    ),
    (
        "MR-14",
        "Bab IV",
        "",
        "Dewi Lestari",
        "menolak",
        "Usulan Musrenbang kami tiga tahun tidak masuk APBD tanpa penjelasan. Mohon ada "
        "pelacakan usulan yang terbuka.",
        "08-03-2025 10.15",
        "form",
    ),
    (
        "SR-01",
        "Bab III",
        "LSM Pelita Pasuruan",
        "Rina Pelita",
        "setuju",
        "Kami mendukung program pengendalian banjir. Mohon drainase kawasan pesisir dan kolam "
        "retensi dimasukkan dalam program prioritas.",
        "10-03-2025 13.00",
        "letter",
    ),
    (
        "EM-01",
        "",
        "",
        "Bambang Sutrisno",
        "netral",
        "Taman kota dan ruang terbuka hijau perlu ditambah, anak-anak tidak punya tempat "
        "bermain yang aman.",
        "11-03-2025 20.15",
        "email",
    ),
]

CAMPAIGN_LETTER = (
    "Kami pedagang Pasar Besar Kota Pasuruan menolak rencana relokasi pedagang ke lokasi "
    "baru di pinggir kota. Lokasi baru jauh dari pembeli dan belum ada angkutan umum. Kami "
    "meminta revitalisasi dilakukan di tempat yang sama secara bertahap."
)
# The same letter from twelve traders, each with a small edit of their own: a greeting, a
# closing, a typo, informal spelling, two sentences swapped.
_SENTENCES = CAMPAIGN_LETTER.split(". ")
CAMPAIGN = [
    ("Sutrisno", CAMPAIGN_LETTER),
    ("Bu Ani", "Assalamualaikum wr. wb. " + CAMPAIGN_LETTER),
    ("Haji Mahmud", "Dengan hormat, " + CAMPAIGN_LETTER + " Terima kasih."),
    ("Wagiman", CAMPAIGN_LETTER + " Hormat kami, pedagang los sayur."),
    ("Siti Romlah", "Yth. Bapak Wali Kota, " + CAMPAIGN_LETTER),
    ("Karno", CAMPAIGN_LETTER.replace("jauh dari", "jahu dari")),
    ("Bu Tatik", CAMPAIGN_LETTER + " Atas perhatiannya kami ucapkan terima kasih."),
    ("Rohim", ". ".join([_SENTENCES[2].rstrip("."), _SENTENCES[0], _SENTENCES[1]]) + "."),
    ("Suparmi", CAMPAIGN_LETTER.replace("yang", "yg").replace("belum", "blm")),
    ("Pak Darto", "Salam sejahtera, " + CAMPAIGN_LETTER),
    ("Mbak Yanti", CAMPAIGN_LETTER + " Kami pedagang kain lantai dua."),
    ("Rusdi", CAMPAIGN_LETTER + " Wassalamualaikum wr. wb."),
]


def _csv() -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["ref", "section", "organization", "author", "stance", "body", "submitted_at", "channel"]
    )
    writer.writerows(FORMS)
    for n, (name, text) in enumerate(CAMPAIGN, start=1):
        writer.writerow(
            [
                f"SP-{n:02d}",
                "Bab V",
                "",
                name,
                "menolak",
                text,
                f"12-03-2025 {8 + n // 4:02d}.{(n * 7) % 60:02d}",
                "letter",
            ]
        )
    return SimpleUploadedFile("musrenbang-dan-surat.csv", out.getvalue().encode("utf-8"))


def load(demo) -> None:
    rpjmd = demo.consultations["rpjmd"]
    result = analysis_services.comment_import(
        actor=demo.users["planner"], consultation=rpjmd, upload=_csv()
    )
    # The RPJMD is pre-moderated: the moderator goes through the queue.
    for comment in Comment.objects.filter(
        consultation=rpjmd, status=Comment.Status.PENDING, author__isnull=True
    ):
        comment_moderation.comment_approve(actor=demo.users["moderator"], comment=comment)
    for key in ("policy", "rpjmd", "concluded"):
        analysis_services.analysis_compute(consultation=demo.consultations[key], force=True)
    demo.log(
        f"Written submissions: {result.imported} imported into the RPJMD consultation "
        f"({len(CAMPAIGN)} of them a campaign); themes and duplicate groups computed."
    )
