"""schemathesis with every check (``--checks all``) against the app's own OpenAPI: no findings, bounded examples.

The app is built at import time (schemathesis needs the schema to generate the
tests), on a demo database in a temporary directory; requests carry an
analyst's API token through schemathesis' auth hook, so that its checks of
missing or wrong credentials (``ignored_auth``, negative headers) see what the
server does without it.

Where a rule of an operation cannot be written in JSON Schema, the operation's
description says it in words and a request that breaks it is answered 400 or
422 with the reason; for those operations only, ``positive_data_acceptance``
also expects that answer (:data:`RULES_NOT_IN_JSON_SCHEMA`). Everything else is
in the schema: enums of the stored plans, indicators, units, methods, tiers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from scicity.settings import get_settings
from scicity.store import Database, UserRepository
from scicity.web.app import create_app
from tests.web.conftest import SECRET, build_demo_database

load_all_checks()
ALL_CHECKS = CHECKS.get_all()
#: operation -> the rule its handler checks that JSON Schema cannot state (the operation's description says it)
RULES_NOT_IN_JSON_SCHEMA = {
    "POST /api/v1/observations": "one value per indicator, unit and period in one request",
    "GET /api/v1/registries/{kind}": "valid_at only for the registries with validity dates",
    "POST /api/v1/registries/{kind}": "the file's content: a CSV or XLSX with the registry's header",
    "GET /api/v1/exchange/match": "exactly one of need, achievement or q",
}
#: operations that render a whole report file per request: fewer examples, so the suite stays within a minute
SLOW = ("GET /api/v1/report", "GET /api/v1/reports/{draft_id}/file")

_DIR = Path(tempfile.mkdtemp(prefix="scicity-fuzz-"))
build_demo_database(f"sqlite:///{_DIR}/scicity.db")
APP = create_app(get_settings(data_dir=_DIR, secret_key=SECRET, database_url=""))
_, TOKEN = UserRepository(Database(f"sqlite:///{_DIR}/scicity.db")).create_token("analyst", "fuzz", actor="test")
CONFIG = SchemathesisConfig.from_dict({
    "generation": {"max-examples": 8},
    "operations": [
        *({"include-name": name,
           "checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", "400", "401", "403", "404", "409",
                                                                          "422", "429"]}}}
          for name in RULES_NOT_IN_JSON_SCHEMA),
        # their boundary-value phase alone makes ~120 cases (each a PDF, DOCX or XLSX): examples and fuzzing only
        *({"include-name": name, "generation": {"max-examples": 1}, "phases": {"coverage": {"enabled": False}}}
          for name in SLOW),
    ],
})
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP, config=CONFIG)


@schema.auth()
class AnalystToken:
    def get(self, case, ctx) -> str:  # noqa: ANN001
        return TOKEN

    def set(self, case, data: str, ctx) -> None:  # noqa: ANN001
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_has_no_findings_with_every_check(case) -> None:  # noqa: ANN001
    case.call_and_validate(checks=ALL_CHECKS)


def test_the_rules_json_schema_cannot_state_are_in_the_descriptions() -> None:
    document = APP.openapi()
    for name, rule in RULES_NOT_IN_JSON_SCHEMA.items():
        method, path = name.split(" ", 1)
        operation = document["paths"][path][method.lower()]
        assert rule.lower() in " ".join(operation.get("description", "").split()).lower(), (name, rule)
