"""`scicity calibrate`: how well the methods' intervals, p_meet and verdicts held up on real series."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rich.markup import escape

from scicity.cli.console import err, fail, out
from scicity.domain.message import Msg


def parse_horizons(text: str) -> tuple[int, ...]:
    """``'1-10'`` -> 1..10; ``'1,3,5'`` -> (1, 3, 5)."""
    out_: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                a, b = (int(x) for x in part.split("-", 1))
                out_.extend(range(a, b + 1))
            else:
                out_.append(int(part))
    except ValueError:
        fail(Msg('--horizons {text} is not a list of years', text=repr(text)), hint="e.g. --horizons 1-10 or --horizons 1,3,5")
    if not out_ or min(out_) < 1:
        fail(Msg('--horizons {text}: horizons are whole years from 1 on', text=repr(text)), hint="e.g. --horizons 1-10")
    return tuple(sorted(set(out_)))


def calibrate(
    data: Annotated[Path, typer.Option("--data", "-d", help="CSV of real yearly series (WDI layout or indicator, unit, period, value).")],
    horizons: Annotated[str, typer.Option("--horizons", help="Years ahead to project, e.g. 1-10 or 1,3,5.")] = "1-10",
    window: Annotated[int, typer.Option("--window", help="Years of history before each cut that are judged.")] = 10,
    half: Annotated[str, typer.Option("--half", help="all, tuning or evaluation: series sorted by key, alternating.")] = "all",
    method: Annotated[list[str] | None, typer.Option("--method", "-m", help="Only these methods (repeatable; default all).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: Annotated[str | None, typer.Option(help="Language of the tables, errors and problems: en or zh (default SCICITY_LANG).")] = None,
) -> None:
    """Cut every series at every year, project h years ahead and compare with what happened.

    Reports per horizon and series length the coverage of the 50/80/95 % intervals, the Brier score and a
    reliability table of p_meet for targets the series' history makes easy, hard and out of reach, and the
    hit rate of every method, beside three baselines: the base rate, 'the current value already meets it'
    and a random walk with drift.
    """
    from scicity.assess import methods as all_methods
    from scicity.assess.calibration import calibrate as run
    from scicity.ingest.series_table import SeriesFileInvalid, read_series_csv

    from scicity.cli.report_cmd import check_lang
    from scicity.i18n import tr

    lang = check_lang(lang)
    if fmt not in ("table", "json"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table or json")
    if half not in ("all", "tuning", "evaluation"):
        fail(Msg('unknown half {half}', half=repr(half)), hint="use all, tuning or evaluation")
    if window < 1:
        fail(Msg('--window {window}: needs at least 1 year', window=window))
    hs = parse_horizons(horizons)
    names = list(method or all_methods())
    unknown = [m for m in names if m not in all_methods()]
    if unknown:
        fail(Msg('unknown method(s) {unknown}', unknown=', '.join(unknown)), hint=Msg('choose from: {value}', value=', '.join(all_methods())))
    try:
        table = read_series_csv(data)
    except SeriesFileInvalid as exc:
        if lang == "en":
            err.print(str(exc), markup=False)
        else:
            head, *rest = exc.lines()
            err.print("\n".join([tr(head, lang), *(f"  {tr(p, lang)}" for p in rest)]), markup=False)
        fail(Msg('{data} was not read: {n_problems} problem(s)', data=data, n_problems=len(exc.problems)), code=1)
    keys = sorted(table.series)
    if half != "all":
        keys = keys[0::2] if half == "tuning" else keys[1::2]
    cal = run({k: table.series[k] for k in keys}, hs, window=window, methods=names)
    if cal.cases == 0:
        fail(Msg('{data}: no series has two points and a later value to compare with', data=data), code=1)
    if fmt == "json":
        body = {"data": str(data), "layout": table.layout, "half": half, "window": window,
                "aggregates_left_out": table.aggregates_left_out} | cal.__dict__
        typer.echo(json.dumps(body, indent=2, default=float))
        return
    _print(cal, data, half, table.aggregates_left_out, lang)


def _print(cal, data: Path, half: str, aggregates: int, lang: str) -> None:  # noqa: ANN001
    from rich.table import Table

    from scicity.assess.calibration import BASELINES
    from scicity.cli.table_words import word
    from scicity.i18n import tr
    from scicity.service.wording import method_title

    def say(msg: Msg) -> str:
        return tr(msg, lang)

    def name(method: str) -> str:  # ids in English (as they always were), names in other languages
        if lang == "en":
            return method
        return word(method, lang, "calibration baseline") if method in BASELINES else method_title(method, lang)

    def table(title: Msg, first: str) -> Table:
        t = Table(title=say(title), header_style="bold")
        t.add_column(word(first, lang, None if first == "method" else "calibration column"))
        return t

    def horizon(h: object) -> str:
        return say(Msg("h={h}", h=h))

    hs = [str(h) for h in cal.horizons]
    head = Msg("calibration on {data} ({half}): {cases} forecasts from {series} series", data=str(data),
               half=word(half, lang, "calibration half"), cases=f"{cal.cases:,}", series=cal.series)
    note = say(Msg("; {n} aggregate rows left out", n=aggregates)) if aggregates else ""
    out.print(say(head) + note, markup=False)
    cov = table(Msg("interval coverage by horizon (years ahead); the aim is the nominal level"), "method")
    cov.add_column(word("level", lang, "calibration column"))
    for h in hs:
        cov.add_column(h, justify="right")
    cov.add_column(word("all", lang), justify="right")
    for method, levels in cal.coverage.items():
        for level, by_h in levels.items():
            cov.add_row(name(method), f"{float(level):.0%}", *(f"{by_h[h]:.0%}" for h in hs), f"{by_h['all']:.0%}")
    out.print(cov)
    cases = " · ".join(say(Msg("h={h}: {n}", h=h, n=n)) for h, n in cal.counts.items())
    out.print(f"[dim]{escape(say(Msg('forecasts per horizon: {cases}', cases=cases)))}[/]")
    lengths = table(Msg("80 % coverage by series length (points in the window)"), "method")
    for g, n in cal.length_counts.items():
        lengths.add_column(f"{g} ({n})", justify="right")
    for method, levels in cal.coverage_by_length.items():
        lengths.add_row(name(method), *(f"{levels['0.8'].get(g, float('nan')):.0%}" for g in cal.length_counts))
    out.print(lengths)
    brier = table(Msg("Brier score of p_meet (lower is better; base rate {rate})", rate=f"{cal.base_rate:.3f}"), "method")
    brier.add_column(word("all", lang), justify="right")
    kinds = list(next(iter(cal.brier_by_target.values())))
    for k in kinds:
        brier.add_column(word(k, lang, "calibration target"), justify="right")
    for h in hs:
        brier.add_column(horizon(h), justify="right")
    for method, by_h in cal.brier.items():
        brier.add_row(name(method), f"{by_h['all']:.4f}", *(f"{cal.brier_by_target[method][k]:.3f}" for k in kinds),
                      *(f"{by_h[h]:.3f}" for h in hs))
    out.print(brier)
    hits = table(Msg("hit rate: a verdict of achieved/on track (baselines: p >= 0.5) predicts a meet"), "method")
    hits.add_column(word("all", lang), justify="right")
    for h in hs:
        hits.add_column(horizon(h), justify="right")
    for method, by_h in sorted(cal.hit_rate.items(), key=lambda kv: -kv[1]["all"]):
        hits.add_row(name(method), f"{by_h['all']:.1%}", *(f"{by_h[h]:.0%}" for h in hs))
    out.print(hits)
    rel = table(Msg("reliability of p_meet: predicted vs observed share met, by bin"), "bin")
    names = list(cal.reliability)
    for method in names:
        rel.add_column(name(method), justify="right")
    bins = [(i / 10, (i + 1) / 10) for i in range(10)]
    for lo, hi in bins:
        cells = []
        for method in names:
            row = next((b for b in cal.reliability[method] if abs(b["low"] - lo) < 1e-9), None)
            cells.append("—" if row is None else f"{row['predicted']:.2f}→{row['observed']:.2f} ({row['n']})")
        rel.add_row(f"{lo:.1f}–{hi:.1f}", *cells)
    out.print(rel)
