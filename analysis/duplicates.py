"""Duplicate and campaign groups: the same message with small edits, found in near-linear time.

Each comment becomes a set of shingles: overlapping five-letter pieces of its normalised
words (analysis.text.words), so a typo, a changed kelurahan name or an added greeting
touches only a few pieces, and two sentences swapped only the pieces at their seam.
MinHash signatures (datasketch) put comments whose shingle sets probably overlap a lot
into the same LSH buckets; every candidate pair is then verified with the exact Jaccard
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

import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_CHARS = 5
# Verified Jaccard similarity of the shingle sets at or above which two comments are one
# message; the LSH looks a little lower so that pairs near the threshold are not missed.
THRESHOLD = 0.5
LSH_THRESHOLD = 0.4
# A member must also be this similar to its group's first comment (no chaining).
ANCHOR_THRESHOLD = 0.35
NUM_PERM = 64
MIN_WORDS = 6
_SEED = 1


@dataclass(frozen=True)
class Text:
    """One comment as the grouping sees it: its id, its normalised words, who sent it."""

    id: int
    words: tuple[str, ...]
    author: Hashable = None


def shingles(words: Sequence[str], size: int = SHINGLE_CHARS) -> np.ndarray:
    """The sorted, distinct CRC32 hashes of the text's `size`-letter pieces (spaces
    between words included, so word boundaries count)."""
    joined = " ".join(words)
    if len(joined) <= size:
        pieces = {joined}
    else:
        pieces = {joined[i : i + size] for i in range(len(joined) - size + 1)}
    return np.unique(
        np.fromiter((zlib.crc32(p.encode()) for p in pieces), dtype=np.uint32, count=len(pieces))
    )


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct arrays."""
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


def _identity(value):
    return value


def group(
    texts: Sequence[Text],
    *,
    threshold: float = THRESHOLD,
    lsh_threshold: float = LSH_THRESHOLD,
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
    sets = [shingles(texts[i].words) for i in usable]
    # The shingles are CRC32 values already: MinHash needs no second hash.
    signatures = MinHash.bulk(sets, num_perm=num_perm, seed=_SEED, hashfunc=_identity)
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    group_of: list[int] = [-1] * len(usable)  # position → group number
    anchors: list[int] = []  # group number → position of its first comment
    members: list[list[int]] = []
    for position, signature in enumerate(signatures):
        joined = _best_group(
            position, lsh.query(signature), sets, group_of, anchors, threshold, anchor_threshold
        )
        if joined is not None:
            group, other = joined
            if group < 0:  # a new pair: the earlier comment anchors it
                group = len(anchors)
                anchors.append(other)
                members.append([other])
                group_of[other] = group
            group_of[position] = group
            members[group].append(position)
        lsh.insert(position, signature, check_duplication=False)
    groups = [[texts[usable[p]].id for p in sorted(found)] for found in members]
    groups.sort(key=lambda ids: (-len(ids), ids[0]))
    return groups


def _best_group(position, candidates, sets, group_of, anchors, threshold, anchor_threshold):
    """What the comment at `position` joins: (group number, or -1 for a new pair; the comment
    it pairs with), or None. Among the groups it may join, the one whose anchor is most
    similar; a group is judged once, however many of its members the LSH proposes."""
    mine = sets[position]
    best, best_score = None, 0.0
    anchor_of: dict[int, float] = {}
    judged: set[int] = set()
    for other in candidates:
        group = group_of[other]
        if group < 0:
            similarity = jaccard(mine, sets[other])
            if similarity >= threshold and similarity > best_score:
                best, best_score = (-1, other), similarity
            continue
        if group in judged:
            continue
        if group not in anchor_of:
            anchor_of[group] = jaccard(mine, sets[anchors[group]])
        anchor = anchor_of[group]
        if anchor < anchor_threshold:
            judged.add(group)
            continue
        if anchor >= threshold or jaccard(mine, sets[other]) >= threshold:
            judged.add(group)
            if anchor > best_score:
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
