"""Make the OpenAPI document say what the handlers accept (applied once, when the document is first built).

- every text parameter and request text field: no control characters (the
  edge refuses them with 422, :mod:`scicity.web.text_guard`);
- 422 answers: a ``Problem`` (``detail`` a message or the list of field errors);
- ids the handlers check: ``plan_id`` / ``plan`` one of the stored plans,
  ``indicator_id`` one of the default plan's reported ids, ``unit`` (series,
  explain, registries) one of its geographic units — as they are when the
  document is built (the server's start, in practice).
"""

from __future__ import annotations

from typing import Any

from scicity.web.state import WebState

TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PLAN_UNIT_PATHS = ("/series", "/explain", "/registries/")


def _text_schema(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema and "pattern" not in schema:
        schema["pattern"] = TEXT_PATTERN
    for key in ("anyOf", "oneOf", "allOf"):
        for item in schema.get(key, ()):
            _text_schema(item)
    if "items" in schema:
        _text_schema(schema["items"])
    for prop in schema.get("properties", {}).values():
        _text_schema(prop)


def _enum(schema: dict[str, Any], values: list[str]) -> None:
    if "anyOf" in schema:
        for item in schema["anyOf"]:
            if item.get("type") == "string":
                item.pop("pattern", None)
                item["enum"] = values
        return
    schema.pop("pattern", None)
    schema["enum"] = values


def tighten(schema: dict[str, Any], state: WebState) -> dict[str, Any]:
    """``schema`` (the app's OpenAPI document) with the handlers' constraints written into it."""
    try:
        plan = state.plan().plan
        plans = state.plan_ids() or [plan.id]
    except Exception:  # noqa: BLE001 - no plan yet: the document without the id lists
        plan, plans = None, []
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name.endswith("In") or name.startswith("Body_"):  # what requests carry, not what answers echo
            _text_schema(component)
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                p_schema = parameter.get("schema", {})
                _text_schema(p_schema)
                name = parameter.get("name")
                if plan is None:
                    continue
                if name in ("plan_id", "plan") and plans:
                    _enum(p_schema, plans)
                elif name == "indicator_id":
                    _enum(p_schema, sorted(plan.reported_ids()))
                elif name == "unit" and any(part in path for part in PLAN_UNIT_PATHS):
                    _enum(p_schema, list(plan.geo_units()))
            responses = operation.get("responses", {})
            answer = responses.get("422", {}).get("content", {}).get("application/json", {})
            if answer.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                answer["schema"] = {"$ref": "#/components/schemas/Problem"}
    return schema
