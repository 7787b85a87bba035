"""Triage's background work. The nightly scheduler calls train_nightly by its dotted path."""

from __future__ import annotations

import logging

from django_tasks import task

from resuelve.triage import learning, services

log = logging.getLogger(__name__)


@task()
def train_nightly() -> str:
    """Train on the company's history and make the result the active model; with too little
    history, say so and keep the rules (not a failure: a new company starts there)."""
    try:
        result, stored = services.classifier_train()
    except learning.TooLittleHistory as refused:
        log.info("triage: not trained: %s", refused.message)
        return f"not trained: {refused.message}"
    assert stored is not None
    return (
        f"model {stored.pk}: {result.n_train} examples, accuracy {result.accuracy:.3f}, "
        f"macro-F1 {result.macro_f1:.3f}"
    )
