"""The API says what it accepts: days as YYYY-MM-DD only, known units, 401 without credentials, a return comment."""

from __future__ import annotations

import time

from pathlib import Path

from scicity.store import Database, UserRepository
from scicity.web.state import VERSION_POLL


def _token(web_settings) -> str:  # noqa: ANN001
    db = Database(web_settings.database_url)
    try:
        return UserRepository(db).create_token("analyst", "contract", actor="test")[1]
    finally:
        db.dispose()


def test_days_are_written_out(client_for, web_settings) -> None:  # noqa: ANN001
    api = client_for(None)
    headers = {"Authorization": f"Bearer {_token(web_settings)}"}
    for path in ("/api/v1/audit?until=0", "/api/v1/audit?since=0", "/api/v1/audit?until=1700000000",
                 "/api/v1/registries/enterprises?valid_at=0"):
        r = api.get(path, headers=headers)
        assert r.status_code == 422, (path, r.status_code, r.text[:200])
        assert "YYYY-MM-DD" in r.text
    assert api.get("/api/v1/audit?until=2025-01-31", headers=headers).status_code == 200
    r = api.post("/api/v1/observations", headers=headers, json={"dry_run": True, "observations": [
        {"indicator": "grp", "unit": "wcsc", "period": 2023, "value": 1.0, "vintage": 0}]})
    assert r.status_code == 422


def test_unknown_units_are_refused(client_for, web_settings) -> None:  # noqa: ANN001
    api = client_for(None)
    headers = {"Authorization": f"Bearer {_token(web_settings)}"}
    for path in ("/api/v1/indicators/grp/series?unit=false", "/api/v1/indicators/grp/explain?period=2023&unit=false"):
        r = api.get(path, headers=headers)
        assert r.status_code == 404 and "no geographic unit 'false'" in r.text, (path, r.status_code, r.text[:200])
    assert api.get("/api/v1/indicators/grp/series?unit=wcsc", headers=headers).status_code == 200


def test_posts_without_credentials_get_401(client_for) -> None:  # noqa: ANN001
    api = client_for(None)
    for path in ("/api/v1/observations", "/api/v1/observations/1/approve", "/api/v1/registries/enterprises"):
        r = api.post(path, json={})
        assert r.status_code == 401, (path, r.status_code, r.text[:200])
        assert "CSRF" not in r.text and "security token" not in r.text
        assert r.headers.get("www-authenticate") == "Bearer"


def test_the_schema_says_a_return_needs_a_comment(app) -> None:  # noqa: ANN001
    schema = app.openapi()
    body = schema["paths"]["/api/v1/observations/{observation_id}/return"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    model = schema["components"]["schemas"][ref]
    assert model["required"] == ["comment"] and model["properties"]["comment"]["minLength"] == 1


def test_405_names_every_method_of_the_address(client_for) -> None:  # noqa: ANN001
    api = client_for(None)
    for method, path, allowed in (("OPTIONS", "/api/v1/observations", "GET, POST"),
                                  ("DELETE", "/api/v1/registries/enterprises", "GET, POST"),
                                  ("PUT", "/api/v1/plans", "GET")):
        r = api.request(method, path)
        assert r.status_code == 405 and r.headers["allow"] == allowed, (method, path, r.headers.get("allow"))


def test_unknown_ids_are_404_and_state_conflicts_409(client_for, web_settings) -> None:  # noqa: ANN001
    api = client_for(None)
    headers = {"Authorization": f"Bearer {_token(web_settings)}"}
    r = api.post("/api/v1/observations", headers=headers, json={"dry_run": True, "observations": [
        {"indicator": "nope", "unit": "wcsc", "period": 2023, "value": 1.0}]})
    assert r.status_code == 404 and "unknown ids ['nope']" in r.text
    assert api.get("/api/v1/assessments?method=nope", headers=headers).status_code == 404
    assert api.post("/api/v1/observations/999999/approve", headers=headers, json={}).status_code == 404
    approved = api.get("/api/v1/observations?indicator=grp&unit=wcsc", headers=headers).json()[0]["id"]
    r = api.post(f"/api/v1/observations/{approved}/approve", headers=headers, json={})
    assert r.status_code == 409 and "not waiting for approval" in r.text
    for path in (f"/api/v1/observations/{2**63}/approve", "/api/v1/reports/0/file"):
        assert api.request("POST" if "approve" in path else "GET", path, headers=headers, json={}).status_code == 422
    r = api.post("/api/v1/observations", headers=headers, json={"dry_run": 0, "observations": [
        {"indicator": "grp", "unit": "wcsc", "period": "2023", "value": 1.0}]})
    assert r.status_code == 422  # JSON types as the schema says: no 0 for false, no "2023" for 2023


def test_the_schema_lists_the_plans_stored_now(client_for, web_settings) -> None:  # noqa: ANN001
    from scicity.store import PlanRepository

    api = client_for(None)

    def plan_enum() -> list[str]:
        document = api.get("/api/openapi.json").json()
        params = document["paths"]["/api/v1/plans/{plan_id}"]["get"]["parameters"]
        return next(p for p in params if p["name"] == "plan_id")["schema"]["enum"]

    assert plan_enum() == ["wcsc-14fyp-sti"]
    db = Database(web_settings.database_url)
    try:
        text = (Path(__file__).parents[2] / "src/scicity/plans/wcsc-14fyp-sti.yaml").read_text(encoding="utf-8")
        PlanRepository(db).save("second-plan", "second", text.replace("id: wcsc-14fyp-sti", "id: second-plan", 1),
                                actor="test", make_default=False)
    finally:
        db.dispose()
    time.sleep(VERSION_POLL + 0.05)  # another process wrote: the server looks at the audit log every VERSION_POLL s
    assert sorted(plan_enum()) == ["second-plan", "wcsc-14fyp-sti"]  # not the list of the server's start
