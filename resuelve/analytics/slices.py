"""A month's slices, computed from its fact rows in one read, and the arithmetic the
dashboards do on them: summing slices and reading medians and 90th percentiles off the
time histograms. Everything but `slices_store` is pure."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from resuelve.analytics.models import CaseFact, MonthSlice

# The dimensions a month is cut by, and the fact column each reads ("all": no cut).
DIMENSIONS: dict[str, str | None] = {
    "all": None,
    "kind": "kind",
    "category": "category_id",
    "cause": "cause_id",
    "channel": "channel",
    "product": "product_id",
    "supplier": "supplier_id",
    "branch": "branch_id",
    "region": "region_id",
    "language": "language",
    "policy": "policy_id",
    "assignee": "assignee_id",
}
# Upper edges of the time buckets, in minutes: 15 min ... 90 days, then everything longer.
HOUR, DAY = 60, 24 * 60
EDGES = [15, 30, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY]
EDGES += [d * DAY for d in (5, 7, 10, 15, 20, 30, 45, 60, 90)]
BUCKETS = len(EDGES) + 1


def bucket(minutes: int) -> int:
    return bisect.bisect_left(EDGES, minutes)


def percentile(hist: list[int], q: float) -> float | None:
    """The q-quantile (0 < q < 1) of the times counted in `hist`, in minutes, interpolated
    linearly inside its bucket; the last bucket (over 90 days) reads as its lower edge."""
    total = sum(hist)
    if total == 0:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(hist):
        if count and seen + count >= rank:
            low = EDGES[index - 1] if index > 0 else 0
            if index >= len(EDGES):
                return float(low)
            high = EDGES[index]
            return low + (high - low) * (rank - seen) / count
        seen += count
    return float(EDGES[-1])  # pragma: no cover - rank never exceeds the total


@dataclass
class Figures:
    received: int = 0
    open: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    resolved: int = 0
    reopened: int = 0
    disputed: int = 0
    compensated: int = 0
    compensation: Decimal = Decimal(0)
    csat_n: int = 0
    csat_sum: int = 0
    effort_n: int = 0
    effort_sum: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    first_contact: int = 0
    revisited: int = 0
    comp_within: int = 0
    ack_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    answer_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    resolve_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)

    COUNTS = (
        "received", "open", "answered", "on_time", "late", "resolved", "reopened", "disputed",
        "compensated", "csat_n", "csat_sum", "effort_n", "effort_sum", "nps_n", "promoters",
        "detractors", "first_contact", "revisited", "comp_within",
    )  # fmt: skip
    HISTS = ("ack_hist", "answer_hist", "resolve_hist")

    def add_fact(self, fact: Any) -> None:  # a CaseFact or one of fact_rows()
        self.received += 1
        self.open += fact.is_open
        if fact.answer_minutes is not None:
            self.answered += 1
            self.answer_hist[bucket(fact.answer_minutes)] += 1
        if fact.ack_minutes is not None:
            self.ack_hist[bucket(fact.ack_minutes)] += 1
        if fact.resolve_minutes is not None:
            self.resolved += 1
            self.resolve_hist[bucket(fact.resolve_minutes)] += 1
        if fact.on_time is True:
            self.on_time += 1
        elif fact.on_time is False:
            self.late += 1
        self.reopened += fact.reopened
        self.disputed += fact.disputed
        if fact.compensation:
            self.compensated += 1
            self.compensation += fact.compensation
        if fact.csat is not None:
            self.csat_n += 1
            self.csat_sum += fact.csat
        if fact.effort is not None:
            self.effort_n += 1
            self.effort_sum += fact.effort
        if fact.nps is not None:
            self.nps_n += 1
            self.promoters += fact.nps >= 9
            self.detractors += fact.nps <= 6
        self.first_contact += fact.first_contact
        self.revisited += fact.revisited
        self.comp_within += fact.comp_within is True

    def add(self, other: Figures | MonthSlice) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.compensation += other.compensation
        for name in self.HISTS:
            mine, theirs = getattr(self, name), getattr(other, name) or []
            for index, count in enumerate(theirs[:BUCKETS]):
                mine[index] += count

    # What the dashboards show.
    def rate(self, part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def compliance(self) -> float | None:
        return self.rate(self.on_time, self.on_time + self.late)

    @property
    def reopen_rate(self) -> float | None:
        return self.rate(self.reopened, self.received)

    @property
    def dispute_rate(self) -> float | None:
        return self.rate(self.disputed, self.received)

    @property
    def first_contact_rate(self) -> float | None:
        return self.rate(self.first_contact, self.resolved)

    @property
    def revisit_coverage(self) -> float | None:
        return self.rate(self.revisited, self.resolved)

    @property
    def comp_within_rate(self) -> float | None:
        return self.rate(self.comp_within, self.compensated)

    @property
    def csat(self) -> float | None:
        return self.csat_sum / self.csat_n if self.csat_n else None

    @property
    def ces(self) -> float | None:
        return self.effort_sum / self.effort_n if self.effort_n else None

    @property
    def nps(self) -> float | None:
        return 100 * (self.promoters - self.detractors) / self.nps_n if self.nps_n else None


# department, kind, confidential, part, dim, key
SliceKey = tuple[int | None, str, bool, str, str, str]
# The filters that read slices of their own: each complaint is counted again in the part of
# its region and of its product (not cut by person: the scorecards do not filter by them).
PARTS = (("region", "region_id"), ("product", "product_id"))
WHOLE_ONLY = frozenset({"assignee"})


def slice_figures(facts: Iterable[Any]) -> dict[SliceKey, Figures]:
    """Every slice of these facts (one month's), by (department, kind, confidential, part,
    dim, key)."""
    out: dict[SliceKey, Figures] = {}
    for fact in facts:
        parts = [""]
        for name, column in PARTS:
            value = getattr(fact, column)
            if value is not None:
                parts.append(f"{name}:{value}")
        for part in parts:
            for dim, column in DIMENSIONS.items():
                if part and dim in WHOLE_ONLY:
                    continue
                value = getattr(fact, column) if column else ""
                key = (
                    fact.department_id,
                    fact.kind,
                    fact.confidential,
                    part,
                    dim,
                    "" if value is None else str(value),
                )
                figures = out.get(key)
                if figures is None:
                    figures = out[key] = Figures()
                figures.add_fact(fact)
    return out


# What the slices read of a fact: plain tuples, not model instances (a month may hold tens of
# thousands of complaints, each cut eleven ways).
FACT_FIELDS = (
    "month", "department_id", "kind", "confidential", "is_open", "ack_minutes", "answer_minutes",
    "resolve_minutes", "on_time", "reopened", "disputed", "compensation", "csat", "effort",
    "nps", "first_contact", "revisited", "comp_within", *sorted({c for c in DIMENSIONS.values() if c and c != "kind"}),
)  # fmt: skip


def fact_rows(facts: QuerySet[CaseFact]) -> Iterator[Any]:
    return facts.values_list(*FACT_FIELDS, named=True).iterator(chunk_size=5000)


def slices_store(month: date) -> int:
    """Compute a month's slices again from its facts; returns how many there are."""
    facts = fact_rows(CaseFact.objects.filter(month=month))
    rows = [
        MonthSlice(
            month=month,
            department_id=department,
            kind=kind,
            confidential=confidential,
            part=part,
            dim=dim,
            key=key,
            **{name: getattr(figures, name) for name in Figures.COUNTS + Figures.HISTS},
            compensation=figures.compensation,
        )
        for (department, kind, confidential, part, dim, key), figures in slice_figures(
            facts
        ).items()
    ]
    with transaction.atomic():
        MonthSlice.objects.filter(month=month).delete()
        MonthSlice.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
