"""Early-warning detector: finds complaint counts that rise above what the past predicts.

Pure computation over a pandas frame (one row per complaint); no Django, no database. The
worker builds the frame, calls :func:`detect` with ``as_of`` = today and stores the returned
:class:`Signal` s as alerts.

Method, and why
---------------
* **Series.** Daily counts per value of each dimension in :data:`SERIES_DIMS` and per
  combination in :data:`COMBOS`. A combination without ``region`` (``("product", "batch")``,
  ``("supplier", "batch")``) counts one lot over all regions, so a defective lot sold everywhere
  is one series and one signal, not eight small ones. Rows with an unknown value in a series'
  dimension are not counted in that series (they still count in the others).
* **Exposure: the rest of the company.** Each series is a share of the company's volume. Its
  expected count over a window is its complaints in the ``baseline_days`` before the window
  times the ratio of the *rest* of the company's complaints (all but the series) in the window
  to those in the baseline. Conditioning on the actual volume of the same days carries the
  weekday (Monday peak) and season patterns into every series, and removes the company-wide
  day-to-day variation, larger than Poisson, that made big category and cause series raise
  false alarms when they were read against a model's prediction (an overdispersion the model
  cannot see; a quasi-Poisson factor would have blunted every test instead of removing the
  cause). The level is local, so a lot selling more this month is compared with its recent
  past. A series first seen inside the baseline period reads only the days since it
  appeared; one first seen inside the window has no baseline and is not tested (a new lot is
  not an incident by being new; see the lot key below).
* **Small companies.** When a window holds fewer than :data:`CONDITIONAL_VOLUME` complaints,
  the rest's own count is too noisy a yardstick, and the exposure is the company's expected
  volume ``m(t)`` from a Poisson GLM of its daily totals (statsmodels; weekday terms, a
  linear trend and, with about nine months of history, two yearly Fourier pairs; fitted on
  the history before the longest window, so an ongoing incident does not raise its own
  expectation).
* **Lots.** A lot's complaints ramp up while it sells and while its siblings run out, and fall
  when it is sold out, so a lot (``("product", "batch")``, ``("supplier", "batch")``) reads a
  shorter past (``lot_baseline_days``) with a rising log-linear trend (see
  :func:`_lot_window_exposure`), and it stands out only as far as its product does: the
  lot's count is capped at its expectation plus the product's excess in the same window. A lot
  taking over from a sold-out sibling is then no alarm; a defective lot raises its product too.
  A lot code alone (``("batch",)``) is counted but not tested: codes are reused across products.
* **Test.** For windows of 1, 2, 3, 5, 7, 10 and 14 days ending on ``as_of`` (short windows
  catch spikes on the first day, long ones slow drifts; 10 days catches a drift about two
  days before 14 does), Fisher's exact test of the 2x2 table (series, rest) x (window,
  baseline) (``scipy.stats.hypergeom``): it accounts for the uncertainty of both the series'
  baseline and the rest's counts. Lots, and series of a small company, use the conditional
  binomial test of two Poisson rates against their exposure (``scipy.stats.binom``).
* **Threshold.** ``false_alarm_rate`` is the number of false alarms per day the company
  accepts over *all* its series. It is split equally between the families of series (each
  dimension and each combination; a weighted Bonferroni, still within the budget), and within
  a family over its series active in the last weeks and the windows: a window raises a signal
  when ``p * windows * active series * families < false_alarm_rate`` and it holds at least
  ``min_count`` complaints. The eight regions, fifteen suppliers or ten causes of a company,
  where an incident is a priori as likely as among its hundreds of lots, no longer pay for
  the number of lots; long-finished lots no longer count at all.
* **A lot as the key of a product's rise.** A product's signal whose window is carried (at
  least three quarters) by one lot is keyed on ``(product, lot)`` when that explains the
  window better: two one-parameter Poisson explanations are compared by likelihood, the
  product scaled as a whole (its lots in their baseline shares) against only that lot rising
  (the rest of the product at its baseline). A new lot drawing every complaint of a rise
  (the demo's LOTE-2611: eleven complaints in two days in a small company) is then reported
  on the lot, which has no past to be tested on its own. Its expected count is then the
  product's normal level carried by the lot (its count less the product's excess), so an
  alert on a lot that took over from a sold-out one states the defect's excess, not the
  lot's whole count.
* **A product's excess is spent once.** A lot is tested on at most its expectation plus its
  product's excess; a lot kept as a signal spends its share of that excess, so a sibling
  ramping up beside a defective lot is not raised on the same excess.
* **Not reached (the benchmark's figures).** Slow drifts (+80 % reached after four weeks) are
  found early only when the series is large enough: a ramp's excess in its first fortnight
  is a few standard deviations at most, so small ones are found in their fourth or fifth
  week. A ramp-weighted (CUSUM-like) statistic, computed for the benchmark's lot drift,
  gained little over the 10-day window, and a lower threshold for drifts would spend the
  false-alarm budget on the same noise. Rises of a few dozen complaints on a small lot,
  region or supplier are below what one series can show at this false-alarm rate
  (docs/benchmarks.md: 87 % of 100 incidents over five synthetic years).
* **One signal per rise.** Candidates are taken most significant first (ties: the more
  specific key). Each next candidate is tested again with the excess of the already accepted
  signals removed from the complaints it shares with them; it is kept only if it is still
  significant. So a lot across regions is reported once and the product, the supplier, the
  regions and the cause it inflated are dropped, while an independent rise inside the same
  region is kept. A suppressed (dismissed) key takes part in this, so it still explains its
  complaints away from its parents, but it is not reported.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

SERIES_DIMS = ("product", "supplier", "batch", "category", "cause", "region")
# Combinations also watched. The lot within its product and within its supplier (batch codes
# are often only unique per product or supplier) across all regions; and the product, the
# supplier and the category within one region, for local problems (a shop, a courier).
COMBOS = (
    ("product", "batch"),
    ("supplier", "batch"),
    ("product", "region"),
    ("supplier", "region"),
    ("category", "region"),
)

# A lot code is read within its product or its supplier (codes are often reused across them),
# and stands out only as far as the product it belongs to does.
_LOT_PARENT = {("product", "batch"): ("product",), ("supplier", "batch"): ("product",)}
# A lot code alone is counted but not tested: codes are reused across products.
_UNTESTED = frozenset({("batch",)})
# From this many complaints in a window, a series is read against the company's actual volume.
CONDITIONAL_VOLUME = 200

Key = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Config:
    # False alarms per day accepted over all the company's series together (1/60: about one
    # every two months if the model were exact; correlated windows make it rarer still).
    false_alarm_rate: float = 1 / 60
    min_count: int = 3  # never alert below this many complaints in the window
    history_days: int = 365  # how far back the baseline reads
    suppressed: frozenset = frozenset()  # series keys dismissed as not a problem (tuning)
    windows: tuple[int, ...] = (1, 2, 3, 5, 7, 10, 14)  # test windows in days, ending on as_of
    baseline_days: int = 42  # the local level of a series: this many days before the window
    min_history_days: int = 28  # no signal before the company has this much history
    lot_baseline_days: int = 21  # lots change fast: their level reads a shorter past
    lot_growth: float = 2.0  # the steepest weekly rise of a lot's level taken as normal


@dataclass(frozen=True)
class Signal:
    key: Key  # e.g. (("product", "P-12"), ("batch", "L-2291"))
    since: date  # first day of the rise (first complaint in the window)
    observed: int  # complaints in the rise window
    expected: float  # what the baseline expected in that window
    score: float  # -log10 of the p-value
    p_value: float  # one window, one series; the threshold corrects for the number of tests
    rows: tuple[int, ...]  # positions (frame.iloc) of the complaints behind it
    regions: tuple[str, ...]  # the regions these complaints came from


@dataclass
class _Candidate:
    key: Key
    order: tuple[float, int, int]
    window: int
    observed: int
    baseline: int
    q: float
    expected: float
    p_value: float
    rows: np.ndarray  # sorted positions
    threshold: float  # the p-value its family must beat
    lot: bool  # tested by the binomial (a lot, or a small company) rather than Fisher's test
    rest_win: float  # the exposure in the window (the rest of the company, or the model's)
    rest_base: float  # and in the baseline
    split: tuple[int, float] | None  # (lot code, its expected count): the lot is the key
    tested: int = 0  # the count tested: a lot's is capped at its expectation + its product's excess
    parent: Key | None = None  # a lot's product
    parent_excess: float = 0.0  # the product's excess in the same window


_EPOCH = np.datetime64("1970-01-01", "D")


def _day_numbers(column: pd.Series) -> np.ndarray:
    values = pd.to_datetime(column).to_numpy(dtype="datetime64[D]")
    return (values - _EPOCH).astype(np.int64)


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 = unknown) and the string value of each code."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy(dtype=np.int64)
        return codes, np.asarray([str(v) for v in column.cat.categories], dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray([str(v) for v in uniques], dtype=object)


def _combine(codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, int]:
    """One code per combination of values (-1 when any part is unknown) and the code space."""
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    unknown = np.zeros(len(codes[0]), dtype=bool)
    space = 1
    for part, size in zip(codes, sizes, strict=True):
        unknown |= part < 0
        combined = combined * max(size, 1) + np.maximum(part, 0)
        space *= max(size, 1)
    combined[unknown] = -1
    return combined, space


def _distinct(values: np.ndarray, space: int) -> np.ndarray:
    values = values[values >= 0]
    if space <= 4_000_000:
        return np.flatnonzero(np.bincount(values, minlength=space))
    return np.unique(values)


def _company_expectation(totals: np.ndarray, weekdays: np.ndarray, skip: int) -> np.ndarray:
    """Expected company volume per day (index = age in days, 0 = as_of) from a Poisson GLM
    fitted on the days older than ``skip``."""
    n_days = len(totals)
    ages = np.arange(n_days)
    fit_ages = ages[skip:]
    if n_days - skip < 270:
        fit_ages = fit_ages[:84]
    t = -ages / 365.25

    def design(a: np.ndarray, seasonal: bool) -> np.ndarray:
        columns = [np.ones(len(a)), t[a]]
        columns += [(weekdays[a] == k).astype(float) for k in range(1, 7)]
        if seasonal:
            for k in (1, 2):
                columns += [np.sin(2 * np.pi * k * t[a]), np.cos(2 * np.pi * k * t[a])]
        return np.column_stack(columns)

    seasonal = len(fit_ages) >= 270
    exog = design(fit_ages, seasonal)
    keep = exog.std(axis=0) > 0
    keep[0] = True
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # days without complaints: 0/0 in IRLS, harmless
            model = sm.GLM(totals[fit_ages], exog[:, keep], family=sm.families.Poisson())
            expected = model.fit().predict(design(ages, seasonal)[:, keep])
        if not np.all(np.isfinite(expected)):
            raise ValueError("no finite fit")
    except (ValueError, np.linalg.LinAlgError):  # degenerate history: a flat weekday mean
        expected = np.full(n_days, max(totals[fit_ages].mean(), 1e-9))
    return np.clip(expected, 1e-9, None)


def series_keys(frame: pd.DataFrame) -> list[Key]:
    """Every series key the frame's complaints fall in (single dimensions and COMBOS)."""
    keys: list[Key] = []
    columns = {dim: _codes(frame[dim]) for dim in SERIES_DIMS}
    for dims in [(d,) for d in SERIES_DIMS] + list(COMBOS):
        codes = [columns[d][0] for d in dims]
        sizes = [len(columns[d][1]) for d in dims]
        combined, space = _combine(codes, sizes)
        for value in _distinct(combined, space):
            keys.append(_key(dims, int(value), sizes, columns))
    return keys


def _key(dims: tuple[str, ...], value: int, sizes: list[int], columns: dict) -> Key:
    parts = []
    for dim, size in zip(reversed(dims), reversed(sizes), strict=True):
        parts.append((dim, str(columns[dim][1][value % max(size, 1)])))
        value //= max(size, 1)
    return tuple(reversed(parts))


def detect(frame: pd.DataFrame, *, as_of: date, config: Config = Config()) -> list[Signal]:
    """frame: one row per complaint with columns day (datetime64[D] or date), product, supplier,
    batch, category, cause, region (strings or None/NaN for unknown); only rows with day <= as_of
    are read. Returns the signals open on as_of, most serious first; a rise seen in a combination
    and in its parts is reported once (the most specific explanation: a lot across regions beats
    one signal per region), and a signal for a region-only series is dropped when a cross-region
    signal explains its complaints."""
    if len(frame) == 0:
        return []
    today = int((np.datetime64(pd.Timestamp(as_of).date(), "D") - _EPOCH).astype(np.int64))
    day = _day_numbers(frame["day"])
    history = np.flatnonzero((day <= today) & (day > today - config.history_days))
    if len(history) == 0:
        return []
    age = today - day[history]
    n_days = int(age.max()) + 1
    windows = sorted(set(config.windows))
    longest = windows[-1]
    span = longest + max(config.baseline_days, config.lot_baseline_days)
    if n_days < max(config.min_history_days, longest + 7):
        return []

    columns = {dim: _codes(frame[dim].iloc[history]) for dim in SERIES_DIMS}
    region_codes, region_names = columns["region"]
    batch_codes, batch_names = columns["batch"]
    product_names = columns["product"][1]
    recent = age < span
    recent_age = age[recent]
    recent_local = np.flatnonzero(recent)
    # The company's actual volume per day (index = age): every series is read as a share of it.
    totals = np.bincount(recent_age, minlength=span).astype(float)
    # In a small company the actual volume is too noisy a yardstick: there the series are read
    # against the volume a Poisson GLM of the company's history predicts (see _company_expectation).
    all_totals = np.bincount(age, minlength=n_days).astype(float)
    weekdays = (np.arange(today, today - n_days, -1) + 3) % 7  # 0 = Monday (1970-01-01: Thu)
    m = _company_expectation(all_totals, weekdays, skip=longest)[:span]
    m = np.concatenate([m, np.zeros(span - len(m))])  # days before the first complaint: none
    all_dims = [(d,) for d in SERIES_DIMS] + list(COMBOS)
    tested_families = [d for d in all_dims if d not in _UNTESTED]

    candidates: list[_Candidate] = []
    window_stats: dict[tuple[str, ...], tuple[np.ndarray, dict]] = {}
    for order, dims in enumerate(all_dims):
        codes = [columns[d][0] for d in dims]
        sizes = [len(columns[d][1]) for d in dims]
        combined, _space = _combine(codes, sizes)
        in_span = combined[recent]
        known = in_span >= 0
        if not known.any():
            continue
        values, inverse = np.unique(in_span[known], return_inverse=True)
        ages_known = recent_age[known]
        counts = np.bincount(inverse * span + ages_known, minlength=len(values) * span).reshape(
            len(values), span
        )
        # How far back each series goes inside the span; older series read the full baseline.
        older = combined[~recent]
        older = older[older >= 0]
        seen_before = np.isin(values, older) if len(older) else np.zeros(len(values), bool)
        first_age = np.full(len(values), -1)
        np.maximum.at(first_age, inverse, ages_known)
        first_age[seen_before] = span - 1
        cum = np.concatenate([np.zeros((len(values), 1)), np.cumsum(counts, axis=1)], axis=1)
        # The rest of the company on the same days: the series' exposure.
        rest = np.maximum(totals[None, :] - counts, 0.0)
        rest_cum = np.concatenate([np.zeros((len(values), 1)), np.cumsum(rest, axis=1)], axis=1)
        model = np.broadcast_to(m, counts.shape)
        model_cum = np.concatenate([[0.0], np.cumsum(m)])
        model_cum = np.broadcast_to(model_cum, (len(values), span + 1))
        lot = "batch" in dims
        parent = _LOT_PARENT.get(dims)
        if dims in _UNTESTED or (lot and parent not in window_stats):
            continue
        # Weighted Bonferroni: each family of series (a dimension or a combination) gets an
        # equal share of the false alarms, spread over its series active in the span.
        threshold = config.false_alarm_rate / (len(tested_families) * len(values) * len(windows))
        stats_here: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        window_stats[dims] = (values, stats_here)
        if lot:  # the product each lot series belongs to (that of its first complaint)
            _, first_row = np.unique(inverse, return_index=True)
            lot_product = columns["product"][0][recent][known][first_row]
        reach = config.lot_baseline_days if lot else config.baseline_days
        best_p = np.ones(len(values))
        # window, observed, baseline, q, exposure (window, baseline), end, kind, tested, the
        # parent's excess
        best = np.zeros((len(values), 10))
        rows_idx = np.arange(len(values))
        for w in windows:
            observed = cum[:, w]
            end = np.minimum(w + reach, first_age + 1)
            end = np.maximum(end, w)
            baseline = cum[rows_idx, end] - observed
            # Conditional on the actual volume once the window holds enough complaints.
            conditional = totals[:w].sum() >= CONDITIONAL_VOLUME
            exposure, exposure_cum = (rest, rest_cum) if conditional else (model, model_cum)
            rest_win = exposure_cum[:, w]
            rest_base = exposure_cum[rows_idx, end] - rest_win
            binomial = lot or not conditional
            testable = (observed >= config.min_count) & (rest_base > 0) & (end > w)
            if not testable.any():
                continue
            if lot:
                m_win = _lot_window_exposure(counts, exposure, w, end, testable, config.lot_growth)
                q = np.where(testable, m_win / (m_win + rest_base + 1e-300), 1.0)
                expected = np.where(testable, baseline * q / np.maximum(1 - q, 1e-300), 0.0)
            else:
                q = np.where(testable, rest_win / (rest_win + rest_base + 1e-300), 1.0)
                expected = np.where(testable, baseline * rest_win / (rest_base + 1e-300), 0.0)
            stats_here[w] = (observed, expected)
            tested = observed.copy()
            parent_excess = np.zeros(len(values))
            if lot:
                # A lot stands out only as far as its product (supplier) does: a lot rising
                # while its siblings run out is the normal passing of lots, not an incident.
                parent_values, parent_stats = window_stats[parent]
                at = np.searchsorted(parent_values, lot_product)
                at = np.minimum(at, len(parent_values) - 1)
                p_obs, p_exp = parent_stats.get(w, (np.zeros(1), np.zeros(1)))
                if len(p_obs) != len(parent_values):
                    continue
                found_parent = parent_values[at] == lot_product
                excess = np.where(found_parent, np.maximum(p_obs[at] - p_exp[at], 0), 0)
                tested = np.minimum(observed, np.floor(expected + excess))
                parent_excess = excess
            p = np.ones(len(values))
            idx = np.flatnonzero(testable & (tested >= config.min_count))
            p[idx] = _tail(
                binomial,
                tested[idx],
                baseline[idx],
                q[idx],
                rest_win[idx],
                rest_base[idx],
                screen=threshold * 10,
            )
            better = p < best_p
            best_p = np.where(better, p, best_p)
            row = np.column_stack(
                [np.full(len(values), w), observed, baseline, q, rest_win, rest_base, end]
                + [np.full(len(values), float(binomial)), tested, parent_excess]
            )
            best[better] = row[better]
        hits = np.flatnonzero(best_p < threshold)
        if len(hits) == 0:
            continue
        span_positions = history[recent][known]
        local_known = recent_local[known]
        for h in hits:
            w, observed, baseline, q, rest_win, rest_base, end, binomial, tested, excess = best[h]
            w = int(w)
            mine = inverse == h
            rows = span_positions[mine & (ages_known < w)]
            if lot:
                expected = baseline * q / (1 - q) if q < 1 else float("inf")
            else:
                expected = baseline * rest_win / rest_base
            score = -np.log10(max(best_p[h], 1e-300))
            split = None
            if dims == ("product",):
                in_window = local_known[mine & (ages_known < w)]
                in_base = local_known[mine & (ages_known >= w) & (ages_known < end)]
                split = _lot_split(
                    batch_codes, in_window, in_base, observed, expected, config.min_count
                )
            candidates.append(
                _Candidate(
                    key=_key(dims, int(values[h]), sizes, columns),
                    order=(-score, -len(dims), order),
                    window=w,
                    observed=int(observed),
                    baseline=int(baseline),
                    q=float(q),
                    expected=float(expected),
                    p_value=float(best_p[h]),
                    rows=np.sort(rows),
                    threshold=threshold,
                    lot=bool(binomial),
                    rest_win=float(rest_win),
                    rest_base=float(rest_base),
                    split=split,
                    tested=int(tested),
                    parent=(("product", str(product_names[lot_product[h]])),) if lot else None,
                    parent_excess=float(excess),
                )
            )

    accepted = _explain(candidates, config.min_count)
    position_in_history = np.empty(len(frame), dtype=np.int64)
    position_in_history[history] = np.arange(len(history))
    signals = []
    for cand in accepted:
        if cand.key in config.suppressed:
            continue
        key, rows, observed, expected = cand.key, cand.rows, cand.observed, cand.expected
        # A lot's rise is what its product's rise allows: the rest of its count is the normal
        # turnover of lots, and is stated as expected.
        expected = max(expected, observed - (cand.tested - cand.expected))
        if cand.split is not None:  # one lot carries the product's rise: the lot is the key
            lot_code, lot_expected = cand.split
            lot_key = (*cand.key, ("batch", str(batch_names[lot_code])))
            if lot_key in config.suppressed:
                continue
            rows = rows[batch_codes[position_in_history[rows]] == lot_code]
            # The lot carries the product's excess: the rest of its count is the product's
            # normal level (a new lot taking over from a sold-out one is expected to).
            excess = cand.observed - cand.expected
            key, observed = lot_key, len(rows)
            expected = max(lot_expected, observed - excess)
        local = position_in_history[rows]
        first = today - int(age[local].max())
        regions = sorted({str(region_names[c]) for c in region_codes[local] if c >= 0})
        signals.append(
            Signal(
                key=key,
                since=date(1970, 1, 1) + timedelta(days=first),
                observed=int(observed),
                expected=round(float(expected), 2),
                score=round(-np.log10(max(cand.p_value, 1e-300)), 2),
                p_value=cand.p_value,
                rows=tuple(int(r) for r in rows),
                regions=tuple(regions),
            )
        )
    return signals


def _tail(lot, observed, baseline, q, rest_win, rest_base, screen=None) -> np.ndarray:
    """One-sided p-value of ``observed`` complaints in the window.

    A lot: binomial, ``observed`` of ``observed + baseline`` falling in the window with the
    probability ``q`` of its trend-adjusted exposure. Any other series: Fisher's exact test of
    the 2x2 table (series, rest of the company) x (window, baseline), i.e. the hypergeometric
    tail; it conditions on the company's actual volume, so a day on which everything is busier
    raises nothing, and it carries the uncertainty of both the series' and the rest's counts.
    The hypergeometric tail is costly and never smaller than the binomial one (which takes the
    rest as exact), so with ``screen`` it is computed only where the binomial p-value is below
    ``screen``; elsewhere the binomial p-value is returned (it cannot pass anyway).
    """
    observed = np.asarray(observed, dtype=float)
    p = stats.binom.sf(observed - 1, observed + baseline, q)
    if lot:
        return p
    exact = np.ones(len(p), bool) if screen is None else p < screen
    if exact.any():
        x = np.round(observed[exact]).astype(np.int64)
        big_x = np.round(baseline[exact]).astype(np.int64)
        y = np.round(rest_win[exact]).astype(np.int64)
        big_y = np.round(rest_base[exact]).astype(np.int64)
        p[exact] = stats.hypergeom.sf(x - 1, x + big_x + y + big_y, x + big_x, x + y)
    return p


def _lot_split(batch_codes, in_window, in_base, observed, expected, min_count):
    """(lot code, the lot's expected count) when one lot explains a product's rise better than
    the product as a whole does, else None.

    Two one-parameter explanations of the window are compared by their Poisson likelihood: the
    product rose as a whole (every lot and the complaints without a lot scaled by
    ``observed / expected``), or only its most frequent lot in the window rose (the rest at
    what the baseline expects). A lot first seen in the window, carrying every complaint of
    the rise, is then the key (it is not tested on its own: it has no past).
    """
    codes = batch_codes[in_window]
    codes = codes[codes >= 0]
    if len(codes) < min_count or expected <= 0:
        return None
    values, counts = np.unique(codes, return_counts=True)
    lot_code = int(values[np.argmax(counts)])
    c = int(counts.max())
    if c < max(min_count, 0.75 * observed):  # the lot must carry (nearly) the whole window
        return None
    others = observed - c
    base_share = (np.count_nonzero(batch_codes[in_base] == lot_code) + 0.5) / (len(in_base) + 1)
    lot_expected = expected * base_share
    others_expected = max(expected - lot_expected, 1e-9)
    ratio = observed / expected
    as_lot = stats.poisson.logpmf(others, others_expected) + stats.poisson.logpmf(c, c)
    as_product = stats.poisson.logpmf(others, ratio * others_expected) + stats.poisson.logpmf(
        c, ratio * lot_expected
    )
    if as_lot <= as_product:
        return None
    return lot_code, float(lot_expected)


def _lot_window_exposure(
    counts: np.ndarray, m: np.ndarray, w: int, end: np.ndarray, testable: np.ndarray, growth: float
) -> np.ndarray:
    """The window's exposure for lot series, in the units of their baseline exposure.

    A lot's complaints ramp up while it is sold and while its siblings run out, so its level is
    read with a log-linear trend over its short baseline (a Poisson GLM with the rest of the
    company's volume as offset, ``log mu = log m + a + b t``, solved by Newton's method for all lots at once).
    Only rising trends are extrapolated, at most ``growth`` per week, so a slump never makes a
    normal week look high and a ramp cannot hide more than a doubling a week.
    """
    n, span = counts.shape
    ages = np.arange(span)
    inside = (ages[None, :] >= w) & (ages[None, :] < end[:, None]) & testable[:, None]
    y = np.where(inside, counts, 0.0)
    m = np.broadcast_to(m, counts.shape)  # each series' exposure: the rest of the company
    mm = np.where(inside, m, 0.0)
    t = -ages.astype(float)  # time forward; 0 = as_of
    centre = np.where(inside.any(1), (inside * t).sum(1) / np.maximum(inside.sum(1), 1), 0.0)
    x = np.where(inside, t[None, :] - centre[:, None], 0.0)
    total = y.sum(1)
    a = np.log(np.maximum(total, 0.5) / np.maximum(mm.sum(1), 1e-300))
    b = np.zeros(n)
    for _ in range(8):
        mu = mm * np.exp(np.clip(a[:, None] + b[:, None] * x, -50, 50))
        ga, gb = (y - mu).sum(1), (x * (y - mu)).sum(1)
        haa, hab, hbb = mu.sum(1), (x * mu).sum(1), (x * x * mu).sum(1)
        det = haa * hbb - hab * hab
        ok = det > 1e-12
        da = np.where(ok, (hbb * ga - hab * gb) / np.where(ok, det, 1), 0)
        db = np.where(ok, (haa * gb - hab * ga) / np.where(ok, det, 1), 0)
        a, b = a + da, b + np.clip(db, -0.5, 0.5)
    b = np.clip(b, 0.0, np.log(growth) / 7)
    # With b fixed, the intercept that makes the fitted baseline sum to its complaints; the
    # exposure of the baseline is then sum(m), that of the window sum(m * exp(b (t - centre))).
    base_w = (mm * np.exp(b[:, None] * x)).sum(1)
    window_x = t[None, :w] - centre[:, None]
    win_w = (m[:, :w] * np.exp(b[:, None] * window_x)).sum(1)
    return np.where(base_w > 0, win_w * mm.sum(1) / np.maximum(base_w, 1e-300), 0.0)


def _explain(candidates: list[_Candidate], min_count: int) -> list[_Candidate]:
    """Keep, most significant first, the candidates still significant once the excess of the
    ones already kept is taken out of the complaints they share.

    A lot is tested on at most its expectation plus its product's excess, and that excess is
    spent once: a lot kept takes its share of it, so a sibling lot ramping up beside a
    defective one (the normal turnover of lots) is not raised on the defective lot's excess.
    """
    accepted: list[tuple[_Candidate, float]] = []
    spent: dict[Key, float] = {}  # a product's excess already explained by its lots
    for cand in sorted(candidates, key=lambda c: c.order):
        removed = 0.0
        for other, excess_share in accepted:
            if excess_share <= 0:
                continue
            shared = len(np.intersect1d(cand.rows, other.rows, assume_unique=True))
            removed += shared * excess_share
        left = cand.observed - min(removed, cand.observed)
        if cand.parent is not None:
            allowed = max(cand.parent_excess - spent.get(cand.parent, 0.0), 0.0)
            left = min(left, np.floor(cand.expected + allowed))
        left = int(round(left))
        if left < cand.tested:
            if left < min_count:
                continue
            p = _tail(
                cand.lot,
                np.array([left]),
                np.array([cand.baseline]),
                np.array([cand.q]),
                np.array([cand.rest_win]),
                np.array([cand.rest_base]),
            )[0]
            if p >= cand.threshold:
                continue
            cand.tested = left
        excess = max(0.0, cand.tested - cand.expected)
        if cand.parent is not None:
            spent[cand.parent] = spent.get(cand.parent, 0.0) + excess
        share = excess / cand.observed if cand.observed else 0.0
        accepted.append((cand, share))
    return [cand for cand, _ in accepted]
