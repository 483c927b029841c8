"""The Vega-Lite chart of one target: observed values, target, straight path, projection with its band.

One spec for the web indicator page (drawn in the browser) and the reports
(rendered to static SVG with vl-convert), built from a row of the status JSON
(:func:`scicity.service.status.row_json`), so a frozen report redraws the same
chart. The font is set explicitly (a missing font would drop every text
silently), to one that has Chinese glyphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate
from typing import Any

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif"


def judged_points(row: Mapping[str, Any]) -> list[tuple[int, float]]:
    """The series as judged: levels, or running sums of the yearly flows after the baseline (cumulative)."""
    points = [(int(p["period"]), float(p["value"])) for p in row["points"]]
    base_year = row["target"]["baseline_year"]
    if row["target"]["kind"] != "cumulative":
        return points
    after = [(p, v) for p, v in points if p > base_year]
    sums = list(accumulate(v for _, v in after))
    return [(base_year, 0.0)] + [(p, s) for (p, _), s in zip(after, sums, strict=True)]


def baseline_of(row: Mapping[str, Any]) -> float | None:
    """The value progress is measured from: the baseline level (0 for cumulative targets)."""
    if row["target"]["kind"] == "cumulative":
        return 0.0
    for p in row["points"]:
        if p["period"] == row["target"]["baseline_year"]:
            return float(p["value"])
    return None


def chart_spec(
    row: Mapping[str, Any],
    labels: Mapping[str, str],
    *,
    width: int | str = "container",
    height: int = 280,
    measure: str | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec for one row of the status JSON; ``labels`` are the translated legend texts.

    ``measure`` is the y-axis title (default: the row's unit of measure as the plan names it).
    """
    series = judged_points(row)
    target = row["target"]["judged_target"]
    data: list[dict[str, Any]] = [{"year": p, "value": v, "what": labels["observed"]} for p, v in series]
    base = baseline_of(row)
    t0, tT = row["target"]["baseline_year"], row["target"]["year"]
    if base is not None and target is not None and target == target:
        data += [{"year": t0, "value": base, "what": labels["path"]}, {"year": tT, "value": target, "what": labels["path"]}]
    band: list[dict[str, Any]] = []
    proj = row.get("projection")
    if proj is not None and series:
        last_year, last_value = series[-1]
        data += [{"year": last_year, "value": last_value, "what": labels["projection"]},
                 {"year": proj["year"], "value": proj["value"], "what": labels["projection"]}]
        band = [{"year": last_year, "low": last_value, "high": last_value},
                {"year": proj["year"], "low": proj["low"], "high": proj["high"]}]
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
            "y": {"field": "value", "type": "quantitative", "title": measure or row["measure"], "scale": {"zero": False}},
            "color": {"field": "what", "type": "nominal", "title": None, "scale": colors,
                      "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "what", "type": "nominal", "legend": None,
                           "scale": {"domain": colors["domain"], "range": [[1, 0], [4, 4], [2, 2]]}},
            "tooltip": [{"field": "year", "type": "quantitative", "format": "d"},
                        {"field": "value", "type": "quantitative", "format": ",.2f"}],
        },
    })
    if target is None:  # a unit without a target of its own: its values only
        layers = layers[-1:]
        enc = layers[0]["encoding"]
        enc["color"]["scale"] = {"domain": [labels["observed"]], "range": ["#0b3d91"]}
        enc["strokeDash"]["scale"] = {"domain": [labels["observed"]], "range": [[1, 0]]}
    else:
        layers += _target_layers(target, tT, x, labels)
    return _spec(layers, width, height, labels)


def _target_layers(target: float, tT: int, x: dict[str, Any], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    layers: list[dict[str, Any]] = []
    layers.append({"data": {"values": [{"target": target, "label": labels["target"]}]},
                   "mark": {"type": "rule", "color": "#b42318", "strokeWidth": 2},
                   "encoding": {"y": {"field": "target", "type": "quantitative"}}})
    layers.append({"data": {"values": [{"target": target, "year": tT, "label": labels["target"]}]},
                   "mark": {"type": "text", "align": "right", "dy": -8, "color": "#b42318"},
                   "encoding": {"x": x, "y": {"field": "target", "type": "quantitative"},
                                "text": {"field": "label"}}})
    return layers


def _spec(layers: list[dict[str, Any]], width: int | str, height: int, labels: Mapping[str, str]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        "description": labels["description"],
        "layer": layers,
        "config": {"aria": False, "font": FONT, "axis": {"labelFont": FONT, "titleFont": FONT},
                   "legend": {"labelFont": FONT, "titleFont": FONT}, "text": {"font": FONT}},
    }
