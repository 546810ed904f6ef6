"""Duplicate and campaign groups: the same message with small edits, found in near-linear time.

Each comment becomes a set of shingles: overlapping five-letter pieces of its normalised
words (analysis.text.words, each piece coded exactly as a number), so a typo, a changed
kelurahan name or an added greeting touches only a few pieces, and two sentences swapped
only the pieces at their seam.
MinHash signatures (datasketch's scheme) put comments whose shingle sets probably overlap
a lot into the same LSH buckets (banding: equal values in one band of the signature);
every candidate pair is then verified with the exact Jaccard
similarity of the two sets, so a group never rests on the estimate alone. A comment joins
the group of a close neighbour only if it is also near that group's first comment (its
anchor), so a chain of comments that each resemble the next ("lampu mati di gang A",
"lampu mati di gang B", …) does not become one group. A group is judged once per comment,
however many of its members the LSH proposes: a campaign of thousands of letters costs a
few comparisons per letter, not one per pair.

Comments with fewer than MIN_WORDS words are left out: "Setuju." from thirty people is
thirty opinions, not a campaign. docs/ANALYSIS.md has the thresholds and how they were
chosen (bench/analysis.py).
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

SHINGLE_CHARS = 5
# Verified Jaccard similarity of the shingle sets at or above which two comments are one
# message.
THRESHOLD = 0.5
# A member must also be this similar to its group's first comment (no chaining).
ANCHOR_THRESHOLD = 0.35
NUM_PERM = 64
SCHEME = "affine32"
# LSH bands × rows: with 3 rows a band, two comments at 0.5 similarity share one of ten
# bands 74 % of the time, at 0.6 89 % (a campaign's letters meet through many members);
# at 0.1, 1 % (the MinHash estimate screens those cheaply).
LSH_BANDS = (10, 3)
MIN_WORDS = 6
_SEED = 1


@dataclass(frozen=True)
class Text:
    """One comment as the grouping sees it: its id, its normalised words, who sent it."""

    id: int
    words: tuple[str, ...]
    author: Hashable = None


# Letters, digits and the space (all analysis.text.words can hold) as 1..37: a 5-letter
# piece read as a base-38 number is its exact code (below 38**5 < 2**32), no hash needed.
_CODES = np.zeros(256, dtype=np.uint32)
for _n, _ch in enumerate(" abcdefghijklmnopqrstuvwxyz0123456789", start=1):
    _CODES[ord(_ch)] = _n
_BASE = np.uint32(38)


def shingles(words: Sequence[str], size: int = SHINGLE_CHARS) -> np.ndarray:
    """The sorted, distinct codes of the text's `size`-letter pieces (spaces between words
    included, so word boundaries count)."""
    codes = _CODES[np.frombuffer(" ".join(words).encode("ascii", "ignore"), dtype=np.uint8)]
    if len(codes) < size:
        codes = np.concatenate([codes, np.zeros(size - len(codes), dtype=np.uint32)])
    pieces = np.zeros(len(codes) - size + 1, dtype=np.uint32)
    for offset in range(size):
        pieces = pieces * _BASE + codes[offset : len(codes) - size + 1 + offset]
    return np.unique(pieces)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct arrays."""
    if len(a) > len(b):
        a, b = b, a
    # A value of `a` past the end of `b` is clipped onto b's last, which is smaller: no match.
    common = int(np.count_nonzero(b.take(np.searchsorted(b, a), mode="clip") == a))
    return common / (len(a) + len(b) - common)


# MinHash signatures in datasketch's "affine32" scheme (the MurmurHash3 finaliser on each
# shingle code, then the random permutations x → a·x + b mod 2**32; the minimum per
# permutation), computed for many comments at a time with numpy: the same values
# datasketch.MinHash.update_batch gives (tests/analysis/test_grouping_engine.py), without a
# Python call per shingle.
_FMIX = (16, np.uint32(0x85EBCA6B), 13, np.uint32(0xC2B2AE35), 16)
# Comments per numpy step: 64 comments' shingles × 64 permutations (about 2.5 MB) stay in
# the processor's cache; 1,000 at a time (40 MB) took three times as long.
SIGNATURE_CHUNK = 64


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def signatures(sets: Sequence[np.ndarray], num_perm: int = NUM_PERM) -> np.ndarray:
    """One row of `num_perm` MinHash values per shingle set."""
    a, b = MinHash(num_perm=num_perm, seed=_SEED, scheme=SCHEME).permutations
    rows = np.empty((len(sets), num_perm), dtype=np.uint32)
    for start in range(0, len(sets), SIGNATURE_CHUNK):
        chunk = sets[start : start + SIGNATURE_CHUNK]
        values = _fmix32(np.concatenate(chunk))[:, None]
        starts = np.cumsum([0] + [len(s) for s in chunk[:-1]])
        rows[start : start + len(chunk)] = np.minimum.reduceat(values * a + b, starts, axis=0)
    return rows


def band_buckets(signature_rows: np.ndarray, bands: tuple[int, int] = LSH_BANDS) -> np.ndarray:
    """For each comment, the LSH bucket of each band: one number per (band, band values),
    the same for two comments exactly when their values in that band are equal, distinct
    across bands. The index datasketch's MinHashLSH keeps, computed for all comments at
    once with numpy (its insert and query cost a Python call per band and per member; at
    100k comments that was a third of the grouping's time)."""
    count, rows = bands
    buckets = np.empty((len(signature_rows), count), dtype=np.int64)
    offset = 0
    for band in range(count):
        values = np.ascontiguousarray(signature_rows[:, band * rows : (band + 1) * rows])
        keys = values.view(np.dtype((np.void, values.dtype.itemsize * rows))).ravel()
        distinct, inverse = np.unique(keys, return_inverse=True)
        buckets[:, band] = inverse.ravel() + offset
        offset += len(distinct)
    return buckets


def group(
    texts: Sequence[Text],
    *,
    threshold: float = THRESHOLD,
    anchor_threshold: float = ANCHOR_THRESHOLD,
    num_perm: int = NUM_PERM,
    min_words: int = MIN_WORDS,
) -> list[list[int]]:
    """Groups of two or more comment ids that carry the same message, biggest first; each
    group's ids in the order given (oldest first, as the service passes them).

    A comment joins a group when it is at least `threshold` similar to one of the group's
    members that the LSH proposes and at least `anchor_threshold` similar to the group's
    first comment, its anchor: edits may add up along a campaign, but a chain of
    neighbouring comments on one subject never grows into one group.
    """
    usable = [i for i, text in enumerate(texts) if len(text.words) >= min_words]
    pairing = _Pairing(
        [shingles(texts[i].words) for i in usable], num_perm, threshold, anchor_threshold
    )
    members: dict[int, list[int]] = {}  # bucket → the earlier comments in it
    for position, buckets in enumerate(band_buckets(pairing.signatures).tolist()):
        candidates: set[int] = set()
        for bucket in buckets:
            earlier = members.setdefault(bucket, [])
            candidates.update(earlier)
            earlier.append(position)
        pairing.place(position, candidates)
    groups = [[texts[usable[p]].id for p in sorted(found)] for found in pairing.members]
    groups.sort(key=lambda ids: (-len(ids), ids[0]))
    return groups


class _Pairing:
    """The groups as they grow, one comment at a time (in the order given)."""

    # The MinHash estimate may miss the exact similarity by this much before a pair is
    # dropped unchecked (2.4 standard deviations with 64 permutations at 0.5).
    SLACK = 0.15

    def __init__(self, sets, num_perm, threshold, anchor_threshold):
        self.sets = sets
        self.signatures = signatures(sets, num_perm)
        self.threshold = threshold
        self.anchor_threshold = anchor_threshold
        self.group_of = np.full(len(sets), -1)  # position → group number
        self.anchors: list[int] = []  # group number → position of its first comment
        self.members: list[list[int]] = []

    def _estimate(self, position: int, others) -> np.ndarray:
        mine = self.signatures[position]
        return np.count_nonzero(self.signatures[others] == mine, axis=1) / len(mine)

    def place(self, position: int, candidates: set[int]) -> None:
        joined = self._best(position, candidates)
        if joined is None:
            return
        group, other = joined
        if group < 0:  # a new pair: the earlier comment anchors it
            group = len(self.anchors)
            self.anchors.append(other)
            self.members.append([other])
            self.group_of[other] = group
        self.group_of[position] = group
        self.members[group].append(position)

    def _best(self, position: int, candidates: set[int]):
        """(group number, or -1 for a new pair; the comment it pairs with), or None. Among
        the groups it may join, the one whose anchor is most similar; a group is judged
        once, however many of its members the LSH proposes. The MinHash estimate screens
        the candidates; only the plausible ones are compared exactly."""
        if not candidates:
            return None
        # In order (older first), so equal estimates are taken the same way on every run.
        others = np.sort(np.fromiter(candidates, dtype=np.int64, count=len(candidates)))
        estimate = self._estimate(position, others)
        plausible = estimate >= self.threshold - self.SLACK
        others, estimate = others[plausible], estimate[plausible]
        order = np.argsort(-estimate, kind="stable")
        mine, signature = self.sets[position], self.signatures[position]
        best, best_score = None, 0.0
        judged: set[int] = set()
        for other, guess in zip(others[order].tolist(), estimate[order].tolist(), strict=True):
            if guess + self.SLACK < best_score:
                break  # the rest are further still
            group = int(self.group_of[other])
            if group < 0:
                similarity = jaccard(mine, self.sets[other])
                if similarity >= self.threshold and similarity > best_score:
                    best, best_score = (-1, other), similarity
                continue
            if group in judged:
                continue
            judged.add(group)  # its anchor decides, once
            anchor_position = self.anchors[group]
            agree = np.count_nonzero(self.signatures[anchor_position] == signature)
            guess = agree / len(signature)
            if guess + self.SLACK < max(self.anchor_threshold, best_score):
                continue
            anchor = jaccard(mine, self.sets[anchor_position])
            if anchor < self.anchor_threshold or anchor <= best_score:
                continue
            if anchor >= self.threshold or jaccard(mine, self.sets[other]) >= self.threshold:
                best, best_score = (group, other), anchor
        return best


def identical(texts: Sequence[Text], *, min_words: int = MIN_WORDS) -> list[list[int]]:
    """The baseline: groups of exactly the same normalised text (bench/analysis.py)."""
    members: dict[tuple, list[int]] = {}
    for text in texts:
        if len(text.words) >= min_words:
            members.setdefault(text.words, []).append(text.id)
    return sorted(
        (ids for ids in members.values() if len(ids) > 1), key=lambda ids: (-len(ids), ids[0])
    )
