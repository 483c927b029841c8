"""Drafting the next plan from the last one: what is carried, changed or dropped, and the proposed targets.

The draft carries the areas, indicators (with their definitions, formulas and
registry definitions), series and geography of the last plan; its baseline
year is the last plan's final year, so the baseline values are the last plan's
final (approved) values, read from the same observations. Each target starts
at the proposal for one confidence level (default: stretch). The draft is a
plan file: ``scicity plan validate`` accepts it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from scicity.domain.message import Msg
from scicity.assess.proposal import DEFAULT_LEVELS, Confidence
from scicity.domain.plan import Plan
from scicity.engine.indicator_values import ValueTable
from scicity.ingest.plan_file import parse_plan_text
from scicity.service.proposals import PeerPoint, Proposal, propose

CARRIED, CHANGED, DROPPED, NEW = "carried", "changed", "dropped", "new"
#: what a person reads for each mark (message ids of the catalogs; "dropped" alone means a deal stage there)
MARK_LABELS = {CARRIED: "carried", CHANGED: "changed", DROPPED: "dropped from the plan", NEW: "new"}
#: the fields whose change makes an indicator "changed" rather than "carried"
DEFINING = ("formula", "registry", "measure", "definition", "direction", "within")


DROP_REQUESTED = "dropped on request (--drop)"
NO_DATA = "no data under {plan}: give it a definition and data to re-add it"
CHANGED_FIELDS = "changed: {fields}"


class DraftError(ValueError):
    """The next plan cannot be drafted as asked (e.g. its period overlaps the last plan)."""


@dataclass(frozen=True)
class Mark:
    """How an indicator of the last plan fares in the draft."""

    indicator: str
    mark: str  # carried | changed | dropped | new
    reason: str = ""  # an English message id with {placeholders}
    params: tuple[tuple[str, str], ...] = ()

    def text(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(self.reason).format(**dict(self.params)) if self.reason else ""


@dataclass
class Draft:
    plan: Plan
    text: str
    marks: list[Mark]
    proposals: list[Proposal] = field(default_factory=list)
    confidence: str = "stretch"


def next_plan_id(plan_id: str) -> str:
    """``wcsc-14fyp-sti`` → ``wcsc-15fyp-sti``; otherwise ``<id>-next``."""
    m = re.search(r"(\d+)(fyp)", plan_id)
    if m:
        return plan_id[: m.start()] + f"{int(m.group(1)) + 1}{m.group(2)}" + plan_id[m.end() :]
    return f"{plan_id}-next"[:64]


_ORDINAL_ZH = {"十三五": "十四五", "十四五": "十五五", "十五五": "十六五"}


def next_name(en: str, zh: str | None) -> tuple[str, str | None]:
    """Names with the plan's ordinal moved on (14th → 15th, 十四五 → 十五五)."""

    def bump(m: re.Match[str]) -> str:
        n = int(m.group(1)) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    new_en = re.sub(r"(\d+)(?:st|nd|rd|th)\b", bump, en, count=1)
    if new_en == en:
        new_en = f"{en} (next plan)"
    new_zh = zh
    if zh:
        for old, new in _ORDINAL_ZH.items():
            if old in zh:
                new_zh = zh.replace(old, new)
                break
    return new_en, new_zh


def check_period(last: Plan, period: tuple[int, int], baseline_year: int | None, years_with_data: Iterable[int]) -> int:
    """The baseline year for a next plan over ``period``; DraftError when the period or the baseline will not do."""
    start, end = period
    if end < start:
        raise DraftError(Msg("the period {start}–{end} runs backwards", start=start, end=end))
    if start <= last.period[1]:
        raise DraftError(
            f"the period {start}–{end} overlaps the last plan {last.id} ({last.period[0]}–{last.period[1]}); "
            f"the next plan starts in {last.period[1] + 1} or later, e.g. --period {last.period[1] + 1}-{last.period[1] + 5}"
        )
    base = start - 1 if baseline_year is None else baseline_year
    if base >= end:
        raise DraftError(Msg("the baseline year {base} must come before the target year {end}", base=base, end=end))
    years = sorted(set(years_with_data))
    if base not in years:
        latest = f"the latest year with approved data is {years[-1]}" if years else "there are no approved data at all"
        raise DraftError(
            f"no approved data for the baseline year {base} of plan {last.id}: {latest}; "
            f"import the {base} values first or choose --baseline-year {years[-1] if years else base}"
        )
    return base


def years_with_data(last: Plan, table: ValueTable) -> set[int]:
    root = last.geography.id
    return {y for ind in last.indicators for y, _ in table.points(ind.id, root)}


def draft_next_plan(
    last: Plan,
    table: ValueTable,
    period: tuple[int, int],
    *,
    baseline_year: int | None = None,
    plan_id: str | None = None,
    drop: Sequence[str] = (),
    confidence: str = "stretch",
    levels: Sequence[Confidence] = DEFAULT_LEVELS,
    peers: Mapping[str, Sequence[PeerPoint]] | None = None,
) -> Draft:
    """The draft of the next plan, its marks and the proposals its targets come from."""
    unknown = [d for d in drop if d not in {i.id for i in last.indicators}]
    if unknown:
        raise DraftError(Msg("--drop names unknown indicator(s) {unknown} of plan {plan}", unknown=", ".join(unknown), plan=last.id))
    if confidence not in {lv.name for lv in levels}:
        raise DraftError(Msg("confidence {confidence} is not one of the levels {levels}", confidence=repr(confidence),
                               levels=", ".join(lv.name for lv in levels)))
    base = check_period(last, period, baseline_year, years_with_data(last, table))
    proposals = propose(last, table, base, period[1], levels=levels, peers=peers)
    by_id = {p.indicator.id: p for p in proposals}
    root = last.geography.id
    marks: list[Mark] = []
    kept: list[str] = []
    for ind in last.indicators:
        if ind.id in drop:
            marks.append(Mark(ind.id, DROPPED, DROP_REQUESTED))
            continue
        if not table.points(ind.id, root):
            marks.append(Mark(ind.id, DROPPED, NO_DATA, (("plan", last.id),)))
            continue
        kept.append(ind.id)
        marks.append(Mark(ind.id, CARRIED))
    data = _plan_data(last, period, base, plan_id, kept, by_id, confidence)
    text = _dump(data, last, by_id, marks, confidence)
    plan = parse_plan_text(text, "<draft>")
    return Draft(plan, text, marks, proposals, confidence)


def compare_plans(last: Plan, new: Plan) -> list[Mark]:
    """Each indicator of either plan: carried (same definition), changed (a defining field or the target kind), dropped, new."""
    new_by = {i.id: i for i in new.indicators}
    out: list[Mark] = []
    for ind in last.indicators:
        other = new_by.get(ind.id)
        if other is None:
            out.append(Mark(ind.id, DROPPED))
            continue
        diffs = [f for f in DEFINING if getattr(ind, f) != getattr(other, f)]
        if ind.targets and other.targets:
            a, b = ind.targets[0], other.targets[0]
            diffs += [f"target {f}" for f in ("kind", "comparator") if getattr(a, f) != getattr(b, f)]
        out.append(Mark(ind.id, CHANGED, CHANGED_FIELDS, (("fields", ", ".join(diffs)),)) if diffs else Mark(ind.id, CARRIED))
    old_ids = {i.id for i in last.indicators}
    out.extend(Mark(i.id, NEW) for i in new.indicators if i.id not in old_ids)
    return out


def _plan_data(last: Plan, period: tuple[int, int], base: int, plan_id: str | None, kept: list[str],
               proposals: Mapping[str, Proposal], confidence: str) -> dict[str, Any]:
    data = last.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    name_en, name_zh = next_name(last.name.en, last.name.zh)
    data["id"] = plan_id or next_plan_id(last.id)
    data["name"] = {"en": name_en, **({"zh": name_zh} if name_zh else {})}
    data["period"] = list(period)
    data["baseline_year"] = base
    data["target_year"] = period[1]
    data["source_document"] = f"drafted by scicity from plan {last.id}"
    data.pop("goals", None)
    indicators = []
    for ind in data["indicators"]:
        if ind["id"] not in kept:
            continue
        ind.pop("source_quote", None)
        new_targets = []
        for i, t in enumerate(ind.get("targets", [])):
            t = {k: v for k, v in t.items() if k not in ("year", "baseline_year", "milestones", "source_quote")}
            t.setdefault("comparator", last.indicator(ind["id"]).targets[i].comparator.value)
            t.setdefault("value", last.indicator(ind["id"]).targets[i].value)
            prop = proposals.get(ind["id"])
            lp = prop.level(confidence) if prop and i == 0 else None
            if lp is not None and lp.odds.value is not None:
                t["value"] = int(lp.odds.value) if float(lp.odds.value).is_integer() else lp.odds.value
            new_targets.append(t)
        if new_targets:
            ind["targets"] = new_targets
        indicators.append(ind)
    data["indicators"] = indicators
    return data


def _to_commented(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _to_commented(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_to_commented(v) for v in value)
        if value and all(isinstance(v, (int, float)) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _dump(data: dict[str, Any], last: Plan, proposals: Mapping[str, Proposal], marks: list[Mark], confidence: str) -> str:
    doc = _to_commented(data)
    inds = doc["indicators"]
    for i, ind in enumerate(inds):
        prop = proposals.get(ind["id"])
        lines = [f"{CARRIED} from {last.id}"]
        if prop is not None:
            h = prop.history
            base = h.baseline_value
            what = "sum of flows" if h.kind.value == "cumulative" else "value"
            lines[0] += f"; {h.baseline_year} {what}: {base:,g}" if base is not None else f"; no {h.baseline_year} value"
            lines.append(f"last target {h.target.describe()} by {last.target_year_of(h.target)}")
            lp = prop.level(confidence)
            if lp is not None and lp.odds.p_meet is not None:
                lines.append(f"target proposed at '{confidence}': p_meet {100 * lp.odds.p_meet:.0f} %")
            elif prop.note:
                lines.append(prop.note + "; the last plan's target value is kept as a placeholder")
        inds.yaml_set_comment_before_after_key(i, before="\n".join(lines), indent=2)
    dropped = [m for m in marks if m.mark == DROPPED]
    buf = io.StringIO()
    yaml = YAML()
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    header = [
        f"Draft of the next plan, from {last.id} ({last.period[0]}–{last.period[1]}) by scicity.",
        f"Baseline: the last plan's final values ({data['baseline_year']}). Targets: the '{confidence}' proposals",
        "(see 'scicity plan propose'); edit them, then 'scicity plan validate' this file.",
    ]
    header += [f"dropped: {m.indicator} — {m.text()}" for m in dropped]
    buf.write("".join(f"# {line}\n" for line in header) + "\n")
    yaml.dump(doc, buf)
    return buf.getvalue()
