"""The geography page: its map (districts from the packaged boundary file, markers from the plan's coordinates)
and each unit's figures on the scale the overview judges."""

from __future__ import annotations

import html
import json
import re

from scicity.domain.plan import GeoUnit, Text
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans
from scicity.service.geo_map import UnknownDistrict, district_codes, districts, map_spec
from scicity.service.geography import quantity
from tests.web.latin import latin_words

PLAN = load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan
LABELS = {k: k for k in ("description", "district", "unit", "kind", "note", "city", "axis", "centre", "point")}


def spec_of(page: str) -> dict:
    m = re.search(r'id="geo-map"[^>]*data-spec="([^"]*)"', page)
    assert m, "no map on the page"
    return json.loads(html.unescape(m.group(1)))


def test_the_seed_plan_draws_the_five_districts_and_places_the_axis_and_centres() -> None:
    assert district_codes(PLAN.geography) == ["500106", "500107", "500109", "500116", "500120"]
    spec = map_spec(PLAN.geography, "zh", LABELS)
    shapes = spec["layer"][0]["data"]["values"]["features"]
    assert [f["properties"]["name"] for f in shapes] == ["沙坪坝区", "九龙坡区", "北碚区", "江津区", "璧山区"]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in shapes)
    # the boundaries are Chongqing's: every vertex lies within 105–107.5° E, 28.5–30.5° N
    lons = [p[0] for f in shapes for poly in f["geometry"]["coordinates"] for p in poly[0]]
    lats = [p[1] for f in shapes for poly in f["geometry"]["coordinates"] for p in poly[0]]
    assert 105 < min(lons) and max(lons) < 107.5 and 28.5 < min(lats) and max(lats) < 30.5
    marks = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")["data"]["values"]
    assert {m["id"] for m in marks} == {"science_avenue", "power_reserve_centre", "vitality_centre", "efficiency_centre"}
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")["data"]["values"]
    assert {p["id"] for p in line} == {"science_avenue"} and len(line) == 5
    english = map_spec(PLAN.geography, "en", LABELS)
    assert [f["properties"]["name"] for f in english["layer"][0]["data"]["values"]["features"]] == [
        "Shapingba", "Jiulongpo", "Beibei", "Jiangjin", "Bishan"]


def test_a_plan_without_places_has_no_map_and_an_unknown_district_is_named() -> None:
    bare = GeoUnit(id="z", name=Text(en="Zone"))
    assert map_spec(bare, "en", LABELS) is None
    try:
        districts(["500106", "999999"])
    except UnknownDistrict as exc:
        assert exc.codes == ("999999",) and "999999" in str(exc) and "geography.districts" in str(exc)
    else:
        raise AssertionError("an unknown district code must fail")


def test_a_cumulative_quantity_is_the_sum_after_the_baseline() -> None:
    ind = next(i for i in PLAN.indicators if i.targets and i.targets[0].kind.value == "cumulative")
    base = PLAN.baseline_year_of(ind.targets[0])
    value, period, scale = quantity(PLAN, ind, [(base, 100.0), (base + 1, 7.0), (base + 2, 5.0)])
    assert (value, period, scale) == (12.0, base + 2, "sum")
    level = next(i for i in PLAN.indicators if i.targets and i.targets[0].kind.value == "level")
    assert quantity(PLAN, level, [(2020, 1.0), (2022, 3.0)]) == (3.0, 2022, "level")


def test_the_page_shows_the_map_and_the_judged_figures(client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    client.headers["accept-language"] = "zh-CN"
    r = client.get("/geography")
    assert r.status_code == 200
    spec = spec_of(r.text)
    assert spec["projection"]["type"] == "mercator"
    assert "科学动力储备中心" in r.text and "审图号" in r.text
    assert latin_words(r.text) == set()
    # the root's cumulative figures read as the overview's: Σ with the same number
    overview = client.get("/").text
    for ind in PLAN.indicators:
        if ind.targets and ind.targets[0].kind.value == "cumulative" and ind.targets[0].unit is None:
            row = re.search(rf'href="/indicators/{ind.id}\?unit=wcsc">[^<]*</a></th>\s*<td class="num"[^>]*>([^<]*)<', r.text)
            assert row, ind.id
            assert row.group(1).strip().endswith("Σ")
            assert row.group(1).strip() in overview
            break
    else:
        raise AssertionError("the seed plan has a cumulative target")
    assert "badge status-" in r.text


def test_the_page_in_english_names_districts_in_english(client_for) -> None:  # noqa: ANN001
    r = client_for("viewer").get("/geography")
    spec = spec_of(r.text)
    names = [f["properties"]["name"] for f in spec["layer"][0]["data"]["values"]["features"]]
    assert names == ["Shapingba", "Jiulongpo", "Beibei", "Jiangjin", "Bishan"]
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps([layer["data"]["values"] for layer in spec["layer"][1:]],
                                                         ensure_ascii=False))


def test_the_indicator_page_honours_unit(client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    client.headers["accept-language"] = "zh-CN"
    geo = client.get("/geography").text
    # a unit below the root with data broken down: its first indicator link
    m = re.search(r'id="unit-(?!wcsc")([a-z_]+)".*?href="/indicators/([a-z_]+)\?unit=\1"', geo, flags=re.S)
    assert m, "the demo breaks some indicator down by unit"
    unit, ind = m.group(1), m.group(2)
    root = client.get(f"/indicators/{ind}").text
    page = client.get(f"/indicators/{ind}?unit={unit}")
    assert page.status_code == 200
    text = page.text
    name = next(u for u in PLAN.geography.walk() if u.id == unit).name.zh
    assert f'<option value="{unit}" selected>' in text  # the selector
    assert name in re.search(r"<h1.*?</h1>", text, flags=re.S).group(0)  # the header
    assert 'id="no-unit-target"' in text and 'id="methods-title"' not in text  # no verdict of the root's target
    assert 'id="methods-title"' in root and 'id="no-unit-target"' not in root
    spec = json.loads(html.unescape(re.search(r'id="chart"[^>]*data-spec="([^"]*)"', text).group(1)))
    assert not any(layer["mark"].get("type") == "rule" for layer in spec["layer"])  # no target line
    assert spec != json.loads(html.unescape(re.search(r'id="chart"[^>]*data-spec="([^"]*)"', root).group(1)))
    obs = text[text.index('id="obs-title"'):]
    assert name in obs[:400] and "<tbody>\n<tr" in obs  # the unit's observations
    assert obs[:obs.index("</table>")] != root[root.index('id="obs-title"'):][:obs.index("</table>")]
    assert latin_words(text) == set()
    assert client.get(f"/indicators/{ind}?unit=no_such_unit").status_code == 404


def test_the_map_colours_the_markers_by_an_indicator(client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    client.headers["accept-language"] = "zh-CN"
    geo = client.get("/geography").text
    m = re.search(r'id="unit-(?!wcsc")([a-z_]+)".*?href="/indicators/([a-z_]+)\?unit=\1"', geo, flags=re.S)
    assert m, "the demo breaks some indicator down by unit"
    ind = PLAN.indicator(m.group(2))
    r = client.get(f"/geography?indicator={ind.id}")
    assert r.status_code == 200 and f'<option value="{ind.id}" selected>' in r.text
    spec = spec_of(r.text)
    shaded = [layer for layer in spec["layer"] if layer["encoding"].get("color", {}).get("field") == "value"]
    assert len(shaded) == 1
    values = {row["id"]: row["value"] for row in shaded[0]["data"]["values"]}
    assert values and all(isinstance(v, float) for v in values.values())
    assert shaded[0]["encoding"]["color"]["title"].startswith(ind.name.zh)
    # the same figures as the unit tables
    for unit, value in values.items():
        cell = re.search(rf'id="unit-{unit}".*?href="/indicators/{ind.id}\?unit={unit}">[^<]*</a></th>\s*<td class="num"[^>]*>([^<(]*)',
                         r.text, flags=re.S)
        shown = cell.group(1).replace(",", "").replace("Σ", "").replace("Δ", "").replace("+", "").strip() if cell else None
        assert shown is not None and float(shown) == round(value, ind.decimals), unit
    assert latin_words(r.text) == set()
    assert client.get("/geography?indicator=nope").status_code == 404
