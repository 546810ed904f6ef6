"""Demo comments, moderation and responses, made through the services; called from `load_demo`.

Realistic Indonesian input from the demo organizations on the three public
consultations: mixed stances, replies, a reported comment, pending comments on the
pre-moderated RPJMD, and responses (some published, some still drafts). The concluded
consultation is still open when `load_demo_comments` runs; `respond_concluded` answers
its comments after it has closed (load_demo.DEMO_AFTER_CLOSE).
"""

import contextlib
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments import moderation, responses, services
from comments.models import Comment
from consultations import selectors
from consultations.models import Item

# (key, author, section number or None, stance, body, reply-to key or None)
POLICY_COMMENTS = [
    (
        "p3-pelita",
        "pelita",
        "Pasal 3",
        "oppose",
        "Jangka waktu 21 hari kerja masih terlalu singkat bagi LSM di tingkat kelurahan yang "
        "harus mengumpulkan masukan anggota lebih dulu. Kami usulkan 30 hari kerja, dan "
        "rancangan dikirim juga dalam bentuk cetak ke kantor kelurahan.",
        None,
    ),
    (
        "p3-fwpl",
        "fwpl",
        "Pasal 3",
        "support",
        "Kami mendukung perpanjangan menjadi 21 hari dan hak atas tanggapan tertulis. "
        "Mohon ditambahkan bahwa tanggapan tertulis diumumkan paling lambat 14 hari setelah "
        "konsultasi ditutup.",
        None,
    ),
    (
        "p3-ycp-reply",
        "ycp",
        None,
        "question",
        "Setuju dengan usulan FWPL. Apakah tanggapan tertulis itu juga akan diunggah ke "
        "laman Ruang Dialog agar bisa dibaca warga?",
        "p3-fwpl",
    ),
    (
        "p3-pelita-reply",
        "pelita.anggota",
        None,
        "neutral",
        "Di Kelurahan Gadingrejo banyak pengurus belum terbiasa membaca dokumen daring; "
        "versi cetak tetap diperlukan.",
        "p3-pelita",
    ),
    (
        "p5-pelita",
        "pelita.anggota",
        "Pasal 5",
        "question",
        "Apakah berita acara forum konsultasi publik akan memuat daftar hadir organisasi dan "
        "dipublikasikan? Mohon dijelaskan siapa yang menandatangani.",
        None,
    ),
    (
        "p5-fwpl",
        "fwpl",
        "Pasal 5",
        "support",
        "Forum tatap muka sangat penting. Usul kami: forum diadakan pada sore hari agar "
        "perwakilan yang bekerja dapat hadir.",
        None,
    ),
    (
        "p1-warga",
        "warga",
        "Pasal 1",
        "neutral",
        "Definisi 'masyarakat' sebaiknya mencakup warga yang tinggal dan bekerja di Kota "
        "Pasuruan meskipun KTP-nya dari daerah lain.",
        None,
    ),
    (
        "p7-ycp",
        "ycp",
        "Pasal 7",
        "oppose",
        "Pendanaan forum sebaiknya tidak hanya dari APBD perangkat daerah pemrakarsa; "
        "perlu pos anggaran khusus agar forum tidak dibatalkan karena anggaran habis.",
        None,
    ),
    (
        "general-pelita",
        "pelita",
        None,
        "support",
        "Secara keseluruhan kami menyambut baik rancangan ini. Ini langkah maju untuk "
        "keterbukaan penyusunan kebijakan di Kota Pasuruan.",
        None,
    ),
    (
        "karyamuda-offtopic",
        "karyamuda",
        None,
        "neutral",
        "Kunjungi bazar Ormas Karya Muda hari Minggu di alun-alun, ada diskon 50% untuk "
        "semua produk UMKM binaan kami!",
        None,
    ),
]

RPJMD_COMMENTS = [
    (
        "b3-pelita",
        "pelita",
        "Bab III",
        "oppose",
        "Isu strategis belum menyebut banjir rob di Kecamatan Panggungrejo yang makin sering. "
        "Mohon dijadikan isu strategis tersendiri, dengan normalisasi saluran drainase "
        "sebelum musim hujan.",
        None,
    ),
    (
        "b5-fwpl",
        "fwpl",
        "Bab V",
        "support",
        "Pagu indikatif untuk program pengelolaan persampahan sudah memadai. Kami siap "
        "bermitra untuk bank sampah di tiap kelurahan.",
        None,
    ),
    (
        "b5-pelita-question",
        "pelita.anggota",
        "Bab V",
        "question",
        "Bagaimana cara menghitung target penurunan angka stunting menjadi 14%? Mohon data "
        "dasar tahun 2024 dicantumkan.",
        None,
    ),
    (
        "b2-ycp",
        "ycp",
        "Bab II",
        "neutral",
        "Data nelayan di wilayah pesisir pada Bab II perlu diperbarui; angka yang dipakai "
        "masih dari tahun 2019.",
        None,
    ),
    (
        "b4-fwpl",
        "fwpl",
        "Bab IV",
        "support",
        "Misi kedua tentang lingkungan hidup yang berkelanjutan sudah sejalan dengan "
        "aspirasi warga dalam musrenbang kelurahan.",
        None,
    ),
]

CONCLUDED_COMMENTS = [
    (
        "c2-fwpl",
        "fwpl",
        "Pasal 2",
        "support",
        "Pemilahan di sumber harus disertai jadwal pengangkutan terpisah; jika tidak, warga "
        "akan melihat sampah terpilah dicampur lagi di truk.",
        None,
    ),
    (
        "c3-pelita",
        "pelita",
        "Pasal 3",
        "question",
        "Apakah LSM yang memfasilitasi bank sampah mendapat dukungan sarana dari Pemerintah "
        "Daerah?",
        None,
    ),
    (
        "c1-ycp",
        "ycp",
        "Pasal 1",
        "neutral",
        "Definisi sampah rumah tangga sebaiknya menyebut sampah elektronik kecil.",
        None,
    ),
]


@contextlib.contextmanager
def ruang_settings(**overrides):
    """Change keys of settings.RUANG, which the services read on every call, for a block.

    A handful of demo accounts post all the demo comments within seconds; the per-user
    limits (RUANG["COMMENT_RATE_PER_MINUTE"] and ["COMMENT_RATE_PER_HOUR"], from
    RUANG_COMMENT_RATE_PER_MINUTE/_HOUR in the environment) are lifted for the load only:
    None is "no limit, no count" (comments.services.comment_rate_limit_check), so the
    server that starts right after the load holds no counter of these comments and the
    accounts' first real comments are not refused with 429.
    """
    saved = settings.RUANG
    settings.RUANG = {**saved, **overrides}
    try:
        yield
    finally:
        settings.RUANG = saved


def _users() -> dict:
    """The accounts as a request would load them: demo.users were made before their
    memberships and verifications, and keep stale related objects cached."""
    return {user.username: user for user in get_user_model().objects.all()}


def _post(demo, users, consultation, rows, *, approve_with=None) -> dict:
    sections = {s.number: s for s in selectors.sections_of(consultation)}
    made: dict = {}
    for key, username, number, stance, body, parent_key in rows:
        user = users.get(username)
        if user is None:
            continue
        made[key] = services.comment_create(
            actor=user,
            consultation=consultation,
            section=sections.get(number) if number and parent_key is None else None,
            parent=made.get(parent_key),
            stance=stance,
            body=body,
        )
        if approve_with is not None and key in approve_with:
            moderation.comment_approve(actor=users["moderator"], comment=made[key])
    demo.comments.update(made)
    return made


def _spread_in_time(comments, start, step) -> None:
    """Demo history: posted over the past days, not all in the same second.

    Historical fact: comment_create stamps the present time and no service moves it into
    the past, so `created_at` is set directly, after the services made the comments.
    """
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=start + n * step)


def _respond(actor, *, comment=None, section=None, outcome, body, publish):
    if actor is None:
        return None
    return responses.response_create(
        actor=actor, comment=comment, section=section, outcome=outcome, body=body, publish=publish
    )


def load_demo_comments(demo) -> int:
    """Comments, replies, reports, moderation and responses on the open demo consultations.

    Idempotent: does nothing once demo comments exist. Returns how many comments it made.
    """
    if Comment.objects.exists():
        return 0
    users = _users()
    if "moderator" not in users:
        return 0
    policy = demo.consultations.get("policy")
    rpjmd = demo.consultations.get("rpjmd")
    concluded = demo.consultations.get("concluded")
    official = users.get("bappeda")
    planner = users.get("planner")
    now = timezone.now()
    made: list = []
    with ruang_settings(COMMENT_RATE_PER_MINUTE=None, COMMENT_RATE_PER_HOUR=None):
        if policy is not None and policy.is_open:
            policy_comments = _post(demo, users, policy, POLICY_COMMENTS)
            item = Item.objects.filter(consultation=policy, title__startswith="Pasal 3").first()
            if item is not None and "fwpl" in users:
                policy_comments["item-fwpl"] = services.comment_create(
                    actor=users["fwpl"],
                    consultation=policy,
                    item=item,
                    stance="support",
                    body="Untuk butir Pasal 3 secara keseluruhan, FWPL menyatakan setuju dengan "
                    "catatan jangka waktu di atas.",
                )
            offtopic = policy_comments.get("karyamuda-offtopic")
            if offtopic is not None:
                for reporter in ("fwpl", "pelita"):
                    if reporter in users:
                        moderation.comment_report(
                            actor=users[reporter],
                            comment=offtopic,
                            reason="Promosi dagang, tidak terkait rancangan.",
                        )
            _respond(
                official,
                comment=policy_comments.get("p3-fwpl"),
                outcome="accepted",
                body="Usulan diterima. Pasal 3 ayat (3) akan memuat batas waktu 14 hari untuk "
                "mengumumkan tanggapan tertulis di laman Ruang Dialog.",
                publish=True,
            )
            _respond(
                planner,
                comment=policy_comments.get("p3-pelita"),
                outcome="partially_accepted",
                body="Versi cetak akan dikirim ke kantor kelurahan; jangka waktu tetap 21 hari "
                "agar penyusunan kebijakan tidak tertunda.",
                publish=False,
            )
            pasal_5 = selectors.sections_of(policy).filter(number="Pasal 5").first()
            if pasal_5 is not None:
                _respond(
                    official,
                    section=pasal_5,
                    outcome="noted",
                    body="Masukan tentang waktu dan berita acara forum dicatat untuk petunjuk "
                    "teknis penyelenggaraan forum.",
                    publish=True,
                )
            made += list(policy_comments.values())
        if rpjmd is not None and rpjmd.is_open:
            rpjmd_comments = _post(
                demo,
                users,
                rpjmd,
                RPJMD_COMMENTS,
                approve_with={"b5-fwpl", "b4-fwpl", "b3-pelita"},
            )
            # Pelita's input on flood drainage, accepted: what the follow-up page tracks
            # (docs/FOLLOWUP.md: bappeda records its progress on the demo).
            _respond(
                official,
                comment=rpjmd_comments.get("b3-pelita"),
                outcome="accepted",
                body="Diterima. Banjir rob Panggungrejo menjadi isu strategis tersendiri; "
                "normalisasi saluran drainase masuk program 1.03.05 Pengendalian Banjir dan "
                "Rob Kawasan Pesisir.",
                publish=True,
            )
            question = rpjmd_comments.get("b2-ycp")
            if question is not None:
                moderation.comment_reject(
                    actor=users["moderator"],
                    comment=question,
                    reason="Mohon sertakan sumber data yang dimaksud lalu kirim ulang.",
                )
            made += list(rpjmd_comments.values())
        if concluded is not None and concluded.is_open:
            made += list(_post(demo, users, concluded, CONCLUDED_COMMENTS).values())
    _spread_in_time(made, now - datetime.timedelta(days=3), datetime.timedelta(minutes=47))
    demo.log(f"Demo comments: {len(made)} comments with replies, reports and responses.")
    return len(made)


# Bappeda's answers to the concluded consultation's comments, written after it closed.
CONCLUDED_RESPONSES = {
    "c2-fwpl": ("accepted", "Jadwal pengangkutan terpisah ditambahkan pada Pasal 4."),
    "c3-pelita": (
        "partially_accepted",
        "Sarana diberikan untuk bank sampah percontohan di tiga kelurahan pada 2025.",
    ),
    "c1-ycp": ("not_accepted", "Sampah elektronik diatur dalam peraturan tersendiri."),
}


def respond_concluded(demo) -> None:
    """Published responses to the concluded consultation's comments, between close and conclude."""
    official = _users().get("bappeda")
    for key, (outcome, body) in CONCLUDED_RESPONSES.items():
        comment = demo.comments.get(key)
        if comment is not None:
            _respond(official, comment=comment, outcome=outcome, body=body, publish=True)
