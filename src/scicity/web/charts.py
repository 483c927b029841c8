"""The Vega-Lite chart of an indicator: observed values, target, straight path, projection with its band.

The spec is plain JSON, drawn in the browser by the vendored Vega bundles
(``static/app.js``). The font is set explicitly (a missing font would drop
every text silently), to one that has Chinese glyphs.
"""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any

from scicity.domain.plan import TargetKind
from scicity.service.status import StatusRow
from scicity.web.presenters import baseline_level

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"


def judged_series(row: StatusRow) -> list[tuple[int, float]]:
    """The series as judged: levels, or running sums of the yearly flows after the baseline (cumulative)."""
    if row.target.kind is not TargetKind.CUMULATIVE:
        return list(row.points)
    after = [(p, v) for p, v in row.points if p > row.spec.baseline_year]
    sums = list(accumulate(v for _, v in after))
    return [(row.spec.baseline_year, 0.0)] + [(p, s) for (p, _), s in zip(after, sums, strict=True)]


def indicator_chart(row: StatusRow, labels: dict[str, str]) -> str:
    """The Vega-Lite spec (JSON text) for one target's chart; ``labels`` are the translated legend texts."""
    a = row.assessment
    series = judged_series(row)
    data: list[dict[str, Any]] = [{"year": p, "value": v, "what": labels["observed"]} for p, v in series]
    base = baseline_level(row)
    t0, tT = row.spec.baseline_year, row.spec.target_year
    if base is not None:
        data += [{"year": t0, "value": base, "what": labels["path"]},
                 {"year": tT, "value": a.judged_target, "what": labels["path"]}]
    band: list[dict[str, Any]] = []
    if a.projection is not None and series:
        last_year, last_value = series[-1]
        proj = a.projection
        data += [{"year": last_year, "value": last_value, "what": labels["projection"]},
                 {"year": proj.year, "value": proj.value, "what": labels["projection"]}]
        band = [{"year": last_year, "low": last_value, "high": last_value},
                {"year": proj.year, "low": proj.low, "high": proj.high}]
    years = [d["year"] for d in data] + [tT]
    x = {"field": "year", "type": "quantitative", "title": labels["year"],
         "scale": {"domain": [min(years), max(years)], "nice": False},
         "axis": {"format": "d", "tickMinStep": 1}}
    layers: list[dict[str, Any]] = []
    if band:
        layers.append({"data": {"values": band}, "mark": {"type": "area", "opacity": 0.18, "color": "#1f6feb"},
                       "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}, "y2": {"field": "high"}}})
    colors = {"domain": [labels["observed"], labels["path"], labels["projection"]],
              "range": ["#0b3d91", "#6e7781", "#1f6feb"]}
    layers.append({
        "data": {"values": data},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": labels.get("measure", row.indicator.measure), "scale": {"zero": False}},
            "color": {"field": "what", "type": "nominal", "title": None, "scale": colors,
                      "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "what", "type": "nominal", "legend": None,
                           "scale": {"domain": colors["domain"], "range": [[1, 0], [4, 4], [2, 2]]}},
            "tooltip": [{"field": "year", "type": "quantitative", "format": "d"},
                        {"field": "value", "type": "quantitative", "format": ",.2f"}],
        },
    })
    layers.append({"data": {"values": [{"target": a.judged_target, "label": labels["target"]}]},
                   "mark": {"type": "rule", "color": "#b42318", "strokeWidth": 2},
                   "encoding": {"y": {"field": "target", "type": "quantitative"}}})
    layers.append({"data": {"values": [{"target": a.judged_target, "year": tT, "label": labels["target"]}]},
                   "mark": {"type": "text", "align": "right", "dy": -8, "color": "#b42318"},
                   "encoding": {"x": x, "y": {"field": "target", "type": "quantitative"},
                                "text": {"field": "label"}}})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 280,
        "description": labels["description"],
        "layer": layers,
        "config": {"aria": False, "font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT},
                   "legend": {"labelFont": FONT, "titleFont": FONT}, "text": {"font": FONT}},
    }
    return json.dumps(spec, ensure_ascii=False)
