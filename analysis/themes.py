"""Themes: comments grouped by what they are about, with labels a planner would use.

Each comment becomes its Indonesian terms (analysis.text.terms: informal spellings
normalised, stop words out, stems). A duplicate group counts once: its first member stands
for it while themes are found, labelled and represented, and all its members then join
that member's theme.

TF-IDF weighs the terms (scikit-learn); a truncated SVD folds them into at most a hundred
dimensions (latent semantic analysis: "got", "saluran" and "banjir" in different comments
can meet); k-means clusters the unit vectors, with the k of 2..12 whose silhouette (cosine)
is best on a sample of 5,000 comments. A theme's label is its most distinctive terms or
pairs of terms ("lampu jalan"): how many more of its comments use them than of the
others', shown in their most frequent written form (analysis.text.DisplayForms). Its
representatives are the comments closest to its centre. Comments with no content word
("Setuju.") and themes too small to stand alone go to one "other" theme, so every comment
is in exactly one theme. Deterministic (fixed seeds).
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from analysis import text as indonesian

K_RANGE = range(2, 13)
COMPONENTS = 100
MIN_UNITS = 8  # fewer distinct comments than this: one theme, no clustering
SILHOUETTE_SAMPLE = 3000
SELECTION_SAMPLE = 5000  # units k is chosen on
REPRESENTATIVES = 3
LABEL_TERMS = 3
TERMS = 8
PAIR_SHARE = 0.9
_SEED = 0


@dataclass(frozen=True)
class Unit:
    """What themes are found on: one comment, or one duplicate group (its members share
    the first one's text)."""

    text: str
    comments: tuple[int, ...]


@dataclass
class Theme:
    label: str
    terms: list[str]
    comments: list[int]
    representatives: list[int]
    is_other: bool = False
    units: int = 0  # distinct texts it was found on (a duplicate group counts once)


def _identity(tokens):
    return tokens


def find(units: Sequence[Unit], *, other_label: str = "Lainnya") -> list[Theme]:
    """Themes over the units, biggest first, the "other" theme (if any) last."""
    forms = indonesian.DisplayForms()
    tokens = [indonesian.terms(unit.text, forms, pairs=True) for unit in units]
    # Labels may name a pair ("lampu jalan"); clustering does better on single terms.
    terms = [[t for t in unit if " " not in t] for unit in tokens]
    with_terms = [i for i, t in enumerate(terms) if t]
    other = [i for i, t in enumerate(terms) if not t]
    phrases = _phrases([tokens[i] for i in with_terms])
    if len(with_terms) < MIN_UNITS:
        themes = [_theme(units, with_terms, np.arange(len(with_terms)), None, phrases, forms)]
        return _with_other(themes if with_terms else [], units, other, other_label)
    vectors = _lsa(_tfidf([terms[i] for i in with_terms]))
    labels = _cluster(vectors)
    minimum = max(2, len(with_terms) // 100)
    themes = []
    for cluster in np.unique(labels):
        rows = np.flatnonzero(labels == cluster)
        if len(rows) < minimum:
            other.extend(with_terms[r] for r in rows)
            continue
        members = [with_terms[r] for r in rows]
        themes.append(_theme(units, members, rows, vectors, phrases, forms))
    themes.sort(key=lambda t: (-len(t.comments), t.label))
    return _with_other(themes, units, sorted(other), other_label)


def _phrases(documents: list[list[str]]):
    """Which comment mentions which term or pair: (binary matrix, vocabulary)."""
    vectorizer = CountVectorizer(analyzer=_identity, binary=True, dtype=np.float32)
    return vectorizer.fit_transform(documents).tocsr(), vectorizer.get_feature_names_out()


def _tfidf(documents: list[list[str]]):
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        min_df=2,
        max_df=0.5 if len(documents) >= 50 else 1.0,
        sublinear_tf=True,
        max_features=30000,
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # every term pruned (few or uniform comments): keep them all
        vectorizer.set_params(min_df=1, max_df=1.0)
        return vectorizer.fit_transform(documents).tocsr()


def _lsa(matrix) -> np.ndarray:
    """Unit vectors in a space of about one dimension per ten comments (up to COMPONENTS):
    fewer dimensions than that blur the themes together, more keep every comment apart."""
    components = min(COMPONENTS, max(10, matrix.shape[0] // 10), matrix.shape[1] - 1)
    if components < 2:
        return normalize(matrix.toarray())
    svd = TruncatedSVD(n_components=components, random_state=_SEED, algorithm="randomized")
    return normalize(svd.fit_transform(matrix)).astype(np.float32)


def _fit(model, vectors: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        # Identical comments make fewer distinct points than k: that k just loses.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit_predict(vectors)


def _cluster(vectors: np.ndarray) -> np.ndarray:
    """k is chosen on a sample of SELECTION_SAMPLE units: k-means for each k in K_RANGE (up
    to a third of the units), the best silhouette (cosine) wins; then every unit goes to
    the nearest of that clustering's centres, refined by a few k-means steps over all."""
    n = vectors.shape[0]
    rows = np.arange(n)
    if n > SELECTION_SAMPLE:
        rows = np.sort(np.random.default_rng(_SEED).choice(n, SELECTION_SAMPLE, replace=False))
    sample = vectors[rows]
    best, best_labels, best_score = None, np.zeros(len(sample), dtype=int), -1.0
    for k in K_RANGE:
        if k > len(sample) // 3:
            break
        model = KMeans(n_clusters=k, random_state=_SEED, n_init=3)
        labels = _fit(model, sample)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(
            sample,
            labels,
            metric="cosine",
            sample_size=min(len(sample), SILHOUETTE_SAMPLE),
            random_state=_SEED,
        )
        if score > best_score:
            best, best_labels, best_score = model, labels, score
    if len(rows) == n:
        return best_labels
    if best is None:
        return np.zeros(n, dtype=int)
    final = KMeans(n_clusters=best.n_clusters, init=best.cluster_centers_, n_init=1, max_iter=50)
    return _fit(final, vectors)


def _theme(units, members: list[int], rows: np.ndarray, vectors, phrases, forms) -> Theme:
    """The theme of `members` (unit positions; `rows` are their rows among the units with
    terms): label and terms from which phrases its comments use more than the others,
    representatives the members closest to its centre."""
    mentions, vocabulary = phrases
    mask = np.zeros(mentions.shape[0], dtype=bool)
    mask[rows] = True
    inside = np.asarray(mentions[mask].mean(axis=0)).ravel()
    outside = np.asarray(mentions[~mask].mean(axis=0)).ravel() if (~mask).any() else 0 * inside
    if vectors is None:
        closeness = -np.arange(len(members))
    else:
        closeness = vectors[rows] @ vectors[rows].mean(axis=0)
    # A term one comment uses says nothing about a theme of three or more.
    common = 2 / len(rows) if len(rows) >= 3 else 0.0
    scores = np.where(inside >= common - 1e-9, inside - outside, 0.0)
    shown = [forms.phrase(term) for term in _top_terms(scores, inside, vocabulary)]
    closest = [members[i] for i in np.argsort(-closeness, kind="stable")[:REPRESENTATIVES]]
    return Theme(
        label=_label(shown),
        terms=shown,
        comments=sorted(c for m in members for c in units[m].comments),
        representatives=[units[m].comments[0] for m in closest],
        units=len(members),
    )


def _top_terms(scores: np.ndarray, weights: np.ndarray, vocabulary) -> list[str]:
    """The most distinctive terms. A pair ("lampu jalan") takes the place of its single
    words when it is nearly as distinctive as they are (PAIR_SHARE); a single word a chosen
    pair already says is skipped."""
    chosen: list[tuple[str, float]] = []
    for index in np.lexsort((-weights, -scores)):
        score = float(scores[index])
        if score <= 0 or weights[index] <= 0 or len(chosen) >= TERMS:
            break
        term = str(vocabulary[index])
        if " " in term:
            parts = term.split()
            if any(c in parts and s * PAIR_SHARE > score for c, s in chosen):
                continue  # its single word says more
            chosen = [(c, s) for c, s in chosen if c not in parts]
        elif any(term in c.split() for c, _s in chosen if " " in c):
            continue
        chosen.append((term, score))
    return [term for term, _score in chosen]


def _label(phrases: list[str]) -> str:
    label = ", ".join(phrases[:LABEL_TERMS])
    return label[:1].upper() + label[1:]


def _with_other(themes, units, other: list[int], other_label: str) -> list[Theme]:
    if other:
        comments = sorted(c for i in other for c in units[i].comments)
        themes.append(
            Theme(
                label=other_label,
                terms=[],
                comments=comments,
                representatives=[units[i].comments[0] for i in other[:REPRESENTATIVES]],
                is_other=True,
                units=len(other),
            )
        )
    return themes
