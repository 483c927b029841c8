"""A bad file uploaded in Chinese: every problem reads in Chinese, at its cell, on the page and in the API;
the same file in English reads as before (one message catalogue, translated where it is shown)."""

from __future__ import annotations

import html as htmllib
import io
import re


from scicity.ingest.problems import ImportRejected, Location, Problem
from scicity.domain.message import Msg
from tests.web.conftest import page_csrf
from tests.web.latin import latin_words

BAD_CSV = ("indicator,unit,period,value\n"
           "talent_total,wcsc,2024,12%\n"
           "talent_total,wcsc,2023年,5\n"
           "nope,wcsc,2023,1\n")


def problem_rows(html: str) -> list[str]:
    return [htmllib.unescape(re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r'<tr class="bad">(.*?)</tr>', html, re.S)]


def test_bad_upload_in_chinese_shows_chinese_problems_at_their_cells(client_for) -> None:  # noqa: ANN001
    client = client_for("analyst")
    client.headers["accept-language"] = "zh-CN,zh;q=0.9"
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client)},
                    files={"file": ("bad.csv", BAD_CSV.encode(), "text/csv")})
    assert r.status_code == 422
    rows = problem_rows(r.text)
    assert len(rows) == 3
    assert "第 2 行" in rows[0] and "“value”列" in rows[0] and "不带“%”符号（计量单位“人”由规划设定）" in rows[0], rows[0]
    assert "第 3 行" in rows[1] and "年" in rows[1]
    assert "第 4 行" in rows[2] and "规划中没有指标或数据序列 'nope'" in rows[2]
    for row in rows:  # nothing English but the cells as typed and the ids
        words = latin_words(f"<p>{row}</p>") - {"talent_total", "wcsc", "nope", "indicator", "period", "value"}
        assert not words, row
    # the grid of the file marks the bad cells with the Chinese message
    assert re.search(r'class="bad" title="[^"]*规划中没有指标或数据序列', r.text)


def test_the_same_file_in_english_reads_in_english(client_for) -> None:  # noqa: ANN001
    client = client_for("analyst")
    client.headers["accept-language"] = "en"
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client)},
                    files={"file": ("bad.csv", BAD_CSV.encode(), "text/csv")})
    rows = problem_rows(r.text)
    assert "the plan has no indicator or series 'nope'" in rows[2]
    assert not re.search(r"[\u4e00-\u9fff]", rows[2])


def test_registry_upload_and_api_in_chinese(registry_client) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    client.headers["accept-language"] = "zh-CN"
    body = "code,name_zh,type,level,unit,recognised_on\nX1,某实验室,key_lab,municipal,science_avenue,2023/13/45\n"
    r = client.post("/registries/institutions/upload", data={"csrf_token": page_csrf(client)},
                    files={"file": ("inst.csv", body.encode(), "text/csv")})
    assert r.status_code == 422
    row = problem_rows(r.text)[0]
    assert "inst.csv" in row and "第 2 行" in row and "没有这一天" in row
    # the API answers in the language asked (?lang= or Accept-Language); ids and places stay as they are
    api = registry_client("analyst")
    for headers, query in (({"accept-language": "zh-CN"}, ""), ({}, "?lang=zh")):
        r = api.post(f"/api/v1/registries/institutions{query}", headers={**headers, "X-CSRF-Token": page_csrf(api)},
                     files={"file": ("inst.csv", body.encode(), "text/csv")}, data={"dry_run": "true"})
        assert r.status_code == 422, r.text
        answer = r.json()
        assert answer["problems"][0]["row"] == 2 and answer["problems"][0]["column"] == "recognised_on"
        assert "没有这一天" in answer["problems"][0]["message"] and "inst.csv：1 个问题" in answer["detail"]
    r = api.post("/api/v1/registries/institutions?lang=xx", headers={"X-CSRF-Token": page_csrf(api)},
                 files={"file": ("inst.csv", body.encode(), "text/csv")}, data={"dry_run": "true"})
    assert "no such day" in r.json()["problems"][0]["message"]  # an unknown language code: the default


def test_rejected_file_text_in_both_languages() -> None:
    problems = [Problem(Location("a.xlsx", "数据", 3, "C"), Msg("merged cells {cells}; unmerge them", cells="C3:C4"))]
    exc = ImportRejected(problems, "a.xlsx")
    assert str(exc) == "a.xlsx: 1 problem; nothing was imported.\n  - a.xlsx, sheet '数据', row 3, column 'C': " \
                       "merged cells C3:C4; unmerge them"
    assert exc.text("read", "zh") == ("a.xlsx：1 个问题；未读取任何内容。\n"
                                      "  - a.xlsx，工作表“数据”，第 3 行，“C”列：合并单元格 C3:C4；请取消合并")


def test_template_download_for_one_unit_in_chinese(client_for) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    client = client_for("analyst")
    client.headers["accept-language"] = "zh-CN"
    r = client.get("/data/template.xlsx?unit=science_avenue")
    assert r.status_code == 200 and "science_avenue" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "说明" and [c.value for c in wb[wb.sheetnames[1]][1]][:4] == ["编号", "名称（中文）", "英文名称", "计量单位"]
    meta = {row[0].value: row[1].value for row in wb["_scicity"].iter_rows() if len(row) > 1}
    assert meta["unit"] == "science_avenue"
    r = client.get("/data/template.xlsx?unit=chengdu")
    assert r.status_code == 400 and "规划中没有地区 'chengdu'" in htmllib.unescape(r.text)


def test_registries_api_text_fields_in_the_language_asked(registry_client) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    zh = client.get("/api/v1/registries/institutions?limit=3&lang=zh").json()
    en = client.get("/api/v1/registries/institutions?limit=3", headers={"accept-language": "en"}).json()
    assert zh["records"] == en["records"]  # ids stay ids
    assert zh["labels"]["type"] == "类型" and en["labels"]["type"] == "Type"
    first = zh["records"][0]
    assert first["type"] == "key_lab" and zh["words"][0]["type"] == "重点实验室" and en["words"][0]["type"] == "key laboratory"
    assert zh["words"][0]["unit"] != first["unit"] and re.search(r"[\u4e00-\u9fff]", zh["words"][0]["unit"])


def test_explain_api_text_in_chinese_ids_kept(registry_client) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    zh = client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023, "lang": "zh"}).json()
    en = client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023},
                    headers={"accept-language": "en"}).json()
    assert zh["id"] == en["id"] == "key_labs" and zh["unit"] == en["unit"] and zh["value"] == en["value"]
    assert re.search(r"[\u4e00-\u9fff]", zh["name"]) and re.search(r"[\u4e00-\u9fff]", zh["definition"])
    assert zh["measure"] != en["measure"] and re.search(r"[\u4e00-\u9fff]", zh["measure"])
    assert "重点实验室" in zh["registry"][0]["described"] and "key_lab" in en["registry"][0]["described"]
    assert zh["registry"][0]["definition"] == en["registry"][0]["definition"]  # the definition itself: ids
