"""`scicity explain`: one value, how it is defined, its numbers, and the entities behind it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from scicity.cli.console import fail, fmt_number, out, reason, use_lang
from scicity.domain.message import Msg
from scicity.cli.plan_values import EngineOption, ParquetOption, plan_values
from scicity.service.explain import Explanation, UnknownId, explain, explanation_json

HOW = {
    "registry": "counted in the registry",
    "computed": "computed by its formula",
    "reported": "reported",
    "reported (parts missing)": "reported (the formula's parts are missing)",
    "no value": "no value",
}


def explain_command(
    indicator: Annotated[str, typer.Argument(help="Indicator (or series) id, e.g. key_labs.")],
    period: Annotated[int, typer.Option("--period", help="The year of the value.")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Geography unit (default: the plan's root unit).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv (csv: the entities).")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="Entities to list per registry count.", min=0)] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many entities first (paging).", min=0)] = 0,
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file.")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV/XLSX data instead of the database.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of names and labels: en or zh (default: SCICITY_LANG).")] = None,
    engine: EngineOption = "store",
    parquet: ParquetOption = None,
) -> None:
    """Show a value with its definition, the formula with numbers, and the entities behind each registry count."""
    from scicity.cli.context import settings
    from scicity.i18n import LANGS

    if fmt not in ("table", "json", "csv"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table, json or csv")
    lang = lang or settings().lang
    if lang not in LANGS:
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
    with plan_values(plan, data, engine, parquet, need_engine=True) as ctx:
        try:
            e = explain(ctx.loaded.plan, ctx.values, ctx.engine, indicator, period, unit, limit=limit, offset=offset, lang=lang)
        except UnknownId as exc:
            fail(reason(exc), hint="see 'scicity plan show'")
    if fmt == "json":
        typer.echo(json.dumps(explanation_json(e), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        typer.echo(_csv(e), nl=False)
    else:
        _print(e, lang)


def _csv(e: Explanation) -> str:
    rows: list[dict[str, Any]] = []
    for m in explanation_json(e)["registry"]:
        for member in m["members"]:
            certs = member.pop("certifications", [])
            member = {"registry_id": m["id"], **member}
            if certs:
                member["certifications"] = "; ".join(f"{c['kind']} {c['valid_from']}–{c['valid_to'] or ''}" for c in certs)
            rows.append(member)
    columns: list[str] = []
    for r in rows:
        columns.extend(k for k in r if k not in columns)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns or ["registry_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _print(e: Explanation, lang: str = "en") -> None:
    from scicity.domain.message import Msg
    from scicity.i18n import tr
    from scicity.ingest.registry_columns import COLUMN_LABELS
    from scicity.ingest.registry_words import describe_definition, value_words

    def t(template: str, /, **args: object) -> str:
        return tr(Msg(template, **args), lang) if args else tr(template, lang)

    j = explanation_json(e)
    geo = e.plan.geo_units().get(e.unit)
    where = e.unit if lang == "en" or geo is None else f"{geo.name.get(lang)} ({e.unit})"
    out.print(f"[bold]{e.name}[/] ({e.id}) · {where} · {e.period}")
    if e.value is None:
        out.print(t("value: — (no value for this unit and year)"))
    else:
        decimals = 0 if e.value.how == "registry" else 2
        out.print(t("value: {value} {measure} — {how}", value=f"[bold]{fmt_number(e.value.value, decimals)}[/]",
                    measure=e.measure, how=Msg(HOW.get(e.how, e.how))))
    if e.definition:
        out.print(t("definition: {text}", text=e.definition), markup=False)
    if e.formula:
        numbers = f" = {e.value.substituted}" if e.value and e.value.substituted else ""
        out.print(t("formula: {text}", text=f"{e.formula}{numbers}"), markup=False)
    if j["sources"]:
        out.print(t("sources: {text}", text="; ".join(j["sources"])), markup=False)
    for r in e.reconciliation:
        verdict = f"[yellow]{t('differs')}[/]" if r.flagged else t("agrees")
        out.print(t("reported {id}: {reported}, registry {registry} ({verdict})", id=r.id, reported=f"{r.reported:g}",
                    registry=f"{r.registry:g}", verdict=verdict))
    for part in e.parts:
        value = "—" if part.value is None else fmt_number(part.value, 0)
        described = describe_definition(part.definition, lang)
        out.print(f"\n[bold]{part.id}[/] = {value}: {described}")
        if part.members is None:
            out.print(f"  [dim]{t('the registry holds no rows here: the reported value is used')}[/]")
            continue
        m = part.members
        shown = f"{m.offset + 1}–{m.offset + len(m.rows)}" if m.rows else t("none")
        out.print("  " + t("{total} entities (showing {shown}; --limit/--offset to page)", total=f"{m.total:,}", shown=shown))
        if not m.rows:
            continue
        table = Table(header_style="bold", pad_edge=False)
        columns = list(m.columns) + (["certificates"] if any(r.certifications for r in m.rows) else [])
        for c in columns:
            # identifiers and dates are never cut: people copy them
            keep_whole = c in ("credit_code", "code", "number", "person_id") or c.endswith("_on")
            label = c if lang == "en" else tr(COLUMN_LABELS.get(c, "Certificates" if c == "certificates" else c), lang)
            table.add_column(label, no_wrap=keep_whole, min_width=18 if c == "credit_code" else None)
        kind = part.definition.entity.value
        units = {u: g.name.get(lang) for u, g in e.plan.geo_units().items()} if lang != "en" else {}

        def shown(c: str, value: object) -> str:  # in Chinese: enumerated values in words, units by name
            if value is None:
                return ""
            if lang != "en" and c == "unit":
                return units.get(str(value), str(value))
            return (value_words(str(kind), c, value, lang) if lang != "en" else None) or str(value)

        for r in m.rows:
            cells = [shown(c, r.fields.get(c)) for c in m.columns]
            if "certificates" in columns:
                cells.append(", ".join(f"{shown('kind', c['kind'])} {c['valid_from']}–{c['valid_to'] or '…'}"
                                       for c in r.certifications))
            table.add_row(*cells)
        out.print(table)
