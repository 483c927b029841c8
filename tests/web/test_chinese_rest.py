"""What issue 8 still left in English on the web, in Chinese and in English: the reader's notes on an upload,
the audit log's records by name (public fields, every event kind), the map's approximate positions, an
exchange record's rules and a bad filter date."""

from __future__ import annotations

import html as htmllib
import re

from fastapi.testclient import TestClient

from tests.web.conftest import login, page_csrf

HAN = re.compile(r"[\u4e00-\u9fff]")
GBK_CSV = "indicator,unit,period,value,source\ntalent_total,wcsc,2019,118000,统计局\n".encode("gb18030")


def _upload(client: TestClient, lang: str) -> str:
    client.headers["accept-language"] = lang
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client)},
                    files={"file": ("人才.csv", GBK_CSV, "text/csv")})
    assert r.status_code == 200, r.text[:2000]
    return htmllib.unescape(r.text)


def test_an_upload_read_as_gb18030_says_so_in_the_readers_language(client_for) -> None:  # noqa: ANN001
    zh = _upload(client_for("analyst"), "zh-CN")
    note = re.search(r'<p class="muted" role="note">([^<]*)</p>', zh)
    assert note and note.group(1).startswith("人才.csv：文件不是 UTF-8；已按 GB18030（GBK）读取"), zh[:3000]
    en = _upload(client_for("analyst"), "en")
    note = re.search(r'<p class="muted" role="note">([^<]*)</p>', en)
    assert note and note.group(1).startswith("人才.csv: the file is not UTF-8; it was read as GB18030 (GBK)")


def test_the_audit_log_names_public_fields_and_their_registry(make_app) -> None:  # noqa: ANN001
    app = make_app(public_view=True)
    admin = login(TestClient(app, follow_redirects=False), "admin")
    r = admin.post("/admin/public-fields", data={"kind": "institutions", "field": ["name_zh", "level"],
                                                 "csrf_token": page_csrf(admin, "/admin")})
    assert r.status_code == 303
    admin.headers["accept-language"] = "zh-CN"
    page = htmllib.unescape(admin.get("/audit?entity=public_field").text)
    rows = re.findall(r"<tr><td class=\"nowrap\">.*?</tr>\s*(?=<tr><td class=\"nowrap\">|</tbody>)", page, re.S)
    assert len(rows) == 2, page[-3000:]
    text = " ".join(re.sub(r"<[^>]+>", " ", row) for row in rows)
    assert "字段设为公开" in text and "机构与平台 · 中文名称" in text and "机构与平台 · 级别" in text, text
    assert "institutions.level" not in re.sub(r'title="[^"]*"', "", " ".join(rows))  # the id only on hover
    assert "name_zh" not in re.sub(r'title="[^"]*"', "", " ".join(rows))
    admin.headers["accept-language"] = "en"
    page = htmllib.unescape(admin.get("/audit?entity=public_field").text)
    assert "institutions and platforms · Chinese name" in page and "field made public" in page


def test_other_event_kinds_have_names_in_the_audit_filter(client_for) -> None:  # noqa: ANN001
    client = client_for("admin")
    client.headers["accept-language"] = "zh-CN"
    page = htmllib.unescape(client.get("/audit").text)
    selects = " ".join(re.findall(r'<select id="a-(?:action|entity)".*?</select>', page, re.S))
    options = dict(re.findall(r'<option value="([a-z_.]+)"[^>]*>([^<]*)</option>', selects))
    for action, words in (("exchange.deal.move", "对接项目已推进"), ("report.publish", "报告已发布"),
                          ("plan_draft.create", "下一期规划草案已创建"), ("exchange.deals", "对接数")):
        assert options.get(action) == words, (action, options.get(action))
    for key, words in options.items():
        assert HAN.search(words), (key, words)


def test_the_map_marks_approximate_positions_in_both_languages(client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    client.headers["accept-language"] = "zh-CN"
    zh = htmllib.unescape(client.get("/geography").text)
    caption = re.search(r'<span id="map-approximate">(.*?)</span>', zh, re.S)
    assert caption and "位置为示意" in caption.group(1) and "科学动力储备中心" in caption.group(1)
    assert '"position": "位置为示意"' in zh or '"position":"位置为示意"' in zh
    client.headers["accept-language"] = "en"
    en = htmllib.unescape(client.get("/geography").text)
    caption = re.search(r'<span id="map-approximate">(.*?)</span>', en, re.S)
    assert caption and "approximate position" in caption.group(1) and "Science power reserve centre" in caption.group(1)
    assert not HAN.search(caption.group(1))


def test_an_empty_or_malformed_audit_date_in_chinese(client_for) -> None:  # noqa: ANN001
    client = client_for("admin")
    client.headers["accept-language"] = "zh-CN"
    assert client.get("/audit?since=&until=").status_code == 200
    r = client.get("/audit?since=2024-13-45&until=明天")
    assert r.status_code == 422
    error = htmllib.unescape(re.search(r'id="audit-error">([^<]*)<', r.text).group(1))
    assert "起始日期" in error or "从" in error or HAN.search(error), error
    assert "2024-13-45" in error and "明天" in error


def test_the_latest_data_choice_and_an_empty_unit_are_not_errors(client_for) -> None:  # noqa: ANN001
    """The as-of selector's 'latest data' sends as_of= (empty); it answered 422 before."""
    client = client_for("viewer")
    client.headers["accept-language"] = "zh-CN"
    for path in ("/?as_of=", "/geography?as_of=", "/indicators/talent_total?as_of=&unit="):
        assert client.get(path).status_code == 200, path
    r = client.get("/?as_of=二〇二三")
    assert r.status_code == 422 and "截至：需要整数" in htmllib.unescape(r.text)  # the field by its name on the page
    client.headers["accept-language"] = "en"
    assert "As of: a whole number is needed" in htmllib.unescape(client.get("/?as_of=abc").text)


def test_the_api_keeps_its_contract_for_dates(client_for) -> None:  # noqa: ANN001
    """The API is for programs: a date parameter is YYYY-MM-DD as its schema says, an empty one is refused."""
    client = client_for("admin")
    assert client.get("/api/v1/audit?limit=5").status_code == 200
    for query in ("since=", "until=", "since=2024-02-30"):
        assert client.get(f"/api/v1/audit?{query}").status_code == 422, query
