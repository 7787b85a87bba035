"""Survey arithmetic: averages, NPS, response rate, the F5 distribution. Pure: works on the
plain values the selectors read, no database access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from resuelve.followup.models import Compared

PROMOTER_FROM = 9  # 9-10 promoters, 7-8 passives, 0-6 detractors (the usual NPS bands)
DETRACTOR_UNTIL = 6


@dataclass(frozen=True)
class Response:
    """One sent survey, as the results read it."""

    answered: bool
    csat: int | None = None
    effort: int | None = None
    nps: int | None = None
    compared: str = ""


@dataclass
class Scores:
    label: str
    sent: int = 0
    answered: int = 0
    csat: float | None = None
    effort: float | None = None
    nps: float | None = None
    compared: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        """Answered per sent, in percent; None when nothing was sent."""
        return None if not self.sent else 100.0 * self.answered / self.sent

    @property
    def compared_total(self) -> int:
        return sum(self.compared.values())

    def compared_share(self) -> list[tuple[str, str, int, float]]:
        """(value, label, count, percent) for each F5 answer, worst to best."""
        total = self.compared_total
        return [
            (
                value,
                str(label),
                self.compared.get(value, 0),
                100.0 * self.compared.get(value, 0) / total if total else 0.0,
            )
            for value, label in Compared.choices
        ]


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def net_promoter(values: list[int]) -> float | None:
    """Percent promoters minus percent detractors, -100 to 100; None with no answers."""
    if not values:
        return None
    promoters = sum(1 for v in values if v >= PROMOTER_FROM)
    detractors = sum(1 for v in values if v <= DETRACTOR_UNTIL)
    return 100.0 * (promoters - detractors) / len(values)


def score(label: str, responses: Iterable[Response]) -> Scores:
    rows = list(responses)
    answered = [r for r in rows if r.answered]
    compared: dict[str, int] = {}
    for r in answered:
        if r.compared:
            compared[r.compared] = compared.get(r.compared, 0) + 1
    return Scores(
        label=label,
        sent=len(rows),
        answered=len(answered),
        csat=_mean([r.csat for r in answered if r.csat is not None]),
        effort=_mean([r.effort for r in answered if r.effort is not None]),
        nps=net_promoter([r.nps for r in answered if r.nps is not None]),
        compared=compared,
    )


def grouped(pairs: Iterable[tuple[str, Response]]) -> list[Scores]:
    """Scores per group label, the groups in order of first appearance."""
    groups: dict[str, list[Response]] = {}
    for label, response in pairs:
        groups.setdefault(label, []).append(response)
    return [score(label, rows) for label, rows in groups.items()]
