"""Learning from the company's history: train-classifier, the nightly task, corrections."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from resuelve.accounts.models import User
from resuelve.complaints.models import Category, Complaint
from resuelve.testing.fixtures import MakeComplaint
from resuelve.triage import importing, selectors, services, synthetic, tasks
from resuelve.triage.models import Correction, TrainedModel


def load_history(n: int, *, seed: int = 3) -> None:
    """`n` closed complaints of the demo company, imported as the company would."""
    rows = (
        (
            number,
            {
                "subject": s.subject,
                "text": s.description,
                "category": s.category,
                "kind": s.kind,
                "severity": s.severity,
                "language": s.language,
                "id": f"old-{seed}-{number}",
            },
        )
        for number, s in enumerate(synthetic.samples(n, seed=seed), start=2)
    )
    report = importing.history_import(
        rows,
        columns=importing.Columns(
            text="text",
            category="category",
            subject="subject",
            kind="kind",
            severity="severity",
            language="language",
            id="id",
        ),
    )
    assert report.imported == n, report.rejected[:3]


class TestTrainClassifier:
    def test_it_trains_prints_the_figures_and_takes_over_from_the_rules(
        self, demo_categories: dict[str, Category]
    ) -> None:
        services.seed_demo_rules()
        before = selectors.suggest_for(
            subject="Garantía", description="Me niegan la garantía de la caja de cambios."
        )
        assert before.source == "rules" and before.category == "garantia"
        load_history(900)

        out = StringIO()
        call_command("train_classifier", stdout=out)

        printed = out.getvalue()
        assert "category: accuracy 0." in printed and "macro-F1 0." in printed
        assert "garantia" in printed and "Stored as model" in printed
        stored = TrainedModel.objects.get(active=True)
        assert stored.accuracy > 0.8 and stored.macro_f1 > 0.8
        assert stored.n_train + stored.n_test == 900
        assert set(stored.labels) == set(demo_categories)

        after = selectors.suggest_for(
            subject="Garantía", description="Me niegan la garantía de la caja de cambios."
        )
        assert after.source == "model" and after.category == "garantia"
        assert after.language == "es" and 0 < after.confidence <= 1

    def test_it_only_measures_on_a_dry_run(self, demo_categories: dict[str, Category]) -> None:
        load_history(300)
        out = StringIO()
        call_command("train_classifier", "--dry-run", "--test-size", "0.3", stdout=out)
        assert "Dry run" in out.getvalue()
        assert not TrainedModel.objects.exists()

    def test_it_says_what_to_do_with_too_little_history(
        self, demo_categories: dict[str, Category]
    ) -> None:
        load_history(12)
        with pytest.raises(CommandError, match="import-complaints") as refused:
            call_command("train_classifier", stdout=StringIO())
        assert "Only 12 assessed complaints" in str(refused.value)
        assert not TrainedModel.objects.exists()

    def test_it_runs_nightly_as_a_task(self, demo_categories: dict[str, Category]) -> None:
        assert tasks.train_nightly.module_path == "resuelve.triage.tasks.train_nightly"
        result = tasks.train_nightly.enqueue()
        assert result.return_value.startswith("not trained")
        load_history(300)
        result = tasks.train_nightly.enqueue()
        assert result.return_value.startswith("model ")
        assert TrainedModel.objects.filter(active=True).count() == 1

    def test_it_picks_up_a_model_another_process_stored_after_the_recheck_period(
        self, demo_categories: dict[str, Category]
    ) -> None:
        load_history(300)
        assert selectors.knowledge().model is None
        result, _stored = services.classifier_train(dry_run=True)
        # Stored by another process: this one's cache is not told.
        TrainedModel.objects.create(
            created_at=timezone.now(),
            n_train=result.n_train,
            n_test=result.n_test,
            accuracy=result.accuracy,
            macro_f1=result.macro_f1,
            labels=result.labels,
            blob=result.model.dumps(),
            active=True,
        )
        assert selectors.knowledge().model is None  # still cached
        checked_at, model_id, knowledge = selectors._state  # type: ignore[misc]
        selectors._state = (checked_at - selectors.RECHECK_SECONDS - 1, model_id, knowledge)
        assert selectors.knowledge().model is not None
        assert selectors.suggest_for(subject="Garantía", description="No cubre.").source == "model"


class TestCorrections:
    def test_it_records_what_the_agent_chose_otherwise(
        self, make_complaint: MakeComplaint, agent: User, category: Category
    ) -> None:
        case = make_complaint()
        case.suggestion = {
            "category": "garantia",
            "kind": "complaint",
            "severity": "medium",
            "language": "es",
            "confidence": 0.7,
            "source": "rules",
        }
        found = services.correction_record(
            complaint=case,
            actor=agent,
            category_code=category.code,
            kind="complaint",
            severity="critical",
        )
        assert {(c.field, c.suggested, c.chosen) for c in found} == {
            ("category", "garantia", category.code),
            ("severity", "medium", "critical"),
        }
        assert Correction.objects.filter(complaint=case, actor=agent).count() == 2

    def test_it_records_nothing_without_a_suggestion(
        self, make_complaint: MakeComplaint, agent: User, category: Category
    ) -> None:
        case = make_complaint()
        case.suggestion = None  # filed before triage suggested anything
        assert (
            services.correction_record(
                complaint=case, actor=agent, category_code="x", kind="claim", severity="high"
            )
            == []
        )

    def test_it_learns_from_corrected_cases_at_the_next_training(
        self,
        demo_categories: dict[str, Category],
        make_complaint: MakeComplaint,
        manager: User,
    ) -> None:
        load_history(300)
        # Assessed (not finished) under the category the agent chose, against the suggestion.
        case = make_complaint(
            state="assessed",
            category=demo_categories["ventas"],
            subject="Seguro no incluido",
            description="No me dijeron que el seguro no estaba incluido.",
        )
        Complaint.objects.filter(pk=case.pk).update(
            suggestion={"category": "contrato", "kind": "complaint", "severity": "medium"}
        )
        case.refresh_from_db()
        services.correction_record(
            complaint=case,
            actor=manager,
            category_code="ventas",
            kind="complaint",
            severity="medium",
        )

        examples = list(selectors.training_examples(chunk_size=100))

        assert len(examples) == 301
        corrected = [e for e in examples if e.corrected]
        assert len(corrected) == 1 and corrected[0].category == "ventas"
        result, _stored = services.classifier_train()
        assert result.n_train + result.n_test == 301
