"""Assessment results in the reader's language: method titles, status and native labels, explanations, flags.

assess produces English sentences that carry their message ids and parameters
(:class:`scicity.assess.text.Msg`); this module translates them through
:mod:`scicity.i18n` for the web pages, the API and the CLI alike, so that one
verdict reads the same wherever a person reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from scicity.assess import get_method
from scicity.assess.text import flag_text, label_text
from scicity.assess.types import Assessment
from scicity.i18n import tr

#: English labels of the common scale (message ids of their translations)
STATUS_LABELS = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "regressing": "regressing",
    "insufficient_data": "insufficient data",
    "missed": "missed",
}

#: English words of a target's kind
KIND_LABELS = {"level": "level", "cumulative": "cumulative", "increment": "increment"}


def target_words(target: object, indicator: object, lang: str) -> str:
    """A target as a table cell: its comparator and value with the indicator's unit of measure in the language
    ('>= 3 facilities', '≥ 3 个'; English keeps the comparators as the plan file writes them)."""
    said = f"{target.describe()} {indicator.measure_in(lang)}"  # type: ignore[attr-defined]
    return said if lang == "en" else said.replace(">=", "≥").replace("<=", "≤")


def status_label(status: str, lang: str) -> str:
    return tr(STATUS_LABELS.get(status, status), lang)


def method_title(method: str, lang: str) -> str:
    """The method's name for people ('Trend projection', '趋势外推')."""
    try:
        return tr(get_method(method).display_title, lang)
    except KeyError:
        return method


def native_label(label: str, lang: str) -> str:
    return tr(label_text(label), lang)


def flag(code: str, lang: str) -> str:
    return tr(flag_text(code), lang)


@dataclass(frozen=True)
class Worded:
    """One verdict's words in one language."""

    method: str
    title: str
    status_label: str
    native_label: str
    summary: str
    formula: str
    steps: list[str]
    flags: list[str]


def worded(method: str, a: Assessment, lang: str) -> Worded:
    e = a.explanation
    return Worded(
        method=method,
        title=method_title(method, lang),
        status_label=status_label(a.status.value, lang),
        native_label=native_label(a.native_label, lang),
        summary=tr(e.summary, lang),
        formula=tr(e.formula, lang) if getattr(e.formula, "msg_id", None) else e.formula,
        steps=[tr(s, lang) if getattr(s, "msg_id", None) else str(s) for s in e.steps],
        flags=[flag(f, lang) for f in e.flags],
    )
