"""What triage writes: agents' corrections, trained models, the demo's keyword rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.models import Category, Complaint
from resuelve.triage import learning, selectors
from resuelve.triage.models import Correction, CorrectionField, KeywordRule, TrainedModel


def correction_record(
    *,
    complaint: Complaint,
    actor: User | None,
    category_code: str | None,
    kind: str,
    severity: str,
) -> list[Correction]:
    """Record where the agent chose otherwise than triage suggested (one row per field that
    differs). Nothing is recorded for a case filed without a suggestion, nor for a field the
    agent left empty. Training reads the case's final category, so the correction is learned
    from at the next training either way; the row says what was wrong and weighs the case."""
    suggestion: dict[str, Any] | None = complaint.suggestion
    if not suggestion:
        return []
    chosen = {
        CorrectionField.CATEGORY: category_code or "",
        CorrectionField.KIND: kind or "",
        CorrectionField.SEVERITY: severity or "",
    }
    now = timezone.now()
    corrections = [
        Correction(
            complaint=complaint,
            field=field,
            suggested=str(suggestion.get(field) or ""),
            chosen=value,
            actor=actor,
            at=now,
        )
        for field, value in chosen.items()
        if value and value != (suggestion.get(field) or "")
    ]
    if corrections:
        Correction.objects.bulk_create(corrections)
    return corrections


def trained_model_store(result: learning.TrainingResult, *, activate: bool = True) -> TrainedModel:
    """Keep a trained model; with `activate`, it replaces the active one (in every process
    within selectors.RECHECK_SECONDS)."""
    with transaction.atomic():
        if activate:
            TrainedModel.objects.filter(active=True).update(active=False)
        stored = TrainedModel.objects.create(
            created_at=timezone.now(),
            n_train=result.n_train,
            n_test=result.n_test,
            accuracy=result.accuracy,
            macro_f1=result.macro_f1,
            labels=result.labels,
            metrics=learning.describe(result),
            seconds=round(result.seconds, 2),
            blob=result.model.dumps(),
            active=activate,
        )
    selectors.forget_knowledge()
    return stored


def trained_model_activate(*, model: TrainedModel) -> TrainedModel:
    """Make `model` the one that suggests (an administrator going back to an earlier one)."""
    with transaction.atomic():
        TrainedModel.objects.filter(active=True).exclude(id=model.id).update(active=False)
        TrainedModel.objects.filter(id=model.id).update(active=True)
    model.active = True
    selectors.forget_knowledge()
    return model


def classifier_train(
    *, test_size: float = 0.2, dry_run: bool = False, seed: int = 0
) -> tuple[learning.TrainingResult, TrainedModel | None]:
    """Train on the company's own history and, unless `dry_run`, make it the active model.
    Raises learning.TooLittleHistory when there is not enough history yet."""
    examples = list(selectors.training_examples())
    result = learning.train(examples, test_size=test_size, seed=seed)
    stored = None if dry_run else trained_model_store(result)
    return result, stored


def seed_demo_rules() -> int:
    """Keyword rules for the demo company's categories in its four languages (added once:
    a category that already has rules keeps them). Returns how many rules were added."""
    from resuelve.triage.demo_rules import DEMO_RULES

    added = 0
    categories = {c.code: c for c in Category.objects.filter(code__in=DEMO_RULES)}
    with_rules = set(
        KeywordRule.objects.filter(category__in=categories.values()).values_list(
            "category__code", flat=True
        )
    )
    new = []
    for code, by_language in DEMO_RULES.items():
        category = categories.get(code)
        if category is None or code in with_rules:
            continue
        for language, keywords in by_language.items():
            new.append(
                KeywordRule(category=category, language=language, keywords="\n".join(keywords))
            )
    KeywordRule.objects.bulk_create(new)
    added = len(new)
    selectors.forget_knowledge()
    return added
