"""Names people recognise each other by: usernames and organisation names.

Two names that look the same on a screen must not belong to two different parties, or a
representative invites the wrong account and an LSM is impersonated by a look-alike. So
every name is NFKC-normalised (fullwidth `ｗａｒｇａ` becomes `warga`), and its *skeleton*
(each character replaced by one representative of the characters it can be confused with,
case included, from the Unicode confusables data in `confusable_homoglyphs`) is what must be
unique.
"""

import functools
import string
import unicodedata

from confusable_homoglyphs import confusables
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.crypto import salted_hmac


def normalize(text: str) -> str:
    """NFKC with runs of whitespace collapsed: what is stored and shown."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character → the representative of its look-alike class.

    The classes join every character with its single-character homoglyphs, and each ASCII
    letter with its capital (`O`, `o` and `0` are one class; `l`, `L`, `I`, `i` and `1`
    another). The representative is the class's smallest ASCII letter or digit when it has
    one.
    """
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    def union(a: str, b: str) -> None:
        first, second = find(a), find(b)
        if first != second:
            parent[max(first, second)] = min(first, second)

    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1:
            continue
        for glyph in glyphs:
            if len(glyph["c"]) == 1:
                union(char, glyph["c"])
    for letter in string.ascii_lowercase:
        union(letter, letter.upper())
    members: dict[str, list[str]] = {}
    for char in parent:
        members.setdefault(find(char), []).append(char)
    prototypes = {}
    for group in members.values():
        plain = sorted(c.casefold() for c in group if c.isascii() and c.isalnum())
        representative = plain[0] if plain else min(group).casefold()
        for char in group:
            prototypes[char] = representative
    return prototypes


def _prototype(char: str) -> str:
    return _prototypes().get(char) or char.casefold()


def skeleton(text: str) -> str:
    """The comparison key of a name: equal for names that read the same.

    `LSM Pelita`, `lsm  PELITA`, `LSM Реlita` (Cyrillic Р and е) and `LSM Pe1ita` share one.
    """
    return "".join(_prototype(char) for char in normalize(text))


def username_problem(username: str) -> str | None:
    """Why `username` (already NFKC-normalised) would pass for another name, or None.

    Refused: mixed scripts (Latin with Cyrillic letters) and any non-ASCII character that
    looks like an ASCII letter or digit (an all-Cyrillic `варга`). Names in other scripts
    that look like nothing in Latin stay allowed.
    """
    if confusables.is_mixed_script(username):
        return "mixed"
    for char in set(username):
        if not char.isascii() and _prototype(char).isascii() and _prototype(char).isalnum():
            return "lookalike"
    return None


# --- Public names (UU PDP): one home for how an individual appears to the public ---------

PSEUDONYM_PREFIX = "Warga-"


def pseudonym(user_id: int) -> str:
    """A stable pseudonym for the account `user_id`: HMAC of the id with a key derived from
    settings.PSEUDONYM_SECRET (default: SECRET_KEY), so it is the same in every run, page and
    export, and the id cannot be read back from it."""
    digest = salted_hmac(
        "ruang.pseudonym", str(user_id), secret=settings.PSEUDONYM_SECRET, algorithm="sha256"
    ).hexdigest()
    return PSEUDONYM_PREFIX + digest[:6].upper()


def shows_name(user) -> bool:
    """Whether the person chose to show their name publicly (off by default).

    Reads `user.privacy`: select_related("author__privacy") (or the like) in lists."""
    try:
        choice = user.privacy
    except ObjectDoesNotExist:
        return False
    return bool(choice and choice.show_name)


def public_name(user) -> str | None:
    """The name an individual's account shows on public pages, live feeds, exports, Berita
    Acara, the final report and open data: their name if they consented, else a pseudonym.

    Officials, planners and moderators act in office: callers that show them (responders,
    deciders) use their name directly, not this function. Organisations show by name.
    """
    if user is None:
        return None
    if shows_name(user):
        return user.get_full_name() or user.get_username()
    try:
        stored = user.privacy.pseudonym
    except ObjectDoesNotExist:
        stored = ""
    return stored or pseudonym(user.pk)
