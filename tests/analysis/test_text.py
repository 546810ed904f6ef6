"""The Indonesian normaliser: informal spellings, abbreviations, stems and display forms."""

from analysis import text


def test_informal_spellings_become_the_standard_word():
    assert text.words("Gak ada lampu, nggak aman, tdk layak") == [
        "tidak",
        "ada",
        "lampu",
        "tidak",
        "aman",
        "tidak",
        "layak",
    ]
    assert text.words("yg dgn utk krn") == ["yang", "dengan", "untuk", "karena"]


def test_stretched_letters_are_read_as_the_word():
    assert text.words("bangeeet gelaaap") == ["sekali", "gelaap"]


def test_abbreviations_stay_one_token_and_are_never_stemmed_or_dropped():
    terms = text.terms("Usulan RT/RW untuk OPD dan APBD")
    assert {"rt", "rw", "opd", "apbd"} <= set(terms)


def test_stop_words_and_greetings_say_nothing_about_the_subject():
    assert text.terms("Assalamualaikum wr wb, mohon bapak, terima kasih") == []


def test_a_stem_is_shown_in_the_word_people_wrote_most():
    forms = text.DisplayForms()
    for sentence in ["perbaikan jalan", "perbaikan saluran", "diperbaiki segera"]:
        text.terms(sentence, forms)
    assert text.stem("perbaikan") == "baik"
    assert forms.word("baik") == "perbaikan"
    assert forms.phrase("lampu pju") == "lampu PJU"


def test_pairs_are_neighbours_within_one_clause_only():
    terms = text.terms("Lampu jalan mati. Jalan berlubang", pairs=True)
    assert "lampu jalan" in terms
    assert "mati jalan" not in terms


def test_a_pair_is_shown_as_people_wrote_it_even_when_its_stems_are_shared():
    forms = text.DisplayForms()
    text.terms("Belum ada angkutan umum. Anggaran diumumkan, diumumkan lagi", forms, pairs=True)
    assert text.stem("diumumkan") == text.stem("umum")
    assert forms.phrase(f"angkut {text.stem('umum')}") == "angkutan umum"
