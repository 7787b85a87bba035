"""A complaint's fact row, computed from the complaint and what hangs on it (its answer and
reopen events, root cause, compensation, survey), a batch of complaints at a time in a
handful of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Min, Sum
from django.utils import timezone

from resuelve.analytics.models import CaseFact
from resuelve.complaints.lifecycle import Action, State
from resuelve.complaints.models import Complaint, ComplaintEvent, Message

# The first of these events is the customer's answer: the solution sent, the case resolved
# or referred outside, or the verdict that it cannot be established (C2).
ANSWER_ACTIONS = (Action.COMMUNICATE, Action.RESOLVE, Action.REFER_EXTERNAL)
BATCH = 2000


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(int((end - start).total_seconds() // 60), 0)


def month_of(day: date) -> date:
    return day.replace(day=1)


def on_time(answered_at: datetime | None, due_at: datetime | None, now: datetime) -> bool | None:
    """True when answered by the deadline, False when answered after it or still unanswered
    past it, None while it is unanswered and not yet due (or has no deadline)."""
    if due_at is None:
        return None
    if answered_at is not None:
        return answered_at <= due_at
    return False if now > due_at else None


def _answers(ids: Sequence[int]) -> dict[int, datetime]:
    rows = (
        ComplaintEvent.objects.filter(complaint_id__in=ids, action__in=ANSWER_ACTIONS)
        .values("complaint_id")
        .annotate(first=Min("at"))
    )
    found = {r["complaint_id"]: r["first"] for r in rows}
    verdicts = (
        ComplaintEvent.objects.filter(
            complaint_id__in=ids, action=Action.ASSESS, to_state=State.NOT_ESTABLISHED
        )
        .values("complaint_id")
        .annotate(first=Min("at"))
    )
    for r in verdicts:
        at = found.get(r["complaint_id"])
        found[r["complaint_id"]] = r["first"] if at is None else min(at, r["first"])
    return found


def _reopened(ids: Sequence[int]) -> set[int]:
    return set(
        ComplaintEvent.objects.filter(complaint_id__in=ids, action=Action.REOPEN).values_list(
            "complaint_id", flat=True
        )
    )


def _handling(ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per complaint: how many times it was assigned and how many solutions were sent."""
    rows = (
        ComplaintEvent.objects.filter(
            complaint_id__in=ids, action__in=(Action.ASSIGN, Action.COMMUNICATE)
        )
        .values_list("complaint_id", "action")
        .annotate(n=Count("pk"))
    )
    out: dict[int, tuple[int, int]] = {}
    for pk, action, n in rows:
        assigned, sent = out.get(pk, (0, 0))
        out[pk] = (n, sent) if action == Action.ASSIGN else (assigned, n)
    return out


def _customer_writes(ids: Sequence[int]) -> dict[int, int]:
    """Per complaint: how many messages the customer wrote (the complaint itself is one)."""
    rows = (
        Message.objects.filter(complaint_id__in=ids, from_customer=True)
        .values_list("complaint_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def _revisited(ids: Sequence[int]) -> set[int]:
    from resuelve.revisits.models import Revisit, Status

    return set(
        Revisit.objects.filter(complaint_id__in=ids, status=Status.DONE).values_list(
            "complaint_id", flat=True
        )
    )


def _escalated(ids: Sequence[int]) -> set[int]:
    """Complaints with a compensation plan someone other than its proposer approved: it was
    above the proposer's own authority."""
    from resuelve.remedies.models import Proposal

    return set(
        Proposal.objects.filter(complaint_id__in=ids, approved_by__isnull=False)
        .exclude(approved_by=F("proposed_by"))
        .values_list("complaint_id", flat=True)
    )


def first_contact(
    *, resolved: bool, reopened: bool, disputed: bool, assigned: int, sent: int, wrote: int = 1
) -> bool:
    """Resolved by the first person who took it, with at most one solution sent, the
    customer never writing again after the complaint, and never reopened or disputed."""
    return resolved and not reopened and not disputed and assigned <= 1 and sent <= 1 and wrote <= 1


def _causes(ids: Sequence[int]) -> dict[int, int]:
    from resuelve.resolution.models import Investigation

    rows = Investigation.objects.filter(complaint_id__in=ids, cause__isnull=False).values_list(
        "complaint_id", "cause_id", "cause__parent_id"
    )
    return {c: parent or cause for c, cause, parent in rows}


def _compensation(ids: Sequence[int]) -> dict[int, Decimal]:
    from resuelve.remedies.models import LedgerEntry

    rows = (
        LedgerEntry.objects.filter(complaint_id__in=ids, kind="compensation")
        .values("complaint_id")
        .annotate(total=Sum("amount"))
    )
    return {r["complaint_id"]: r["total"] or Decimal(0) for r in rows}


def _surveys(ids: Sequence[int]) -> dict[int, tuple[int | None, int | None, int | None]]:
    from resuelve.followup.models import Survey

    rows = Survey.objects.filter(complaint_id__in=ids, answered_at__isnull=False).values_list(
        "complaint_id", "csat", "effort", "nps"
    )
    return {c: (csat, effort, nps) for c, csat, effort, nps in rows}


FIELDS = (
    "id",
    "received_at",
    "department_id",
    "kind",
    "channel",
    "language",
    "confidential",
    "category_id",
    "product_id",
    "product__supplier_id",
    "branch_id",
    "branch__region_id",
    "deadline_policy_id",
    "is_open",
    "acknowledged_at",
    "resolved_at",
    "due_at",
    "dispute_rounds",
    "assignee_id",
)


def build_facts(ids: Sequence[int], *, now: datetime | None = None) -> list[CaseFact]:
    now = now or timezone.now()
    answers, reopened = _answers(ids), _reopened(ids)
    causes, paid, surveys = _causes(ids), _compensation(ids), _surveys(ids)
    handling, revisited, escalated = _handling(ids), _revisited(ids), _escalated(ids)
    writes = _customer_writes(ids)
    facts = []
    for row in Complaint.objects.filter(pk__in=ids).values_list(*FIELDS):
        (pk, received_at, department, kind, channel, language, confidential, category, product,
         supplier, branch, region, policy, is_open, acked, resolved, due, disputes, assignee) = row  # fmt: skip
        day = timezone.localtime(received_at).date()
        answered_at = answers.get(pk)
        csat, effort, nps = surveys.get(pk, (None, None, None))
        assigned, sent = handling.get(pk, (0, 0))
        compensation = paid.get(pk, Decimal(0))
        facts.append(
            CaseFact(
                complaint_id=pk,
                received_on=day,
                month=month_of(day),
                department_id=department,
                kind=kind,
                channel=channel,
                language=language,
                confidential=confidential,
                category_id=category,
                cause_id=causes.get(pk),
                product_id=product,
                supplier_id=supplier,
                branch_id=branch,
                region_id=region,
                policy_id=policy,
                is_open=is_open,
                ack_minutes=minutes_between(received_at, acked),
                answer_minutes=minutes_between(received_at, answered_at),
                resolve_minutes=minutes_between(received_at, resolved),
                due_at=due,
                on_time=on_time(answered_at, due, now),
                reopened=pk in reopened,
                disputed=disputes > 0,
                compensation=compensation,
                csat=csat,
                effort=effort,
                nps=nps,
                assignee_id=assignee,
                first_contact=first_contact(
                    resolved=resolved is not None,
                    reopened=pk in reopened,
                    disputed=disputes > 0,
                    assigned=assigned,
                    sent=sent,
                    wrote=writes.get(pk, 0),
                ),
                revisited=pk in revisited,
                comp_within=(pk not in escalated) if compensation else None,
            )
        )
    return facts


def facts_store(ids: Iterable[int], *, now: datetime | None = None) -> set[date]:
    """Recompute the facts of these complaints (a deleted one loses its row); returns the
    months whose slices must be computed again (where a fact was and where it is now)."""
    months: set[date] = set()
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        facts = build_facts(batch, now=now)
        with transaction.atomic():
            months.update(
                CaseFact.objects.filter(complaint_id__in=batch)
                .values_list("month", flat=True)
                .distinct()
            )
            CaseFact.objects.filter(complaint_id__in=batch).delete()
            CaseFact.objects.bulk_create(facts, batch_size=500)
        months.update(f.month for f in facts)
    return months
