"""Charts measured with a subset of the CJK font draw the same SVG; the PDF's charts come from a background process;
the map's district features come from the disk cache unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scicity.domain.observation import Observation
from scicity.domain.plan import Area, GeoUnit, Indicator, Plan, Target, Text
from scicity.reports import chart_font, charts
from scicity.service.report_model import build_report_model
from scicity.service.reconciled_values import build_values


def _model(lang: str, names: tuple[str, ...] = ("研发投入强度（测试）", "高新技术企业数量")) -> dict:
    indicators, observations = [], []
    for i, name in enumerate(names):
        indicators.append(Indicator(id=f"ind_{i}", area="a", name=Text(en=f"Indicator {i}", zh=name), measure="enterprises",
                                    decimals=0, targets=(Target(comparator=">=", value=900 + i),)))
        observations += [Observation(f"ind_{i}", "zone", y, 400 + 90 * k + i, source="test") for k, y in enumerate(range(2020, 2026))]
    plan = Plan(id="font-test", name=Text(en="Font test", zh="字体测试规划"), period=(2021, 2025), baseline_year=2020, target_year=2025,
                areas=(Area(id="a", name=Text(en="Area", zh="领域")),), indicators=tuple(indicators),
                geography=GeoUnit(id="zone", name=Text(en="Zone", zh="园区")))
    return build_report_model(plan, build_values(plan, observations, None), kind="final", as_of=2025, lang=lang)


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """Charts not cached in memory, on disk in a directory of the test."""
    monkeypatch.setattr(charts, "_CACHE", type(charts._CACHE)(maxsize=64))
    charts.use_disk_cache(tmp_path / "charts")
    yield tmp_path
    charts.use_disk_cache(None)


def test_the_installed_font_is_found():
    faces = chart_font.source_faces()
    assert faces is not None and "Regular" in faces, "Noto Sans CJK SC (fonts-noto-cjk) is needed for the report charts"


def test_a_subset_holds_the_characters_of_the_specs_and_draws_the_same_svg(fresh):
    specs = [charts.report_spec(row, "zh") for row in _model("zh")["status"]]
    font = charts.chart_font(specs)
    assert font is not None
    family, directory = font
    # a word of a CSS font-family list may not start with a digit: such a family would silently measure with a fallback
    assert re.fullmatch(r"Scicity Chart x[0-9a-f]{12}", family) and (fresh / "chart-fonts") in Path(directory).parents
    from fontTools.ttLib import TTFont

    subset = TTFont(f"{directory}/Regular.otf")
    cmap = subset.getBestCmap()
    for ch in chart_font.characters(specs):
        assert ord(ch) in cmap or not ch.strip(), f"{ch!r} missing from the subset"
    assert len(cmap) < 1000  # a subset, not the 65,000 glyphs of the font
    assert subset["name"].getDebugName(1) == family  # never taken for the installed font
    for spec in specs:
        with_subset = charts._render(spec, font)
        assert with_subset == charts._render(spec)  # measured with the subset: the same drawing, the same names
        assert family not in with_subset and chart_font.SOURCE_FAMILY in with_subset
    assert charts.chart_font(specs) == font  # made once: the second batch with these characters reuses it


def test_the_spec_names_the_subset_first_and_the_svg_the_installed_font_again():
    spec = {"config": {"font": "Noto Sans CJK SC, sans-serif", "axis": {"labelFont": "Noto Sans CJK SC"}},
            "title": "Noto Sans CJK SC as a title is not a font", "data": {"values": [{"a": "x"}]}}
    named = chart_font.with_family(spec, "Scicity Chart x0123456789ab")
    assert named["config"]["font"] == "Scicity Chart x0123456789ab, Noto Sans CJK SC, sans-serif"
    assert named["config"]["axis"]["labelFont"] == "Scicity Chart x0123456789ab, Noto Sans CJK SC"
    assert named["title"] == spec["title"]
    svg = '<text font-family="Scicity Chart x0123456789ab, Noto Sans CJK SC, sans-serif">x</text>'
    assert chart_font.original_family(svg) == '<text font-family="Noto Sans CJK SC, sans-serif">x</text>'


def test_the_pdf_takes_its_charts_from_the_background_batch(fresh, monkeypatch):
    monkeypatch.setattr(charts, "_warm_here", lambda: False)  # as in a new CLI process
    model = _model("en")
    specs = charts.report_specs(model)
    with charts.ChartBatch(specs) as batch:
        assert batch._pool is not None and len(batch._futures) == len(specs)  # rendering in another process
        url = batch.url(specs[0])
        assert url.startswith(charts.ChartBatch.SCHEME)
        response = batch.fetcher().fetch(url)
        assert response.read() == charts._render(specs[0]).encode("utf-8")
    assert len(list((fresh / "charts").glob("*.svg"))) == 1  # the chart asked for is kept; the others were dropped
    from scicity.reports.pdf import render_pdf

    calls = []
    monkeypatch.setattr(charts, "spec_svg", lambda spec: calls.append(spec) or "")  # no chart rendered in this process
    pdf = render_pdf(model)
    assert pdf.startswith(b"%PDF") and not calls
    assert len(list((fresh / "charts").glob("*.svg"))) == len(specs)


def test_district_features_come_from_the_disk_cache_unchanged(tmp_path):
    from scicity.service import geo_map

    codes = ["500106", "500107"]
    try:
        direct = geo_map.districts(codes)
        geo_map.use_disk_cache(tmp_path)
        first = geo_map.districts(codes)
        cached = list(tmp_path.glob("districts-*.json"))
        second = geo_map.districts(codes)
    finally:
        geo_map.use_disk_cache(None)
    assert len(cached) == 1 and first == direct and second == direct
    with pytest.raises(geo_map.UnknownDistrict):
        geo_map.use_disk_cache(tmp_path)
        try:
            geo_map.districts(["999999"])
        finally:
            geo_map.use_disk_cache(None)


def test_where_vl_convert_runs_already_a_few_charts_are_rendered_here(fresh):
    specs = charts.report_specs(_model("zh"))
    charts._render(specs[0])  # vl-convert started in this process
    with charts.ChartBatch(specs) as batch:
        assert batch._pool is None and not batch._futures
        assert all(batch.svg(batch.url(spec)[len(batch.SCHEME):]) == charts._render(spec) for spec in specs)
