"""The permission matrix: every route × every role (and anonymous), expected status codes from one table."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import page_csrf

ROLES = ("anonymous", "viewer", "provider", "analyst", "admin")
ALL = dict.fromkeys(ROLES[1:], 200)
READ_PAGE = {"anonymous": 303, **ALL}
READ_API = {"anonymous": 401, **ALL}


def only(allowed: tuple[str, ...], ok: int, *, anon: int = 303, denied: int = 403) -> dict[str, int]:
    return {"anonymous": anon, **{r: ok if r in allowed else denied for r in ROLES[1:]}}


ENTRY = ("provider", "analyst", "admin")
REVIEW = ("analyst", "admin")

#: (method, path, body kind, body) -> expected status per role
MATRIX: list[tuple[str, str, str | None, dict | None, dict[str, int]]] = [
    ("GET", "/login", None, None, dict.fromkeys(ROLES, 200)),
    ("GET", "/api/docs", None, None, dict.fromkeys(ROLES, 200)),
    ("GET", "/api/openapi.json", None, None, dict.fromkeys(ROLES, 200)),
    ("GET", "/", None, None, READ_PAGE),
    ("GET", "/?as_of=2023&method=eurostat", None, None, READ_PAGE),
    ("GET", "/indicators/rd_intensity", None, None, READ_PAGE),
    ("GET", "/indicators/key_labs?period=2023", None, None, READ_PAGE),
    ("GET", "/indicators/key_labs/entities?period=2023&page=2", None, None, READ_PAGE),
    ("GET", "/geography", None, None, READ_PAGE),
    ("GET", "/goals", None, None, READ_PAGE),
    ("GET", "/registries", None, None, READ_PAGE),
    ("GET", "/registries/enterprises?q=x&unit=wcsc", None, None, READ_PAGE),
    ("GET", "/registries/patents?valid_at=2025-12-31", None, None, READ_PAGE),
    ("GET", "/registries/talent/export.csv", None, None, READ_PAGE),
    ("GET", "/registries/institutions/export.xlsx", None, None, READ_PAGE),
    ("GET", "/api/v1/registries/enterprises", None, None, READ_API),
    ("POST", "/registries/enterprises/upload", "form", {}, only(REVIEW, 422, anon=401)),
    ("POST", "/registries/enterprises/confirm", "form", {"upload_id": "x" * 32}, only(REVIEW, 400, anon=401)),
    ("POST", "/api/v1/registries/enterprises", "form", {"dry_run": "true"}, only(REVIEW, 422, anon=401)),
    ("GET", "/cultivation", None, None, READ_PAGE),
    ("GET", "/cultivation/pool?tier=high_tech&year=2025", None, None, READ_PAGE),
    ("GET", "/cultivation/pool.xlsx?tier=gazelle", None, None, READ_PAGE),
    ("GET", "/cultivation/expiry", None, None, READ_PAGE),
    ("GET", "/cultivation/enterprises/91500000MA5U0000X1", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/api/v1/cultivation/rules", None, None, READ_API),
    ("GET", "/api/v1/cultivation/enterprises/91500000MA5U0000X1", None, None,
     {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/api/v1/cultivation/pool?tier=high_tech", None, None, only(ROLES[1:], 404, anon=401)),
    ("GET", "/api/v1/cultivation/funnel", None, None, only(ROLES[1:], 404, anon=401)),
    ("GET", "/api/v1/cultivation/expiry", None, None, only(ROLES[1:], 404, anon=401)),
    ("GET", "/api/v1/cultivation/projection?tier=high_tech&year=2027", None, None, only(ROLES[1:], 404, anon=401)),
    ("GET", "/data", None, None, only(ENTRY, 200)),
    ("GET", "/data/template.xlsx", None, None, only(ENTRY, 200)),
    ("GET", "/data/template.xlsx?unit=science_avenue", None, None, only(ENTRY, 200)),
    ("GET", "/approval", None, None, only(REVIEW, 200)),
    ("GET", "/audit", None, None, only(REVIEW, 200)),
    ("GET", "/admin", None, None, only(("admin",), 200)),
    ("GET", "/api/v1/me", None, None, READ_API),
    ("GET", "/api/v1/plans", None, None, READ_API),
    ("GET", "/api/v1/plans/wcsc-14fyp-sti", None, None, READ_API),
    ("GET", "/api/v1/indicators", None, None, READ_API),
    ("GET", "/api/v1/indicators/rd_expenditure/series", None, None, READ_API),
    ("GET", "/api/v1/indicators/rd_expenditure/explain?period=2023", None, None, READ_API),
    ("GET", "/api/v1/indicators/key_labs/explain?period=2023&page=2", None, None, READ_API),
    ("GET", "/api/v1/observations", None, None, READ_API),
    ("GET", "/api/v1/observations?status=any", None, None, only(ENTRY, 200, anon=401)),
    ("GET", "/api/v1/assessments", None, None, READ_API),
    ("GET", "/api/v1/audit", None, None, only(REVIEW, 200, anon=401)),
    ("POST", "/data/value", "form", {"indicator": "top_talent", "unit": "wcsc", "period": "2024", "value": "12"},
     only(ENTRY, 303, anon=401)),
    ("POST", "/approval/999999/approve", "form", {}, only(REVIEW, 400, anon=401)),
    ("POST", "/approval/999999/return", "form", {"comment": "why"}, only(REVIEW, 400, anon=401)),
    ("POST", "/goals/innovation_system", "form", {"status": "in_progress", "evidence": "https://example.org/a.pdf"},
     only(REVIEW, 303, anon=401)),
    ("POST", "/admin/public-fields", "form", {"kind": "institutions", "field": "name_zh"}, only(("admin",), 303, anon=401)),
    ("POST", "/admin/public-fields", "form", {"kind": "talent", "field": "person_id"}, only(("admin",), 400, anon=401)),
    ("POST", "/admin/public-fields", "form", {"kind": "financials", "field": "revenue"}, only(("admin",), 400, anon=401)),
    ("POST", "/admin/public-fields", "form", {"kind": "enterprises", "field": "no_such_field"},
     only(("admin",), 400, anon=401)),
    ("POST", "/admin/departments", "form", {"department_id": "tech", "name": "Tech bureau"}, only(("admin",), 303, anon=401)),
    ("POST", "/admin/users", "form", {"username": "newbie", "password": "a-long-password", "role": "viewer"},
     only(("admin",), 303, anon=401)),
    ("POST", "/api/v1/observations", "json",
     {"observations": [{"indicator": "top_talent", "unit": "wcsc", "period": 2024, "value": 12}], "dry_run": True},
     only(ENTRY, 200, anon=401)),
    ("POST", "/api/v1/observations/999999/approve", "json", {}, only(REVIEW, 404, anon=401)),
    ("POST", "/api/v1/observations/999999/return", "json", {"comment": "fix it"}, only(REVIEW, 404, anon=401)),
    ("POST", "/account/token", "form", {"name": "mine"}, {"anonymous": 401, **ALL}),
    ("GET", "/next-plan", None, None, READ_PAGE),
    ("POST", "/next-plan/draft", "form", {"period": "2025-2029"}, only(REVIEW, 400, anon=401)),
    ("GET", "/next-plan/nope", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("POST", "/next-plan/nope/try/rd_intensity", "form", {"value": "6"}, {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("POST", "/next-plan/nope/targets/rd_intensity", "form", {"value": "6", "revision": "1"}, only(REVIEW, 400, anon=401)),
    ("POST", "/next-plan/nope/targets/rd_intensity/comments", "form", {"body": "x"}, only(REVIEW, 400, anon=401)),
    ("POST", "/next-plan/nope/state", "form", {"to": "consultation"}, only(REVIEW, 400, anon=401)),
    ("GET", "/next-plan/nope/export.yaml", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/next-plan/nope/export.xlsx", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    # exchange platform: the catalogue is public; the rest needs a sign-in; publishing needs an operator
    ("GET", "/exchange", None, None, dict.fromkeys(ROLES, 200)),
    ("GET", "/exchange/match?q=battery", None, None, READ_PAGE),
    ("GET", "/exchange/deals", None, None, READ_PAGE),
    ("GET", "/exchange/new/needs", None, None, READ_PAGE),
    ("POST", "/exchange/new/needs", "form", {"code": "N-X", "title_zh": "测试"},
     {"anonymous": 401, **dict.fromkeys(ROLES[1:], 403)}),  # signed in, but acting for no organisation
    ("POST", "/exchange/interest", "form", {"achievement": "NONE"}, {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("POST", "/exchange/deals/NONE/move", "form", {"stage": "contacted"},
     {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("POST", "/exchange/needs/NONE/publish", "form", {}, only(REVIEW, 404, anon=401)),
    # forms for experts, facilities, talent exchanges: an organisation's own, the operator's all
    ("GET", "/exchange/records/experts/new", None, None, {"anonymous": 303, "viewer": 403, "provider": 403,
                                                           "analyst": 200, "admin": 200}),
    ("GET", "/exchange/records/facilities/NONE", None, None, READ_PAGE | dict.fromkeys(ROLES[1:], 404)),
    ("POST", "/exchange/records/talent_exchanges", "form", {"code": "TX-X"},
     {"anonymous": 401, "viewer": 403, "provider": 403, "analyst": 400, "admin": 400}),
    ("GET", "/api/v1/exchange/achievements", None, None, READ_API),
    ("GET", "/api/v1/exchange/needs", None, None, READ_API),
    ("GET", "/api/v1/exchange/needs/NONE", None, None, {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/api/v1/exchange/match?q=battery", None, None, READ_API),
    # reports: analysts and admins write; every reader sees published reports
    ("GET", "/reports", None, None, READ_PAGE),
    ("GET", "/reports/report.css", None, None, dict.fromkeys(ROLES, 200)),
    ("GET", "/reports/999999", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/reports/999999/preview?lang=en", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/reports/999999/file.docx?lang=zh", None, None, {"anonymous": 303, **dict.fromkeys(ROLES[1:], 404)}),
    ("POST", "/reports", "form", {"kind": "final", "as_of": "2023", "title": "t"}, only(REVIEW, 400, anon=401)),
    ("POST", "/reports/999999/sections", "form", {}, only(REVIEW, 404, anon=401)),
    ("POST", "/reports/999999/freeze", "form", {}, only(REVIEW, 404, anon=401)),
    ("GET", "/api/v1/reports", None, None, READ_API),
    ("GET", "/api/v1/reports/999999/file?format=pdf", None, None, {"anonymous": 401, **dict.fromkeys(ROLES[1:], 404)}),
    ("GET", "/api/v1/report?format=xlsx&lang=en", None, None, only(REVIEW, 200, anon=401)),
    ("POST", "/account/token/999999/revoke", "form", {}, only(("admin",), 404, anon=401)),
    ("GET", "/account", None, None, READ_PAGE),
    ("POST", "/account/password", "form", {"current": "wrong", "new": "a-long-password", "repeat": "a-long-password"},
     {"anonymous": 401, **dict.fromkeys(ROLES[1:], 422)}),
    ("GET", "/registries/unknown", None, None, dict.fromkeys(ROLES, 404)),
    ("GET", "/audit?since=&until=&action=&entity=&page=2", None, None, only(REVIEW, 200)),
    ("GET", "/audit?since=2024-13-45", None, None, only(REVIEW, 422)),
]


def call(client: TestClient, method: str, path: str, kind: str | None, body: dict | None):  # noqa: ANN201
    if method == "GET":
        return client.get(path)
    csrf = page_csrf(client)
    if kind == "json":
        return client.post(path, json=body, headers={"X-CSRF-Token": csrf})
    return client.post(path, data={**(body or {}), "csrf_token": csrf})


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, role: str) -> None:  # noqa: ANN001
    client = client_for(None if role == "anonymous" else role)
    wrong = []
    for method, path, kind, body, expected in MATRIX:
        got = call(client, method, path, kind, body).status_code
        if got != expected[role]:
            wrong.append(f"{method} {path}: expected {expected[role]}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_redirect_goes_to_login_and_back(client_for) -> None:  # noqa: ANN001
    response = client_for(None).get("/indicators/rd_intensity?as_of=2023")
    assert response.headers["location"] == "/login?next=/indicators/rd_intensity%3Fas_of%3D2023"


def test_public_view_lets_anonymous_read_approved_data_only(make_app) -> None:  # noqa: ANN001
    client = TestClient(make_app(public_view=True), follow_redirects=False)
    for path in ("/", "/indicators/rd_intensity", "/geography", "/goals", "/api/v1/assessments", "/api/v1/observations",
                 "/registries"):
        assert client.get(path).status_code == 200, path
    for path in ("/registries/talent", "/registries/financials", "/registries/enterprises/export.xlsx"):
        assert client.get(path).status_code == 303, path  # records are never public: counts only
    for path in ("/api/v1/registries/talent", "/api/v1/registries/financials",
                 "/api/v1/indicators/key_labs/explain?period=2023"):
        assert client.get(path).status_code == 401, path
    for path in ("/data", "/approval", "/audit", "/admin"):
        assert client.get(path).status_code == 303, path
    assert client.get("/api/v1/observations?status=any").status_code == 401
    assert client.get("/api/v1/audit").status_code == 401


def test_public_view_shows_registry_counts_and_only_the_fields_an_admin_opted_in(make_app) -> None:  # noqa: ANN001
    from tests.web.conftest import login

    app = make_app(public_view=True)
    public = TestClient(app, follow_redirects=False)
    index = public.get("/registries")
    assert index.status_code == 200 and 'id="public-counts"' in index.text
    assert 'href="/registries/institutions"' not in index.text  # counts only, nothing opted in yet
    assert public.get("/registries/institutions").status_code == 303
    admin = login(TestClient(app, follow_redirects=False), "admin")
    form = admin.get("/admin").text
    assert 'id="public-institutions"' in form and 'id="public-talent"' not in form and 'id="public-financials"' not in form
    r = admin.post("/admin/public-fields", data={"kind": "institutions", "field": ["name_zh", "level"],
                                                 "csrf_token": page_csrf(admin, "/admin")})
    assert r.status_code == 303
    r = admin.post("/admin/public-fields", data={"kind": "talent", "field": ["tier"],
                                                 "csrf_token": page_csrf(admin, "/admin")})
    assert r.status_code == 400  # person records are never public
    page = public.get("/registries/institutions")
    assert page.status_code == 200 and 'id="public-fields"' in page.text
    assert [f for f in ("name_zh", "level", "code", "host", "type") if f'data-field="{f}"' in page.text] == ["name_zh", "level"]
    assert "export.csv" not in page.text and 'name="q"' not in page.text
    assert 'href="/registries/institutions"' in public.get("/registries").text
    for path in ("/registries/talent", "/registries/financials", "/registries/enterprises",
                 "/registries/institutions/export.csv"):
        assert public.get(path).status_code == 303, path
    viewer = login(TestClient(app, follow_redirects=False), "viewer")
    assert 'data-field="code"' in viewer.get("/registries/institutions").text  # readers of records see every field
    events = admin.get("/api/v1/audit?limit=50").json()
    items = events["items"] if isinstance(events, dict) else events
    opted = [e for e in items if e["action"].startswith("public_field.")]
    assert sorted(e["entity_id"] for e in opted) == ["institutions.level", "institutions.name_zh"]
    # opting one out is audited too
    admin.post("/admin/public-fields", data={"kind": "institutions", "field": ["level"],
                                             "csrf_token": page_csrf(admin, "/admin")})
    page = public.get("/registries/institutions").text
    assert 'data-field="level"' in page and 'data-field="name_zh"' not in page
    items = admin.get("/api/v1/audit?limit=50").json()
    items = items["items"] if isinstance(items, dict) else items
    assert any(e["action"] == "public_field.opt_out" and e["entity_id"] == "institutions.name_zh" for e in items)


def test_every_route_is_in_the_matrix(app) -> None:  # noqa: ANN001
    """A new route must be added to the matrix (and so get its permissions checked)."""
    covered = {(m, p.split("?")[0].replace("999999", "{row_id}")) for m, p, *_ in MATRIX}
    schema_paths = app.openapi()["paths"]
    for path, ops in schema_paths.items():
        for method in ops:
            concrete = (path.replace("{indicator_id}", "rd_expenditure").replace("{plan_id}", "wcsc-14fyp-sti")
                        .replace("{observation_id}", "999999").replace("{kind}", "enterprises")
                        .replace("{code}", "NONE").replace("{draft_id}", "999999")
                        .replace("{credit_code}", "91500000MA5U0000X1"))
            assert any(m == method.upper() and p.split("?")[0] == concrete for m, p, *_ in MATRIX) or \
                (method.upper(), path) in covered, f"{method.upper()} {path} is not in the permission matrix"
