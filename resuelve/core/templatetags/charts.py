"""`{% chart c %}`: a chart as a figure, its SVG, its caption and its data behind a toggle."""

from __future__ import annotations

from typing import Any

from django import template

from resuelve.core.charts import Chart, chart_table, render_svg

register = template.Library()


@register.inclusion_tag("core/_chart.html")
def chart(
    chart: Chart, width: int = 640, height: int = 320, empty_text: str | None = None
) -> dict[str, Any]:
    svg = render_svg(chart, width=width, height=height, empty_text=empty_text)
    return {"chart": chart, "svg": svg, "table": chart_table(chart)}
