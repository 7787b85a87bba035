"""What triage suggests for a new complaint: kind, category, severity and language, with a
confidence. Pure: no database; selectors.suggest_for hands in the rules and the model.

Two sources. Before the company has a history, the keyword rules an administrator keeps
(rules.py). Once it has one, a linear model trained on its own assessed complaints
(learning.py) suggests the category, and the kind and severity where the history taught it
them. The built-in safety words still raise the severity to critical whatever the model says:
a model that never saw a fire must not talk a fire down.

Intake calls this on every filing, so the work per call is kept small: the text is
normalized once, the language detector and the model are built once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from resuelve.triage import rules
from resuelve.triage.rules import RuleSet

if TYPE_CHECKING:
    from resuelve.triage.learning import CompiledModel

LANGUAGES = ("es", "en", "zh-hans", "et")
KINDS = ("petition", "complaint", "claim", "suggestion", "compliment")
SEVERITIES = ("low", "medium", "high", "critical")
DEFAULT_KIND = "complaint"
DEFAULT_SEVERITY = "medium"
# Only the start of a long text is read: the first lines say what it is about.
MAX_CHARS = 1000
# Below this, the detector's guess loses to the language the customer chose.
MIN_LANGUAGE_CONFIDENCE = 0.5
# Below this, the model's kind or severity gives way to the rules and the customer's choice.
MODEL_MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Suggestion:
    category: str | None
    kind: str
    severity: str
    language: str
    confidence: float
    source: str  # "rules" or "model"

    def as_json(self) -> dict[str, Any]:
        """What is stored on the complaint (Complaint.suggestion)."""
        return asdict(self)


# --- language ---------------------------------------------------------------------------------

# Lingua's low-accuracy mode (trigrams only) is as good as the full one past ~120 characters
# and twice as fast; short texts get the full mode. Only the start of a text is read.
_LONG_TEXT = 120
_DETECT_CHARS = 300
_detectors: tuple[Any, Any, dict[Any, str]] | None = None
_detector_lock = threading.Lock()


def _language_detectors() -> tuple[Any, Any, dict[Any, str]]:
    global _detectors
    if _detectors is None:
        with _detector_lock:
            if _detectors is None:
                from lingua import Language, LanguageDetectorBuilder

                codes = {
                    Language.SPANISH: "es",
                    Language.ENGLISH: "en",
                    Language.CHINESE: "zh-hans",
                    Language.ESTONIAN: "et",
                }
                languages = list(codes)
                full = (
                    LanguageDetectorBuilder.from_languages(*languages)
                    .with_preloaded_language_models()
                    .build()
                )
                fast = (
                    LanguageDetectorBuilder.from_languages(*languages)
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build()
                )
                _detectors = (full, fast, codes)
    return _detectors


def detect_language(text: str, fallback: str = "") -> str:
    """The served language `text` is written in; `fallback` (the language the customer
    chose) when the text is too short or mixed to tell."""
    if rules.cjk_share(text) > 0.3:
        return "zh-hans"  # no other served language is written in CJK characters
    full, fast, codes = _language_detectors()
    text = text[:_DETECT_CHARS]
    detector = fast if len(text) > _LONG_TEXT else full
    values = detector.compute_language_confidence_values(text)
    if values:
        top = values[0]
        if top.value >= MIN_LANGUAGE_CONFIDENCE or not fallback:
            return codes[top.language]
    return fallback if fallback in LANGUAGES else LANGUAGES[0]


# --- the suggestion ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Knowledge:
    """Everything a suggestion is made from, built once and swapped whole when the rules or
    the model change (so a request never sees half of each)."""

    categories: RuleSet
    severities: RuleSet
    kinds: RuleSet
    model: CompiledModel | None = None

    @classmethod
    def build(
        cls,
        *,
        category_rules: Sequence[rules.Rule] = (),
        severity_rules: Sequence[rules.Rule] = (),
        kind_rules: Sequence[rules.Rule] = (),
        model: CompiledModel | None = None,
    ) -> Knowledge:
        return cls(
            categories=RuleSet(category_rules),
            severities=RuleSet([*rules.BUILTIN_SEVERITY, *severity_rules]),
            kinds=RuleSet([*rules.BUILTIN_KIND, *kind_rules]),
            model=model,
        )


def text_of(subject: str, description: str) -> str:
    """The one text rules and the model read: subject and description, normalized."""
    return rules.normalize(f"{subject}\n{description}"[:MAX_CHARS])


def suggest(
    knowledge: Knowledge,
    *,
    subject: str,
    description: str,
    kind: str = "",
    language: str = "",
) -> Suggestion:
    """The suggestion for one complaint; `kind` and `language` are what the customer chose
    (kept when the text says nothing otherwise)."""
    kind = str(kind)  # a Kind member is stored as its plain value
    raw = f"{subject}\n{description}"
    text = text_of(subject, description)
    detected = detect_language(raw, fallback=language)

    kind_match = knowledge.kinds.best(text, detected)
    severity_match = knowledge.severities.best(text, detected)
    rule_severity = severity_match.label if severity_match else ""

    model = knowledge.model
    if model is not None:
        predicted = model.predict(text)
        category, confidence = predicted["category"]
        # Kind and severity from the model only when it is fairly sure: customers pick the
        # kind themselves and assessors rarely change the default severity, so the history
        # teaches them less well than categories.
        model_kind = predicted.get("kind")
        model_severity = predicted.get("severity")
        if model_kind and model_kind[1] >= MODEL_MIN_CONFIDENCE:
            suggested_kind = model_kind[0]
        else:
            suggested_kind = kind_match.label if kind_match else kind or DEFAULT_KIND
        if model_severity and model_severity[1] >= MODEL_MIN_CONFIDENCE:
            severity = model_severity[0]
        else:
            severity = rule_severity or DEFAULT_SEVERITY
        if rule_severity == "critical":
            severity = "critical"
        return Suggestion(
            category=category,
            kind=suggested_kind if suggested_kind in KINDS else DEFAULT_KIND,
            severity=severity if severity in SEVERITIES else DEFAULT_SEVERITY,
            language=detected,
            confidence=round(confidence, 4),
            source="model",
        )

    category_match = knowledge.categories.best(text, detected)
    suggested_kind = kind_match.label if kind_match else kind or DEFAULT_KIND
    if suggested_kind not in KINDS:
        suggested_kind = DEFAULT_KIND
    if rule_severity:
        severity = rule_severity
    elif suggested_kind in ("suggestion", "compliment"):
        severity = "low"
    else:
        severity = DEFAULT_SEVERITY
    return Suggestion(
        category=category_match.label if category_match else None,
        kind=suggested_kind,
        severity=severity,
        language=detected,
        confidence=category_match.confidence if category_match else 0.0,
        source="rules",
    )
