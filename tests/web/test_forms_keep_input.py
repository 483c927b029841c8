"""Errors stay on the page and keep what was typed (issue 8, item 3), in Chinese and English: the single-value
form (``12%``), a return without a comment, a goal status without evidence, a data provider's upload with another
department's series; and status messages never come from a query parameter."""

from __future__ import annotations

import re

from tests.web.conftest import page_csrf
from tests.web.latin import latin_words


def _zh(client):  # noqa: ANN001, ANN202
    client.headers["accept-language"] = "zh-CN,zh;q=0.9"
    return client


def test_a_value_written_12_percent_comes_back_on_the_form_with_the_reason(client_for) -> None:  # noqa: ANN001
    for lang in ("en", "zh"):
        provider = client_for("provider")
        if lang == "zh":
            _zh(provider)
        form = {"indicator": "top_talent", "unit": "wcsc", "period": "2024", "value": "12%", "source": "月报 2024",
                "csrf_token": page_csrf(provider, "/data")}
        r = provider.post("/data/value", data=form)
        assert r.status_code == 422, r.text
        error = re.search(r'<p class="error" role="alert" id="value-error">([^<]+)</p>', r.text)
        assert error, r.text
        assert 'value="12%"' in r.text and 'value="月报 2024"' in r.text  # as typed
        assert re.search(r'<option value="top_talent"[^>]* selected>', r.text)
        assert re.search(r'<option value="2024" selected>', r.text)
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", error.group(1)) and latin_words(r.text) == set(), error.group(1)
        else:
            assert "%" in error.group(1) and not re.search(r"[\u4e00-\u9fff]", error.group(1))


def _submitted_row(client_for) -> tuple[object, int, int]:  # noqa: ANN001
    """Two values sent for approval by the data provider: the analyst's client and their row ids."""
    provider = client_for("provider")
    for value in ("9", "10"):
        unit = "wcsc" if value == "9" else "science_avenue"
        r = provider.post("/data/value", data={"indicator": "top_talent", "unit": unit, "period": "2024", "value": value,
                                               "csrf_token": page_csrf(provider, "/data")})
        assert r.status_code == 303, r.text
    analyst = client_for("analyst")
    rows = [int(i) for i in re.findall(r'<tr id="obs-(\d+)">', analyst.get("/approval").text)]
    assert len(rows) == 2
    return analyst, rows[0], rows[1]


def test_a_return_without_a_comment_is_said_at_its_row_and_the_rest_stays(client_for) -> None:  # noqa: ANN001
    analyst, row, other = _submitted_row(client_for)
    _zh(analyst)
    r = analyst.post(f"/approval/{row}/return", data={"comment": "  ", "csrf_token": page_csrf(analyst, "/approval")})
    assert r.status_code == 422
    assert f'id="return-error-{row}"' in r.text and "请说明需要修改什么" in r.text, r.text
    assert f'<tr id="obs-{other}">' in r.text and f'<tr id="obs-{row}">' in r.text  # both still waiting, on the page
    assert latin_words(r.text) == set()
    analyst.headers["accept-language"] = "en"
    r = analyst.post(f"/approval/{row}/return", data={"csrf_token": page_csrf(analyst, "/approval")})
    assert r.status_code == 422 and "say what to fix: returning a value needs a comment" in r.text
    r = analyst.post(f"/approval/{row}/return", data={"comment": "source?", "csrf_token": page_csrf(analyst, "/approval")})
    assert r.status_code == 303
    assert f'<tr id="obs-{row}">' not in analyst.get("/approval").text


def test_a_goal_status_without_evidence_keeps_the_choice_and_says_why(client_for) -> None:  # noqa: ANN001
    analyst = _zh(client_for("analyst"))
    before = analyst.get("/goals").text
    r = analyst.post("/goals/innovation_system", data={"status": "achieved", "evidence": "",
                                                      "csrf_token": page_csrf(analyst, "/goals")})
    assert r.status_code == 422
    section = r.text.split('id="goal-innovation_system"')[1].split("</section>")[0]
    assert 'id="goal-error-innovation_system"' in section and "请说明依据" in section, section
    assert re.search(r'<option value="achieved" selected>', section), section  # the choice as it was sent
    assert r.text.count('role="alert"') == 1 and latin_words(r.text) == set()
    assert len(re.findall(r'<section class="card goal"', r.text)) == len(re.findall(r'<section class="card goal"', before))
    analyst.headers["accept-language"] = "en"
    r = analyst.post("/goals/innovation_system", data={"status": "in_progress", "csrf_token": page_csrf(analyst, "/goals")})
    assert r.status_code == 422 and "give a link to the document or a short note as evidence" in r.text
    assert "achieved" not in analyst.get("/goals").text.split('id="goal-innovation_system"')[1].split('class="badge')[1][:30]


def test_an_upload_with_another_departments_series_names_the_rows_in_chinese(client_for) -> None:  # noqa: ANN001
    provider = _zh(client_for("provider"))
    csv = b"indicator,unit,period,value\ntop_talent,wcsc,2024,9\nrd_expenditure,wcsc,2024,600\nrd_expenditure,wcsc,2023,590\n"
    r = provider.post("/data/upload", data={"csrf_token": page_csrf(provider, "/data")},
                      files={"file": ("x.csv", csv, "text/csv")})
    assert r.status_code == 403 and 'id="data-error"' in r.text
    rows = re.search(r'<ul id="refused-rows">(.*?)</ul>', r.text, re.S).group(1)
    assert re.fullmatch(r'<li><strong title="rd_expenditure">[^<]*[\u4e00-\u9fff][^<]*</strong>：'
                        r'西部（重庆）科学城 2024、西部（重庆）科学城 2023</li>', rows), rows  # each row named, by name
    assert "top_talent" not in rows and "未保存任何内容" in r.text
    assert 'id="value-title"' in r.text and 'action="/data/upload"' in r.text  # the rest of the page is there
    assert latin_words(r.text) == set()


def test_a_status_message_in_the_query_is_never_shown(client_for) -> None:  # noqa: ANN001
    for path in ("/approval", "/data", "/goals", "/account", "/audit"):
        page = client_for("admin").get(f"{path}?message=pay+now&flash=pay+now&msg=pay+now").text
        assert "pay now" not in page, path
