"""The registry pages and API: index, paged and filtered tables, downloads, upload → dry run → confirm, the API."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from scicity.settings import Settings
from scicity.store import Database
from scicity.store.registries import RegistryRepository
from tests.web.conftest import page_csrf

GOOD_CODE = "91350100M000100Y43"  # passes the GB 32100-2015 check
BAD_CODE = "91350100M000100Y44"  # wrong check character


def repo(settings: Settings) -> RegistryRepository:
    return RegistryRepository(Database(settings.database_url))


def total_on(html: str) -> int:
    match = re.search(r'id="registry-total">([\d,]+)', html)
    assert match, "no record total on the page"
    return int(match.group(1).replace(",", ""))


def table_rows(html: str) -> list[str]:
    body = html.split('id="registry-table"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)


def test_index_counts_every_registry(registry_client, registry_settings) -> None:  # noqa: ANN001
    html = registry_client("viewer").get("/registries").text
    r = repo(registry_settings)
    for kind in ("institutions", "enterprises", "certifications", "talent", "patents", "financials"):
        row = re.search(rf'id="registry-{kind}">(.*?)</tr>', html, re.S)
        assert row, kind
        assert f"{r.count(kind):,}" in row.group(1), kind
    assert 'href="/registries"' in registry_client("viewer").get("/").text  # in the navigation


@pytest.mark.parametrize("kind", ["institutions", "enterprises", "certifications", "talent", "patents", "financials"])
def test_each_registry_page_shows_50_rows_and_the_total(registry_client, registry_settings, kind: str) -> None:  # noqa: ANN001
    html = registry_client("provider").get(f"/registries/{kind}").text
    total = repo(registry_settings).count(kind)
    assert total_on(html) == total > 0
    assert len(table_rows(html)) == min(50, total)
    assert f"/registries/{kind}/export.csv" in html
    assert "upload-button" not in html  # providers read registries, they do not import them


def test_paging_and_filters(registry_client, registry_settings) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    first = client.get("/registries/patents").text
    second = client.get("/registries/patents?page=2").text
    assert table_rows(first) != table_rows(second) and 'rel="prev"' in second and 'rel="next"' in first
    # valid at a date, in one unit: the same as the repository's own filter
    r = repo(registry_settings)
    at = "2023-12-31"
    html = client.get(f"/registries/patents?valid_at={at}&unit=science_avenue").text
    from datetime import date

    expected = len(r.list("patents", units={"science_avenue"}, valid_at=date.fromisoformat(at)))
    assert total_on(html) == expected < r.count("patents")
    # a unit with sub-units counts them all
    assert total_on(client.get("/registries/patents?unit=wcsc").text) == r.count("patents")
    # text search on name / code, case-insensitive
    one = r.list("enterprises", limit=1)[0]
    html = client.get(f"/registries/enterprises?q={one.credit_code.lower()}").text
    assert total_on(html) == 1 and one.credit_code in html
    html = client.get("/registries/enterprises", params={"q": "示例"}).text
    assert total_on(html) == r.count("enterprises")
    # bad filters: a clear 400, not a 500
    assert client.get("/registries/patents?unit=atlantis").status_code == 400
    assert client.get("/registries/patents?valid_at=2023-05").status_code == 400
    assert client.get("/registries/enterprises?valid_at=2023-05-01").status_code == 400
    assert client.get("/registries/dragons").status_code == 404  # an unknown registry is not found


@pytest.mark.parametrize("q", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE enterprises; --", '"><script>alert(1)</script>'])
def test_sql_metacharacters_and_markup_in_search_are_harmless(registry_client, registry_settings, q: str) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    r = client.get("/registries/enterprises", params={"q": q})
    assert r.status_code == 200
    assert total_on(r.text) == 0  # wildcards are matched literally, quotes are data
    assert "<script>alert(1)</script>" not in r.text
    api = client.get("/api/v1/registries/enterprises", params={"q": q}).json()
    assert api["total"] == 0
    assert repo(registry_settings).count("enterprises") > 0  # nothing dropped


def test_downloads_are_the_filtered_registry_and_import_back_unchanged(registry_client, registry_settings) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    r = client.get("/registries/patents/export.csv?unit=science_avenue&valid_at=2025-12-31")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["number", "type", "granted_on"]
    assert len(rows) - 1 == total_on(client.get("/registries/patents?unit=science_avenue&valid_at=2025-12-31").text)
    r = client.get("/registries/institutions/export.xlsx")
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) - 1 == repo(registry_settings).count("institutions")
    assert client.get("/registries/patents/export.pdf").status_code == 400
    # the XLSX goes back through the upload as 0 new, 0 changed
    analyst = registry_client("analyst")
    r = analyst.post("/registries/institutions/upload", data={"csrf_token": page_csrf(analyst)},
                     files={"file": ("institutions.xlsx", r.content)})
    assert r.status_code == 200
    assert '<span class="change-new">0 ' in r.text and '<span class="change-changed">0 ' in r.text
    assert "confirm-upload" not in r.text


def test_upload_with_a_bad_credit_code_names_row_and_column_and_writes_nothing(registry_client, registry_settings) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    before = repo(registry_settings).count("enterprises")
    body = f"credit_code,name_zh,unit\n{GOOD_CODE},好企业（示例）,science_avenue\n{BAD_CODE},坏企业,science_avenue\n"
    r = client.post("/registries/enterprises/upload", data={"csrf_token": page_csrf(client)},
                    files={"file": ("new-ents.csv", body.encode(), "text/csv")})
    assert r.status_code == 422
    problem = re.search(r'<tr class="bad">(.*?)</tr>', r.text, re.S).group(1)
    assert "new-ents.csv" in problem and "row 3" in problem and "column credit_code" in problem
    assert "check character should be" in problem
    assert 'class="bad" title=' in r.text  # the cell is marked on the grid of the file
    assert "confirm-upload" not in r.text
    assert repo(registry_settings).count("enterprises") == before
    assert not list((registry_settings.data_dir / "registry-uploads").iterdir())  # nothing kept


def test_upload_dry_run_then_confirm_writes_all_at_once(registry_client, registry_settings) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    r = repo(registry_settings)
    before = r.count("enterprises")
    known = r.list("enterprises", limit=1)[0]
    body = (f"credit_code,name_zh,unit\n{GOOD_CODE},新企业（示例）,science_avenue\n"
            f"{known.credit_code},改名（示例）,{known.unit}\n")
    page = client.post("/registries/enterprises/upload", data={"csrf_token": page_csrf(client)},
                       files={"file": ("ents.csv", body.encode(), "text/csv")})
    assert page.status_code == 200
    assert '<span class="change-new">1 ' in page.text and '<span class="change-changed">1 ' in page.text
    assert "改名（示例）" in page.text  # the changed field, old and new
    assert r.count("enterprises") == before  # a dry run writes nothing
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page.text).group(1)
    # someone else cannot confirm it
    other = registry_client("admin")
    assert other.post("/registries/enterprises/confirm",
                      data={"csrf_token": page_csrf(other), "upload_id": upload_id}).status_code == 400
    done = client.post("/registries/enterprises/confirm", data={"csrf_token": page_csrf(client), "upload_id": upload_id})
    assert done.status_code == 303 and done.headers["location"] == "/registries/enterprises?new=1&changed=1"
    assert 'id="registry-message"' in client.get(done.headers["location"]).text
    assert r.count("enterprises") == before + 1
    assert {e.credit_code: e.name_zh for e in r.list("enterprises")}[known.credit_code] == "改名（示例）"
    # confirmed once only
    again = client.post("/registries/enterprises/confirm", data={"csrf_token": page_csrf(client), "upload_id": upload_id})
    assert again.status_code == 400


def test_viewers_and_providers_cannot_upload(registry_client, registry_settings) -> None:  # noqa: ANN001
    body = f"credit_code,name_zh,unit\n{GOOD_CODE},新企业（示例）,science_avenue\n".encode()
    for who in ("viewer", "provider"):
        client = registry_client(who)
        r = client.post("/registries/enterprises/upload", data={"csrf_token": page_csrf(client)},
                        files={"file": ("ents.csv", body, "text/csv")})
        assert r.status_code == 403, who
    assert GOOD_CODE not in repo(registry_settings).known_credit_codes({GOOD_CODE})


def test_chinese_pages(registry_client) -> None:  # noqa: ANN001
    client = registry_client("analyst")
    client.post("/lang", data={"lang": "zh", "next": "/registries", "csrf_token": page_csrf(client)})
    assert "机构与平台" in client.get("/registries").text
    html = client.get("/registries/enterprises").text
    assert "统一社会信用代码" in html and "导入文件" in html and "条记录" in html


def test_api_list_is_paged_and_filtered(registry_client, registry_settings) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    r = repo(registry_settings)
    body = client.get("/api/v1/registries/talent?limit=10&offset=5").json()
    assert body["total"] == r.count("talent") and body["limit"] == 10 and body["offset"] == 5
    assert len(body["records"]) == 10
    assert set(body["records"][0]) == {"person_id", "tier", "programme", "introduced_on", "departed_on", "unit"}
    everything = client.get("/api/v1/registries/talent?limit=15").json()["records"]
    assert everything[5:15] == body["records"]
    valid = client.get("/api/v1/registries/certifications?valid_at=2025-12-31&unit=science_avenue").json()
    assert 0 < valid["total"] < r.count("certifications")
    assert client.get("/api/v1/registries/patents?unit=atlantis").status_code == 400
    assert client.get("/api/v1/registries/patents?limit=0").status_code == 422
    assert registry_client(None).get("/api/v1/registries/patents").status_code == 401


def test_api_import_dry_run_import_422_and_403(registry_client, registry_settings) -> None:  # noqa: ANN001
    r = repo(registry_settings)
    before = r.count("enterprises")
    good = f"credit_code,name_zh,unit\n{GOOD_CODE},新企业（示例）,science_avenue\n".encode()
    bad = f"credit_code,name_zh,unit\n{BAD_CODE},坏企业,science_avenue\n".encode()
    analyst = registry_client("analyst")
    headers = {"X-CSRF-Token": page_csrf(analyst)}
    res = analyst.post("/api/v1/registries/enterprises", headers=headers, data={"dry_run": "true"},
                       files={"file": ("bad.csv", bad, "text/csv")})
    assert res.status_code == 422
    problem = res.json()["problems"][0]
    assert (problem["file"], problem["row"], problem["column"]) == ("bad.csv", 2, "credit_code")
    assert res.json()["total"] == 1
    res = analyst.post("/api/v1/registries/enterprises", headers=headers, data={"dry_run": "true"},
                       files={"file": ("good.csv", good, "text/csv")})
    assert res.status_code == 200 and res.json()["counts"] == {"new": 1, "changed": 0, "unchanged": 0}
    assert res.json()["dry_run"] is True and r.count("enterprises") == before
    res = analyst.post("/api/v1/registries/enterprises", headers=headers, files={"file": ("good.csv", good, "text/csv")})
    assert res.status_code == 200 and res.json()["batch_id"] and r.count("enterprises") == before + 1
    viewer = registry_client("viewer")
    res = viewer.post("/api/v1/registries/enterprises", headers={"X-CSRF-Token": page_csrf(viewer)},
                      files={"file": ("good.csv", good, "text/csv")})
    assert res.status_code == 403
    # a certification of an enterprise that is not in the registry: 422, nothing written
    certs = f"credit_code,kind,valid_from\n{BAD_CODE[:-1]}0,high_tech,2023-05-01\n".encode()
    res = analyst.post("/api/v1/registries/certifications", headers=headers,
                       files={"file": ("certs.csv", certs, "text/csv")})
    assert res.status_code == 422 and res.json()["problems"]


def test_public_view_shows_registry_counts_not_records(registry_settings) -> None:  # noqa: ANN001
    from scicity.web.app import create_app

    public = TestClient(create_app(registry_settings.model_copy(update={"public_view": True})), follow_redirects=False)
    assert public.get("/registries").status_code == 200  # the counts
    for path in ("/registries/talent", "/registries/financials", "/registries/patents", "/registries/talent/export.csv",
                 "/indicators/top_talent/entities?period=2023"):
        assert public.get(path).status_code == 303, path
    for path in ("/api/v1/registries/talent", "/api/v1/registries/financials",
                 "/api/v1/indicators/top_talent/explain?period=2023"):
        assert public.get(path).status_code == 401, path
    page = public.get("/indicators/top_talent").text
    assert 'id="entities"' not in page and "P0" not in page  # no person ids behind the count
    private = TestClient(create_app(registry_settings), follow_redirects=False)
    assert private.get("/registries/patents").status_code == 303
