"""Static SVG charts for reports, from the same Vega-Lite spec the web indicator page draws.

Rendered with vl-convert (no browser); the font is set in the spec to Noto
Sans CJK SC so Chinese labels are drawn. Rendering is the slow part of a
report, so charts are memoised by their spec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cachetools import LRUCache

from scicity.service.indicator_chart import chart_spec
from scicity.service.report_text import gettext_for, measure_text

_CACHE: LRUCache[str, str] = LRUCache(maxsize=2048)
WIDTH, HEIGHT = 460, 190


def chart_labels(lang: str, name: str) -> dict[str, str]:
    _ = gettext_for(lang)
    return {
        "observed": _("observed"),
        "path": _("straight path"),
        "projection": _("projection"),
        "year": _("year"),
        "target": _("target"),
        "description": name,
    }


def chart_svg(row: Mapping[str, Any], lang: str) -> str:
    """The chart of one row of the status JSON as an SVG document (text)."""
    spec = chart_spec(row, chart_labels(lang, row["name"] or row["indicator"]), width=WIDTH, height=HEIGHT, measure=measure_text(row["measure"], lang))
    return spec_svg(spec)


def spec_svg(spec: Mapping[str, Any]) -> str:
    """Any Vega-Lite spec (a chart, the map of the spatial chapter) as an SVG document, memoised by the spec."""
    import vl_convert

    spec = {**spec, "background": "white"}
    key = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    svg = _CACHE.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec)
        _CACHE[key] = svg
    return svg


def chart_png(row: Mapping[str, Any], lang: str, scale: float = 2.0) -> bytes:
    """The same chart as PNG (for Word, which shows SVG only in recent versions)."""
    import vl_convert

    return vl_convert.svg_to_png(chart_svg(row, lang), scale=scale)


def spec_png(spec: Mapping[str, Any], scale: float = 2.0) -> bytes:
    """Any Vega-Lite spec as PNG (the map for Word)."""
    import vl_convert

    return vl_convert.svg_to_png(spec_svg(spec), scale=scale)
