"""`resuelve train-classifier`: learn categories (and kinds, severities) from the history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resuelve.triage import learning, services


class Command(BaseCommand):
    help = _(
        "Train the classifier on the company's own assessed complaints, measure it on a "
        "held-out part and make it the active model."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--test-size",
            type=float,
            default=0.2,
            help=_("share of the history held out to measure the model (default 0.2)"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("train and measure, but do not store the model"),
        )
        parser.add_argument("--seed", type=int, default=0, help=_("seed of the split"))

    def handle(self, *args: Any, **options: Any) -> None:
        test_size = options["test_size"]
        if not 0 < test_size < 1:
            raise CommandError(_("--test-size must be between 0 and 1."))
        try:
            result, stored = services.classifier_train(
                test_size=test_size, dry_run=options["dry_run"], seed=options["seed"]
            )
        except learning.TooLittleHistory as refused:
            raise CommandError(refused.message) from None
        out = self.stdout
        out.write(
            _("Trained on %(train)d complaints in %(seconds).1f s; measured on %(test)d held out.")
            % {"train": result.n_train, "test": result.n_test, "seconds": result.seconds}
        )
        for report in result.reports:
            out.write("")
            out.write(
                _("%(name)s: accuracy %(accuracy).3f, macro-F1 %(f1).3f")
                % {"name": report.name, "accuracy": report.accuracy, "f1": report.macro_f1}
            )
            width = max(len(label) for label in report.per_label)
            out.write(f"  {'':<{width}}  {_('train'):>7}  {_('test'):>7}  {'F1':>5}")
            for label, (n_train, n_test, f1) in sorted(report.per_label.items()):
                out.write(f"  {label:<{width}}  {n_train:>7}  {n_test:>7}  {f1:>5.2f}")
        out.write("")
        if stored is None:
            out.write(_("Dry run: the model was not stored."))
        else:
            out.write(
                self.style.SUCCESS(
                    _("Stored as model %(id)d, now the active one.") % {"id": stored.pk}
                )
            )
