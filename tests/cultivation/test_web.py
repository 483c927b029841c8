"""Cultivation pages and API over a small registry, in Chinese and English; and in a real browser on the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.cultivation.web_registry import A, B, C, load_small_registry
from tests.web.conftest import SECRET, login


@pytest.fixture
def small_client(tmp_path: Path, demo_db_file: Path):
    from scicity.settings import get_settings
    from scicity.web.app import create_app

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(demo_db_file, data_dir / "scicity.db")
    load_small_registry(f"sqlite:///{data_dir / 'scicity.db'}")
    app = create_app(get_settings(data_dir=data_dir, secret_key=SECRET, database_url=""))
    with TestClient(app, follow_redirects=False) as client:
        yield login(client, "viewer")


def test_tier_card_shows_every_criterion_with_article_and_gap(small_client):
    html = small_client.get(f"/cultivation/enterprises/{A}?year=2025").text
    assert "甲科技有限公司（示例）" in html and "High-tech enterprise" in html
    assert "第十一条（五）" in html and "CNY 1.20 m more R&amp;D on this year&#39;s sales" in html
    unknown = small_client.get(f"/cultivation/enterprises/{C}?year=2025").text
    assert "missing: Domestic share of R&amp;D (%) 2025" in unknown and "manual review" in unknown
    assert "rd_domestic_share" not in unknown  # the figure by its name, not its code


def test_pages_in_chinese(small_client):
    small_client.cookies.set("scicity_lang", "zh")
    html = small_client.get("/cultivation").text
    assert "企业梯度培育" in html and 'id="tiers"' in html and "funnel-chart" in html and "高新技术企业" in html
    card = small_client.get(f"/cultivation/enterprises/{A}?year=2025").text
    assert "在本年销售收入基础上增加研发费用120.0万元" in card and "达标差距" in card
    assert 'id="card-unit"><span title="wcsc">地区单元：西部（重庆）科学城</span>' in card
    unknown = small_client.get(f"/cultivation/enterprises/{C}?year=2025").text
    assert "2025年境内研发费用占比（%）" in unknown and "rd_domestic_share" not in unknown
    pool = small_client.get("/cultivation/pool?tier=specialised&year=2025").text
    assert A in pool
    expiry = small_client.get("/cultivation/expiry?year=2025").text
    assert B in expiry and '<span title="wcsc">西部（重庆）科学城</span>' in expiry


def test_pool_download_and_api(small_client, tmp_path):
    response = small_client.get("/cultivation/pool.xlsx?tier=specialised&year=2025")
    assert response.status_code == 200
    path = tmp_path / "pool.xlsx"
    path.write_bytes(response.content)
    rows = list(openpyxl.load_workbook(path).active.values)
    assert rows[0][0] == "credit_code" and any(r[0] == A for r in rows[1:])
    card = small_client.get(f"/api/v1/cultivation/enterprises/{C}?year=2025").json()
    ht = next(t for t in card if t["tier"] == "high_tech")
    dom = next(c for c in ht["criteria"] if c["id"] == "rd_domestic")
    assert dom["status"] == "unknown" and dom["missing"] == ["rd_domestic_share 2025"]  # codes, for programs
    assert dom["missing_text"] == ["Domestic share of R&D (%) 2025"]  # and their words
    p = small_client.get("/api/v1/cultivation/projection?tier=high_tech_enterprises&year=2027").json()
    assert p["valid_now"] == 1 and p["expiring"] == 1
    funnel = small_client.get("/api/v1/cultivation/funnel").json()
    assert [f["year"] for f in funnel] == [2023, 2024, 2025]


def test_indicator_page_shows_the_pipeline_beside_the_trend(small_client):
    small_client.get("/cultivation")  # evaluates the registries
    html = small_client.get("/indicators/high_tech_enterprises").text
    assert 'id="pipeline"' in html and "valid now 1" in html
    assert 'id="pipeline"' not in small_client.get("/indicators/rd_intensity").text


def test_pool_unit_filter_offers_the_registry_units_and_refuses_a_mistyped_one(small_client):
    """A mistyped unit showed an empty pool, as if no one were close: the filter is a choice of the units the
    registry's enterprises are in, and an unknown one is a bad request naming them."""
    page = small_client.get("/cultivation/pool?tier=specialised&year=2025&unit=wcsc").text
    assert '<option value="wcsc" selected title="wcsc">Western (Chongqing) Science City</option>' in page and A in page
    assert '<span title="wcsc">Western (Chongqing) Science City</span>' in page  # the pool's rows too
    bad = small_client.get("/cultivation/pool?tier=specialised&year=2025&unit=wcsx")
    assert bad.status_code == 400
    assert "unknown geographic unit &#39;wcsx&#39;; one of Western (Chongqing) Science City (wcsc)" in bad.text
    zh = small_client.get("/cultivation/pool.xlsx?tier=specialised&year=2025&unit=wcsx&lang=zh")
    assert zh.status_code == 400 and "未知的地区" in zh.text


def test_unknown_tier_is_one_check_404_on_pages_and_api_in_both_languages(small_client):
    """The pages said 400 and the API 404, each with its own words: one check now, the tiers by name."""
    for path in ("/cultivation/pool?tier=nope", "/cultivation/pool.xlsx?tier=nope", "/api/v1/cultivation/pool?tier=nope",
                 "/api/v1/cultivation/projection?tier=nope&year=2027"):
        en = small_client.get(path)
        assert en.status_code == 404, path
        assert "unknown cultivation tier" in en.text and "high_tech (High-tech enterprise)" in en.text, path
        zh = small_client.get(path + "&lang=zh")
        assert zh.status_code == 404 and "未知的培育梯度" in zh.text and "high_tech（高新技术企业）" in zh.text, path


def test_tier_card_of_an_unknown_enterprise_in_both_languages(small_client):
    code = "91500000MA5U0000X1"
    en = small_client.get(f"/cultivation/enterprises/{code}")
    assert en.status_code == 404 and f"no enterprise with credit code {code} in the registry" in en.text
    zh = small_client.get(f"/api/v1/cultivation/enterprises/{code}?lang=zh")
    assert zh.status_code == 404 and f"名录中没有统一社会信用代码为 {code} 的企业" in zh.text
