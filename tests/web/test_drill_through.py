"""Registry indicators on the web: the same values as the CLI, the entities behind a value, the explain API."""

from __future__ import annotations

import json
import re
import time

import pytest
from typer.testing import CliRunner

from scicity.cli import app as cli_app

pytestmark = [
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:fetch_record_batch\(\) is deprecated:DeprecationWarning"),
]


def test_indicator_page_shows_the_entities_behind_a_registry_count(registry_client) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    api = client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023, "page_size": 200}).json()
    names = [m["name_en"] for m in api["registry"][0]["members"]]
    html = client.get("/indicators/key_labs?period=2023").text
    assert re.search(r"The 90 entities behind 90 \(2023, [A-Z][^)]+\)", html), html  # the unit by its name
    assert "institutions valid at year end where" in html  # the definition in words
    assert names[0] in html and names[19] in html and names[20] not in html  # the first page of 20
    assert "page 1 of 5" in html and 'hx-get="/indicators/key_labs/entities?period=2023' in html
    second = client.get("/indicators/key_labs/entities", params={"period": 2023, "page": 2})
    assert second.status_code == 200 and names[20] in second.text and names[0] not in second.text
    assert "<html" not in second.text  # a fragment for htmx


def test_a_ratio_over_a_registry_count_drills_into_its_registry_part(registry_client) -> None:  # noqa: ANN001
    html = registry_client("viewer").get("/indicators/invention_patents_per_10k?period=2023").text
    assert 'id="entities"' in html and "Valid invention patents at year end = " in html and "patents" in html


def test_explain_api_returns_the_members_with_their_total(registry_client) -> None:  # noqa: ANN001
    client = registry_client("viewer")
    j = client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023, "page": 2, "page_size": 5}).json()
    (part,) = j["registry"]
    assert (j["value"], j["how"], part["total"], part["offset"], len(part["members"])) == (90, "registry", 90, 5, 5)
    assert all(m["type"] == "key_lab" for m in part["members"])
    assert client.get("/api/v1/indicators/nope/explain", params={"period": 2023}).status_code == 404
    assert client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023, "unit": "nowhere"}).status_code == 404
    assert registry_client(None).get("/api/v1/indicators/key_labs/explain", params={"period": 2023}).status_code == 401


def test_web_numbers_equal_the_cli_status_numbers(registry_client, registry_settings) -> None:  # noqa: ANN001
    env = {"SCICITY_DATA_DIR": str(registry_settings.data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
    result = CliRunner().invoke(cli_app, ["status", "--format", "json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cli_rows = {(r["indicator"], r["unit"]): r for r in json.loads(result.stdout)}
    web_rows = {(r["indicator"], r["unit"]): r for r in registry_client("viewer").get("/api/v1/assessments").json()}
    assert web_rows.keys() == cli_rows.keys() and cli_rows
    for key, cli in cli_rows.items():
        web = web_rows[key]
        assert (web["latest_period"], web["latest_value"], web["status"], web["points"]) == \
               (cli["latest_period"], cli["latest_value"], cli["status"], cli["points"]), key
    (key_labs,) = [r for k, r in web_rows.items() if k[0] == "key_labs"]
    assert key_labs["sources"] == ["registry: institutions (106 entities)"]  # counted in the registry, not reported


def test_a_reported_aggregate_that_differs_from_the_registry_is_flagged(registry_client, registry_settings) -> None:  # noqa: ANN001
    from scicity.domain.observation import Observation
    from scicity.store import Database, ObservationRepository

    client = registry_client("viewer")
    assert "— agrees" in client.get("/indicators/key_labs?period=2023").text
    db = Database(registry_settings.database_url)
    ObservationRepository(db).apply([Observation("key_labs", "wcsc", 2023, 95.0, source="bulletin")], actor="test")
    db.dispose()  # a write from outside the app: the data version changes, the caches follow
    time.sleep(1.1)  # the app looks at the data version at most once a second
    html = client.get("/indicators/key_labs?period=2023").text
    assert "differs by -5" in html and 'class="warn reconciliation"' in html
    j = client.get("/api/v1/indicators/key_labs/explain", params={"period": 2023}).json()
    assert j["reconciliation"] == [{"id": "key_labs", "registry": 90.0, "reported": 95.0, "difference": -5.0, "flagged": True}]
    assert j["value"] == 90  # the registry count is the value
