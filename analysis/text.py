"""Indonesian text as the analysis reads it: words, informal spellings, stems, display forms.

Comments are written the way people write: *gak*, *nggak*, *tdk* for *tidak*, *yg*, *dgn*,
*utk*, abbreviations such as RT/RW, OPD, APBD. `words()` gives the normalised words of a
text (lowercase, informal spellings replaced by their standard form, abbreviations kept
as one token each); duplicate detection compares those. `terms()` goes further for
themes: stop words out, the rest stemmed with PySastrawi (cached: the stemmer costs
~1 ms a word, a consultation has a few thousand distinct words). `DisplayForms` turns a
stem back into the word people actually wrote most often, so a theme is labelled
"perbaikan jalan", not "baik jalan".
"""

import re
import unicodedata
from collections import Counter, defaultdict

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# Informal and abbreviated spellings → the standard word. Hand-written from what comments
# on Musrenbang forms and in WhatsApp-style messages use; only unambiguous ones.
INFORMAL = {
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "nggk": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "kagak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "ndak": "tidak",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "krn": "karena",
    "karna": "karena",
    "sdh": "sudah",
    "udah": "sudah",
    "udh": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blum": "belum",
    "bgt": "sekali",
    "banget": "sekali",
    "aja": "saja",
    "jg": "juga",
    "dr": "dari",
    "dlm": "dalam",
    "pd": "pada",
    "tsb": "tersebut",
    "sy": "saya",
    "gue": "saya",
    "gw": "saya",
    "aku": "saya",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "tp": "tetapi",
    "tapi": "tetapi",
    "trs": "terus",
    "spt": "seperti",
    "kyk": "seperti",
    "kayak": "seperti",
    "thd": "terhadap",
    "ttg": "tentang",
    "kpd": "kepada",
    "sbg": "sebagai",
    "hrs": "harus",
    "krg": "kurang",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "msh": "masih",
    "lg": "lagi",
    "bnyk": "banyak",
    "byk": "banyak",
    "org": "orang",
    "tlg": "tolong",
    "mhn": "mohon",
    "bpk": "bapak",
    "bp": "bapak",
    "ibu2": "ibu",
    "sm": "sama",
    "sama2": "sama",
    "bs": "bisa",
    "bsa": "bisa",
    "jd": "jadi",
    "jdi": "jadi",
    "sj": "saja",
    "dpt": "dapat",
    "sgt": "sangat",
    "bkn": "bukan",
    "emg": "memang",
    "emang": "memang",
    "gini": "begini",
    "gitu": "begitu",
    "pake": "pakai",
    "nyampe": "sampai",
    "sampe": "sampai",
    "jln": "jalan",
    "jl": "jalan",
    "kel": "kelurahan",
    "kec": "kecamatan",
    "pemkot": "pemerintah kota",
    "pemda": "pemerintah daerah",
    "warga2": "warga",
    "anak2": "anak",
    "jalan2": "jalan",
    "mksh": "terima kasih",
    "makasih": "terima kasih",
    "trims": "terima kasih",
    "thx": "terima kasih",
    "dll": "dan lain lain",
    "dsb": "dan sebagainya",
}

# Abbreviations that carry meaning: one token each, never stemmed nor dropped as too short,
# shown in capitals (their display form).
ABBREVIATIONS = {
    "rt",
    "rw",
    "opd",
    "apbd",
    "apbn",
    "rpjmd",
    "rkpd",
    "dprd",
    "pju",
    "umkm",
    "ukm",
    "bpjs",
    "pdam",
    "tpa",
    "tps",
    "tpst",
    "ipal",
    "rth",
    "sd",
    "smp",
    "sma",
    "smk",
    "paud",
    "pkk",
    "bumdes",
    "pln",
    "kip",
    "kis",
    "pkh",
    "bansos",
    "blt",
    "ktp",
    "kk",
    "lsm",
    "ormas",
    "asn",
    "pns",
    "pad",
    "csr",
    "wifi",
    "cctv",
    "bpbd",
    "dlh",
    "pupr",
    "dishub",
    "bappeda",
    "covid",
}

# Words that say nothing about what a comment is about: greetings, forms of address,
# politeness, the consultation's own vocabulary. Added to PySastrawi's Indonesian list.
EXTRA_STOP_WORDS = {
    "assalamualaikum",
    "assalamu",
    "alaikum",
    "wr",
    "wb",
    "warahmatullahi",
    "wabarakatuh",
    "salam",
    "sejahtera",
    "yth",
    "hormat",
    "terhormat",
    "dengan",
    "bapak",
    "ibu",
    "pak",
    "bu",
    "saudara",
    "kami",
    "saya",
    "mohon",
    "tolong",
    "harap",
    "berharap",
    "terima",
    "kasih",
    "atas",
    "perhatian",
    "perhatiannya",
    "kerjasama",
    "wassalam",
    "wassalamualaikum",
    "sekali",
    "sangat",
    "tidak",
    "juga",
    "lagi",
    "sudah",
    "belum",
    "usul",
    "usulan",
    "mengusulkan",
    "diusulkan",
    "kota",
    "wali",
    "walikota",
    "pasuruan",
    "pemerintah",
    "warga",
    "masyarakat",
    "mas",
    "mbak",
    "lain",
    "lainnya",
    "hal",
    "tersebut",
    "menurut",
    "pendapat",
    "rancangan",
    "draf",
    "draft",
    "pasal",
    "bab",
    "ayat",
    "nomor",
    "agar",
    "supaya",
    "segera",
    "setuju",
    "mendukung",
    "menolak",
    "dukung",
}

_STOP_WORDS = frozenset(StopWordRemoverFactory().get_stop_words()) | EXTRA_STOP_WORDS
_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[.!?;:,()\n]+")
_URL = re.compile(r"(https?://|www\.)\S+")
_REPEAT = re.compile(r"(.)\1{2,}")  # "bangeeet" → "banget"
_STEMMER = StemmerFactory().create_stemmer()
_STEMS: dict[str, str] = {}


def _fold(text: str) -> str:
    """Lowercase ASCII: accents and typographic quotes folded, URLs and digits-only kept."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _URL.sub(" ", text.lower())


# Per-process caches of the work done per distinct word (a consultation's vocabulary is a
# few thousand words; misspellings make it grow, so each cache starts over at CACHE_LIMIT).
CACHE_LIMIT = 200_000
_NORMAL: dict[str, tuple[str, ...]] = {}


def _cached(cache: dict, key: str, make):
    found = cache.get(key)
    if found is None and key not in cache:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        found = cache[key] = make(key)
    return found


def _normal(raw: str) -> tuple[str, ...]:
    word = _REPEAT.sub(r"\1\1", raw)
    if word != raw and word not in INFORMAL:
        single = _REPEAT.sub(r"\1", raw)
        word = single if single in INFORMAL else word
    standard = INFORMAL.get(word)
    return tuple(standard.split()) if standard else (word,)


def words(text: str, *, folded: bool = False) -> list[str]:
    """The normalised words of a text, in order: informal spellings replaced, stretched
    letters collapsed, "RT/RW" two tokens."""
    out: list[str] = []
    for raw in _WORD.findall(text if folded else _fold(text)):
        # The cache read inline: this runs once per word of every comment.
        found = _NORMAL.get(raw)
        out.extend(found if found is not None else _cached(_NORMAL, raw, _normal))
    return out


def _stem(word: str) -> str:
    return word if word in ABBREVIATIONS or word.isdigit() else _STEMMER.stem(word) or word


def stem(word: str) -> str:
    """PySastrawi's stem of one word, cached (the stemmer costs ~1 ms a word)."""
    return _cached(_STEMS, word, _stem)


def is_content_word(word: str) -> bool:
    """Worth a theme: not a stop word, not a number, at least three letters or a known
    abbreviation."""
    if word in ABBREVIATIONS:
        return True
    return len(word) >= 3 and not word.isdigit() and word not in _STOP_WORDS


_TERMS: dict[str, str | None] = {}
_UNSEEN = object()


def _content_stem(word: str) -> str | None:
    # Stop words are tested on the written word, not the stem: "perbaikan" stems to "baik",
    # a stop word, but it is what the comment is about.
    return stem(word) if is_content_word(word) else None


def terms(text: str, forms: "DisplayForms | None" = None, *, pairs: bool = False) -> list[str]:
    """The stems of the content words, in order; with `pairs`, also "a b" for two content
    words written next to each other in one clause ("lampu jalan"). `forms` counts which
    written word each stem came from, for labels."""
    out: list[str] = []
    for clause in _CLAUSE.split(_fold(text)):
        previous = previous_word = None
        for word in words(clause, folded=True):
            root = _TERMS.get(word, _UNSEEN)  # inline, as in words()
            if root is _UNSEEN:
                root = _cached(_TERMS, word, _content_stem)
            if root is None:
                previous = None
                continue
            out.append(root)
            if forms is not None:
                forms.add(root, word)
            if pairs and previous is not None and previous != root:
                out.append(f"{previous} {root}")
                if forms is not None:  # a pair keeps its own written form
                    forms.add(f"{previous} {root}", f"{previous_word} {word}")
            previous, previous_word = root, word
    return out


class DisplayForms:
    """Per stem, the surface words it came from; a label shows the most frequent one."""

    def __init__(self):
        self._seen: dict[str, Counter] = defaultdict(Counter)

    def add(self, root: str, word: str) -> None:
        self._seen[root][word] += 1

    def word(self, root: str) -> str:
        seen = self._seen.get(root)
        word = seen.most_common(1)[0][0] if seen else root
        return word.upper() if word in ABBREVIATIONS else word

    def phrase(self, term: str) -> str:
        """A stem or a pair of stems, as people wrote it most often ("angkutan umum", not
        "angkutan diumumkan", though "umum" is the stem of both)."""
        seen = self._seen.get(term)
        if seen is None or " " not in term:
            return " ".join(self.word(part) for part in term.split())
        return " ".join(
            part.upper() if part in ABBREVIATIONS else part
            for part in seen.most_common(1)[0][0].split()
        )
