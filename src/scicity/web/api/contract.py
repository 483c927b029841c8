"""Make the OpenAPI document say what the handlers accept (applied once, when the document is first built).

- every text parameter and request text field: no control characters (the
  edge refuses them with 422, :mod:`scicity.web.text_guard`);
- 422 answers: a ``Problem`` (``detail`` a message or the list of field errors);
- ids the handlers check: ``plan_id`` / ``plan`` one of the stored plans,
  ``indicator_id`` one of the default plan's reported ids, ``unit`` (series,
  explain, registries, report) one of its geographic units, ``method`` one of
  the registered methods, ``tier`` one of the rule book's tiers, a report's
  ``kind``, ``format`` and ``lang``; in a posted observation, ``indicator``
  and ``unit`` the plan's, and ``value`` not negative for the ids that cannot
  be (``if``/``then``). The lists are what is stored *now*: the app rebuilds
  the document when a plan is saved or made the default (:func:`document_key`).
"""

from __future__ import annotations

from typing import Any

from scicity.web.state import WebState

TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PLAN_UNIT_PATHS = ("/series", "/explain", "/registries/", "/report")
REPORT_PATHS = ("/api/v1/report", "/api/v1/reports/{draft_id}/file")


def document_key(state: WebState) -> tuple[object, ...]:
    """What the document's id lists depend on: the plans (their audit version) and the registered methods."""
    from scicity.assess import methods

    return state.read_model.versions().plans, tuple(methods())


def _observation_body(schema: dict[str, Any], plan: Any) -> None:
    """Posted observations: the plan's ids and units, and no negative value where the plan forbids one."""
    component = schema.get("components", {}).get("schemas", {}).get("ObservationIn")
    if not component:
        return
    props = component.get("properties", {})
    if "indicator" in props:
        _enum(props["indicator"], sorted(plan.reported_ids()))
    if "unit" in props:
        _enum(props["unit"], list(plan.geo_units()))
    non_negative = sorted(set(plan.non_negative_ids()) & set(plan.reported_ids()))
    if non_negative:
        component["if"] = {"properties": {"indicator": {"enum": non_negative}}, "required": ["indicator"]}
        component["then"] = {"properties": {"value": {"minimum": 0}}}


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


def _not_null(parameter: dict[str, Any]) -> None:
    """A parameter is absent or a text: FastAPI's ``anyOf [X, null]`` for an optional one becomes X."""
    schema = parameter.get("schema", {})
    options = schema.get("anyOf")
    if options and any(o.get("type") == "null" for o in options):
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1:
            keep = {k: v for k, v in schema.items() if k != "anyOf"}
            parameter["schema"] = {**rest[0], **keep}


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
    from scicity.assess import methods
    from scicity.reports.formats import formats
    from scicity.service.report_model import KINDS

    try:
        plan = state.plan().plan
        plans = state.plan_ids() or [plan.id]
    except Exception:  # noqa: BLE001 - no plan yet: the document without the id lists
        plan, plans = None, []
    try:
        tiers = sorted(state.rule_book().tiers())
    except Exception:  # noqa: BLE001 - no rule book: tiers unchecked in the document
        tiers = []
    if plan is not None:
        _observation_body(schema, plan)
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name.endswith("In") or name.startswith("Body_"):  # what requests carry, not what answers echo
            _text_schema(component)
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                _not_null(parameter)
                p_schema = parameter.get("schema", {})
                _text_schema(p_schema)
                name = parameter.get("name")
                if name == "method":
                    _enum(p_schema, list(methods()))
                elif name == "tier" and tiers and "/cultivation/" in path:
                    _enum(p_schema, tiers)
                elif path in REPORT_PATHS and name in ("format", "lang", "kind"):
                    _enum(p_schema, {"format": list(formats()), "lang": ["zh", "en"], "kind": list(KINDS)}[name])
                if plan is None:
                    continue
                if name == "plan_id" and plans:
                    _enum(p_schema, plans)
                elif name == "plan" and plans:
                    _enum(p_schema, ["", *plans])  # empty: the default plan, as when it is left out
                elif name == "indicator_id":
                    _enum(p_schema, sorted(plan.reported_ids()))
                elif name == "unit" and any(part in path for part in PLAN_UNIT_PATHS):
                    _enum(p_schema, list(plan.geo_units()))
            responses = operation.get("responses", {})
            answer = responses.get("422", {}).get("content", {}).get("application/json", {})
            if answer.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                answer["schema"] = {"$ref": "#/components/schemas/Problem"}
    return schema
