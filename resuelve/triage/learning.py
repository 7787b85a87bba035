"""The model that learns from the company's own history. Pure: no database.

Features are character n-grams within words (scikit-learn's analyzer="char_wb"), so Chinese
needs no word splitting and Estonian's long compound words share pieces with their parts;
TF-IDF weighted, sublinear, each text scaled to unit length. On top, one linear classifier
per thing to suggest (category; kind and severity where the history has them), trained with
stochastic gradient descent on the log loss, whose probabilities are the confidence.

scikit-learn is needed to train only. What is stored and loaded is a CompiledModel: the
fitted vocabulary, IDF weights and coefficients as numpy arrays. Predicting one text is then
a loop over its n-grams with dictionary look-ups and one small matrix product, a few tens of
microseconds, where a scikit-learn pipeline spends most of a millisecond checking its input.
"""

from __future__ import annotations

import io
import pickle
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NGRAM_RANGE = (1, 4)
MAX_FEATURES = 120_000
MIN_DF = 2
MIN_EXAMPLES = 40
MIN_PER_CATEGORY = 5
# A head for kind or severity is trained only if the history has at least two values with
# this many examples each; otherwise the rules keep suggesting them.
MIN_PER_VALUE = 10
# An agent's correction counts this many times: it is what the model got wrong.
CORRECTION_WEIGHT = 3.0
FORMAT = 1
# Words whose n-gram ids are kept per process (a few MB at most).
WORD_CACHE_SIZE = 50_000


class TooLittleHistory(Exception):
    """There is not enough history to train on; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Head:
    name: str
    classes: tuple[str, ...]
    start: int  # its columns in CompiledModel.weights
    ovr: bool  # one-vs-rest sigmoids normalized (SGD) rather than a softmax


@dataclass
class CompiledModel:
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,) float32
    weights: np.ndarray  # (n_features, all heads' classes) float32
    bias: np.ndarray  # (all heads' classes,) float64
    heads: list[Head]
    ngram_range: tuple[int, int] = NGRAM_RANGE
    format: int = FORMAT

    def word_ids(self, word: str) -> list[int]:
        """The vocabulary ids of one word's n-grams, exactly as scikit-learn's char_wb
        analyzer cuts them: the word padded with one space each side, every n-gram of each
        length, a word shorter than n counted once (and no longer n-grams then)."""
        get = self.vocabulary.get
        low, high = self.ngram_range
        padded = f" {word} "
        length = len(padded)
        ids: list[int] = []
        for n in range(low, high + 1):
            if length <= n:
                j = get(padded)
                if j is not None:
                    ids.append(j)
                break
            for i in range(length - n + 1):
                j = get(padded[i : i + n])
                if j is not None:
                    ids.append(j)
        return ids

    def feature_ids(self, text: str) -> list[int]:
        """The vocabulary ids of the text's n-grams (with repeats, for the counts). Words
        recur from one complaint to the next, so each word's ids are kept once computed."""
        cache = self._word_cache
        if len(cache) > WORD_CACHE_SIZE:
            cache.clear()
        ids: list[int] = []
        for word in text.split():
            found = cache.get(word)
            if found is None:
                found = cache[word] = self.word_ids(word)
            ids += found
        return ids

    @property
    def _word_cache(self) -> dict[str, list[int]]:
        try:
            return self.__dict__["_words"]
        except KeyError:
            return self.__dict__.setdefault("_words", {})

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_words", None)
        return state

    def scores(self, text: str) -> np.ndarray:
        ids = self.feature_ids(text)
        if not ids:
            return self.bias
        index, counts = np.unique(np.asarray(ids, dtype=np.int32), return_counts=True)
        x = (np.log(counts) + 1.0) * self.idf[index]
        x /= np.sqrt(x @ x)
        return x @ self.weights[index] + self.bias

    def predict(self, text: str) -> dict[str, tuple[str, float]]:
        """Per head: (label, probability) for `text` (normalized as classifier.text_of)."""
        scores = self.scores(text)
        result = {}
        for head in self.heads:
            s = scores[head.start : head.start + len(head.classes)]
            p = _probabilities(s, head.ovr)
            best = int(np.argmax(p))
            result[head.name] = (head.classes[best], float(p[best]))
        return result

    @property
    def labels(self) -> list[str]:
        return list(self.heads[0].classes)

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return zlib.compress(buffer.getvalue(), 1)

    @staticmethod
    def loads(blob: bytes) -> CompiledModel:
        # Only ever our own rows (TrainedModel.blob, written by train()).
        model = pickle.loads(zlib.decompress(blob))  # noqa: S301
        if not isinstance(model, CompiledModel) or model.format != FORMAT:
            raise ValueError("not a model this version of Resuelve can read")
        return model


def _probabilities(scores: np.ndarray, ovr: bool) -> np.ndarray:
    if ovr:
        # scikit-learn's SGDClassifier.predict_proba for the log loss, several classes.
        p = 1.0 / (1.0 + np.exp(-scores))
        total = p.sum()
        return p / total if total > 0 else np.full_like(p, 1.0 / len(p))
    shifted = np.exp(scores - scores.max())
    return shifted / shifted.sum()


# --- training ---------------------------------------------------------------------------------


@dataclass
class Example:
    text: str  # classifier.text_of(subject, description)
    category: str
    kind: str = ""
    severity: str = ""
    corrected: bool = False


@dataclass
class HeadReport:
    name: str
    accuracy: float
    macro_f1: float
    # label -> (train examples, test examples, F1 on the test part)
    per_label: dict[str, tuple[int, int, float]] = field(default_factory=dict)


@dataclass
class TrainingResult:
    model: CompiledModel
    n_train: int
    n_test: int
    accuracy: float
    macro_f1: float
    reports: list[HeadReport]
    seconds: float

    @property
    def labels(self) -> list[str]:
        return self.model.labels


def check_history(examples: Sequence[Example]) -> None:
    """Raise TooLittleHistory unless there is enough to learn categories from."""
    counts = Counter(example.category for example in examples)
    usable = [code for code, n in counts.items() if n >= MIN_PER_CATEGORY]
    if len(examples) < MIN_EXAMPLES or len(usable) < 2:
        raise TooLittleHistory(
            ngettext(
                "Only %(count)d assessed complaint with a category to learn from",
                "Only %(count)d assessed complaints with a category to learn from",
                len(examples),
            )
            % {"count": len(examples)}
            + " "
            + ngettext(
                "(%(usable)d category with at least %(per)d of them).",
                "(%(usable)d categories with at least %(per)d of them).",
                len(usable),
            )
            % {"usable": len(usable), "per": MIN_PER_CATEGORY}
            + " "
            + _(
                "Training needs at least %(min)d, in at least two categories. Keep assessing "
                "new complaints (the keyword rules suggest categories meanwhile), or load "
                "your past complaints with “resuelve import-complaints”."
            )
            % {"min": MIN_EXAMPLES}
        )


def _split(labels: Sequence[str], test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """A stratified split; a label seen fewer than twice goes to training only."""
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    train: list[int] = []
    test: list[int] = []
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        n_test = int(round(len(members) * test_size)) if len(members) >= 2 else 0
        n_test = min(n_test, len(members) - 1)
        test += members[:n_test]
        train += members[n_test:]
    return sorted(train), sorted(test)


def _values_with_history(values: Sequence[str]) -> bool:
    counts = Counter(v for v in values if v)
    return sum(1 for n in counts.values() if n >= MIN_PER_VALUE) >= 2


def train(
    examples: Sequence[Example],
    *,
    test_size: float = 0.2,
    seed: int = 0,
    max_features: int = MAX_FEATURES,
) -> TrainingResult:
    """Fit the model on part of `examples`, measure it on the held-out rest (stratified by
    category), and return it compiled. Raises TooLittleHistory."""
    check_history(examples)
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import accuracy_score, f1_score

    started = time.perf_counter()
    categories = [e.category for e in examples]
    train_ids, test_ids = _split(categories, test_size, seed)
    if not test_ids:
        train_ids, test_ids = train_ids, train_ids  # tiny history: measure on what it saw
    texts = [e.text for e in examples]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        lowercase=False,  # classifier.text_of normalized it
        min_df=MIN_DF if len(train_ids) >= 200 else 1,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    x_train = vectorizer.fit_transform([texts[i] for i in train_ids])
    x_test = vectorizer.transform([texts[i] for i in test_ids])
    weights = np.array(
        [CORRECTION_WEIGHT if examples[i].corrected else 1.0 for i in train_ids], dtype=np.float64
    )

    targets: list[tuple[str, list[str]]] = [("category", categories)]
    for name in ("kind", "severity"):
        values = [getattr(e, name) for e in examples]
        if _values_with_history([values[i] for i in train_ids]):
            targets.append((name, values))

    columns: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    heads: list[Head] = []
    reports: list[HeadReport] = []
    start = 0
    for name, values in targets:
        keep = [k for k, i in enumerate(train_ids) if values[i]]
        y_train = [values[train_ids[k]] for k in keep]
        estimator = SGDClassifier(
            loss="log_loss", alpha=1e-5, max_iter=50, tol=1e-3, random_state=seed
        )
        with warnings.catch_warnings():
            # A small history may stop short of convergence; the held-out figures say how
            # good it is all the same.
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator.fit(x_train[keep], y_train, sample_weight=weights[keep])
        classes = tuple(str(c) for c in estimator.classes_)
        coef = np.asarray(estimator.coef_, dtype=np.float32)
        intercept = np.asarray(estimator.intercept_, dtype=np.float64)
        if len(classes) == 2:
            # One row for the second class: a softmax over (0, s) is its sigmoid.
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.array([0.0, intercept[0]])
        columns.append(coef.T)
        biases.append(intercept)
        heads.append(Head(name=name, classes=classes, start=start, ovr=len(classes) > 2))
        start += len(classes)

        test_keep = [k for k, i in enumerate(test_ids) if values[i]]
        y_test = [values[test_ids[k]] for k in test_keep]
        predicted = estimator.predict(x_test[test_keep]) if test_keep else []
        train_counts = Counter(y_train)
        test_counts = Counter(y_test)
        per_label_f1 = (
            f1_score(y_test, predicted, labels=list(classes), average=None, zero_division=0)
            if test_keep
            else [0.0] * len(classes)
        )
        reports.append(
            HeadReport(
                name=name,
                accuracy=float(accuracy_score(y_test, predicted)) if test_keep else 0.0,
                macro_f1=float(
                    f1_score(
                        y_test,
                        predicted,
                        labels=sorted(test_counts),
                        average="macro",
                        zero_division=0,
                    )
                )
                if test_keep
                else 0.0,
                per_label={
                    label: (train_counts[label], test_counts[label], float(f1))
                    for label, f1 in zip(classes, per_label_f1, strict=True)
                },
            )
        )

    vocabulary = {str(gram): int(i) for gram, i in vectorizer.vocabulary_.items()}
    model = CompiledModel(
        vocabulary=vocabulary,
        idf=np.asarray(vectorizer.idf_, dtype=np.float32),
        weights=np.ascontiguousarray(np.hstack(columns), dtype=np.float32),
        bias=np.concatenate(biases),
        heads=heads,
    )
    return TrainingResult(
        model=model,
        n_train=len(train_ids),
        n_test=len(test_ids),
        accuracy=reports[0].accuracy,
        macro_f1=reports[0].macro_f1,
        reports=reports,
        seconds=time.perf_counter() - started,
    )


def describe(result: TrainingResult) -> dict[str, Any]:
    """The metrics kept with a stored model (TrainedModel.metrics)."""
    return {
        report.name: {
            "accuracy": round(report.accuracy, 4),
            "macro_f1": round(report.macro_f1, 4),
            "per_label": {
                label: {"train": n_train, "test": n_test, "f1": round(f1, 4)}
                for label, (n_train, n_test, f1) in report.per_label.items()
            },
        }
        for report in result.reports
    }
