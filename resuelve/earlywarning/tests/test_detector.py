from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from resuelve.earlywarning.detector import Config, Signal, detect

START = date(2026, 1, 5)  # a Monday
DAYS = 137  # the last day is a Thursday
REGIONS = ["North", "South", "East", "West"]
WEEKDAY = [1.6, 1.15, 1.0, 0.95, 0.95, 0.7, 0.6]  # a strong Monday peak


def _rows(rng, day: int, n: int, *, product=None, batch=None, region=None, cause=None):
    products = rng.integers(0, 5, n) if product is None else np.full(n, product)
    lots = rng.integers(0, 2, n)
    return pd.DataFrame(
        {
            "day": [START + timedelta(days=day)] * n,
            "product": [f"P{p}" for p in products],
            "supplier": [f"S{p % 2}" for p in products],
            "batch": [batch or f"L-{p}{'AB'[b]}" for p, b in zip(products, lots, strict=True)],
            "category": [f"K{p % 3}" for p in products],
            "cause": [cause or c for c in rng.choice(["broken", "late", "wrong", "other"], n)],
            "region": [region or r for r in rng.choice(REGIONS, n)],
        }
    )


def _year(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for day in range(DAYS):
        weekday = (START + timedelta(days=day)).weekday()
        parts.append(_rows(rng, day, int(rng.poisson(120 * WEEKDAY[weekday]))))
    return pd.concat(parts, ignore_index=True)


def _with(frame: pd.DataFrame, extra: pd.DataFrame) -> tuple[pd.DataFrame, set[int]]:
    joined = pd.concat([frame, extra], ignore_index=True)
    return joined, set(range(len(frame), len(joined)))


def _lot_defect(frame, *, days=(DAYS - 2, DAYS - 1), per_day=20, seed=11):
    rng = np.random.default_rng(seed)
    extra = pd.concat([_rows(rng, d, per_day, product=3, batch="L-3A") for d in days])
    return _with(frame, extra)


def _as_of(day: int) -> date:
    return START + timedelta(days=day)


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    return _year()


def _keys(signals: list[Signal]) -> list[dict[str, str]]:
    return [dict(s.key) for s in signals]


def test_it_reports_a_lot_defect_across_regions_once_keyed_on_the_lot(year):
    frame, injected = _lot_defect(year)
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert len(signals) == 1, _keys(signals)
    assert dict(signals[0].key)["batch"] == "L-3A"
    assert "region" not in dict(signals[0].key)
    assert set(signals[0].regions) == set(REGIONS)
    assert signals[0].observed > signals[0].expected * 2
    assert signals[0].since == _as_of(DAYS - 2)


def test_it_raises_nothing_for_a_normal_monday_peak(year):
    mondays = [d for d in range(60, DAYS) if _as_of(d).weekday() == 0]
    assert len(mondays) >= 10
    for day in mondays:
        assert detect(year, as_of=_as_of(day)) == [], _as_of(day)


def test_it_raises_nothing_on_ordinary_days(year):
    for day in range(60, DAYS):
        assert detect(year, as_of=_as_of(day)) == [], _as_of(day)


def test_it_reports_one_regions_spike_as_a_region_signal(year):
    rng = np.random.default_rng(5)
    extra = pd.concat([_rows(rng, d, 30, region="East") for d in (DAYS - 2, DAYS - 1)])
    frame, injected = _with(year, extra)
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert _keys(signals) == [{"region": "East"}]
    assert signals[0].regions == ("East",)


def test_it_stays_silent_about_a_dismissed_key_and_its_parents(year):
    frame, _ = _lot_defect(year)
    lot = detect(frame, as_of=_as_of(DAYS - 1))[0].key
    config = replace(Config(), suppressed=frozenset({lot}))
    assert detect(frame, as_of=_as_of(DAYS - 1), config=config) == []


def test_it_points_rows_at_the_complaints_behind_the_signal(year):
    frame, injected = _lot_defect(year)
    signal = detect(frame, as_of=_as_of(DAYS - 1))[0]
    rows = frame.iloc[list(signal.rows)]
    assert set(rows["batch"]) == {"L-3A"}
    assert set(rows["product"]) == {"P3"}
    assert rows["day"].min() >= _as_of(DAYS - 2)
    assert injected <= set(signal.rows)
    assert signal.observed == len(signal.rows)


def test_it_reads_only_the_past(year):
    frame, _ = _lot_defect(year, days=(DAYS - 2, DAYS - 1))
    as_of = _as_of(DAYS - 3)
    assert detect(frame, as_of=as_of) == []
    assert detect(frame, as_of=as_of) == detect(year, as_of=as_of)


def test_it_needs_a_history_before_it_alerts(year):
    early = year[pd.to_datetime(year["day"]) <= pd.Timestamp(_as_of(10))]
    rng = np.random.default_rng(2)
    frame, _ = _with(early, _rows(rng, 10, 80, product=1, batch="L-1A"))
    assert detect(frame, as_of=_as_of(10)) == []


def test_it_ignores_complaints_with_unknown_values_in_a_series(year):
    frame, _ = _lot_defect(year)
    frame.loc[frame["batch"] == "L-3A", "batch"] = None
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert len(signals) == 1
    assert dict(signals[0].key) == {"product": "P3"}


def _small_company(seed: int = 8) -> pd.DataFrame:
    """About 500 complaints a year: a few a day over five products and four regions."""
    rng = np.random.default_rng(seed)
    parts = [_rows(rng, day, int(rng.poisson(1.4))) for day in range(DAYS)]
    return pd.concat(parts, ignore_index=True)


def test_it_keys_a_new_lot_that_carries_a_products_rise_on_the_lot():
    # The demo: 11 complaints about one product's new lot, across all regions, in two days.
    rng = np.random.default_rng(4)
    extra = pd.concat(
        [
            _rows(rng, DAYS - 2, 5, product=2, batch="LOTE-2611"),
            _rows(rng, DAYS - 1, 6, product=2, batch="LOTE-2611"),
        ]
    )
    extra["region"] = (REGIONS * 3)[: len(extra)]
    frame, injected = _with(_small_company(), extra)
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert _keys(signals) == [{"product": "P2", "batch": "LOTE-2611"}]
    assert set(signals[0].rows) == injected
    assert signals[0].observed == 11
    assert set(signals[0].regions) == set(REGIONS)


def test_it_keeps_the_product_as_key_when_its_rise_is_spread_over_its_lots(year):
    rng = np.random.default_rng(6)
    extra = pd.concat([_rows(rng, d, 40, product=1) for d in (DAYS - 2, DAYS - 1)])
    frame, _ = _with(year, extra)
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert _keys(signals) == [{"product": "P1"}]


def test_it_raises_nothing_when_the_whole_company_has_a_busy_day(year):
    # Every series rises with the company's volume: no share stands out.
    rng = np.random.default_rng(9)
    frame, _ = _with(year, _rows(rng, DAYS - 1, 200))
    assert detect(frame, as_of=_as_of(DAYS - 1)) == []


def test_a_new_lot_taking_over_its_product_is_expected_to_carry_the_products_level(year):
    # P3's new lot L-3C replaces the old ones on the last two days, and 40 defect complaints
    # come on top: the alert is on the lot, and its excess is the defect's, not the lot's
    # whole count (the product's normal level was expected on whichever lot it is sold).
    frame = year.copy()
    last_two = pd.to_datetime(frame["day"]) >= pd.Timestamp(_as_of(DAYS - 2))
    frame.loc[last_two & (frame["product"] == "P3"), "batch"] = "L-3C"
    normal = int((last_two & (frame["product"] == "P3")).sum())
    rng = np.random.default_rng(12)
    extra = pd.concat([_rows(rng, d, 20, product=3, batch="L-3C") for d in (DAYS - 2, DAYS - 1)])
    frame, injected = _with(frame, extra)
    signals = detect(frame, as_of=_as_of(DAYS - 1))
    assert _keys(signals) == [{"product": "P3", "batch": "L-3C"}]
    (signal,) = signals
    assert signal.observed == normal + 40
    assert 20 <= signal.observed - signal.expected <= 60
    assert signal.expected >= normal * 0.6
