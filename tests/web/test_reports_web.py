"""Reports pages and API: drafts are the writers'; a published report is for every reader and the public view."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import page_csrf


def _post(client: TestClient, path: str, data: dict | None = None):  # noqa: ANN202
    return client.post(path, data={**(data or {}), "csrf_token": page_csrf(client, "/reports")})


def test_draft_to_published_report_for_readers_and_the_public(client_for, make_app) -> None:  # noqa: ANN001
    analyst, viewer = client_for("analyst"), client_for("viewer")
    r = _post(analyst, "/reports", {"kind": "final", "as_of": "2025", "title": "Final <evaluation>"})
    assert r.status_code == 303
    url = r.headers["location"]
    draft_id = int(url.rsplit("/", 1)[1])
    page = analyst.get(url).text
    assert "Final &lt;evaluation&gt;" in page and f"/reports/{draft_id}/file.pdf?lang=zh" in page
    r = _post(analyst, f"{url}/sections", {"revision": "1", "key_0": "recommendations", "title_zh_0": "建议",
                                           "title_en_0": "Advice", "text_zh_0": "一、加快<i>人才</i>引进。", "text_en_0": ""})
    assert r.status_code == 303
    assert viewer.get(f"{url}/file.html?lang=zh").status_code == 403  # not published yet
    assert "Final &lt;evaluation&gt;" not in viewer.get("/reports").text
    xlsx = analyst.get(f"/api/v1/reports/{draft_id}/file?format=xlsx&lang=en")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Indicators"
    assert _post(analyst, f"{url}/publish").status_code == 400  # freeze first
    assert _post(analyst, f"{url}/freeze").status_code == 303
    assert _post(analyst, f"{url}/publish").status_code == 303
    assert _post(analyst, f"{url}/sections", {"revision": "2", "key_0": "free", "title_en_0": "x"}).status_code == 400
    html = viewer.get(f"{url}/preview?lang=zh")
    assert html.status_code == 200 and "一、加快&lt;i&gt;人才&lt;/i&gt;引进。" in html.text and "<i>人才" not in html.text
    assert "Final &lt;evaluation&gt;" in viewer.get("/reports").text
    assert [d["state"] for d in viewer.get("/api/v1/reports").json()] == ["published"]
    public = TestClient(make_app(public_view=True), follow_redirects=False)
    assert public.get(f"/api/v1/reports/{draft_id}/file?format=html&lang=en").status_code == 200
    r = _post(analyst, f"{url}/reissue")
    assert r.status_code == 303 and r.headers["location"] != url
    assert "v2" in analyst.get(r.headers["location"]).text


def test_bad_report_requests(client_for) -> None:  # noqa: ANN001
    analyst = client_for("analyst")
    r = _post(analyst, "/reports", {"kind": "final", "as_of": "2023", "title": "t"})
    assert r.status_code == 400 and "before the target year" in r.text
    r = analyst.get("/api/v1/report?kind=final&format=odt")
    assert r.status_code == 400 and "unknown report format 'odt'" in r.text
    r = analyst.get("/api/v1/report?kind=midterm&as_of=2030&format=xlsx")
    assert r.status_code == 409 and "mid-term review" in r.text
