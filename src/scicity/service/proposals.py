"""Target proposals for the next plan: per indicator, the target at each confidence level and the scenarios.

Every number is judged through :mod:`scicity.assess` (the default method, on
the indicator's whole history under the last plan), so a recalibrated method
moves the proposals with it. A target is stated on its own scale (a level, a
sum of yearly flows for a cumulative target, a change for an increment); it is
judged on the scale of the history:

- level: the level at the target year;
- increment: the baseline level plus the increment;
- cumulative: the running sum of flows since the last plan's baseline, i.e.
  what was introduced under the last plan plus the new target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scicity.assess.proposal import (
    DEFAULT_LEVELS,
    Confidence,
    average_growth,
    history_spec,
    invert_p_meet,
    judge_value,
    round_target,
)
from scicity.assess.types import TargetSpec
from scicity.domain.plan import Comparator, Indicator, Plan, Target, TargetKind
from scicity.engine.indicator_values import ValueTable

KNOWN_KINDS = (TargetKind.LEVEL, TargetKind.CUMULATIVE, TargetKind.INCREMENT)
NOT_ENOUGH = (
    "not enough data: {n} point(s) up to {year}; a trend needs at least two "
    "(the baseline {year} and an earlier year) — no target is proposed"
)
NO_KIND = "no proposal for target kind {kind}: set the target by hand"
NO_COMPARATOR = "no proposal for comparator {comparator}: set the target by hand"


@dataclass(frozen=True)
class PeerPoint:
    """A peer zone's value of an indicator in a year."""

    peer: str
    peer_name: str
    year: int
    value: float
    synthetic: bool = False


@dataclass(frozen=True)
class History:
    """One indicator under the last plan, seen from the new plan's baseline year."""

    indicator: Indicator
    target: Target
    kind: TargetKind
    comparator: Comparator
    first_year: int  # the last plan's baseline year: where the judged history starts
    baseline_year: int  # the new plan's baseline year
    target_year: int  # the new plan's target year
    points: tuple[tuple[int, float], ...]  # levels, or yearly flows for cumulative targets

    @property
    def baseline_value(self) -> float | None:
        """The level at the baseline year (the last plan's final value); for flows, the sum under the last plan."""
        if self.kind is TargetKind.CUMULATIVE:
            flows = [v for y, v in self.points if self.first_year < y <= self.baseline_year]
            return sum(flows) if flows else None
        return dict(self.points).get(self.baseline_year)

    @property
    def past_sum(self) -> float:
        return sum(v for y, v in self.points if self.first_year < y <= self.baseline_year)

    @property
    def horizon(self) -> int:
        return self.target_year - self.baseline_year

    def judged(self, value: float) -> float:
        """A target on its own scale, on the judged scale of the history."""
        if self.kind is TargetKind.CUMULATIVE:
            return self.past_sum + value
        if self.kind is TargetKind.INCREMENT:
            return (self.baseline_value or 0.0) + value
        return value

    def own(self, judged: float) -> float:
        if self.kind is TargetKind.CUMULATIVE:
            return judged - self.past_sum
        if self.kind is TargetKind.INCREMENT:
            return judged - (self.baseline_value or 0.0)
        return judged

    def spec_of(self, judged: float) -> TargetSpec:
        kind = TargetKind.CUMULATIVE if self.kind is TargetKind.CUMULATIVE else TargetKind.LEVEL
        return history_spec(kind, self.comparator, judged, self.first_year, self.target_year, self.indicator.direction)

    def achieved_yearly_change(self) -> float | None:
        """What the last plan achieved per year: the change of the level, or the average yearly flow."""
        if self.kind is TargetKind.CUMULATIVE:
            years = [y for y, _ in self.points if self.first_year < y <= self.baseline_year]
            return self.past_sum / (self.baseline_year - self.first_year) if years else None
        pts = dict(self.points)
        start = pts.get(self.first_year)
        if start is None and self.points:
            first, start = self.points[0]
        else:
            first = self.first_year
        end = pts.get(self.baseline_year)
        if start is None or end is None or self.baseline_year <= first:
            return None
        return (end - start) / (self.baseline_year - first)

    def required_yearly_change(self, value: float) -> float | None:
        """What the target (own scale) asks per year from the baseline: level change, or yearly flow."""
        if self.kind is TargetKind.CUMULATIVE:
            return value / self.horizon
        base = self.baseline_value
        if base is None:
            return None
        return (self.judged(value) - base) / self.horizon

    def enough_data(self) -> bool:
        if self.kind is TargetKind.CUMULATIVE:
            return len([1 for y, _ in self.points if self.first_year < y <= self.baseline_year]) >= 2
        return len([1 for y, _ in self.points if y >= self.first_year]) >= 2 and self.baseline_value is not None


@dataclass(frozen=True)
class Odds:
    """A target value with its odds and its effort."""

    value: float | None
    p_meet: float | None
    required_yearly_change: float | None


@dataclass(frozen=True)
class LevelProposal:
    confidence: Confidence
    odds: Odds


@dataclass(frozen=True)
class Scenario:
    """A way to set the target (trend, the last plan's growth, a peer) and what it means."""

    key: str  # trend | last_growth | peer_level | peer_growth
    peer: str | None
    odds: Odds
    note: str = ""


@dataclass
class Proposal:
    """Everything proposed for one indicator of the next plan."""

    history: History
    levels: list[LevelProposal] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    note_template: str | None = None  # e.g. not enough data: an English message id with {placeholders}
    note_params: dict[str, object] = field(default_factory=dict)

    @property
    def note(self) -> str | None:
        return None if self.note_template is None else self.note_template.format(**self.note_params)

    @property
    def indicator(self) -> Indicator:
        return self.history.indicator

    @property
    def achieved_yearly_change(self) -> float | None:
        return self.history.achieved_yearly_change()

    def level(self, name: str) -> LevelProposal | None:
        return next((lp for lp in self.levels if lp.confidence.name == name), None)


def history_of(
    last: Plan, table: ValueTable, indicator: Indicator, baseline_year: int, target_year: int
) -> History | None:
    """The history of an indicator's first target under the last plan; None if it has no target."""
    if not indicator.targets:
        return None
    target = indicator.targets[0]
    unit = last.unit_of(target)
    first = last.baseline_year_of(target)
    points = tuple((y, v) for y, v in table.points(indicator.id, unit) if y <= baseline_year)
    return History(indicator, target, target.kind, target.comparator, first, baseline_year, target_year, points)


def evaluate(history: History, value: float) -> Odds:
    """The odds and the effort of one target value (own scale) — what the workspace shows as a target is edited."""
    if not history.enough_data() or history.kind not in KNOWN_KINDS:
        return Odds(value, None, history.required_yearly_change(value) if history.baseline_value is not None else None)
    trial = judge_value(history.points, history.spec_of, history.judged(value))
    return Odds(value, trial.p_meet, history.required_yearly_change(value))


def propose_one(
    history: History,
    levels: Sequence[Confidence] = DEFAULT_LEVELS,
    peers: Sequence[PeerPoint] = (),
) -> Proposal:
    """The target at each confidence level and the scenarios for one indicator."""
    prop = Proposal(history)
    ind = history.indicator
    if history.kind not in KNOWN_KINDS:
        prop.note_template, prop.note_params = NO_KIND, {"kind": history.kind.value}
        return prop
    if history.comparator not in (Comparator.GT, Comparator.GE, Comparator.LT, Comparator.LE):
        prop.note_template, prop.note_params = NO_COMPARATOR, {"comparator": history.comparator.value}
        return prop
    if not history.enough_data():
        prop.note_template = NOT_ENOUGH
        prop.note_params = {"n": len(history.points), "year": history.baseline_year}
        return prop
    for level in levels:
        judged = invert_p_meet(history.points, history.spec_of, history.comparator, level.p)
        if judged is None:
            prop.levels.append(LevelProposal(level, Odds(None, None, None)))
            continue
        value = round_target(history.own(judged), ind.decimals, history.comparator, level.p)
        prop.levels.append(LevelProposal(level, evaluate(history, value)))
    prop.scenarios.extend(_scenarios(history, peers))
    return prop


def propose(
    last: Plan,
    table: ValueTable,
    baseline_year: int,
    target_year: int,
    *,
    levels: Sequence[Confidence] = DEFAULT_LEVELS,
    peers: Mapping[str, Sequence[PeerPoint]] | None = None,
    indicators: set[str] | None = None,
) -> list[Proposal]:
    """Proposals for every targeted indicator of the last plan (or only ``indicators``)."""
    peers = peers or {}
    out: list[Proposal] = []
    for ind in last.indicators:
        if indicators and ind.id not in indicators:
            continue
        history = history_of(last, table, ind, baseline_year, target_year)
        if history is not None:
            out.append(propose_one(history, levels, peers.get(ind.id, ())))
    return out


def _scenarios(h: History, peers: Sequence[PeerPoint]) -> list[Scenario]:
    out: list[Scenario] = []
    dec = h.indicator.decimals
    # the trend: the method's own point projection
    probe = judge_value(h.points, h.spec_of, h.judged(0.0) if h.kind is not TargetKind.LEVEL else h.points[-1][1])
    proj = probe.assessment.projection
    if proj is not None:
        value = round(h.own(proj.value), dec)
        out.append(Scenario("trend", None, evaluate(h, value), f"{proj.model} trend to {h.target_year}"))
    # the last plan's achieved average growth, continued
    growth = _last_growth_value(h)
    if growth is not None:
        value, note = growth
        out.append(Scenario("last_growth", None, evaluate(h, round(value, dec)), note))
    # peers: their level, or our baseline grown at their rate
    if h.kind is not TargetKind.CUMULATIVE and h.baseline_value is not None:
        by_peer: dict[str, list[PeerPoint]] = {}
        for p in peers:
            if p.year <= h.target_year:
                by_peer.setdefault(p.peer, []).append(p)
        for peer, pts in sorted(by_peer.items()):
            pts.sort(key=lambda p: p.year)
            latest = pts[-1]
            level_value = round(h.own(latest.value), dec)
            label = f"{latest.peer_name} {latest.year}" + (" (synthetic)" if latest.synthetic else "")
            out.append(Scenario("peer_level", peer, evaluate(h, level_value), f"reach {label}: {latest.value:g}"))
            if len(pts) >= 2:
                g = average_growth(pts[0].value, latest.value, latest.year - pts[0].year)
                if g is not None:
                    judged = h.baseline_value * (1.0 + g) ** h.horizon
                    out.append(
                        Scenario("peer_growth", peer, evaluate(h, round(h.own(judged), dec)),
                                 f"grow at {label}'s rate {100 * g:.1f} % a year ({pts[0].year}–{latest.year})")
                    )
    return out


def _last_growth_value(h: History) -> tuple[float, str] | None:
    """The target (own scale) if the last plan's average growth went on for the new period."""
    if h.kind is TargetKind.CUMULATIVE:
        flows = [(y, v) for y, v in h.points if h.first_year < y <= h.baseline_year]
        if len(flows) < 2:
            return None
        g = average_growth(flows[0][1], flows[-1][1], flows[-1][0] - flows[0][0])
        if g is None:
            avg = h.past_sum / len(flows)
            return avg * h.horizon, f"the last plan's average flow {avg:g} a year, {h.horizon} years"
        last = flows[-1][1]
        total = sum(last * (1.0 + g) ** k for k in range(1, h.horizon + 1))
        return total, f"yearly flows growing at the last plan's {100 * g:.1f} % a year"
    base = h.baseline_value
    pts = dict(h.points)
    start = pts.get(h.first_year)
    first = h.first_year
    if start is None:
        first, start = h.points[0]
    if base is None or h.baseline_year <= first:
        return None
    g = average_growth(start, base, h.baseline_year - first)
    if g is None:
        change = (base - start) / (h.baseline_year - first)
        return h.own(base + change * h.horizon), f"the last plan's average change {change:g} a year"
    return h.own(base * (1.0 + g) ** h.horizon), f"the last plan's average growth {100 * g:.1f} % a year"
