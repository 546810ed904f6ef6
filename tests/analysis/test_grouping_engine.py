"""The engine on its own: duplicate groups (MinHash LSH, then the exact check) and themes."""

import random

from analysis import duplicates, text, themes

LETTER = (
    "Kami pedagang Pasar Besar menolak rencana relokasi pedagang ke lokasi baru di pinggir "
    "kota. Lokasi baru jauh dari pembeli dan belum ada angkutan umum. Kami meminta "
    "revitalisasi dilakukan di tempat yang sama secara bertahap."
)


def _texts(bodies):
    return [
        duplicates.Text(id=n + 1, words=tuple(text.words(body)), author=f"a{n}")
        for n, body in enumerate(bodies)
    ]


def _variants():
    return [
        LETTER,
        "Assalamualaikum wr. wb. " + LETTER,
        LETTER.replace("pedagang ke", "pedagnag ke"),  # a typo
        " ".join(reversed(LETTER.split(". "))),  # sentences swapped
        LETTER.replace("tidak", "gak") + " Hormat kami, warga Kelurahan Trajeng.",
    ]


def test_the_same_letter_with_small_edits_is_one_group():
    groups = duplicates.group(_texts(_variants()))
    assert groups == [[1, 2, 3, 4, 5]]


def test_different_comments_on_the_same_subject_are_not_duplicates():
    bodies = [
        "Lampu penerangan jalan umum di Jl. Gatot Subroto banyak yang mati, rawan begal.",
        "Lampu penerangan jalan umum di Jl. Pahlawan juga banyak yang mati, anak takut lewat.",
        "Usul pemasangan lampu PJU tenaga surya di jalan kampung yang belum ada penerangan.",
    ]
    assert duplicates.group(_texts(bodies)) == []


def test_short_comments_are_opinions_not_a_campaign():
    assert duplicates.group(_texts(["Setuju."] * 30)) == []


def test_a_thousand_copies_cost_one_verification_each_not_a_million():
    rng = random.Random(1)
    bodies = [LETTER + f" Salam dari RT {rng.randint(1, 20)}." for _ in range(1000)]
    assert duplicates.group(_texts(bodies)) == [list(range(1, 1001))]


def test_every_unit_is_in_exactly_one_theme_and_empty_ones_in_other():
    bodies = (
        ["Lampu jalan di kampung kami mati, gelap sekali di malam hari."] * 1
        + [f"Lampu PJU di gang {n} mati dan jalan gelap waktu malam." for n in range(6)]
        + [f"Sampah di TPS {n} menumpuk, truk sampah jarang datang." for n in range(6)]
        + ["Setuju.", "Terima kasih."]
    )
    units = [themes.Unit(body, (n,)) for n, body in enumerate(bodies)]
    found = themes.find(units, other_label="Lainnya")
    placed = sorted(c for theme in found for c in theme.comments)
    assert placed == list(range(len(bodies)))
    assert found[-1].is_other and set(found[-1].comments) >= {13, 14}
    labels = " ".join(t.label.lower() for t in found)
    assert "lampu" in labels and "sampah" in labels


def test_a_campaign_counts_once_for_the_label_but_all_its_members_are_in_the_theme():
    campaign = themes.Unit("Tolak relokasi pedagang pasar ke pinggir kota.", tuple(range(100, 140)))
    others = [
        themes.Unit(f"Perbaikan saluran drainase di kelurahan {n} agar tidak banjir.", (n,))
        for n in range(8)
    ] + [
        themes.Unit(f"Banjir di jalan {n}, saluran tersumbat sampah.", (20 + n,)) for n in range(4)
    ]
    found = themes.find([campaign, *others])
    by_comment = {c: t for t in found for c in t.comments}
    assert all(by_comment[c] is by_comment[100] for c in range(100, 140))
    drainage = by_comment[0]
    assert drainage is not by_comment[100]
    assert "saluran" in drainage.label.lower() or "drainase" in drainage.label.lower()


def test_the_signatures_are_datasketchs_minhash_values():
    from datasketch import MinHash

    sets = [duplicates.shingles(text.words(body)) for body in _variants()[:2]]
    expected = []
    for shingle_set in sets:
        minhash = MinHash(
            num_perm=duplicates.NUM_PERM, seed=1, scheme=duplicates.SCHEME, hashfunc=int
        )
        minhash.update_batch(shingle_set.tolist())
        expected.append(minhash.hashvalues)
    assert (duplicates.signatures(sets) == expected).all()
