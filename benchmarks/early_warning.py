#!/usr/bin/env python
"""Replay a synthetic year of complaints through the early-warning detector, as it runs live.

    .venv/bin/python benchmarks/early_warning.py
    .venv/bin/python benchmarks/early_warning.py --quick        # every third day, no 1M run

The year (seeded): 8 regions, 15 suppliers, 60 products (each of one supplier and category),
lots that follow each other per product (each sold for 5-9 weeks, overlapping, ramping in and
out), 10 causes, a weekly pattern with a Monday peak, a seasonal wave, day-to-day noise, and
--complaints complaints in all. On top, 20 incidents of different sizes and shapes: a lot across
all regions, one region's spike, a slow drift over weeks, a supplier-wide rise.

From day 60 the detector is called every day with only the complaints received so far
(``detect(frame[day <= d], as_of=d)``). An incident is detected on the first day, while it
lasts or within 14 days of its start (whichever is longer: a five-week drift found in its
fifth week is found late, not missed), that a signal shares at least a quarter of its excess
with the incident's complaints; the delay is counted in days from the incident's start. The
stricter figure, found within 14 days of the start whatever the incident's length, is printed
too. A signal that shares less
than that with every incident is a false alarm; a key's signals on consecutive days (gaps of up
to 7 days) are one alarm. Prints the figures next to the targets and the time of one full
detector run over --full-run complaints (1,000,000).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resuelve.earlywarning.detector import Config, detect  # noqa: E402

START = date(2026, 1, 1)
DAYS = 365
WEEKDAY = np.array([1.55, 1.15, 1.0, 0.95, 0.95, 0.75, 0.65])  # Monday first


@dataclass
class Incident:
    name: str
    start: int  # day number
    rows: np.ndarray = None  # positions in the sorted frame
    last: int = 0  # day number of its last complaint


def _world(rng: np.random.Generator) -> dict:
    regions = [f"R{r}" for r in range(8)]
    region_w = rng.dirichlet(np.full(8, 4.0))
    suppliers = [f"S{s:02d}" for s in range(15)]
    n_products = 60
    product_supplier = rng.integers(0, 15, n_products)
    product_category = rng.integers(0, 8, n_products)
    product_w = rng.lognormal(0, 0.8, n_products)
    product_w /= product_w.sum()
    causes = [f"C{c}" for c in range(10)]
    cause_w = rng.dirichlet(np.full(10, 3.0))
    # Lots per product: each sold for 35-63 days, the next starting 7-14 days before the end.
    lots = []  # (product, name, first day, last day)
    for p in range(n_products):
        first, n = int(rng.integers(-40, 0)), 0
        while first < DAYS:
            length = int(rng.integers(35, 64))
            lots.append((p, f"L-{p:02d}{n:02d}", first, first + length))
            first += length - int(rng.integers(7, 15))
            n += 1
    return {
        "regions": regions,
        "region_w": region_w,
        "suppliers": suppliers,
        "product_supplier": product_supplier,
        "product_category": product_category,
        "product_w": product_w,
        "causes": causes,
        "cause_w": cause_w,
        "lots": lots,
    }


def _lot_weights(world: dict, product: int, day: int) -> tuple[list[str], np.ndarray]:
    names, weights = [], []
    for p, name, first, last in world["lots"]:
        if p != product or not first <= day <= last:
            continue
        ramp = min(1.0, (day - first + 1) / 10, (last - day + 1) / 10)
        names.append(name)
        weights.append(ramp)
    w = np.asarray(weights)
    return names, w / w.sum()


def _complaints(rng, world, day, n, *, product=None, region=None, lot=None, supplier=None):
    """n complaints of one day, drawn from the normal mix unless pinned."""
    n_products = len(world["product_w"])
    if product is not None:
        products = np.full(n, product)
    elif supplier is not None:
        own = np.flatnonzero(world["product_supplier"] == supplier)
        w = world["product_w"][own] / world["product_w"][own].sum()
        products = rng.choice(own, n, p=w)
    else:
        products = rng.choice(n_products, n, p=world["product_w"])
    regions = np.full(n, region) if region is not None else rng.choice(8, n, p=world["region_w"])
    causes = rng.choice(10, n, p=world["cause_w"])
    out = []
    for p in np.unique(products):
        sel = np.flatnonzero(products == p)
        if lot is not None:
            batches = np.full(len(sel), lot, dtype=object)
        else:
            names, w = _lot_weights(world, int(p), day)
            batches = np.asarray(names, dtype=object)[rng.choice(len(names), len(sel), p=w)]
        out.append(
            pd.DataFrame(
                {
                    "day": day,
                    "product": f"P{p:02d}",
                    "supplier": world["suppliers"][world["product_supplier"][p]],
                    "batch": batches,
                    "category": f"K{world['product_category'][p]}",
                    "cause": np.asarray(world["causes"], dtype=object)[causes[sel]],
                    "region": np.asarray(world["regions"], dtype=object)[regions[sel]],
                }
            )
        )
    return out


def _expected_daily(world: dict, total: int) -> np.ndarray:
    days = np.arange(DAYS)
    weekday = WEEKDAY[[(START + timedelta(days=int(d))).weekday() for d in days]]
    season = 1 + 0.3 * np.sin(2 * np.pi * (days - 20) / 365) + 0.1 * np.cos(4 * np.pi * days / 365)
    shape = weekday * season
    return shape / shape.sum() * total


def _incidents(rng, world, daily) -> list[tuple[str, int, callable]]:
    """20 incidents: (name, start day, function(day) -> list of frames)."""
    pw, ps = world["product_w"], world["product_supplier"]
    specs = []
    starts = np.sort(rng.choice(np.arange(70, 345, 6), 20, replace=False))
    kinds = [
        "lot-large", "lot-small", "region-spike", "drift-product", "supplier-rise",
        "lot-large", "region-small", "drift-supplier", "lot-small", "supplier-rise",
        "lot-large", "region-spike", "drift-product", "lot-small", "supplier-small",
        "lot-large", "region-small", "drift-lot", "lot-small", "supplier-rise",
    ]  # fmt: skip
    for start, kind in zip(starts, kinds, strict=True):
        start = int(start)
        if kind.startswith("lot") or kind == "drift-lot":
            p = int(rng.choice(len(pw), p=pw))
            names, w = _lot_weights(world, p, start)
            lot = names[int(np.argmax(w))]
            base = daily[start] * pw[p] * w.max()
            extra = {"lot-large": max(6, 1.5 * base), "lot-small": max(3, 0.8 * base)}.get(
                kind, max(3, base)
            )
            length = 28 if kind == "drift-lot" else 10

            def make(day, p=p, lot=lot, extra=extra, start=start, length=length, kind=kind):
                k = day - start
                if not 0 <= k < length:
                    return []
                rate = extra * (k + 1) / length if kind == "drift-lot" else extra
                return _complaints(rng, world, day, rng.poisson(rate), product=p, lot=lot)

        elif kind.startswith("region"):
            r = int(rng.integers(0, 8))
            share = 0.6 if kind == "region-spike" else 0.3
            length = 4

            def make(day, r=r, share=share, start=start, length=length):
                if not 0 <= day - start < length:
                    return []
                n = rng.poisson(daily[day] * world["region_w"][r] * share)
                return _complaints(rng, world, day, n, region=r)

        elif kind.startswith("drift"):
            if kind == "drift-product":
                p = int(rng.choice(len(pw), p=pw))
                base_share = pw[p]
                pin = {"product": p}
            else:
                s = int(rng.integers(0, 15))
                while not (ps == s).any():  # a supplier with products (not every one has)
                    s = int(rng.integers(0, 15))
                base_share = pw[ps == s].sum()
                pin = {"supplier": s}

            def make(day, base_share=base_share, pin=pin, start=start):
                k = day - start
                if not 0 <= k < 35:
                    return []
                n = rng.poisson(daily[day] * base_share * 0.8 * min(1.0, (k + 1) / 28))
                return _complaints(rng, world, day, n, **pin)

        else:  # supplier-wide rise across its products and lots
            s = int(rng.integers(0, 15))
            while not (ps == s).any():  # a supplier with products (not every one has any)
                s = int(rng.integers(0, 15))
            share = 0.6 if kind == "supplier-rise" else 0.35

            def make(day, s=s, share=share, start=start):
                if not 0 <= day - start < 10:
                    return []
                n = rng.poisson(daily[day] * pw[ps == s].sum() * share)
                return _complaints(rng, world, day, n, supplier=s)

        specs.append((kind, start, make))
    return specs


def build(total: int, seed: int, with_incidents: bool = True):
    rng = np.random.default_rng(seed)
    world = _world(rng)
    daily = _expected_daily(world, total)
    noise = rng.gamma(400, 1 / 400, DAYS)  # day-to-day variation of the whole volume (5%)
    parts, tags = [], []
    for d in range(DAYS):
        for part in _complaints(rng, world, d, rng.poisson(daily[d] * noise[d])):
            parts.append(part)
            tags.append(-1)
    specs = _incidents(rng, world, daily) if with_incidents else []
    incidents = [Incident(kind, start) for kind, start, _ in specs]
    for i, (_, _, make) in enumerate(specs):
        for d in range(DAYS):
            for part in make(d):
                parts.append(part)
                tags.append(i)
    sizes = [len(p) for p in parts]
    frame = pd.concat(parts, ignore_index=True)
    tag = np.repeat(np.asarray(tags), sizes)
    order = np.argsort(frame["day"].to_numpy(), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    tag = tag[order]
    frame["day"] = (np.datetime64(START, "D") + frame["day"].to_numpy()).astype("datetime64[D]")
    for column in ("product", "supplier", "batch", "category", "cause", "region"):
        frame[column] = frame[column].astype("category")
    day_numbers = (frame["day"].to_numpy() - np.datetime64(START, "D")).astype(int)
    for i, incident in enumerate(incidents):
        incident.rows = np.flatnonzero(tag == i)
        incident.last = int(day_numbers[incident.rows].max()) if len(incident.rows) else incident.start
    return frame, incidents


def replay(frame, incidents, *, step: int, config: Config):
    days = frame["day"].to_numpy().astype("datetime64[D]")
    day_numbers = (days - np.datetime64(START, "D")).astype(int)
    ends = np.searchsorted(day_numbers, np.arange(DAYS), side="right")
    detected: dict[int, int] = {}
    false_alarms: dict[tuple, int] = {}  # key -> last day seen (open false alarm)
    n_false = 0
    seconds = []
    first_day = 60
    for d in range(first_day, DAYS, step):
        past = frame.iloc[: ends[d]]
        t0 = time.perf_counter()
        signals = detect(past, as_of=START + timedelta(days=d), config=config)
        seconds.append(time.perf_counter() - t0)
        for signal in signals:
            rows = np.asarray(signal.rows)
            excess = max(1.0, signal.observed - signal.expected)
            matched = False
            for i, incident in enumerate(incidents):
                shared = np.intersect1d(rows, incident.rows, assume_unique=True).size
                if shared >= max(1, 0.25 * excess):
                    matched = True
                    limit = max(14, incident.last - incident.start)
                    if i not in detected and 0 <= d - incident.start <= limit:
                        detected[i] = d - incident.start
            if not matched:
                last = false_alarms.get(signal.key)
                if last is None or d - last > 7:
                    n_false += 1
                    print(f"  false alarm day {d}: {signal.key} {signal.observed} vs "
                          f"{signal.expected:.1f} p={signal.p_value:.2g}")  # fmt: skip
                false_alarms[signal.key] = d
    months = (DAYS - first_day) / 30.4
    return detected, n_false, months, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="every third day, no 1M run")
    parser.add_argument("--full-run", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument(
        "--windows", help="test windows in days, comma-separated (default: the detector's)"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    frame, incidents = build(args.complaints, args.seed)
    print(f"{len(frame):,} complaints ({sum(len(i.rows) for i in incidents):,} in 20 "
          f"incidents), built in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    config = Config()
    if args.windows:
        config = replace(config, windows=tuple(int(w) for w in args.windows.split(",")))
    detected, n_false, months, seconds = replay(
        frame, incidents, step=3 if args.quick else 1, config=config
    )
    for i, incident in enumerate(incidents):
        delay = detected.get(i)
        print(f"  {incident.name:15} day {incident.start:3} {len(incident.rows):5} complaints: "
              f"{'missed' if delay is None else f'detected after {delay} d'}")  # fmt: skip
    delays = sorted(detected.values())
    rate = len(detected) / len(incidents)
    within_14 = sum(1 for delay in delays if delay <= 14) / len(incidents)
    median = float(np.median(delays)) if delays else float("nan")
    worst = max(delays) if delays else float("nan")
    per_month = n_false / months
    print()
    print(
        f"detection rate        {rate:6.0%}   target >= 90%   {'met' if rate >= 0.9 else 'NOT met'}"
    )
    print(
        f"median delay (days)   {median:6.1f}   target <= 2     {'met' if median <= 2 else 'NOT met'}"
    )
    print(f"  found within 14 days of the start: {within_14:.0%}")
    print(f"worst delay (days)    {worst:6}")
    print(
        f"false alarms / month  {per_month:6.2f}   target <= 1     {'met' if per_month <= 1 else 'NOT met'}"
        f"   ({n_false} in {months:.1f} months)"
    )
    print(f"detect() per day      median {np.median(seconds) * 1000:.0f} ms, "
          f"max {max(seconds) * 1000:.0f} ms over {len(seconds)} runs")  # fmt: skip
    if args.full_run and not args.quick:
        big, _ = build(args.full_run, args.seed + 1)
        t0 = time.perf_counter()
        signals = detect(big, as_of=START + timedelta(days=DAYS - 1), config=config)
        took = time.perf_counter() - t0
        print(f"full run, {len(big):,} complaints: {took:.1f} s, {len(signals)} signals   "
              f"target < 60 s   {'met' if took < 60 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
