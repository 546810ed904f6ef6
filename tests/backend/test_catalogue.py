"""Fully Indonesian, fully English: every message of the project has its translation.

The msgids are English, so an English page shows the msgid itself; an Indonesian page needs
an Indonesian translation. This test extracts the msgids exactly as `makemessages` does
(Django's templatize for templates, xgettext with Django's keywords for Python), then asks
the union of the project's catalogues (backend/locale and every app's own locale/) for
each. Apps keep their own catalogue, so a translation counts wherever it lives.

Two heuristic scans catch text that never reaches a catalogue: words in a template outside
{% translate %} / {% blocktranslate %}, and Python that hands a literal string to a user
(ValidationError, PermissionDenied, the domain errors, django.contrib.messages).
"""

import ast
import gettext
import html.parser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib import admin
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise
from django.utils.translation.template import templatize

from consultations.models import Consultation
from hearings.models import Hearing

ROOT = Path(__file__).resolve().parents[2]
# Not pages: the test suite, benchmarks, deployment files, the virtualenv.
SKIP_DIRS = {".venv", "tests", "bench", "deploy", "docs", "var", "node_modules", "migrations"}
# Django's makemessages keywords (django/core/management/commands/makemessages.py).
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]
# Words that are the same in both languages: names, acronyms, units.
ALLOWED_WORDS = {
    "Ruang",
    "Dialog",
    "RD",
    "API",
    "CSV",
    "XLSX",
    "JSON",
    "DOCX",
    "ODS",
    "PDF",
    "QR",
    "WIB",
    "Rp",
    "SKT",
    "AHU",
    "RPJMD",
    "LSM",
    "OPD",
    "NIK",
    "Bappeda",
    "RT",
    "RW",
    "http",
    "https",
    "x",
    "×",
}

# A file name is the same in every language: "datapackage.json".
FILE_NAME = re.compile(r"\b[\w-]+\.(?:json|csv|xlsx|docx|ics|pdf|svg|png|txt)\b")
TRANSLATED_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "aria-description"}


def project_dirs():
    for path in sorted(ROOT.iterdir()):
        skipped = path.name in SKIP_DIRS or path.name.startswith(".")
        if path.is_dir() and not skipped and (path / "__init__.py").exists():
            yield path


def project_files(pattern):
    for app in project_dirs():
        for path in sorted(app.rglob(pattern)):
            if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
                yield path


def template_files():
    for app in project_dirs():
        templates = app / "templates"
        if templates.is_dir():
            yield from sorted(p for p in templates.rglob("*") if p.suffix in (".html", ".txt"))


# --- a small .po reader ----------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def read_po(text: str) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr {n: text}, fuzzy, obsolete.

    Entries are separated by blank lines, as msgmerge and makemessages write them."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        entry, key = {"fuzzy": False, "obsolete": False, "msgstr": {}}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                entry["obsolete"], line = True, line[2:].strip()
            if line.startswith("#,"):
                entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
                continue
            if not line or line.startswith("#"):
                continue
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            if match:
                key = (match.group(1), int(match.group(2) or 0))
                value = _unquote(match.group(3))
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] = value
                else:
                    entry[key[0]] = value
            elif line.startswith('"') and key is not None:
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += _unquote(line)
                else:
                    entry[key[0]] += _unquote(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def catalogues(language: str) -> list[Path]:
    return sorted(
        p
        for p in ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po")
        if p.relative_to(ROOT).parts[0] not in SKIP_DIRS
    )


def key_of(entry) -> tuple[str, str]:
    return (entry.get("msgctxt", ""), entry["msgid"])


# --- extraction ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def msgids(tmp_path_factory) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> where it is used, for every message of the project."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing (apt-get install gettext)")
    work = tmp_path_factory.mktemp("messages")
    sources = [str(p) for p in project_files("*.py")]
    for number, template in enumerate(template_files()):
        target = work / f"{number}.py"
        target.write_text(templatize(template.read_text(), origin=str(template)))
        sources.append(str(target))
    names = {
        str(work / f"{n}.py"): str(t.relative_to(ROOT)) for n, t in enumerate(template_files())
    }
    listing = work / "files.txt"
    listing.write_text("\n".join(sources))
    pot = work / "messages.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--add-location=file",
            *KEYWORDS,
            f"--files-from={listing}",
            f"--output={pot}",
        ],
        check=True,
        capture_output=True,
    )
    found = {}
    location = re.compile(r"^#: (.+)$", re.M)
    for block in pot.read_text().split("\n\n"):
        entries = read_po(block)
        if not entries or not entries[0]["msgid"]:
            continue
        places = " ".join(location.findall(block)).split()
        where = " ".join(
            names.get(p, str(Path(p).relative_to(ROOT)) if p.startswith(str(ROOT)) else p)
            for p in places[:2]
        )
        found[key_of(entries[0])] = where
    assert len(found) > 500, "the extraction found suspiciously few messages"
    return found


def translated(language: str) -> set[tuple[str, str]]:
    keys = set()
    for path in catalogues(language):
        for entry in read_po(path.read_text()):
            values = entry["msgstr"].values()
            usable = entry["msgid"] and not entry["fuzzy"] and not entry["obsolete"]
            if usable and values and all(values):
                keys.add(key_of(entry))
    return keys


# --- the catalogues --------------------------------------------------------------------------


def test_every_message_has_an_indonesian_translation(msgids):
    known = translated("id")
    missing = sorted(
        f"{where}: {msgid!r}" for (ctx, msgid), where in msgids.items() if (ctx, msgid) not in known
    )
    assert missing == [], f"{len(missing)} messages lack an Indonesian translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_catalogue_has_fuzzy_or_half_translated_entries(language):
    bad = []
    for path in catalogues(language):
        for entry in read_po(path.read_text()):
            if entry["obsolete"]:
                continue
            if entry["fuzzy"]:
                bad.append(f"{path.relative_to(ROOT)}: fuzzy {entry['msgid']!r}")
            values = list(entry["msgstr"].values())
            if entry["msgid"] and any(values) and not all(values):
                bad.append(f"{path.relative_to(ROOT)}: a plural form is empty {entry['msgid']!r}")
    assert bad == []


def test_every_indonesian_catalogue_declares_one_plural_form():
    for path in catalogues("id"):
        header = next(e for e in read_po(path.read_text()) if e["msgid"] == "")
        assert "nplurals=1; plural=0;" in header["msgstr"][0], path


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_compiled_catalogues_match_their_sources(language, tmp_path):
    """A .po edited without msgfmt leaves the pages on the old .mo."""
    for path in catalogues(language):
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled.relative_to(ROOT)} is missing: run msgfmt"
        fresh = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(path)], check=True)
        with compiled.open("rb") as old, fresh.open("rb") as new:
            old_catalog = gettext.GNUTranslations(old)._catalog
            new_catalog = gettext.GNUTranslations(new)._catalog
        assert old_catalog == new_catalog, f"{compiled.relative_to(ROOT)} is stale: run msgfmt"


def test_the_indonesian_wording_fits_what_the_page_shows():
    """Translations that said something else than the English (issue 17)."""
    indonesian = {}
    for path in catalogues("id"):
        for entry in read_po(path.read_text()):
            indonesian[entry["msgid"]] = entry["msgstr"].get(0, "")
    assert "Belum ada" in indonesian["No agenda item yet"]
    assert indonesian["No agenda item yet"] != "Belum ada agenda"


# --- text outside gettext --------------------------------------------------------------------


# Text in these elements is code, keys or a deliberate other language, not prose to translate.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp", "pre"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _TextCollector(html.parser.HTMLParser):
    """Text nodes and translatable attributes, except inside SKIPPED_ELEMENTS and elements
    with their own lang="…" (the language switch names the other language in that language)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        nested = bool(self.skipping) and tag == self.skipping[-1]
        opens = tag not in VOID_ELEMENTS and (tag in SKIPPED_ELEMENTS or "lang" in names)
        if nested or opens:
            self.skipping.append(tag)
        if not self.skipping and "lang" not in names:
            self.texts += [v for n, v in attrs if n in TRANSLATED_ATTRIBUTES and v]

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and "lang" not in dict(attrs):
            self.texts += [v for n, v in attrs if n in TRANSLATED_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def untranslated_text(source: str) -> list[str]:
    """Words a template shows that no {% translate %} or {% blocktranslate %} wraps."""
    kept, depth = [], {"blocktranslate": 0, "comment": 0, "verbatim": 0}
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in ("blocktranslate", "blocktrans"):
                depth["blocktranslate"] += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth["blocktranslate"] -= 1
            elif name == "comment":
                depth["comment"] += 1
            elif name == "endcomment":
                depth["comment"] -= 1
            kept.append(" \x00 ")
        elif token.token_type == TokenType.TEXT and not any(depth.values()):
            kept.append(token.contents)
        elif token.token_type == TokenType.VAR:
            kept.append(" \x00 ")
    collector = _TextCollector()
    collector.feed("".join(kept))
    collector.close()
    words = []
    for text in collector.texts:
        text = FILE_NAME.sub(" ", text.replace("\x00", " "))
        for word in re.findall(r"[^\W\d_][\w'’-]*", text):
            if word not in ALLOWED_WORDS:
                words.append(word)
    return words


def test_templates_show_no_words_outside_translate_tags():
    offenders = []
    for template in template_files():
        if re.search(r"_(id|en)$", template.stem):
            continue  # one language's version of a long document (privacy/notice/2026.1_id.html)
        words = untranslated_text(template.read_text())
        if words:
            offenders.append(f"{template.relative_to(ROOT)}: {' '.join(words[:12])}")
    assert offenders == [], "\n".join(offenders)


def test_the_template_scan_finds_a_bare_word_and_accepts_translated_ones():
    assert untranslated_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_text('<button aria-label="Close">×</button>') == ["Close"]
    assert untranslated_text('{% translate "Hello" %} <a title="{% translate "x" %}">') == []
    assert untranslated_text("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert untranslated_text("<script>const a = 'b';</script>Ruang Dialog") == []
    assert untranslated_text("<a href='x'>datapackage.json</a>") == []
    assert (
        untranslated_text('<kbd>N</kbd> <button lang="en" aria-label="Switch">English</button>')
        == []
    )


# Calls whose message reaches a person: ValidationError and friends, and the messages framework.
USER_FACING_CALLS = {
    "ValidationError",
    "PermissionDenied",
    "NotAllowed",
    "Conflict",
    "DomainError",
    "NotFound",
    "Gone",
    "TooLarge",
    "RateLimited",
    "Throttled",
    "BadRequest",
    "SuspiciousOperation",
}
MESSAGE_FUNCTIONS = {"success", "info", "warning", "error", "add_message", "debug"}


def _bare_string(node) -> bool:
    """A literal (or f-string) with letters, not wrapped in gettext."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[^\W\d_]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_bare_string(part) for part in node.values if isinstance(part, ast.Constant))
    return False


def untranslated_calls(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        if name in USER_FACING_CALLS:
            arguments = node.args[:1] + [
                k.value for k in node.keywords if k.arg in ("message", "detail")
            ]
        elif owner == "messages" and name in MESSAGE_FUNCTIONS:
            arguments = node.args[1:2] if name != "add_message" else node.args[2:3]
            arguments += [k.value for k in node.keywords if k.arg == "message"]
        else:
            continue
        if any(_bare_string(argument) for argument in arguments):
            lines.append(node.lineno)
    return lines


def test_python_hands_no_literal_message_to_a_user():
    offenders = []
    for path in project_files("*.py"):
        if "management" in path.parts:
            continue  # command-line output of manage.py, read by operators in English
        for line in untranslated_calls(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == [], "\n".join(offenders)


def test_the_python_scan_finds_a_literal_and_accepts_gettext():
    assert untranslated_calls("raise ValidationError('Too long')") == [1]
    assert untranslated_calls("messages.success(request, f'Saved {n}')") == [1]
    assert untranslated_calls("raise ValidationError(_('Too long'))") == []
    assert untranslated_calls("messages.success(request, _('Saved'))") == []
    assert untranslated_calls("raise ValidationError('')") == []
    assert untranslated_calls("messages.error(request, f'#{pk}: {exc.message}')") == []


# --- the admin -------------------------------------------------------------------------------


def admin_models():
    """Project models the admin shows, as pages or inlines."""
    project = {app.name for app in project_dirs()}
    for model, model_admin in admin.site._registry.items():
        for shown in [model, *(inline.model for inline in model_admin.inlines)]:
            if shown.__module__.split(".")[0] in project:
                yield shown


def test_the_admin_names_every_model_through_gettext():
    """Without a verbose_name the admin derives "Moderation actions" from the class name,
    in English on the Indonesian admin."""
    unnamed = sorted(
        {
            model.__name__
            for model in admin_models()
            if not isinstance(model._meta.original_attrs.get("verbose_name"), Promise)
            or not isinstance(model._meta.original_attrs.get("verbose_name_plural"), Promise)
        }
    )
    assert unnamed == []


def test_who_created_a_consultation_or_a_hearing_is_labelled_through_gettext():
    for model in (Consultation, Hearing):
        assert isinstance(model._meta.get_field("created_by").verbose_name, Promise), model
