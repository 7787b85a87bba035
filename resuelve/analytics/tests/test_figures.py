"""The dashboards' figures against a fixture computed by hand: six complaints over three
months in Bogotá time, one confidential, one unrouted, one in another department."""

from __future__ import annotations

from datetime import date

import pytest

from resuelve.accounts.models import User
from resuelve.analytics import selectors
from resuelve.analytics.refresh import analytics_rebuild, analytics_refresh
from resuelve.analytics.selectors import (
    Filters,
    breakdown,
    by_month,
    drill,
    drill_count,
    scope_of,
)
from resuelve.analytics.slices import EDGES, bucket, percentile
from resuelve.complaints import services
from resuelve.complaints.models import Complaint
from resuelve.testing.fixtures import Clock

pytestmark = pytest.mark.django_db

PERIOD = Filters(start=date(2025, 1, 1), end=date(2025, 3, 1))


def test_a_supervisor_sees_the_figures_of_their_department_with_the_unrouted_and_confidential(
    cases: dict[str, Complaint], supervisor: User
) -> None:
    scope = scope_of(supervisor)
    total = breakdown(scope=scope, filters=PERIOD, dim="all").total
    assert total.received == 5  # A B C D E, not F
    # A communicated solution waits for the customer's answer: the case is still open.
    assert (total.answered, total.on_time, total.late, total.open) == (2, 1, 2, 5)
    assert total.compliance == pytest.approx(1 / 3)
    months = [(m, f.received) for m, f in by_month(scope=scope, filters=PERIOD)]
    assert months == [(date(2025, 1, 1), 1), (date(2025, 2, 1), 3), (date(2025, 3, 1), 1)]
    kinds = {key: f.received for key, f in breakdown(scope=scope, filters=PERIOD, dim="kind").rows}
    assert kinds == {"complaint": 4, "claim": 1}


def test_each_role_counts_only_what_it_may_see(
    cases: dict[str, Complaint], manager: User, auditor: User, handler: User
) -> None:
    def received(user: User) -> int:
        return breakdown(scope=scope_of(user), filters=PERIOD, dim="all").total.received

    assert received(manager) == 6
    assert received(auditor) == 5  # every department, but not the confidential case
    assert not selectors.may_read(handler)


def test_medians_and_90th_percentiles_are_read_off_the_time_buckets(
    cases: dict[str, Complaint], supervisor: User
) -> None:
    total = breakdown(scope=scope_of(supervisor), filters=PERIOD, dim="all").total
    # Answers after 4 days (5,760 min) and 21 days (30,240 min).
    assert bucket(5760) == 10 and (EDGES[9], EDGES[10]) == (4320, 7200)
    assert bucket(30240) == 15 and (EDGES[14], EDGES[15]) == (28800, 43200)
    assert percentile(total.answer_hist, 0.5) == 7200  # the top of the first answer's bucket
    assert percentile(total.answer_hist, 0.9) == 28800 + 14400 * 0.8
    assert percentile([0] * 20, 0.5) is None


def test_every_figure_drills_down_to_as_many_complaints(
    cases: dict[str, Complaint], supervisor: User
) -> None:
    scope = scope_of(supervisor)
    by_kind = breakdown(scope=scope, filters=PERIOD, dim="kind")
    for key, figures in by_kind.rows:
        for metric in selectors.METRICS:
            shown = getattr(figures, metric)
            assert (
                drill(scope=scope, filters=PERIOD, dim="kind", key=key, metric=metric).count()
                == shown
            )
    late = set(
        drill(scope=scope, filters=PERIOD, metric="late").values_list("complaint_id", flat=True)
    )
    assert late == {cases["A"].pk, cases["D"].pk}
    unrouted = drill(scope=scope, filters=PERIOD, dim="category", key="")
    assert list(unrouted.values_list("complaint_id", flat=True)) == [cases["D"].pk]


def test_an_empty_period_shows_zeros(cases: dict[str, Complaint], manager: User) -> None:
    empty = Filters(start=date(2024, 6, 1), end=date(2024, 7, 1))
    total = breakdown(scope=scope_of(manager), filters=empty, dim="all").total
    assert total.received == 0 and total.compliance is None and total.csat is None
    assert [f.received for _m, f in by_month(scope=scope_of(manager), filters=empty)] == [0, 0]


def test_the_refresh_picks_up_what_changed(
    cases: dict[str, Complaint], supervisor: User, manager: User, clock: Clock
) -> None:
    clock.advance(days=2)  # 5 March: B's customer accepts, B is resolved
    case = services.complaint_record_acceptance(
        complaint=cases["B"], actor=manager, name="Ana Pérez"
    )
    services.complaint_resolve(complaint=case, actor=manager, summary="Pads replaced.")
    assert analytics_refresh() >= 1
    total = breakdown(scope=scope_of(supervisor), filters=PERIOD, dim="all").total
    assert (total.received, total.resolved, total.open) == (5, 1, 4)
    assert percentile(total.resolve_hist, 0.5) == 8640  # one value: the middle of (5 d, 7 d]
    clock.advance(minutes=10)
    assert analytics_refresh() == 1  # B again: each run looks two minutes behind its watermark
    clock.advance(minutes=10)
    assert analytics_refresh() == 0  # nothing changed since


def test_a_region_or_product_filter_reads_its_own_slices_and_agrees_with_the_facts(
    cases: dict[str, Complaint], manager: User
) -> None:
    from resuelve.customers.models import Branch, Product, Region

    north = Region.objects.create(name="Norte")
    branch = Branch.objects.create(name="Medellín", region=north)
    pads = Product.objects.create(sku="PAD-1", name="Brake pads")
    Complaint.objects.filter(pk__in=[cases["A"].pk, cases["C"].pk]).update(
        branch=branch, product=pads
    )
    analytics_rebuild()
    scope = scope_of(manager)
    for narrowed in (
        Filters(start=PERIOD.start, end=PERIOD.end, region=north.pk),
        Filters(start=PERIOD.start, end=PERIOD.end, product=pads.pk),
        # Both at once: only the facts can tell.
        Filters(start=PERIOD.start, end=PERIOD.end, region=north.pk, product=pads.pk),
    ):
        assert narrowed.by_facts == (narrowed.region is not None and narrowed.product is not None)
        total = breakdown(scope=scope, filters=narrowed, dim="all").total
        assert (total.received, total.late, total.open) == (2, 1, 2)
        months = [(m.month, f.received) for m, f in by_month(scope=scope, filters=narrowed)]
        assert months == [(1, 0), (2, 2), (3, 0)]  # both received in February (Bogotá time)
        assert (
            drill(scope=scope, filters=narrowed, metric="late").get().complaint_id == cases["A"].pk
        )
        assert drill_count(scope=scope, filters=narrowed, metric="late") == (
            None if narrowed.by_facts else 1
        )
        kinds = dict(breakdown(scope=scope, filters=narrowed, dim="kind").rows)
        assert {k: f.received for k, f in kinds.items()} == {"complaint": 2}
    # Without the filter, the slices give the same figures for that region's value.
    by_region = dict(breakdown(scope=scope, filters=PERIOD, dim="region").rows)
    assert by_region[str(north.pk)].received == 2
