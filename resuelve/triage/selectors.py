"""What triage reads: the knowledge a suggestion is made from, and the history to train on.

`suggest_for` runs on every filing. The keyword rules and the active model are kept per
process and looked at again at most every RECHECK_SECONDS: one indexed query for the newest
active model's id; the model itself is loaded only when that id changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from django.db.models import Q

from resuelve.complaints.lifecycle import FINISHED_STATES
from resuelve.complaints.models import Complaint, Validity
from resuelve.triage import classifier, rules
from resuelve.triage.classifier import Knowledge, Suggestion
from resuelve.triage.learning import CompiledModel, Example
from resuelve.triage.models import Correction, KeywordRule, SeverityRule, TrainedModel

RECHECK_SECONDS = 30.0

_lock = threading.Lock()
_state: tuple[float, int | None, Knowledge] | None = None  # (checked at, model id, knowledge)


def _rules() -> tuple[list[rules.Rule], list[rules.Rule]]:
    category_rules = rules.rules_from(
        list(
            KeywordRule.objects.filter(active=True, category__active=True).values_list(
                "category__code", "keywords", "language", "weight"
            )
        )
    )
    severity_rules = rules.rules_from(
        list(
            SeverityRule.objects.filter(active=True).values_list(
                "severity", "keywords", "language", "weight"
            )
        )
    )
    return category_rules, severity_rules


def active_model_id() -> int | None:
    return (
        TrainedModel.objects.filter(active=True)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def knowledge() -> Knowledge:
    """The rules and model in force in this process (re-read every RECHECK_SECONDS)."""
    global _state
    state = _state
    now = time.monotonic()
    if state is not None and now - state[0] < RECHECK_SECONDS:
        return state[2]
    with _lock:
        state = _state
        if state is not None and now - state[0] < RECHECK_SECONDS:
            return state[2]
        model_id = active_model_id()
        model = state[2].model if state is not None and state[1] == model_id else None
        if model_id is not None and model is None:
            blob = TrainedModel.objects.filter(id=model_id).values_list("blob", flat=True).first()
            model = CompiledModel.loads(bytes(blob)) if blob is not None else None
        category_rules, severity_rules = _rules()
        built = Knowledge.build(
            category_rules=category_rules, severity_rules=severity_rules, model=model
        )
        _state = (now, model_id, built)
        return built


def forget_knowledge() -> None:
    """Drop the per-process cache (after rules or models change, and between tests)."""
    global _state
    _state = None


def suggest_for(
    *, subject: str, description: str, kind: str = "", language: str = ""
) -> Suggestion:
    """Triage's suggestion for a new complaint: from the active model once the company has
    trained one, from the keyword rules before."""
    return classifier.suggest(
        knowledge(), subject=subject, description=description, kind=kind, language=language
    )


def training_history() -> Q:
    """The complaints training learns from: filed under a category by an assessor (assessed
    or finished), and every case an agent corrected."""
    return Q(category__isnull=False) & (
        ~Q(validity=Validity.PENDING)
        | Q(state__in=FINISHED_STATES)
        | Q(id__in=Correction.objects.values("complaint_id"))
    )


def training_examples(*, chunk_size: int = 5000) -> Iterator[Example]:
    """The history as examples, read in chunks in id order (a few MB at a time)."""
    corrected = set(Correction.objects.values_list("complaint_id", flat=True).distinct())
    last_id = 0
    base = Complaint.objects.filter(training_history()).order_by("id")
    while True:
        rows = list(
            base.filter(id__gt=last_id).values_list(
                "id", "subject", "description", "category__code", "kind", "severity"
            )[:chunk_size]
        )
        if not rows:
            return
        for pk, subject, description, code, kind, severity in rows:
            yield Example(
                text=classifier.text_of(subject, description),
                category=code,
                kind=kind,
                severity=severity,
                corrected=pk in corrected,
            )
        last_id = rows[-1][0]
