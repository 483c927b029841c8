"""What a new user hit (issue 8, item 4), each bullet end to end through the pages, in Chinese and English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from scicity.domain.message import LABEL_TEXT
from tests.web.conftest import PASSWORD, login, page_csrf
from tests.web.latin import latin_words

ZH = {"accept-language": "zh-CN,zh;q=0.9"}


def _rows(html: str) -> list[str]:
    body = html.split('id="audit-table"')[1].split("</table>\n<nav")[0]
    return re.findall(r"<tr><td class=\"nowrap\">.*?</tr>(?=\n)", body, re.S)  # a row's own diff table inside


def test_the_audit_log_pages_filters_and_reads_differences(client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")
    empty = admin.get("/audit?actor=&indicator=&since=&until=&action=&entity=", headers=ZH)
    assert empty.status_code == 200 and 'id="audit-error"' not in empty.text  # empty dates are no filter
    assert latin_words(empty.text) == set()
    first = admin.get("/audit?limit=5").text
    second = admin.get("/audit?limit=5&page=2").text
    assert len(_rows(first)) == len(_rows(second)) == 5 and _rows(first) != _rows(second)
    assert 'rel="next"' in first and 'rel="prev"' not in first and 'rel="prev"' in second
    assert "‹ Previous</a> · <span>page 2</span>" in second  # the pager's words apart, the page said
    assert re.search(r'href="/audit\?limit=5&amp;page=3" rel="next"', second)
    # filters by action and by record kind (a select of each, in words)
    revised = admin.get("/audit?action=observation.revise").text
    rows = _rows(revised)
    assert rows and all('title="observation.revise">value corrected<' in r for r in rows), rows[:2]
    assert '<option value="observation.revise" selected>' in revised
    assert admin.get("/audit?entity=user").text.count('title="user.create"') == len(_rows(admin.get("/audit?entity=user").text)) > 0
    assert _rows(admin.get("/audit?entity=plan&action=observation.revise").text) == []
    # before/after as the fields that changed, by name, with an arrow: no raw JSON
    diff = rows[0].split('<table class="diff small">')[1]
    assert re.search(r'<th scope="row">value</th><td class="old" translate="no">[\d.,]+</td><td aria-hidden="true">→</td>'
                     r'<td class="new" translate="no">[\d.,]+</td>', diff), diff
    assert '<th scope="row">vintage</th>' in diff and "{" not in diff and "&#34;indicator&#34;" not in revised
    zh = admin.get("/audit?action=observation.revise", headers=ZH).text
    assert '<option value="observation.revise" selected>' in zh and latin_words(zh) == set()
    bad = admin.get("/audit?since=2024-13-01", headers=ZH)
    assert bad.status_code == 422 and 'id="audit-error"' in bad.text and 'value="2024-13-01"' in bad.text


def test_every_signed_in_user_has_an_account_page_with_password_and_own_tokens(client_for, app) -> None:  # noqa: ANN001
    for role in ("viewer", "provider", "analyst", "admin"):
        user = client_for(role)
        page = user.get("/account", headers=ZH)
        assert page.status_code == 200 and 'action="/account/password"' in page.text and 'action="/account/token"' in page.text
        assert latin_words(page.text) == set(), role
        made = user.post("/account/token", data={"name": f"{role}-laptop", "csrf_token": page_csrf(user, "/account")})
        assert made.status_code == 200, made.text
        token = re.search(r"sct_[A-Za-z0-9_\-]+", made.text).group(0)
        with TestClient(app) as api:
            own = api.get("/api/v1/indicators/rd_intensity/series", headers={"authorization": f"Bearer {token}"})
            assert own.status_code == 200, own.text
        assert f"{role}-laptop" in user.get("/account").text
    viewer = client_for("viewer")
    csrf = page_csrf(viewer, "/account")
    wrong = viewer.post("/account/password", data={"current": "nope", "new": "a new long passphrase", "repeat":
                                                   "a new long passphrase", "csrf_token": csrf}, headers=ZH)
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text and latin_words(wrong.text) == set()
    done = viewer.post("/account/password", data={"current": PASSWORD, "new": "a new long passphrase",
                                                  "repeat": "a new long passphrase", "csrf_token": csrf})
    assert done.status_code == 303
    with TestClient(app, follow_redirects=False) as again:
        login(again, "viewer", "a new long passphrase")


def test_enter_a_value_from_an_indicator_page_preselects_the_indicator_and_unit(client_for) -> None:  # noqa: ANN001
    provider = client_for("provider")
    page = provider.get("/indicators/top_talent?unit=science_avenue").text
    link = re.search(r'<a href="(/data\?indicator=top_talent&amp;unit=[a-z_]+)">Enter or correct a value</a>', page)
    assert link, "no link to the value form"
    data = provider.get(link.group(1).replace("&amp;", "&")).text
    form = data.split('id="value-title"')[1]
    assert re.search(r'<option value="top_talent"[^>]*selected>', form)
    unit = re.search(r"unit=([a-z_]+)", link.group(1)).group(1)
    assert re.search(rf'<option value="{unit}" selected>', form), unit


def test_the_opensdg_headline_reads_in_words(client_for) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    for headers in ({}, ZH):
        for path in ("/?method=opensdg", "/indicators/high_tech_enterprises?method=opensdg",
                     "/indicators/rd_intensity?method=opensdg"):
            text = " ".join(re.sub(r"<[^>]+>", " ", viewer.get(path, headers=headers).text).split())
            codes = [c for c in LABEL_TEXT if "_" in c and c in text]
            assert not codes, (path, codes)


def test_pager_words_are_apart_and_progress_labels_do_not_wrap(registry_client) -> None:  # noqa: ANN001
    viewer = registry_client("viewer")
    second = viewer.get("/registries/patents?page=2").text
    assert re.search(r'rel="prev">‹ Previous</a> · ', second) and "previouspage" not in second.lower()
    assert re.search(r'rel="prev">‹ 上一页</a>', viewer.get("/registries/patents?page=2", headers=ZH).text)
    overview = viewer.get("/").text
    labels = re.findall(r'<span class="muted nowrap">(\d+) %</span>', overview)
    assert labels, "no progress label"
    css = viewer.get("/static/app.css").text
    assert re.search(r"^\.nowrap \{ white-space: nowrap; \}", css, re.M)  # on a phone too (not in the media query)


def test_an_unknown_registry_is_not_found(registry_client) -> None:  # noqa: ANN001
    viewer = registry_client("viewer")
    for headers in ({}, ZH):
        r = viewer.get("/registries/unknown", headers=headers)
        assert r.status_code == 404, r.status_code
    api = viewer.get("/api/v1/registries/unknown")  # the API as the page: no such registry
    assert api.status_code == 404 and "'unknown'" in api.json()["detail"] and "'patents'" in api.json()["detail"]
    assert " or " not in api.json()["detail"]
    zh = viewer.get("/api/v1/registries/unknown?lang=zh").json()["detail"]
    assert zh.startswith("没有 ") and "可用的有" in zh, zh
    assert viewer.get("/api/v1/registries/patents?limit=x").status_code == 422  # a bad query stays a 422


def test_the_series_api_returns_the_points_of_a_formula_indicator(client_for) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    body = viewer.get("/api/v1/indicators/rd_intensity/series").json()
    chart = viewer.get("/indicators/rd_intensity").text
    assert body["points"] and all(p["value"] is not None for p in body["points"])
    years = {p["period"] for p in body["points"]}
    assert {2020, 2021, 2022, 2023} <= years
    assert "rd_intensity" in chart
