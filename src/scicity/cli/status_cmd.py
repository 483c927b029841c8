"""`scicity status`: where the plan stands, target by target."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from scicity.assess import methods
from scicity.cli.console import STATUS_STYLE, STATUS_TEXT, fail, fmt_number, out, use_lang
from scicity.domain.message import Msg
from scicity.cli.context import settings
from scicity.cli.plan_values import EngineOption, ParquetOption, StrictOption, plan_values
from scicity.domain.plan import TargetKind
from scicity.service.status import StatusRow, build_status, row_json, status_counts
from scicity.service.reconciled_values import PlanValues
from scicity.service.wording import method_title, status_label, worded
from scicity.i18n import LANGS, tr, translations

CSV_COLUMNS = (
    "indicator",
    "area",
    "unit",
    "measure",
    "latest_period",
    "latest_value",
    "judged_value",
    "comparator",
    "target",
    "kind",
    "target_year",
    "status",
    "final",
    "method",
    "native_label",
    "projection",
    "projection_low",
    "projection_high",
    "p_meet",
    "required_yearly_change",
    "recent_yearly_change",
)


def status(
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file. Default: the default plan.")] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help="Judge this CSV/XLSX file instead of the database (no database needed)."),
    ] = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="Judge as of this year (ignore later data). Default: all data.")] = None,
    method: Annotated[str, typer.Option("--method", "-m", help="Assessment method (see docs/methods.md).")] = "projection",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i", help="Only this indicator (repeatable).")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of names: en or zh.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each verdict's explanation under the table.")] = False,
    engine: EngineOption = "store",
    parquet: ParquetOption = None,
    strict: StrictOption = False,
    pipeline: Annotated[bool, typer.Option("--pipeline/--no-pipeline", help="JSON: each tier target's "
                                           "registry-based pipeline projection (docs/cultivation.md); on by default "
                                           "when the values come from the database.")] = True,
) -> None:
    """Show the verdict for every target of the plan: latest value, target, projection and p_meet.

    Registry-defined indicators are counted in the registries (--engine). With --plan FILE --data FILE
    it needs no database (registry-defined indicators then use the reported values).
    """
    s = settings()
    lang = lang or s.lang
    if lang not in LANGS:
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint=Msg('use one of: {LANGS} (--lang or SCICITY_LANG)', LANGS=', '.join(LANGS)))
    use_lang(lang)
    if method not in methods():
        fail(Msg('unknown method {method}', method=repr(method)), hint=Msg('choose one of: {value}', value=', '.join(methods())))
    if fmt not in ("table", "json", "csv"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table, json or csv")
    with plan_values(plan, data, engine, parquet, strict=strict) as ctx:
        loaded, values = ctx.loaded, ctx.values
    if indicator:
        unknown = [i for i in indicator if i not in {x.id for x in loaded.plan.indicators}]
        if unknown:
            fail(Msg('unknown indicator(s): {unknown}', unknown=', '.join(unknown)), hint="see 'scicity plan show'")
    table = values.table
    rows = build_status(loaded.plan, table, method=method, as_of=as_of, indicators=set(indicator or ()))
    if fmt == "json":
        objects = [row_json(r, lang) for r in rows]
        if pipeline and data is None:  # values from the database: its registries give the pipeline
            from scicity.cli.tiers_status import add_pipelines

            add_pipelines(objects, rows)
        typer.echo(json.dumps(objects, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        typer.echo(_csv(rows), nl=False)
    else:
        _table(rows, lang, as_of, method, ctx.origin)
        if explain:
            _explanations(rows, lang)
        for mismatch in table.mismatches():
            out.print(
                f"[yellow]check:[/] {mismatch.indicator} {mismatch.unit} {mismatch.period}: reported "
                f"{mismatch.reported:g} but its parts give {mismatch.value:g} ({mismatch.substituted})"
            )
        _registry_notes(values, as_of)


def _registry_notes(values: PlanValues, as_of: int | None) -> None:
    """Notes on where registry-defined values came from, and reported aggregates that disagree."""
    for note in values.notes:
        out.print(f"[dim]note: {note}[/]")
    flagged = [r for r in values.flagged() if as_of is None or r.period <= as_of]
    for r in flagged[:5]:
        out.print(
            f"[yellow]check:[/] {r.id} {r.unit} {r.period}: reported {r.reported:g} but the {r.entity} registry counts {r.registry:g}"
        )
    if len(flagged) > 5:
        out.print(f"[yellow]check:[/] … {len(flagged) - 5} more differences: see 'scicity reconcile'")


def _csv(rows: list[StatusRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        j = row_json(row)
        proj = j["projection"] or {}
        writer.writerow(
            [
                j["indicator"],
                j["area"],
                j["unit"],
                j["measure"],
                j["latest_period"],
                j["latest_value"],
                j["judged_value"],
                j["target"]["comparator"],
                j["target"]["value"],
                j["target"]["kind"],
                j["target"]["year"],
                j["status"],
                j["final"],
                j["method"],
                j["native_label"],
                proj.get("value"),
                proj.get("low"),
                proj.get("high"),
                j["p_meet"],
                j["required_yearly_change"],
                j["recent_yearly_change"],
            ]
        )
    return buf.getvalue()


def _table(rows: list[StatusRow], lang: str, as_of: int | None, method: str, origin: str) -> None:
    _ = translations(lang).gettext
    if not rows:
        out.print(_("no targets to show"))
        return
    plan = rows[0].plan
    when = _("as of %s") % as_of if as_of else _("latest data")
    out.print(f"[bold]{plan.name.get(lang)}[/]")
    out.print(f"[dim]{when} · {_('method')} {method_title(method, lang)} · {_('data:')} {tr(origin, lang)}[/]")
    table = Table(header_style="bold", show_lines=False, pad_edge=False)
    table.add_column(_("indicator"), ratio=1, min_width=18)
    table.add_column(_("latest"), justify="right")
    table.add_column(_("target"), justify="right")
    table.add_column(_("projection (80%)"), justify="right")
    table.add_column(_("p_meet"), justify="right")
    table.add_column(_("need/yr"), justify="right")
    table.add_column(_("status"), no_wrap=True)
    current_area = None
    for row in rows:
        if row.area.id != current_area:
            current_area = row.area.id
            table.add_section()
            table.add_row(Text(row.area.name.get(lang), style="bold cyan"))
        table.add_row(*_cells(row, lang))
    out.print(table)
    counts = status_counts(rows)
    summary = " · ".join(
        f"[{STATUS_STYLE.get(k, '')}]{_status_text(k, lang)} {v}[/]" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
    )
    out.print(f"{len(rows)} {_('targets')}: {summary}")
    if any("synthetic" in src for row in rows if row.latest for src in row.latest.sources):
        out.print(f"[dim]{_('Data: synthetic demo data — not real statistics.')}[/]")


def _status_text(status: str, lang: str) -> str:
    return STATUS_TEXT.get(status, status) if lang == "en" else status_label(status, lang)


def _cells(row: StatusRow, lang: str) -> list[str | Text]:
    a = row.assessment
    d = row.indicator.decimals
    judged = a.judged_value
    latest = fmt_number(judged, d) if judged is not None else "—"
    if judged is not None and row.target.kind in (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE):
        baseline = a.judged_target - row.target.value
        latest = f"{'+' if judged >= baseline else ''}{fmt_number(judged - baseline, d)} Δ"
    elif judged is not None and row.target.kind is TargetKind.CUMULATIVE:
        latest = f"{latest} Σ"
    if row.latest is not None:
        latest = f"{latest} [dim]({row.latest.period})[/]"
    plain = row.target.kind in (TargetKind.LEVEL, TargetKind.INCREMENT, TargetKind.CUMULATIVE)
    pct = " %" if row.indicator.measure == "%" and plain else ""
    target = (f"{row.target.describe()}{pct} [dim]by {row.spec.target_year}[/]" if lang == "en"
              else f"[dim]{row.spec.target_year}年[/] {row.target.describe()}{pct}".replace(">=", "≥").replace("<=", "≤"))
    proj = a.projection
    if proj is not None:
        shift = a.judged_target - row.target.value if row.target.kind in (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE) else 0.0
        sign = "+" if shift else ""
        low, mid, high = (fmt_number(x - shift, d) for x in (proj.low, proj.value, proj.high))
        projection = f"{sign}{mid} [dim][{low}–{high}][/]"
    else:
        projection = "—"
    p_meet = f"{a.p_meet:.0%}" if a.p_meet is not None else "—"
    settled = a.final or a.status.value == "achieved"
    need = "—"
    if a.required_yearly_change is not None and not settled:
        need = fmt_number(a.required_yearly_change, d if abs(a.required_yearly_change) >= 100 else max(d, 1))
    status = Text(_status_text(a.status.value, lang), style=STATUS_STYLE.get(a.status.value, ""))
    name = row.indicator.name.get(lang)
    return [name, latest, target, projection, p_meet, need, status]


def _explanations(rows: list[StatusRow], lang: str) -> None:
    for row in rows:
        e = row.assessment.explanation
        w = worded(row.assessment.method, row.assessment, lang) if lang != "en" else None
        label = w.native_label if w else row.assessment.native_label
        out.print(f"\n[bold]{row.indicator.name.get(lang)}[/] ({row.indicator.id}) — {label}")
        out.print(f"  {w.summary if w else e.summary}", markup=False)
        for step in (w.steps if w else e.steps):
            out.print(f"    {step}", markup=False)
        if e.flags:
            flags = "、".join(w.flags) if w else ", ".join(e.flags)
            out.print(f"  [dim]{translations(lang).gettext('flags:')} {flags}[/]")
