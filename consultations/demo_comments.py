"""Demo comments, moderation and responses, made through the services; called from `load_demo`.

Realistic Indonesian input from the demo organizations on the three public
consultations: mixed stances, replies, a reported comment, pending comments on the
pre-moderated RPJMD, and responses (some published, some still drafts).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from consultations import selectors, services
from consultations.models import Comment, Consultation, Item

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
        "Mohon dijadikan isu strategis tersendiri.",
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


def _users():
    User = get_user_model()
    return {user.username: user for user in User.objects.all()}


def _post(users, consultation, rows, *, approve_with=None) -> dict:
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
            services.comment_approve(actor=users["moderator"], comment=made[key])
    return made


def _spread_in_time(comments, start, step) -> None:
    """Demo history: posted over the past days, not all in the same second."""
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=start + n * step)


def _respond(actor, *, comment=None, section=None, outcome, body, publish):
    if actor is None:
        return None
    return services.response_create(
        actor=actor, comment=comment, section=section, outcome=outcome, body=body, publish=publish
    )


def load_demo_comments(demo=None) -> int:
    """Comments, replies, reports, moderation and responses on the demo consultations.

    Idempotent: does nothing once demo comments exist. Returns how many comments it made.
    """
    if Comment.objects.exists():
        return 0
    users = _users()
    if "moderator" not in users:
        return 0
    consultations = {c.title: c for c in Consultation.objects.all()}
    policy = next((c for t, c in consultations.items() if "Partisipasi Publik" in t), None)
    rpjmd = next((c for c in consultations.values() if c.kind == Consultation.Kind.RPJMD), None)
    concluded = next(
        (c for c in consultations.values() if c.status == Consultation.Status.CONCLUDED), None
    )
    official = users.get("bappeda")
    planner = users.get("planner")
    now = timezone.now()
    made: list = []
    # Demo data is posted in bulk by a few accounts: the per-user rate limit is lifted here only.
    limits = {**settings.RUANG, "COMMENT_RATE_PER_MINUTE": 10_000, "COMMENT_RATE_PER_HOUR": 10_000}
    with override_settings(RUANG=limits):
        if policy is not None and policy.is_open:
            policy_comments = _post(users, policy, POLICY_COMMENTS)
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
                        services.comment_report(
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
                users, rpjmd, RPJMD_COMMENTS, approve_with={"b5-fwpl", "b4-fwpl"}
            )
            question = rpjmd_comments.get("b2-ycp")
            if question is not None:
                services.comment_reject(
                    actor=users["moderator"],
                    comment=question,
                    reason="Mohon sertakan sumber data yang dimaksud lalu kirim ulang.",
                )
            made += list(rpjmd_comments.values())
        if concluded is not None:
            made += _replay_concluded(users, concluded, official)
    _spread_in_time(made, now - datetime.timedelta(days=3), datetime.timedelta(minutes=47))
    if demo is not None:
        demo.log(f"Demo comments: {len(made)} comments with replies, reports and responses.")
    return len(made)


def _replay_concluded(users, consultation, official) -> list:
    """The concluded consultation ran months ago: its comments and answers are replayed
    through the services while it is briefly open again, then it is concluded as before."""
    status = consultation.status
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.OPEN)
    consultation.status = Consultation.Status.OPEN
    try:
        comments = _post(users, consultation, CONCLUDED_COMMENTS)
        answers = {
            "c2-fwpl": ("accepted", "Jadwal pengangkutan terpisah ditambahkan pada Pasal 4."),
            "c3-pelita": (
                "partially_accepted",
                "Sarana diberikan untuk bank sampah percontohan di tiga kelurahan pada 2025.",
            ),
            "c1-ycp": ("not_accepted", "Sampah elektronik diatur dalam peraturan tersendiri."),
        }
        for key, (outcome, body) in answers.items():
            if key in comments:
                _respond(official, comment=comments[key], outcome=outcome, body=body, publish=True)
    finally:
        Consultation.objects.filter(pk=consultation.pk).update(status=status)
        consultation.status = status
    return list(comments.values())
