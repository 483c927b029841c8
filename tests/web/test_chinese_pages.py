"""Every page, for every role, in Chinese: no Latin-script word outside the short list of proper terms.

Renders the pages a person can reach (the overview with each method, every
indicator, the geography, goals, every registry, data, approval, audit, admin,
account, sign-in and the error pages) with ``Accept-Language: zh-CN`` and fails
on any visible English word (see :mod:`tests.web.latin` for what is not counted).
"""

from __future__ import annotations

import pytest

from scicity.assess import methods
from scicity.domain.registries import RegistryKind
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans
from scicity.ingest.plan_file import load_plan_file
from tests.web.latin import latin_words

PLAN = load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan
PAGES = [
    "/", *[f"/?method={m}" for m in methods()], "/?as_of=2022",
    *[f"/indicators/{i.id}" for i in PLAN.indicators if i.targets],
    "/indicators/key_labs?period=2023", "/geography", "/goals", "/registries",
    *[f"/registries/{k.value}" for k in RegistryKind],
    "/data", "/approval", "/audit", "/admin", "/account",
    "/indicators/no_such_indicator", "/registries/unknown",
]
ROLES = ("viewer", "provider", "analyst", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_chinese(registry_client, role: str) -> None:  # noqa: ANN001
    client = registry_client(role)
    client.headers["accept-language"] = "zh-CN,zh;q=0.9"
    english: dict[str, set[str]] = {}
    for path in PAGES:
        r = client.get(path)
        if r.status_code in (303, 401, 403):  # not for this role: the refusal page is checked below
            continue
        assert r.headers["content-type"].startswith("text/html"), (path, r.status_code)
        words = latin_words(r.text, typed=path if r.status_code >= 400 else "")
        if words:
            english[f"{path} ({r.status_code})"] = words
    assert not english, "English words on Chinese pages:\n" + "\n".join(
        f"  {p}: {' '.join(sorted(w))}" for p, w in english.items())


def test_sign_in_and_refusal_pages_read_in_chinese(registry_client) -> None:  # noqa: ANN001
    anonymous = registry_client(None)
    anonymous.headers["accept-language"] = "zh-CN"
    assert latin_words(anonymous.get("/login").text) == set()
    viewer = registry_client("viewer")
    viewer.headers["accept-language"] = "zh-CN"
    r = viewer.get("/admin")
    assert r.status_code == 403 and latin_words(r.text) == set()


def test_the_allowlist_test_can_fail() -> None:
    assert latin_words("<p>目标 <span>on track</span></p>") == {"on", "track"}
    assert latin_words('<p>目标 <span translate="no">Test admin</span> R&amp;D</p>') == set()


def test_series_of_a_formula_indicator_has_the_plotted_points(client_for) -> None:  # noqa: ANN001
    body = client_for("viewer").get("/api/v1/indicators/rd_intensity/series").json()
    assert len(body["points"]) >= 5 and all(p["how"] == "computed" for p in body["points"])
    first = body["points"][0]
    assert first["period"] == 2020 and "/" in first["formula"]


def test_api_errors_in_chinese_when_asked(client_for) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    english = viewer.get("/api/v1/indicators/nope/series").json()["detail"]
    chinese = viewer.get("/api/v1/indicators/nope/series?lang=zh").json()["detail"]
    assert "has no indicator" in english and "没有指标" in chinese


def test_status_messages_never_come_from_the_query(client_for) -> None:  # noqa: ANN001
    page = client_for("analyst").get("/approval?message=<b>pay+now</b>").text
    assert "pay now" not in page and "pay+now" not in page
