"""The generated sentences of a report: the overall judgement and one paragraph per indicator.

Deterministic templates over the numbers of the status JSON (no model): the
same row always gives the same words, in Chinese or English.
"""

from __future__ import annotations


from collections.abc import Callable, Mapping
from typing import Any

from scicity.i18n import fmt_number, translations

Row = Mapping[str, Any]

#: Chinese measure words for the units of measure the plans use (anything else is printed as it is).
MEASURE_ZH = {
    "facilities": "个",
    "platforms": "个",
    "institutions": "家",
    "labs": "个",
    "enterprises": "家",
    "persons": "人",
    "patents": "件",
    "patents per 10,000 people": "件/万人",
    "CNY 100 million": "亿元",
    "%": "%",
}


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def generated_text(iso: str, lang: str) -> str:
    """When a report was made, as its reader writes a date and time ("2026年12月2日 05:55:11 UTC"), not ISO 8601."""
    from datetime import UTC, datetime

    from scicity.i18n import fmt_datetime

    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{fmt_datetime(when.astimezone(UTC), lang)} UTC"




def source_text(source: str, lang: str) -> str:
    """A data source as a reader of the report's language reads it: a registry count (``registry: talent (75
    entities)``) and the demo generator's label in words (:func:`scicity.service.reconciled_values.source_words`);
    any other source as recorded."""
    from scicity.i18n import tr
    from scicity.service.reconciled_values import source_words

    return tr(source_words(source), lang) if source else source


def measure_text(measure: str, lang: str) -> str:
    return MEASURE_ZH.get(measure, measure) if lang.startswith("zh") else measure


def number(value: float | None, decimals: int, lang: str) -> str:
    return fmt_number(value, decimals, lang)


def percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    if fraction is None:
        return "—"
    return f"{fmt_number(fraction * 100, decimals, lang)}%"


def with_measure(value: float | None, decimals: int, measure: str, lang: str) -> str:
    """``12.3%``, ``2,420 家`` / ``2,420 enterprises``."""
    if value is None:
        return "—"
    text = number(value, decimals, lang)
    m = measure_text(measure, lang)
    if m == "%":
        return f"{text}%"
    return f"{text}{m}" if lang.startswith("zh") else f"{text} {m}"


def change_decimals(decimals: int, value: float | None) -> int:
    """Decimals for a yearly change: one more than the indicator's for small changes."""
    if value is None or abs(value) >= 100:
        return decimals
    return max(decimals, 1)


def overall_sentence(kind: str, counts: Mapping[str, int], total: int, as_of: int, lang: str) -> str:
    """'Of 18 targets, 11 were achieved and 7 were not.' — or the mid-term four-way count."""
    _ = gettext_for(lang)
    if total == 0:
        return _("The plan has no targets to evaluate.")
    no_data = counts.get("no_data", 0)
    if kind == "final":
        done, not_done = counts.get("completed", 0), counts.get("not_completed", 0)
        text = _("By {year}, {done} of the {total} targets were achieved and {not_done} were not.").format(
            year=as_of, done=done, total=total, not_done=not_done
        )
    else:
        ahead, faster = counts.get("ahead", 0), counts.get("faster", 0)
        in_line, lagging = counts.get("in_line", 0), counts.get("lagging", 0)
        text = _(
            "As of {year}, of the {total} targets {ahead} were achieved ahead of schedule, {faster} progressed faster "
            "than expected, {in_line} broadly in line with expectations and {lagging} lagged behind."
        ).format(year=as_of, total=total, ahead=ahead, faster=faster, in_line=in_line, lagging=lagging)
        share = (ahead + faster + in_line) / total
        if share >= 0.5:
            text += _(" Overall, progress keeps pace with the time elapsed.")
        else:
            text += _(" Overall, progress falls behind the time elapsed.")
    if no_data:
        text += _(" {n} targets have too little data for a verdict.").format(n=no_data)
    return text


def indicator_paragraph(row: Row, lang: str) -> str:
    """The paragraph of one indicator: value, change since baseline, yearly change, target, what it takes."""
    _ = gettext_for(lang)
    zh = lang.startswith("zh")
    rv = row["review"]
    d = row.get("decimals", 1)
    measure = row["measure"]
    name = row["name"]
    kind = row["target"]["kind"]
    if rv is None or rv["label"] == "no_data" or rv["latest_value"] is None:
        if rv is not None and rv.get("baseline_value") is not None:
            return _("{name}: only the baseline value {value} ({year}) is known; no verdict is possible yet.").format(
                name=name, value=with_measure(rv["baseline_value"], d, measure, lang), year=rv["baseline_period"]
            )
        return _("{name}: no data have been reported yet.").format(name=name)
    parts: list[str] = []
    latest = row["latest_value"]
    judged = rv["latest_value"]
    if kind == "cumulative":
        parts.append(
            _("{name}: {value} in total from {start} to {year}.").format(
                name=name, value=with_measure(judged, d, measure, lang), start=rv["baseline_period"] + 1, year=rv["latest_period"]
            )
        )
    else:
        value_text = with_measure(latest if latest is not None else judged, d, measure, lang)
        change = rv["change_since_baseline"]
        if change is None:
            parts.append(_("{name}: {value} in {year}.").format(name=name, value=value_text, year=rv["latest_period"]))
        else:
            key = (
                "{name}: {value} in {year}, up {change} from {base} in {year0}."
                if change >= 0
                else "{name}: {value} in {year}, down {change} from {base} in {year0}."
            )
            parts.append(
                _(key).format(
                    name=name,
                    value=value_text,
                    year=rv["latest_period"],
                    change=change_text(abs(change), d, measure, lang),
                    base=with_measure(rv["baseline_value"], d, measure, lang),
                    year0=rv["baseline_period"],
                )
            )
    growth = rv["average_annual_growth"]
    yearly = rv["achieved_yearly_change"]
    if yearly is not None:
        cd = change_decimals(d, yearly)
        if growth is not None and measure != "%":
            parts.append(
                _("The average yearly change was {yearly} ({growth} a year).").format(
                    yearly=_signed(yearly, cd, lang), growth=percent(growth, lang)
                )
            )
        else:
            parts.append(_("The average yearly change was {yearly}.").format(yearly=_signed(yearly, cd, lang)))
    label = rv["label_zh"] if zh else rv["label_en"]
    rate = rv["completion_rate"]
    if rate is not None:
        parts.append(
            _("The target is {target} by {year}; the completion rate is {rate}: {label}.").format(
                target=row.get("target_words", row["target_text"]), year=row["target"]["year"], rate=percent(rate, lang), label=label
            )
        )
    else:
        parts.append(
            _("The target is {target} by {year}: {label}.").format(target=row.get("target_words", row["target_text"]), year=row["target"]["year"], label=label)
        )
    parts.append(_what_it_takes(row, rv, d, lang))
    yc = row.get("year_change")
    if yc is not None:
        parts.append(
            _("Compared with {previous_year}, it changed by {change}.").format(
                previous_year=yc["year"] - 1, change=_signed(yc["change"], change_decimals(d, yc["change"]), lang)
            )
        )
    return ("" if zh else " ").join(p for p in parts if p)


def change_text(value: float, decimals: int, measure: str, lang: str) -> str:
    """A change of a share is in percentage points."""
    if measure == "%":
        return gettext_for(lang)("{n} percentage points").format(n=number(value, decimals, lang))
    return with_measure(value, decimals, measure, lang)


def _what_it_takes(row: Row, rv: Row, d: int, lang: str) -> str:
    _ = gettext_for(lang)
    label = rv["label"]
    if label in ("completed", "ahead"):
        return ""
    if label == "not_completed":
        planned, achieved = rv["planned_yearly_change"], rv["achieved_yearly_change"]
        if planned is None or achieved is None:
            return ""
        cd = change_decimals(d, planned)
        if rv["gap"] == 0:
            return _("It ended exactly on the threshold, which the target asks to exceed.")
        return _(
            "It fell short by {gap}; meeting it would have taken {planned} a year from {year0}, against {achieved} achieved."
        ).format(
            gap=number(rv["gap"], max(d, 1) if rv["gap"] and abs(rv["gap"]) < 1 else d, lang),
            planned=_signed(planned, cd, lang),
            year0=rv["baseline_period"],
            achieved=_signed(achieved, cd, lang),
        )
    required, achieved = rv["required_yearly_change"], rv["achieved_yearly_change"]
    if required is None or achieved is None:
        return ""
    cd = change_decimals(d, required)
    return _("Meeting it takes {required} a year until {year}, against {achieved} a year so far.").format(
        required=_signed(required, cd, lang), year=row["target"]["year"], achieved=_signed(achieved, cd, lang)
    )


def _signed(value: float, decimals: int, lang: str) -> str:
    text = number(abs(value), decimals, lang)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
