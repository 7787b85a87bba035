"""Which procedures work (C5): per playbook, its cases in a period and how they went, beside
the cases of the same category the agent took out of the routine and those handled without
the playbook (another kind, or received before the playbook existed)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef

from resuelve.accounts.models import User
from resuelve.complaints.lifecycle import Action
from resuelve.complaints.models import Complaint, ComplaintEvent
from resuelve.complaints.selectors import complaints_visible_to
from resuelve.guidance.models import CaseGuidance, Playbook, PlaybookTick

REPORT_ROLES = frozenset({"supervisor", "manager", "admin", "auditor"})


def may_see_report(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in REPORT_ROLES)
    )


@dataclass
class Outcome:
    cases: int = 0
    resolved: int = 0
    median_to_resolve: timedelta | None = None
    reopened: int = 0
    csat: float | None = None
    csat_answers: int = 0

    @property
    def reopen_rate(self) -> float | None:
        return None if not self.cases else 100 * self.reopened / self.cases


@dataclass
class PlaybookRow:
    playbook: Playbook
    steps: int
    followed: Outcome = field(default_factory=Outcome)
    all_ticked: int = 0
    not_routine: Outcome = field(default_factory=Outcome)
    without: Outcome = field(default_factory=Outcome)


def _outcome(cases: list[Complaint]) -> Outcome:
    durations = [c.resolved_at - c.received_at for c in cases if c.resolved_at is not None]
    scores = [c.satisfaction for c in cases if c.satisfaction is not None]
    return Outcome(
        cases=len(cases),
        resolved=len(durations),
        median_to_resolve=statistics.median(durations) if durations else None,
        reopened=sum(1 for c in cases if c.reopened),  # type: ignore[attr-defined]
        csat=sum(scores) / len(scores) if scores else None,
        csat_answers=len(scores),
    )


def playbook_report(*, user: User, received_from: date, received_to: date) -> list[PlaybookRow]:
    """One row per playbook that is active or has cases in the period, over the cases this
    user may see that were received between the two local dates (both included)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(received_from, time.min, tzinfo=zone)
    end = datetime.combine(received_to + timedelta(days=1), time.min, tzinfo=zone)
    playbooks = list(Playbook.objects.select_related("category").annotate(n_steps=Count("steps")))
    if not playbooks:
        return []
    reopen = ComplaintEvent.objects.filter(complaint_id=OuterRef("pk"), action=Action.REOPEN)
    cases = list(
        complaints_visible_to(user)
        .filter(
            received_at__gte=start,
            received_at__lt=end,
            category_id__in={p.category_id for p in playbooks},
        )
        .annotate(reopened=Exists(reopen))
        .only("pk", "kind", "category_id", "received_at", "resolved_at", "satisfaction", "state")
    )
    marked = dict(
        CaseGuidance.objects.filter(
            complaint_id__in=[c.pk for c in cases], routine=False
        ).values_list("complaint_id", "playbook_id")
    )
    ticks: dict[tuple[int, int], int] = {}
    for complaint_id, playbook_id, n in (
        PlaybookTick.objects.filter(complaint_id__in=[c.pk for c in cases])
        .values_list("complaint_id", "step__playbook_id")
        .annotate(n=Count("id"))
    ):
        ticks[(complaint_id, playbook_id)] = n
    by_category: dict[int, list[Playbook]] = {}
    for p in playbooks:
        if p.active:
            by_category.setdefault(p.category_id, []).append(p)

    def current(case: Complaint) -> Playbook | None:
        # The playbook that applies to the case now, the same rule as services.playbook_for.
        found = by_category.get(case.category_id or 0, [])
        exact = [p for p in found if p.kind == case.kind]
        general = [p for p in found if p.kind == ""]
        return (exact or general or [None])[0]

    rows = []
    for playbook in playbooks:
        followed: list[Complaint] = []
        not_routine: list[Complaint] = []
        without: list[Complaint] = []
        all_ticked = 0
        for case in cases:
            if case.category_id != playbook.category_id:
                continue
            if marked.get(case.pk) == playbook.pk:
                not_routine.append(case)
            elif case.pk in marked:
                continue  # taken out of another playbook of the category
            elif (
                current(case) == playbook or ticks.get((case.pk, playbook.pk))
            ) and case.received_at >= playbook.created_at:
                followed.append(case)
                if playbook.n_steps and ticks.get((case.pk, playbook.pk), 0) >= playbook.n_steps:  # type: ignore[attr-defined]
                    all_ticked += 1
            elif current(case) is None or case.received_at < playbook.created_at:
                without.append(case)
        if not playbook.active and not (followed or not_routine):
            continue
        rows.append(
            PlaybookRow(
                playbook=playbook,
                steps=playbook.n_steps,  # type: ignore[attr-defined]
                followed=_outcome(followed),
                all_ticked=all_ticked,
                not_routine=_outcome(not_routine),
                without=_outcome(without),
            )
        )
    return rows
