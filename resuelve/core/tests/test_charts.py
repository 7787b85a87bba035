"""Server-drawn SVG charts: structure, proportions, links, escaping, the data table and the tag."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from resuelve.core.charts import PALETTE, Chart, Series, chart_table, nice_ticks, render_svg

NS = "{http://www.w3.org/2000/svg}"
DEPARTMENTS = ["Sales", "Support", "Logistics"]


def _chart(kind: str = "bar", **overrides) -> Chart:  # type: ignore[no-untyped-def]
    fields = {
        "kind": kind,
        "title": "Complaints by department",
        "description": "Open complaints in each department today.",
        "categories": DEPARTMENTS,
        "series": [Series(label="Open", values=[50, 100, 25])],
        "id": "c1",
    }
    fields.update(overrides)
    return Chart(**fields)


def _svg(chart: Chart, **kwargs) -> ET.Element:  # type: ignore[no-untyped-def]
    return ET.fromstring(str(render_svg(chart, **kwargs)))


def _bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if r.get("class") == "chart-bar"]


def _points(root: ET.Element) -> list[ET.Element]:
    return [c for c in root.iter(f"{NS}circle") if c.get("class") == "chart-point"]


def _links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}a"))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# nice_ticks ---------------------------------------------------------------------------------


@given(
    st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e12)),
    st.integers(min_value=1, max_value=10),
)
def test_it_makes_ascending_round_ticks_that_cover_the_maximum(max_value: float, n: int) -> None:
    ticks = nice_ticks(max_value, n)
    assert ticks[0] == 0
    assert all(a < b for a, b in zip(ticks, ticks[1:], strict=False))
    assert ticks[-1] >= max_value
    steps = len(ticks) - 1
    assert n / 2 < steps <= n
    step = Decimal(repr(ticks[1])).normalize()
    assert step.as_tuple().digits in {(1,), (2,), (2, 5), (5,)}
    for i, t in enumerate(ticks):
        assert math.isclose(t, i * float(step), rel_tol=1e-9)


@given(st.floats(min_value=0, max_value=1e9))
def test_it_gives_four_to_six_ticks_by_default(max_value: float) -> None:
    assert 4 <= len(nice_ticks(max_value)) <= 6 or max_value == 0


@given(st.integers(min_value=0, max_value=10**9))
def test_it_keeps_whole_steps_for_counts(max_value: int) -> None:
    ticks = nice_ticks(max_value, 5, integer=True)
    assert ticks[-1] >= max_value
    assert all(t.is_integer() for t in ticks)
    assert len(ticks) <= 6


def test_it_picks_the_expected_ticks() -> None:
    assert nice_ticks(100, 5) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(7, 5) == [0, 2, 4, 6, 8]
    assert nice_ticks(0.9, 4) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(3, 5, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 5, integer=True) == [0, 1]


def test_it_refuses_to_scale_infinity() -> None:
    with pytest.raises(ValueError):
        nice_ticks(math.inf)


# SVG structure ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bar", "hbar", "line", "pareto", "stacked"])
def test_it_names_and_describes_every_kind(kind: str) -> None:
    root = _svg(_chart(kind))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{NS}title").get("id") == "c1-t"  # type: ignore[union-attr]
    assert root.find(f"{NS}title").text == "Complaints by department"  # type: ignore[union-attr]
    assert root.find(f"{NS}desc").get("id") == "c1-d"  # type: ignore[union-attr]
    # WeasyPrint needs explicit sizes and literal colours: no CSS variables inside the SVG.
    assert root.get("width") and root.get("height") and root.get("viewBox")
    assert root.get("font-family") == "sans-serif"
    assert "var(" not in str(render_svg(_chart(kind)))


def test_it_draws_one_bar_per_category_in_proportion() -> None:
    bars = _bars(_svg(_chart()))
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]  # type: ignore[arg-type]
    assert abs(heights[0] - heights[1] / 2) < 1
    assert abs(heights[2] - heights[1] / 4) < 1
    # Bars stand on the same baseline.
    bottoms = {round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}  # type: ignore[arg-type]
    assert len(bottoms) == 1


def test_it_lays_horizontal_bars_in_proportion_and_grows_with_the_causes() -> None:
    causes = [f"Cause {i}" for i in range(15)]
    chart = _chart(
        "hbar",
        categories=causes,
        series=[Series(label="Complaints", values=[100 - i for i in range(15)])],
    )
    root = _svg(chart, height=200)
    bars = _bars(root)
    assert len(bars) == 15
    widths = [float(b.get("width")) for b in bars]  # type: ignore[arg-type]
    assert abs(widths[0] * 0.86 - widths[14]) < 1
    assert float(root.get("height")) >= 15 * 28  # type: ignore[arg-type]


def test_it_wraps_bars_in_their_drill_down_links() -> None:
    chart = _chart(links=["/staff/?department=1", None, "/staff/?department=3&state=open"])
    root = _svg(chart)
    links = _links(root)
    assert [a.get("href") for a in links] == [
        "/staff/?department=1",
        "/staff/?department=3&state=open",
    ]
    assert [a.get("aria-label") for a in links] == ["Sales: 50", "Logistics: 25"]
    assert all(a.find(f"{NS}rect") is not None for a in links)
    # Links inside role="img" would be hidden from screen readers.
    assert root.get("role") == "group"


def test_it_speaks_the_unit_and_the_series() -> None:
    chart = _chart(
        "stacked",
        unit="complaints",
        series=[Series(label="New", values=[1, 2, 3]), Series(label="Old", values=[4, 5, 6])],
        links=["/a", "/b", "/c"],
    )
    labels = [a.get("aria-label") for a in _links(_svg(chart))]
    assert "Sales, New: 1 complaints" in labels and "Logistics, Old: 6 complaints" in labels


def test_it_stacks_segments_on_top_of_each_other() -> None:
    chart = _chart(
        "stacked",
        series=[
            Series(label="0-7 days", values=[10, 20, 0]),
            Series(label="8+ days", values=[10, 0, 5]),
        ],
    )
    bars = _bars(_svg(chart))
    first = [b for b in bars if b.get("x") == bars[0].get("x")]
    assert len(first) == 2
    low, high = first
    assert float(low.get("y")) == pytest.approx(float(high.get("y")) + float(high.get("height")))  # type: ignore[arg-type]
    assert {b.get("fill") for b in bars} == {PALETTE[0], PALETTE[1]}


def test_it_breaks_a_line_at_a_missing_value() -> None:
    chart = _chart(
        "line",
        categories=["W1", "W2", "W3", "W4", "W5"],
        series=[Series(label="Received", values=[3, 4, None, 6, 7])],
    )
    root = _svg(chart)
    lines = [p for p in root.iter(f"{NS}polyline") if p.get("class") == "chart-line"]
    assert [len(p.get("points", "").split()) for p in lines] == [2, 2]
    points = _points(root)
    assert len(points) == 4
    assert points[0].find(f"{NS}title").text == "W1: 3"  # type: ignore[union-attr]


def test_it_sorts_a_pareto_and_closes_at_a_hundred_percent() -> None:
    chart = _chart(
        "pareto",
        categories=["Rare", "Common", "Middling"],
        series=[Series(label="n", values=[1, 6, 3])],
    )
    root = _svg(chart)
    heights = [float(b.get("height")) for b in _bars(root)]  # type: ignore[arg-type]
    assert heights == sorted(heights, reverse=True)
    assert [t.text for b in _bars(root) for t in b.iter(f"{NS}title")] == [
        "Common: 6",
        "Middling: 3",
        "Rare: 1",
    ]
    with translation.override("en"):
        assert [r["cumulative"] for r in chart_table(chart)["rows"]] == ["60.0%", "90.0%", "100.0%"]
    with translation.override("es"):
        assert chart_table(chart)["rows"][0]["cumulative"] == "60,0%"
    # The last point of the cumulative line sits on the 100% tick of the right axis.
    last = _points(root)[-1]
    top_tick = [t for t in root.iter(f"{NS}text") if t.text == "100%"][0]
    assert float(last.get("cy")) == pytest.approx(float(top_tick.get("y")) - 4)  # type: ignore[arg-type]


def test_it_escapes_labels_from_user_data() -> None:
    evil = '<script>alert("x")</script>'
    chart = _chart(
        categories=[evil, "Support", "Logistics"],
        title=f"Title {evil}",
        series=[Series(label=evil, values=[1, 2, 3])],
        links=['/x?"onmouseover=', None, None],
    )
    svg = str(render_svg(chart))
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(f"{NS}title").text == f"Title {evil}"  # type: ignore[union-attr]
    assert _links(root)[0].get("href") == '/x?"onmouseover='


def test_it_truncates_long_labels_and_keeps_the_whole_one_as_a_tooltip() -> None:
    long = "Wrong invoice amount charged to the customer after the refund was agreed"
    root = _svg(_chart(categories=[long, "Support", "Logistics"]))
    label = next(t for t in root.iter(f"{NS}text") if t.find(f"{NS}title") is not None)
    assert label.text is None or label.text == ""
    assert label.find(f"{NS}title").text == long  # type: ignore[union-attr]
    shown = "".join(label.itertext()).replace(long, "")
    assert shown.endswith("…") and len(shown) < len(long)


@pytest.mark.parametrize(
    "chart",
    [
        _chart(categories=[], series=[]),
        _chart(series=[Series(label="Open", values=[None, None, None])]),
        _chart("pareto", series=[Series(label="Open", values=[0, 0, 0])]),
        _chart("hbar", categories=[], series=[Series(label="Open", values=[])]),
    ],
)
def test_it_says_there_is_no_data(chart: Chart) -> None:
    root = _svg(chart, empty_text="Sin datos <aún>")
    assert _bars(root) == []
    assert [t.text for t in root.iter(f"{NS}text")] == ["Sin datos <aún>"]
    assert chart_table(chart)["rows"] == []


@pytest.mark.parametrize("kind", ["bar", "hbar", "line", "stacked"])
def test_it_draws_all_zero_values_without_dividing_by_zero(kind: str) -> None:
    root = _svg(_chart(kind, series=[Series(label="Open", values=[0, 0, 0])]))
    assert all(float(b.get("height")) == 0 for b in _bars(root) if kind != "hbar")  # type: ignore[arg-type]
    assert "No data" not in "".join(root.itertext())


def test_it_refuses_data_that_does_not_fit() -> None:
    with pytest.raises(ValueError):
        _chart(series=[Series(label="Open", values=[1, 2])])
    with pytest.raises(ValueError):
        _chart(series=[Series(label="Open", values=[1, -2, 3])])
    with pytest.raises(ValueError):
        _chart(links=["/a"])
    with pytest.raises(ValueError):
        _chart("pie")


def test_it_makes_unique_ids_from_the_title() -> None:
    a = _chart(id="")
    b = _chart(id="")
    assert a.id.startswith("chart-complaints-by-department-") and a.id != b.id


def test_it_keeps_bar_colours_apart_from_the_white_page() -> None:
    for colour in PALETTE:
        assert (1.05 / (_luminance(colour) + 0.05)) >= 3


def test_it_uses_the_callers_value_format() -> None:
    chart = _chart(value_format=lambda v: f"{v:.0f} h", links=["/a", "/b", "/c"])
    assert _links(_svg(chart))[0].get("aria-label") == "Sales: 50 h"


# Data table and template tag ----------------------------------------------------------------


def test_it_gives_the_data_table_rows_with_links() -> None:
    chart = _chart(
        "stacked",
        series=[Series(label="New", values=[1, None, 3]), Series(label="Old", values=[4, 5, 6])],
        links=["/a", "/b", None],
    )
    table = chart_table(chart)
    assert table["headers"] == ["New", "Old"]
    assert table["total"] is True and table["cumulative"] is False
    assert [r["category"] for r in table["rows"]] == DEPARTMENTS
    first, second, third = table["rows"]
    assert [c["text"] for c in first["cells"]] == ["1", "4"] and first["total"] == "5"
    assert [c["link"] for c in first["cells"]] == ["/a", "/a"]
    assert second["cells"][0]["link"] is None and second["cells"][0]["text"] == "–"
    assert third["link"] is None


def test_it_renders_the_chart_tag_as_a_figure_with_its_data_behind_a_toggle() -> None:
    chart = _chart(title="Causes <b>", unit="complaints", links=["/a?x=1&y=2", None, None])
    with translation.override("en"):
        html = Template("{% load charts %}{% chart c %}").render(Context({"c": chart}))
    assert html.strip().startswith('<figure class="chart chart-bar" id="c1-figure">')
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<figcaption>Causes &lt;b&gt;" in html
    assert "<details" in html and "<summary>Show the data</summary>" in html
    assert "<caption>Causes &lt;b&gt; (complaints)</caption>" in html
    assert '<th scope="col">Open</th>' in html and '<th scope="row">Sales</th>' in html
    assert '<td><a href="/a?x=1&amp;y=2">50</a></td>' in html
    assert "<td>100</td>" in html
    assert "<b>" not in html


def test_it_leaves_out_the_table_of_an_empty_chart() -> None:
    chart = _chart(categories=[], series=[])
    html = Template('{% load charts %}{% chart c empty_text="Nothing yet" %}').render(
        Context({"c": chart})
    )
    assert "Nothing yet" in html and "<details" not in html
