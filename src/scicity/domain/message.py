"""Sentences as message ids with parameters, translated at the edge (explanations, import problems).

A :class:`Msg` *is* the English sentence (a ``str``), so everything that reads an
explanation as text keeps working unchanged; it also carries its message id (the
English template with ``{name}`` fields) and the parameters, so that an outer
layer can look the template up in a catalog and fill it in another language
(``scicity.i18n.tr``). Parameters may be numbers already written with
:func:`scicity.assess.formatting.fmt`, plain values, or further messages (which
are translated too). This module imports no translation library: domain, assess and ingest stay free of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Msg(str):
    """An English sentence that remembers its template (``msg_id``) and parameters (``msg_args``)."""

    msg_id: str
    msg_args: Mapping[str, Any]

    def __new__(cls, template: str, /, **args: Any) -> Msg:
        self = super().__new__(cls, template.format(**args) if args else template)
        self.msg_id = template
        self.msg_args = args
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msg_id, dict(self.msg_args)))

    def __add__(self, other: str) -> Msg:  # type: ignore[override]
        """``a + b`` keeps both parts translatable (a joined message)."""
        return join(self, other, sep="")

    @staticmethod
    def literal(text: str) -> Msg:
        """Text that is not to be translated (a formula, numbers only)."""
        return Msg("{text}", text=text)


class Words(str):
    """A plan's own words (a unit of measure, a name): the English text, with its Chinese in ``by_lang``.

    Not a catalog entry: :func:`scicity.i18n.tr` picks the text of the language, the English when it has none.
    """

    by_lang: Mapping[str, str]

    def __new__(cls, en: str, zh: str | None = None) -> Words:
        self = super().__new__(cls, en)
        self.by_lang = {"en": en, **({"zh": zh} if zh else {})}
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Words, (str(self), self.by_lang.get("zh")))


def said(exc: BaseException) -> str:
    """What an exception says, still translatable when it was raised with a message (a :class:`Msg`)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    if getattr(first, "msg_id", None) is not None:
        return first  # type: ignore[return-value]
    text = getattr(exc, "message", None)  # the web's errors keep theirs
    return text if getattr(text, "msg_id", None) is not None else str(exc)


def _rebuild(template: str, args: dict[str, Any]) -> Msg:
    return Msg(template, **args)


def join(*parts: str, sep: str = " ") -> Msg:
    """Several sentences (messages or plain text) as one message, each part translated on its own."""
    names = [f"p{i}" for i in range(len(parts))]
    template = sep.join("{" + n + "}" for n in names)
    return Msg(template, **dict(zip(names, parts, strict=True)))


#: What each flag of an explanation means, in English (the message id of its translation).
FLAG_TEXT: dict[str, str] = {
    "nonfinite_values_dropped": "values that are not finite numbers were left out",
    "points_after_target_year_ignored": "values after the target year were ignored",
    "final_without_target_year_value": "final verdict without a value for the target year (the latest value is judged)",
    "hold_baseline_already_met": "the baseline already met the target: judged as 'hold'",
    "direction_conflicts_with_comparator": "the indicator's direction conflicts with the target's comparator",
    "cumulative_missing_years_counted_as_zero": "cumulative target: missing years counted as zero",
    "baseline_substituted": "no value for the baseline year: the first later value is used as baseline",
    "cagr_undefined_linear_fallback": "compound growth undefined (a value is zero or negative): linear rates used",
    "loglinear_unavailable_nonpositive": "log-linear trend not fitted (a value is zero or negative)",
    "uncertainty_floor_applied": "the spread of the projection is the assumed minimum, not estimated",
    "zero_uncertainty": "the projection has no spread",
    "strict_threshold_point_projection": "the projection equals a strict threshold, which does not count as met",
    "opensdg_zero_substituted_0.001": "a zero baseline or target replaced by 0.001 (as sdg-build does)",
    "opensdg_sign_change_no_result": "baseline and latest value have opposite signs: no open-sdg result",
    "opensdg_target_sign_no_result": "baseline and target have opposite signs: no open-sdg result",
    "opensdg_required_growth_zero": "the target equals the baseline: required growth is zero",
}


def flag_text(flag: str) -> str:
    """The English sentence of a flag (the flag itself when it has none)."""
    return FLAG_TEXT.get(flag, flag)

#: English words of native labels that are codes (open-sdg's); other methods' labels are words already.
LABEL_TEXT: dict[str, str] = {
    "substantial_progress": "substantial progress",
    "moderate_progress": "moderate progress",
    "limited_progress": "limited progress",
    "deterioration": "deterioration",
    "target_achieved": "target achieved",
    "target_missed": "target missed",
    "not_available": "not available",
}


def label_text(label: str) -> str:
    """A native label as words (open-sdg's codes spelled out; other labels unchanged)."""
    return LABEL_TEXT.get(label, label)
