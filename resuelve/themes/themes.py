"""Themes in free text, without labels and across languages. Pure: no database access.

Texts are folded (no case, no accents), runs of Chinese, Japanese or Korean characters are
written as their overlapping character bigrams (so "刹车异响" reads "刹车 车异 异响" and
shares pieces with "刹车吱吱响"), common function words of Spanish, English and Estonian
are dropped, and what is left becomes TF-IDF weights of character 3-5-grams inside words
(`char_wb`): "frenos", "freno" and "frenó" share most of their pieces, whatever the language.
MiniBatchKMeans then groups them, for every number of themes in a small range, and the one
whose grouping has the best silhouette (on a fixed sample) wins. Everything takes a
`random_state`, so the same texts give the same themes.

Across languages. Character n-grams link "frenos" to "freno", not to "brakes" or "刹车", and
no multilingual embedding model ships as a package that works offline. What links a Spanish
and a Chinese complaint about the same brakes is the case record: its category and product
are the same whatever the customer's language. So each text may carry `tags`
(language-independent labels such as "category:7" or "product:12"); they are TF-IDF weighted
(a rare tag, one lot, links more than a broad category) and L2-normalised, and take TAG_WEIGHT of the cosine similarity (the text the rest): texts of one
category and product in four languages fall into one theme, while inside one language the
words still split what the tags share (a tag every text carries changes no grouping).

A theme is named by the words (bigrams for Chinese) most typical of it compared with the
rest, e.g. "frenos chirrido pastillas", and, when the texts' `languages` are given, by the
words of each of its languages ("frenos chirrido · brakes squeak · 刹车 异响").
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import MultiLabelBinarizer, normalize
from threadpoolctl import threadpool_limits

from resuelve.core.text import fold

NGRAMS = (3, 5)
MAX_FEATURES = 200_000
SILHOUETTE_SAMPLE = 3000
SMALL = 5000  # texts: fewer are grouped on one thread
TERMS_PER_THEME = 4
TERMS_PER_LANGUAGE = 3
TAG_WEIGHT = 0.5  # the share of a pair's cosine similarity that comes from shared tags
# Growth: the last three months' monthly rate against the nine months before, each at least
# MIN_BEFORE cases (so a theme out of nowhere is not "infinitely" rising) and only when the
# last three months hold MIN_RECENT cases.
MIN_RECENT = 3
MIN_BEFORE = 3
RISING = 1.5

# Function words of the company's languages: they are in every text and name no theme. Kept
# short on purpose; anything frequent that is left is weighted down by IDF.
STOP_WORDS = frozenset(
    """
    a al algo ante como con contra cual cuando de del desde donde dos durante e el ella ellos
    en entre era es esa ese eso esta este esto estan fue ha han hay hace la las le les lo los
    me mas mi mis muy ni no nos o otra otro para pero por porque que quien se sea ser si sin
    sobre solo son su sus tambien te tiene todo todos tras tu un una uno unos unas y ya yo
    usted ustedes les nuestro nuestra cada
    an and are as at be been but by can could did do does for from had has have he her his
    i if in into is it its my no not of on or our she so than that the their them then there
    they this to too was we were what when which who will with would you your after again
    every very just me us am
    ja et ei on oli ka see mis kui aga nii ning ma mina sa sina ta tema me meie te teie nad
    nende oma kas siis seda selle veel ole olen oleme olete pole juba koik koos ilma parast
    """.split()
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_WORD = re.compile(r"(?u)\b[^\W\d_]{3,}\b")


def _bigrams(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "


def prepare(text: str) -> str:
    """The text as the model reads it: folded, CJK as bigrams, without function words."""
    folded = _CJK.sub(_bigrams, fold(text))
    words = re.findall(r"\w+", folded)
    return " ".join(w for w in words if w not in STOP_WORDS and not w.isdigit())


def _terms(prepared: str) -> list[str]:
    """The words that may name a theme: alphabetic words of three letters or more, and CJK
    bigrams (which `prepare` wrote as words of two)."""
    out = []
    for token in prepared.split():
        if _CJK.fullmatch(token):
            if len(token) == 2:
                out.append(token)
        elif _WORD.fullmatch(token):
            out.append(token)
    return out


@dataclass(frozen=True)
class Found:
    """One theme: its members (indexes into the texts), name, and members nearest first."""

    members: list[int]
    terms: list[str]
    nearest: list[int]
    # The words of each of its languages, the language with most members first.
    by_language: dict[str, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Its name: the words of each language when it has several, else its words."""
        if len(self.by_language) > 1:
            return " · ".join(" ".join(words) for words in self.by_language.values() if words)
        return " ".join(self.terms)


@dataclass(frozen=True)
class Themes:
    themes: list[Found]
    labels: list[int]  # the theme of every text, an index into `themes`
    silhouette: float | None
    tried: dict[int, float] = field(default_factory=dict)
    # assign(texts, tags=None): the theme of new texts (tags as in `discover`).
    assign: Callable[..., list[int]] | None = None


def k_range(n: int, *, low: int = 2, high: int = 24) -> range:
    """How many themes to try for n texts: never more than one theme per three texts."""
    return range(low, max(low, min(high, n // 3)) + 1)


def _fit(matrix: Any, k: int, *, random_state: int) -> MiniBatchKMeans:
    return MiniBatchKMeans(
        n_clusters=k, random_state=random_state, n_init=3, batch_size=2048, max_iter=200
    ).fit(matrix)


def _best_k(
    matrix: Any, pick: Any, ks: Sequence[int], *, random_state: int
) -> tuple[tuple[float, int, MiniBatchKMeans] | None, dict[int, float]]:
    """The grouping with the best cosine silhouette on the sampled rows `pick`."""
    n = matrix.shape[0]
    tried: dict[int, float] = {}
    best: tuple[float, int, MiniBatchKMeans] | None = None
    for k in ks:
        if not 2 <= k < n:
            continue
        model = _fit(matrix, k, random_state=random_state)
        labels = model.labels_
        if len(set(labels[pick])) < 2:
            continue
        score = float(silhouette_score(matrix[pick], labels[pick], metric="cosine"))
        tried[k] = round(score, 4)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, model)
    return best, tried


class _Tagger:
    """The tags as TF-IDF rows, L2-normalised: a rare tag (one lot) links two texts more than
    a common one (a broad category) does. Tags not seen when fitted are ignored."""

    def __init__(self, tags: Sequence[Sequence[str]]) -> None:
        self.binarizer = MultiLabelBinarizer(sparse_output=True).fit(tags)
        self.idf = TfidfTransformer().fit(self._onehot(tags))

    def _onehot(self, tags: Sequence[Sequence[str]]) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unknown class(es) will be ignored": intended
            return self.binarizer.transform(tags).astype(np.float32)

    def transform(self, tags: Sequence[Sequence[str]]) -> Any:
        return self.idf.transform(self._onehot(tags)).astype(np.float32)


def _combine(text: Any, tags: Any | None) -> Any:
    """Text and tags side by side, weighted so that a pair's cosine similarity is
    (1 - TAG_WEIGHT) of its texts' plus TAG_WEIGHT of its tags'; rows L2-normalised again
    (a text without words, or without tags, is still a unit row)."""
    if tags is None:
        return text
    both = sparse.hstack(
        [text * np.float32(np.sqrt(1 - TAG_WEIGHT)), tags * np.float32(np.sqrt(TAG_WEIGHT))]
    )
    return normalize(both.tocsr())


def _by_language(
    prepared: Sequence[str],
    members: Sequence[int],
    languages: Sequence[str] | None,
    words: Words | None,
) -> dict[str, list[str]]:
    """The words most typical of the members written in each language (two or more of them,
    or the theme's only language), the language with most members first."""
    if languages is None:
        return {}
    groups: dict[str, list[int]] = {}
    for i in members:
        groups.setdefault(languages[i] or "?", []).append(i)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    out = {}
    for language, group in ordered:
        if len(group) < 2 and len(ordered) > 1:
            continue
        terms = name_terms(prepared, group, top=TERMS_PER_LANGUAGE, words=words)
        if terms:
            out[language] = terms
    return out


def _one_theme(prepared, languages, n, tried=None) -> Themes:
    members = list(range(n))
    words = Words.of(prepared)
    found = Found(
        members=members,
        terms=name_terms(prepared, members, words=words),
        nearest=members,
        by_language=_by_language(prepared, members, languages, words),
    )
    return Themes(
        themes=[found],
        labels=[0] * n,
        silhouette=None,
        tried=tried or {},
        assign=lambda more, tags=None: [0] * len(more),
    )


def discover(
    texts: Sequence[str],
    *,
    tags: Sequence[Sequence[str]] | None = None,
    languages: Sequence[str] | None = None,
    random_state: int = 0,
    ks: Sequence[int] | None = None,
    sample: int = SILHOUETTE_SAMPLE,
) -> Themes:
    """Group the texts into themes; the number of themes is the one in `ks` (by default
    `k_range(len(texts))`) with the best cosine silhouette. Fewer than six texts make one.

    tags: per text, language-independent labels of its case (its category, its product) that
    link texts across languages; languages: per text, its language, to name each theme in
    each of its languages."""
    prepared = [prepare(t) for t in texts]
    n = len(prepared)
    if n == 0:
        return Themes(themes=[], labels=[], silhouette=None)
    nonblank = [p for p in prepared if p.strip()]
    if n < 6 or not nonblank:
        return _one_theme(prepared, languages, n)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAMS,
        sublinear_tf=True,
        min_df=1 if n < 1000 else 2,
        max_features=MAX_FEATURES,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(prepared)  # rows are L2-normalised: cosine = dot
    tagger = _Tagger(tags) if tags is not None and any(tags) else None
    if tagger is not None:
        assert tags is not None
        matrix = _combine(matrix, tagger.transform(tags))
    # The number of themes is chosen on at most SMALL texts (the silhouette on `sample` of
    # them), then the chosen grouping is fitted on all. Small builds run on one thread:
    # OpenMP's start-up per fit costs more than the fit itself.
    rng = np.random.RandomState(random_state)
    search = np.sort(rng.choice(n, size=min(n, SMALL), replace=False))
    searched = matrix[search] if len(search) < n else matrix
    pick = np.sort(rng.choice(len(search), size=min(len(search), sample), replace=False))
    with threadpool_limits(limits=1 if n < SMALL else None):
        best, tried = _best_k(searched, pick, ks or k_range(n), random_state=random_state)
        if best is not None and len(search) < n:
            best = (best[0], best[1], _fit(matrix, best[1], random_state=random_state))
    if best is None:
        return _one_theme(prepared, languages, n, tried)
    score, _k, model = best
    raw = model.labels_
    centres = model.cluster_centers_
    # Themes in a stable order: largest first, ties by their first text.
    order = sorted(
        set(raw.tolist()), key=lambda c: (-int((raw == c).sum()), int(np.argmax(raw == c)))
    )
    renumber = {old: new for new, old in enumerate(order)}
    labels = [renumber[int(c)] for c in raw]
    closeness = np.asarray(matrix.multiply(centres[raw]).sum(axis=1)).ravel()
    words = Words.of(prepared)
    found = []
    for old in order:
        members = [i for i in range(n) if raw[i] == old]
        nearest = sorted(members, key=lambda i: (-closeness[i], i))
        found.append(
            Found(
                members=members,
                terms=name_terms(prepared, members, words=words),
                nearest=nearest,
                by_language=_by_language(prepared, members, languages, words),
            )
        )

    def assign(more: Sequence[str], tags: Sequence[Sequence[str]] | None = None) -> list[int]:
        if not more:
            return []
        rows = vectorizer.transform([prepare(t) for t in more])
        if tagger is not None:
            rows = _combine(rows, tagger.transform(tags or [[] for _ in more]))
        predicted = model.predict(rows)
        return [renumber.get(int(c), 0) for c in predicted]

    return Themes(
        themes=found, labels=labels, silhouette=round(score, 4), tried=tried, assign=assign
    )


@dataclass(frozen=True)
class Words:
    """The texts' word (and CJK bigram) TF-IDF, built once to name every theme."""

    matrix: Any
    vocabulary: Any

    @classmethod
    def of(cls, prepared: Sequence[str]) -> Words | None:
        vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(prepared)
        except ValueError:  # no word at all (e.g. only digits)
            return None
        return cls(matrix=matrix.tocsr(), vocabulary=vectorizer.get_feature_names_out())


def name_terms(
    prepared: Sequence[str],
    members: Sequence[int],
    *,
    top: int = TERMS_PER_THEME,
    words: Words | None = None,
) -> list[str]:
    """The words most typical of the members: mean TF-IDF inside the theme minus outside,
    weighted by the share of members using the word (one long text names nothing)."""
    words = words or Words.of(prepared)
    if not members or words is None:
        return []
    matrix = words.matrix
    inside = np.zeros(matrix.shape[0], dtype=bool)
    inside[list(members)] = True
    mean_in = np.asarray(matrix[inside].mean(axis=0)).ravel()
    mean_out = (
        np.asarray(matrix[~inside].mean(axis=0)).ravel()
        if (~inside).any()
        else np.zeros_like(mean_in)
    )
    share = np.asarray((matrix[inside] > 0).sum(axis=0)).ravel() / max(1, int(inside.sum()))
    score = (mean_in - mean_out) * np.sqrt(share)
    ranked = np.argsort(-score, kind="stable")
    return [str(words.vocabulary[i]) for i in ranked[:top] if score[i] > 0]


# --- time ----------------------------------------------------------------------------------


def month_keys(today: date, months: int = 12) -> list[str]:
    """The last `months` months up to today's, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def growth(monthly: Sequence[int]) -> float | None:
    """The last three months' monthly rate over the nine months before (12 counts, oldest
    first); None when the last three months hold fewer than MIN_RECENT cases."""
    if len(monthly) < 12:
        monthly = [0] * (12 - len(monthly)) + list(monthly)
    recent = sum(monthly[-3:])
    before = sum(monthly[-12:-3])
    if recent < MIN_RECENT:
        return None
    return round((recent / 3) / (max(before, MIN_BEFORE) / 9), 2)


def is_rising(value: float | None) -> bool:
    return value is not None and value >= RISING
