"""The API's 422 answers in the asker's language (``?lang=zh`` or ``Accept-Language: zh``): each problem in
words with its field by its label; ``loc`` and ``type`` stay as pydantic gives them, and English stays as it was."""

from __future__ import annotations

import re

from scicity.store import Database, UserRepository

HAN = re.compile(r"[\u4e00-\u9fff]")


def _bearer(web_settings) -> dict[str, str]:  # noqa: ANN001
    db = Database(web_settings.database_url)
    try:
        return {"Authorization": f"Bearer {UserRepository(db).create_token('analyst', 'zh-api', actor='test')[1]}"}
    finally:
        db.dispose()


def test_a_bad_query_parameter_is_explained_in_chinese_when_asked(client_for) -> None:  # noqa: ANN001
    client = client_for("admin")
    english = client.get("/api/v1/audit?since=2024-02-30").json()["detail"]
    assert english[0]["loc"] == ["query", "since"] and "field" not in english[0]  # pydantic's own answer
    assert HAN.search(english[0]["msg"]) is None
    for query, headers in (("&lang=zh", {}), ("", {"accept-language": "zh-CN,zh;q=0.9"})):
        r = client.get(f"/api/v1/audit?since=2024-02-30{query}", headers=headers)
        assert r.status_code == 422
        (problem,) = r.json()["detail"]
        assert problem["loc"] == ["query", "since"] and problem["type"] == english[0]["type"]
        assert problem["field"] == "起始日期" or HAN.search(problem["field"]), problem
        assert "since" not in problem["field"] and HAN.search(problem["msg"]) and "YYYY-MM-DD" in problem["msg"], problem


def test_a_bad_body_names_the_field_by_its_label_in_chinese(client_for, web_settings) -> None:  # noqa: ANN001
    client = client_for(None)
    client.headers.update(_bearer(web_settings))
    body = {"dry_run": True, "observations": [{"indicator": "grp", "unit": "wcsc", "period": "二〇二三", "value": "多"}]}
    r = client.post("/api/v1/observations?lang=zh", json=body)
    assert r.status_code == 422, r.text
    problems = r.json()["detail"]
    fields = {p["loc"][-1]: p for p in problems}
    assert {"period", "value"} <= set(fields), problems
    for code, p in fields.items():
        if code in ("period", "value"):
            assert code not in p["field"] and HAN.search(p["field"]) and HAN.search(p["msg"]), p
    assert all(not re.search(r"Input should|valid (integer|number)", p["msg"]) for p in problems), problems
    english = client.post("/api/v1/observations", json=body).json()["detail"]
    assert all("field" not in p and HAN.search(p["msg"]) is None for p in english)
