"""`resuelve verify-audit`: recompute every complaint's audit hash chain."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from resuelve.complaints import audit
from resuelve.complaints.models import Complaint, ComplaintEvent


class Command(BaseCommand):
    help = "Verify the audit trail: every event's hash, the chain order, and each case's head."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="complaints per batch")
        parser.add_argument("--code", help="verify only this tracking code")

    def handle(self, *args: Any, **options: Any) -> None:
        complaints = Complaint.objects.order_by("id")
        if options["code"]:
            complaints = complaints.filter(tracking_code=options["code"])
        total = complaints.count()
        checked = events_checked = 0
        problems: list[audit.ChainProblem] = []
        last_id = 0
        batch = max(1, options["batch"])
        while True:
            heads = list(
                complaints.filter(id__gt=last_id).values_list(
                    "id", "tracking_code", "audit_head", "event_count"
                )[:batch]
            )
            if not heads:
                break
            last_id = heads[-1][0]
            ids = [row[0] for row in heads]
            rows = (
                ComplaintEvent.objects.filter(complaint_id__in=ids)
                .order_by("complaint_id", "seq")
                .values(*audit.EVENT_COLUMNS)
            )
            by_case = {
                key: list(group) for key, group in groupby(rows, key=lambda r: r["complaint_id"])
            }
            for pk, code, head, count in heads:
                events = by_case.get(pk, [])
                events_checked += len(events)
                problems += audit.verify_chain(
                    tracking_code=code, head=head, count=count, events=events
                )
            checked += len(heads)
            if total > batch:
                self.stdout.write(f"  {checked:,}/{total:,} complaints checked", ending="\r")
        self.stdout.write("")
        for problem in problems[:200]:
            where = f"event {problem.seq}" if problem.seq is not None else "chain"
            self.stdout.write(
                self.style.ERROR(f"{problem.tracking_code} {where}: {problem.problem}")
            )
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in the audit trail of {checked:,} complaints; "
                "the listed events were changed, removed or reordered outside Resuelve."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {checked:,} complaints, {events_checked:,} events verified."
            )
        )
