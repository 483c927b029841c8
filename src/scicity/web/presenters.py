"""Turning verdicts into what a page shows: status labels, progress, latest and target texts, sparklines."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from scicity.domain.plan import Indicator, Target, TargetKind
from scicity.service.status import StatusRow
from scicity.service.wording import STATUS_LABELS
from scicity.i18n import fmt_number, translations

STATUS_ORDER = tuple(STATUS_LABELS)

#: targets worded relative to the baseline (issue 9), as a page shows them (catalog: calibration.po)
RELATIVE_TEXT = {
    TargetKind.AVERAGE_GROWTH: "{op} {value} % a year on average",
    TargetKind.POINTS_CHANGE: "{op} {value} percentage points",
    TargetKind.REDUCTION: "down by {value} % from the baseline",
    TargetKind.NOT_BELOW_BASELINE: "not below the baseline level",
}


def status_label(status: str, _: Callable[[str], str]) -> str:
    return _(STATUS_LABELS.get(status, status))


def baseline_level(row: StatusRow) -> float | None:
    """The value progress is measured from: the baseline level (0 for cumulative targets)."""
    if row.target.kind is TargetKind.CUMULATIVE:
        return 0.0
    for period, value in row.points:
        if period == row.spec.baseline_year:
            return value
    return None


def progress(row: StatusRow) -> float | None:
    """Share of the way from baseline to target covered by the judged value (0–1, clipped)."""
    a = row.assessment
    base = baseline_level(row)
    if a.judged_value is None or base is None or a.judged_target == base:
        return None
    share = (a.judged_value - base) / (a.judged_target - base)
    return max(0.0, min(1.0, share))


def strict_note(row: StatusRow, _: Callable[[str], str]) -> str | None:
    """Why a value exactly on a strict target ('> 500' and 500) is not met, although its bar is full."""
    a = row.assessment
    cmp = row.target.comparator.value
    if a.judged_value is None or cmp not in (">", "<") or a.judged_value != a.judged_target:
        return None
    return _("equal to the target, which must be exceeded") if cmp == ">" else _("equal to the target, which must be undercut")


def latest_text(row: StatusRow, lang: str) -> str:
    a = row.assessment
    d = row.indicator.decimals
    if a.judged_value is None:
        return "—"
    if row.target.kind in (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE):
        base = a.judged_target - row.target.value
        delta = a.judged_value - base
        return f"{'+' if delta >= 0 else ''}{fmt_number(delta, d, lang)} Δ"
    text = fmt_number(a.judged_value, d, lang)
    return f"{text} Σ" if row.target.kind is TargetKind.CUMULATIVE else text


def target_text(row: StatusRow, lang: str) -> str:
    t = row.target
    # a target relative to the baseline is worded without its indicator (whose decimals and measure it ignores)
    return target_words(t, None if t.kind in RELATIVE_TEXT else row.indicator, lang)


def target_words(t: Target, indicator: Indicator | None, lang: str) -> str:
    """A target as a reader writes it ('> 500', '≥ +5', '> 5.5 %'), without its kind's code."""
    if t.kind in RELATIVE_TEXT:
        value_text = fmt_number(t.value, _decimals_of(t.value), lang)
        sign = "+" if t.kind is TargetKind.POINTS_CHANGE and t.value >= 0 else ""
        return translations(lang).gettext(RELATIVE_TEXT[t.kind]).format(op=t.comparator.value, value=f"{sign}{value_text}")
    assert indicator is not None, "an absolute target is worded with its indicator's decimals and measure"
    d = indicator.decimals if not float(t.value).is_integer() else 0
    value = fmt_number(t.value, max(d, _decimals_of(t.value)), lang)
    if t.high is not None:
        value = f"{value}–{fmt_number(t.high, _decimals_of(t.high), lang)}"
    symbol = {">=": "≥", "<=": "≤", "==": "="}.get(t.comparator.value, t.comparator.value)
    op = "" if t.comparator.value == "between" else f"{symbol} "
    sign = "+" if t.kind is TargetKind.INCREMENT else ""
    measure = " %" if indicator.measure == "%" else ""
    return f"{op}{sign}{value}{measure}"


def _decimals_of(x: float) -> int:
    text = f"{x:g}"
    return len(text.split(".")[1]) if "." in text else 0


def sparkline(points: Sequence[tuple[int, float]], label: str, width: int = 96, height: int = 24) -> Markup:
    """A small inline SVG line of the series (no script, no inline style: sized and stroked by app.css)."""
    if len(points) < 2:
        return Markup("")
    xs = [p for p, _ in points]
    ys = [v for _, v in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1
    pad = 2
    coords = [
        (round(pad + (x - x0) / span_x * (width - 2 * pad)), round(height - pad - (y - y0) / span_y * (height - 2 * pad)))
        for x, y in points
    ]
    path = "M" + "L".join(f"{x} {y}" for x, y in coords)
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" aria-label="{Markup.escape(label)}">'
        f'<path d="{path}"/></svg>'
    )


def series_decimals(series: object) -> int:
    """Counts show whole numbers; sums and reported series one decimal."""
    registry = getattr(series, "registry", None)
    return 0 if registry is not None and registry.sum is None else 1


def monitored_items(plan: object, values: object, lang: str, as_of: int | None = None) -> list[object]:
    """The plan's monitored series (no target) at its root unit: latest value and year, a sparkline.

    ``values``: the plan's :class:`~scicity.service.reconciled_values.PlanValues` (series are inputs, not in the value table).
    """
    from scicity.service.reconciled_values import current_date
    from scicity.web.contexts import MonitoredItem

    _ = translations(lang).gettext
    this_year = current_date().year
    root = plan.geography.id  # type: ignore[attr-defined]
    out: list[object] = []
    for s in plan.monitored():  # type: ignore[attr-defined]
        found = values.points(s.id, root) if values is not None else []  # type: ignore[attr-defined]
        points = [(p, v) for p, v in found if as_of is None or p <= as_of]
        last = points[-1] if points else None
        name = s.name.get(lang)
        out.append(MonitoredItem(
            id=s.id, name=name, latest=fmt_number(last[1], series_decimals(s), lang) if last else "—",
            latest_period=last[0] if last else None, measure=s.measure_in(lang),
            sparkline=sparkline(points, _("trend of %s") % name), to_date=bool(last and last[0] >= this_year)))
    return out
