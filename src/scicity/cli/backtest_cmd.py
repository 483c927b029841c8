"""`scicity backtest`: judge as of an earlier year and compare with what happened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scicity.assess import backtest as run_backtest
from scicity.assess import methods
from scicity.cli.console import STATUS_STYLE, STATUS_TEXT, fail, out
from scicity.cli.plan_values import EngineOption, ParquetOption, plan_values
from scicity.service.status import target_spec


def backtest(
    as_of: Annotated[int, typer.Option("--as-of", help="Judge as of this year (e.g. the mid-term year).")],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file.")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV/XLSX with the full series (default: the database).")] = None,
    method: Annotated[str, typer.Option("--method", "-m", help="Assessment method.")] = "projection",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    engine: EngineOption = "store",
    parquet: ParquetOption = None,
) -> None:
    """Judge every target as of --as-of, compare with the final outcome; report hit rate and Brier score of p_meet."""
    if method not in methods():
        fail(f"unknown method {method!r}", hint=f"choose one of: {', '.join(methods())}")
    with plan_values(plan, data, engine, parquet) as ctx:
        p, table = ctx.loaded.plan, ctx.values.table
    cases = []
    for indicator, target in p.targets():
        spec = target_spec(p, indicator, target)
        points = table.points(indicator.id, p.unit_of(target))
        if not any(year >= spec.target_year for year, _ in points):
            continue  # the outcome is not known yet
        cases.append((indicator.id, points, spec))
    if not cases:
        fail("no target has data for its target year, so no outcome is known yet", hint="backtest needs the final year's data")
    report = run_backtest(cases, as_of, method=method)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "plan": p.id,
                    "method": method,
                    "as_of": as_of,
                    "n": report.n,
                    "hit_rate": report.hit_rate,
                    "brier": report.brier,
                    "rows": [
                        {
                            "indicator": r.key,
                            "status_then": r.status_then.value,
                            "p_meet": r.p_meet,
                            "predicted_meet": r.predicted_meet,
                            "final_met": r.final_met,
                        }
                        for r in report.rows
                    ],
                },
                indent=2,
            )
        )
        return
    t = Table(header_style="bold", title=f"backtest of {p.id}: judged as of {as_of} with {method}")
    for col in ("indicator", f"status in {as_of}", "p_meet", "predicted", "outcome", "hit"):
        t.add_column(col)
    for r in report.rows:
        st = r.status_then.value
        t.add_row(
            r.key,
            f"[{STATUS_STYLE.get(st, '')}]{STATUS_TEXT.get(st, st)}[/]",
            f"{r.p_meet:.2f}" if r.p_meet is not None else "—",
            "meet" if r.predicted_meet else "miss",
            "met" if r.final_met else "missed",
            "✓" if r.predicted_meet == r.final_met else "✗",
        )
    out.print(t)
    hit = f"{report.hit_rate:.0%}" if report.hit_rate is not None else "—"
    brier = f"{report.brier:.3f}" if report.brier is not None else "— (no p_meet from this method)"
    out.print(f"{report.n} targets · hit rate {hit} · Brier score of p_meet {brier} (0 is perfect, 0.25 is a coin toss)")
