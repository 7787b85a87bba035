"""Charts drawn on the server as accessible SVG: the same markup in pages and in PDF reports.

Pure Python, no chart library, no JavaScript, no CDN. The SVG carries only presentation
attributes with literal colours, explicit sizes and a generic font so that WeasyPrint draws it
as a browser does. Every label comes from user data and is escaped.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any, Literal, get_args

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

ChartKind = Literal["bar", "hbar", "line", "pareto", "stacked"]
Value = float | int

# Okabe-Ito hues, keeping those with at least 3:1 contrast against white (WCAG 1.4.11); the
# orange is darkened to pass and the grey stands in for the black. Segments are separated by
# white gaps, so neighbouring colours need no contrast between themselves.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9C6B00", "#52606D")
INK = "#1F2933"
MUTED = "#52606D"
GRID = "#D5DCE4"
FONT = 12
CHAR_W = 0.6 * FONT  # average advance of a sans-serif glyph: enough to decide truncation
ROW = 28  # height of one category in a horizontal bar chart
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")  # lines apart without colour
_NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True, kw_only=True)
class Series:
    label: str
    values: list[Value | None]


@dataclass(kw_only=True)
class Chart:
    """What to draw. `links[i]` is where category i drills down to; `id` is made if not given."""

    kind: ChartKind
    title: str
    description: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    links: list[str | None] | None = None
    value_format: Callable[[Value], str] | None = None
    empty_text: str = "No data"
    show_values: bool = False
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in get_args(ChartKind):
            raise ValueError(f"unknown chart kind {self.kind!r}")
        n = len(self.categories)
        for s in self.series:
            if len(s.values) != n:
                raise ValueError(
                    f"series {s.label!r} has {len(s.values)} values for {n} categories"
                )
            for v in s.values:
                if v is not None and (not math.isfinite(v) or v < 0):
                    raise ValueError(f"series {s.label!r}: {v!r} is not a finite value >= 0")
        if self.links is not None and len(self.links) != n:
            raise ValueError(f"{len(self.links)} links for {n} categories")
        if not self.id:
            slug = slugify(self.title)[:40].strip("-")
            self.id = (
                f"chart-{slug}-{uuid.uuid4().hex[:8]}" if slug else f"chart-{uuid.uuid4().hex[:8]}"
            )

    def format(self, value: Value | None) -> str:
        if value is None:
            return "–"
        if self.value_format is not None:
            return self.value_format(value)
        return formats.number_format(value, 0 if float(value).is_integer() else 1)

    @property
    def is_empty(self) -> bool:
        values = [v for s in self.series for v in s.values if v is not None]
        if self.kind == "pareto":
            return (
                not values
                or sum(self.series[0].values[i] or 0 for i in range(len(self.categories))) == 0
            )
        return not self.categories or not values


def nice_ticks(max_value: float, n: int = 5, *, integer: bool = False) -> list[float]:
    """Axis ticks from 0 that cover `max_value` in at most `n` steps of 1, 2, 2.5 or 5 x 10^k.

    The step is the smallest nice number that is at least max/n, and the next nice number is at
    most twice as big, so there are more than n/2 steps: 4 to 6 ticks for n = 5. With `integer`
    the step is a whole number (counts of complaints have no quarter). Nothing to scale (0 or
    less) gives the ticks of 1.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if not math.isfinite(max_value):
        raise ValueError(f"cannot scale {max_value!r}")
    top = Decimal(max_value) if max_value > 0 else Decimal(1)
    raw = top / n
    exponent = raw.adjusted()
    mantissa = raw.scaleb(-exponent)
    step = next(m for m in _NICE if m >= mantissa).scaleb(exponent)
    if integer:
        if step < 1:
            step = Decimal(1)
        elif step != step.to_integral_value():  # 2.5: the next nice number is whole
            step = Decimal(5)
    count = int((top / step).to_integral_value(rounding=ROUND_CEILING))
    return [float(step * i) for i in range(count + 1)]


def render_svg(
    chart: Chart, *, width: int = 640, height: int = 320, empty_text: str | None = None
) -> SafeString:
    """The chart as one inline <svg>, named by its <title> and described by its <desc>."""
    if chart.kind == "hbar" and not chart.is_empty:
        per_row = max(ROW, 12 * len(chart.series) + 10)
        height = max(
            height, 24 + _legend_height(chart, width) + per_row * len(chart.categories) + 32
        )
    cid = escape(chart.id)
    # role="img" flattens its children for assistive technology, which would hide drill-down
    # links; a chart with links is a labelled group instead, and its links stay reachable.
    role = "group" if chart.links and any(chart.links) and not chart.is_empty else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{chart.kind}" id="{cid}"'
        f' role="{role}" aria-labelledby="{cid}-t {cid}-d" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT}" fill="{INK}">',
        f'<title id="{cid}-t">{escape(chart.title)}</title>',
        f'<desc id="{cid}-d">{escape(chart.description)}</desc>',
    ]
    if chart.is_empty:
        text = chart.empty_text if empty_text is None else empty_text
        parts.append(
            f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#FFFFFF"'
            f' stroke="{GRID}"/>'
            f'<text class="chart-empty" x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle"'
            f' dominant-baseline="middle" fill="{MUTED}" font-size="{FONT + 2}">{escape(text)}</text>'
        )
    else:
        legend = _legend(chart, width)
        top = 12 + _legend_height(chart, width)
        draw = _hbar if chart.kind == "hbar" else _line if chart.kind == "line" else _vertical
        parts.append(legend)
        parts.append(draw(chart, width, height, top))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart_table(chart: Chart) -> dict[str, Any]:
    """The chart's numbers as rows for the data table: the same order and links as the bars."""
    data = _ordered(chart)
    stacked = chart.kind == "stacked" and len(chart.series) > 1
    rows = []
    for i, category in enumerate(data.categories):
        link = data.links[i]
        cells = [
            {
                "label": s.label,
                "value": s.values[i],
                "text": chart.format(s.values[i]),
                "link": link if s.values[i] is not None else None,
            }
            for s in data.series
        ]
        row: dict[str, Any] = {"category": category, "link": link, "cells": cells}
        if stacked:
            row["total"] = chart.format(sum(v or 0 for v in (s.values[i] for s in data.series)))
        if data.cumulative:
            row["cumulative"] = f"{formats.number_format(data.cumulative[i], 1)}%"
        rows.append(row)
    return {
        "id": chart.id,
        "title": chart.title,
        "unit": chart.unit,
        "headers": [s.label for s in data.series],
        "rows": [] if chart.is_empty else rows,
        "total": stacked,
        "cumulative": bool(data.cumulative),
    }


# Layout -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    categories: list[str]
    series: list[Series]
    links: list[str | None]
    cumulative: list[float]


def _ordered(chart: Chart) -> _Data:
    links = list(chart.links) if chart.links is not None else [None] * len(chart.categories)
    if chart.kind != "pareto" or not chart.series:
        return _Data(list(chart.categories), list(chart.series), links, [])
    # A Pareto chart has one series, largest cause first; ties keep the caller's order.
    first = chart.series[0]
    order = sorted(range(len(chart.categories)), key=lambda i: -(first.values[i] or 0))
    values = [first.values[i] for i in order]
    total = sum(v or 0 for v in values)
    running, cumulative = 0.0, []
    for v in values:
        running += v or 0
        cumulative.append(100.0 * running / total if total else 0.0)
    if cumulative and total:
        cumulative[-1] = 100.0  # the last cause closes the total, whatever the float rounding
    return _Data(
        [chart.categories[i] for i in order],
        [Series(label=first.label, values=values)],
        [links[i] for i in order],
        cumulative,
    )


def _n(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _truncate(text: str, space: float) -> str:
    fits = max(1, int(space // CHAR_W))
    return text if len(text) <= fits else text[: max(1, fits - 1)].rstrip() + "…"


def _label(text: str, space: float, **attrs: str) -> str:
    shown = _truncate(text, space)
    # The whole label stays available as a tooltip when the shown one is cut.
    full = f"<title>{escape(text)}</title>" if shown != text else ""
    attributes = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f"<text{attributes}>{full}{escape(shown)}</text>"


def _spoken(chart: Chart, category: str, series: str, value: Value | None) -> str:
    name = f"{category}, {series}" if len(chart.series) > 1 else category
    return f"{name}: {chart.format(value)} {chart.unit}".rstrip()


def _mark(shape: str, spoken: str, link: str | None) -> str:
    """A bar or point with its tooltip, wrapped in its drill-down link when it has one."""
    element = shape.replace("/>", f"><title>{escape(spoken)}</title></{shape[1:].split()[0]}>", 1)
    if not link:
        return element
    return f'<a href="{escape(link)}" aria-label="{escape(spoken)}">{element}</a>'


def _legend_height(chart: Chart, width: int) -> int:
    return 0 if len(chart.series) < 2 else 20 * _legend_rows(chart, width)


def _legend_rows(chart: Chart, width: int) -> int:
    return max(1, math.ceil(sum(_legend_item_width(s.label) for s in chart.series) / (width - 16)))


def _legend_item_width(label: str) -> float:
    return 22 + min(len(label), 24) * CHAR_W + 16


def _legend(chart: Chart, width: int) -> str:
    if len(chart.series) < 2:
        return ""
    parts, x, y = ['<g class="chart-legend">'], 8.0, 14.0
    for j, s in enumerate(chart.series):
        item = _legend_item_width(s.label)
        if x + item > width - 8 and x > 8:
            x, y = 8.0, y + 20
        colour = PALETTE[j % len(PALETTE)]
        if chart.kind == "line":
            dash = DASHES[j % len(DASHES)]
            parts.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 16)}" y2="{_n(y - 4)}"'
                f' stroke="{colour}" stroke-width="2.5"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
        else:
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="12" height="12" fill="{colour}"/>'
            )
        parts.append(_label(s.label, 24 * CHAR_W, x=_n(x + 20), y=_n(y)))
        x += item
    parts.append("</g>")
    return "".join(parts)


def _all_integers(chart: Chart) -> bool:
    return chart.value_format is None and all(
        float(v).is_integer() for s in chart.series for v in s.values if v is not None
    )


def _value_axis(chart: Chart, top_value: float) -> tuple[list[float], list[str]]:
    ticks = nice_ticks(top_value, 5, integer=_all_integers(chart))
    step = Decimal(repr(ticks[1] - ticks[0])).normalize() if len(ticks) > 1 else Decimal(1)
    decimals = max(0, -int(step.as_tuple().exponent))
    return ticks, [formats.number_format(t, decimals) for t in ticks]


def _vertical(chart: Chart, width: int, height: int, top: int) -> str:
    """Bars standing on the category axis: grouped bars, stacked bars or a Pareto chart."""
    data = _ordered(chart)
    stacked = chart.kind == "stacked"
    sums = [sum(s.values[i] or 0 for s in data.series) for i in range(len(data.categories))]
    peak = max(sums) if stacked else max((v or 0) for s in data.series for v in s.values)
    ticks, tick_labels = _value_axis(chart, peak)
    left = 12 + max(len(t) for t in tick_labels) * CHAR_W
    right = 16 + (5 * CHAR_W + 8 if data.cumulative else 0)
    x0, x1, y0, y1 = (
        left,
        width - right,
        float(top + (16 if chart.show_values else 4)),
        height - 36.0,
    )
    scale = (y1 - y0) / ticks[-1]
    parts = [_grid_y(ticks, tick_labels, x0, x1, y1, scale)]
    band = (x1 - x0) / len(data.categories)
    group = band * 0.72
    parts.append('<g class="chart-marks">')
    for i, category in enumerate(data.categories):
        cx = x0 + band * (i + 0.5)
        base = y1
        for j, s in enumerate(data.series):
            v = s.values[i]
            if v is None:
                continue
            h = v * scale
            if stacked:
                bx, bw, by = cx - group / 2, group, base - h
                base = by
            else:
                bw = group / len(data.series)
                bx, by = cx - group / 2 + j * bw, y1 - h
            rect = (
                f'<rect class="chart-bar" x="{_n(bx)}" y="{_n(by)}" width="{_n(bw)}" height="{_n(h)}"'
                f' fill="{PALETTE[j % len(PALETTE)]}"'
                + (' stroke="#FFFFFF" stroke-width="1"' if stacked else "")
                + "/>"
            )
            parts.append(_mark(rect, _spoken(chart, category, s.label, v), data.links[i]))
            if chart.show_values and not stacked:
                parts.append(
                    f'<text class="chart-value" x="{_n(bx + bw / 2)}" y="{_n(by - 4)}"'
                    f' text-anchor="middle">{escape(chart.format(v))}</text>'
                )
        if chart.show_values and stacked:
            parts.append(
                f'<text class="chart-value" x="{_n(cx)}" y="{_n(y1 - sums[i] * scale - 4)}"'
                f' text-anchor="middle">{escape(chart.format(sums[i]))}</text>'
            )
        parts.append(_label(category, band - 4, x=_n(cx), y=_n(y1 + 16), text_anchor="middle"))
    parts.append("</g>")
    if data.cumulative:
        parts.append(_cumulative(chart, data, x0, x1, y0, y1, band))
    return "".join(parts)


def _grid_y(
    ticks: list[float], labels: list[str], x0: float, x1: float, y1: float, scale: float
) -> str:
    parts = ['<g class="chart-axis">']
    for t, label in zip(ticks, labels, strict=True):
        y = y1 - t * scale
        parts.append(
            f'<line x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{_n(x0 - 6)}" y="{_n(y + 4)}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{_n(x0)}" y1="{_n(y1)}" x2="{_n(x1)}" y2="{_n(y1)}" stroke="{MUTED}"/>'
    )
    parts.append("</g>")
    return "".join(parts)


def _cumulative(
    chart: Chart, data: _Data, x0: float, x1: float, y0: float, y1: float, band: float
) -> str:
    """The Pareto line: the running share of the total on its own 0-100% axis at the right."""
    parts = ['<g class="chart-cumulative">']
    for pct in (0, 25, 50, 75, 100):
        y = y1 - (y1 - y0) * pct / 100
        parts.append(
            f'<text x="{_n(x1 + 6)}" y="{_n(y + 4)}" fill="{MUTED}">{formats.number_format(pct, 0)}%</text>'
        )
    points = [
        (x0 + band * (i + 0.5), y1 - (y1 - y0) * pct / 100) for i, pct in enumerate(data.cumulative)
    ]
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    # A white halo keeps the dark line apart from the bars it crosses.
    parts.append(f'<polyline points="{coords}" fill="none" stroke="#FFFFFF" stroke-width="5"/>')
    parts.append(
        f'<polyline class="chart-line" points="{coords}" fill="none" stroke="{INK}" stroke-width="2"/>'
    )
    share = gettext("cumulative share")
    for (x, y), category, pct in zip(points, data.categories, data.cumulative, strict=True):
        spoken = f"{category}: {share} {formats.number_format(pct, 1)}%"
        parts.append(
            _mark(
                f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{INK}"'
                ' stroke="#FFFFFF" stroke-width="1.5"/>',
                spoken,
                None,
            )
        )
    parts.append("</g>")
    return "".join(parts)


def _line(chart: Chart, width: int, height: int, top: int) -> str:
    """One line per series over the categories (periods); a missing value breaks the line."""
    peak = max((v or 0) for s in chart.series for v in s.values)
    ticks, tick_labels = _value_axis(chart, peak)
    x0 = 12 + max(len(t) for t in tick_labels) * CHAR_W
    x1, y0, y1 = width - 16.0, top + 8.0, height - 36.0
    scale = (y1 - y0) / ticks[-1]
    band = (x1 - x0) / len(chart.categories)
    links = chart.links or [None] * len(chart.categories)
    parts = [_grid_y(ticks, tick_labels, x0, x1, y1, scale)]
    # Periods are often many: label every k-th so the labels do not run into each other.
    longest = max(len(c) for c in chart.categories) * CHAR_W + 8
    every = max(1, math.ceil(min(longest, 12 * CHAR_W) / band))
    for i, category in enumerate(chart.categories):
        if i % every == 0:
            x = x0 + band * (i + 0.5)
            parts.append(
                _label(category, band * every - 4, x=_n(x), y=_n(y1 + 16), text_anchor="middle")
            )
    parts.append('<g class="chart-marks">')
    for j, s in enumerate(chart.series):
        colour, dash = PALETTE[j % len(PALETTE)], DASHES[j % len(DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x0 + band * (i + 0.5), y1 - v * scale))
        for run in runs:
            if len(run) > 1:
                coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                parts.append(
                    f'<polyline class="chart-line" points="{coords}" fill="none" stroke="{colour}"'
                    ' stroke-width="2.5" stroke-linejoin="round"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
        for i, v in enumerate(s.values):
            if v is None:
                continue
            circle = (
                f'<circle class="chart-point" cx="{_n(x0 + band * (i + 0.5))}" cy="{_n(y1 - v * scale)}"'
                f' r="4" fill="{colour}" stroke="#FFFFFF" stroke-width="1.5"/>'
            )
            parts.append(_mark(circle, _spoken(chart, chart.categories[i], s.label, v), links[i]))
    parts.append("</g>")
    return "".join(parts)


def _hbar(chart: Chart, width: int, height: int, top: int) -> str:
    """Bars lying along the value axis: long category names (causes) read on the left."""
    peak = max((v or 0) for s in chart.series for v in s.values)
    ticks, tick_labels = _value_axis(chart, peak)
    left = min(width * 0.4, max(len(c) for c in chart.categories) * CHAR_W + 16)
    value_room = (max(len(chart.format(peak)), 1) * CHAR_W + 8) if chart.show_values else 0
    x0, x1 = left, width - 16 - value_room - len(tick_labels[-1]) * CHAR_W / 2
    y0, y1 = float(top), height - 28.0
    scale = (x1 - x0) / ticks[-1]
    row = (y1 - y0) / len(chart.categories)
    links = chart.links or [None] * len(chart.categories)
    parts = ['<g class="chart-axis">']
    for t, label in zip(ticks, tick_labels, strict=True):
        x = x0 + t * scale
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y0)}" x2="{_n(x)}" y2="{_n(y1)}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{_n(y1 + 16)}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x0)}" y2="{_n(y1)}" stroke="{MUTED}"/>'
    )
    parts.append('</g><g class="chart-marks">')
    thickness = row * 0.7 / len(chart.series)
    for i, category in enumerate(chart.categories):
        cy = y0 + row * (i + 0.5)
        parts.append(_label(category, left - 12, x=_n(x0 - 8), y=_n(cy + 4), text_anchor="end"))
        for j, s in enumerate(chart.series):
            v = s.values[i]
            if v is None:
                continue
            by, w = cy - row * 0.35 + j * thickness, v * scale
            rect = (
                f'<rect class="chart-bar" x="{_n(x0)}" y="{_n(by)}" width="{_n(w)}"'
                f' height="{_n(thickness)}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
            parts.append(_mark(rect, _spoken(chart, category, s.label, v), links[i]))
            if chart.show_values:
                parts.append(
                    f'<text class="chart-value" x="{_n(x0 + w + 4)}" y="{_n(by + thickness / 2 + 4)}">'
                    f"{escape(chart.format(v))}</text>"
                )
    parts.append("</g>")
    return "".join(parts)
