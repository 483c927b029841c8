"""Read tier rule files (YAML) and report every problem at once, with file:line.

The same stages as plan files (:mod:`scicity.ingest.plan_file`): text (tabs,
YAML syntax, duplicate keys), schema (the pydantic models of
:mod:`scicity.domain.tier_rules`: unknown keys, a threshold without a unit,
…), rules within a file (unknown metrics or units, a unit that does not fit
its metric, unknown scores), then rules across files (two versions of a tier
in force at the same time, a prerequisite tier no file defines).

The packaged rule files live in ``scicity/plans/tiers``; an office's own
files (``--rules DIR`` or the setting ``SCICITY_TIER_RULES``) are read after
them: a file with the same tier and version replaces the packaged one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from ruamel.yaml.comments import CommentedMap

from scicity.domain.message import Msg, join
from scicity.domain.tier_metrics import METRICS
from scicity.domain.tier_rules import UNITS, Criterion, Dimension, RuleBook, RuleVersion
from scicity.ingest.plan_file import PlanInvalid, PlanIssue, _dotted, _line_of, _parse_yaml, _plain, _schema_issues, _tab_issues
from scicity.ingest.tier_rule_sources import PACKAGED, rule_files

__all__ = ["PACKAGED", "LoadedRule", "RulesInvalid", "load_rule_book", "rule_files", "validate_rule_file"]


class RulesInvalid(ValueError):
    """Rule files have problems; ``issues`` lists every one of them."""

    def __init__(self, issues: list[PlanIssue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.path, i.message))
        n = len(self.issues)
        lines = "\n".join(f"  {i}" for i in self.issues)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the tier rule files:\n{lines}")

    def said(self) -> Msg:
        """Every issue as one message: a heading line, then one issue a line (translated where it is shown)."""
        head = Msg("{n} problem(s) in the tier rule files:", n=len(self.issues))
        return Msg("{head}\n{issues}", head=head, issues=join(*(Msg("  {issue}", issue=i.said()) for i in self.issues),
                                                              sep="\n"))


@dataclass(frozen=True)
class LoadedRule:
    rule: RuleVersion
    file: str
    tree: Any
    complete: bool = True  # False: the file has problems; ``rule`` holds only its tier, version and period

    def line(self, *path: Any) -> int | None:
        return _line_of(self.tree, path)


def load_rule_book(extra: Iterable[Path] = ()) -> RuleBook:
    """Every rule version of the packaged files and ``extra``; :class:`RulesInvalid` lists every problem."""
    issues: list[PlanIssue] = []
    loaded: dict[tuple[str, str], LoadedRule] = {}
    for path in rule_files(extra):
        one, found = _load_file(path)
        issues.extend(found)
        if one is not None:  # a file with problems still takes part in the checks of its period
            loaded[(one.rule.tier, one.rule.version)] = one  # an office's file replaces the packaged one
    issues.extend(_book_issues(list(loaded.values())))
    if issues:
        raise RulesInvalid(issues)
    return RuleBook(versions=tuple(item.rule for item in loaded.values()))


def validate_rule_file(path: Path) -> RuleVersion:
    """Check one rule file alone and with the packaged ones (overlaps, prerequisites)."""
    path = Path(path)
    one, issues = _load_file(path)
    if one is not None:
        others = {}
        for p in rule_files():
            if p.resolve() == path.resolve():
                continue
            other, _ = _load_file(p)
            if other is not None:
                others[(other.rule.tier, other.rule.version)] = other
        others[(one.rule.tier, one.rule.version)] = one
        issues.extend(i for i in _book_issues(list(others.values())) if i.file == str(path))
    if issues or one is None or not one.complete:
        raise RulesInvalid(issues)
    return one.rule


def _load_file(path: Path) -> tuple[LoadedRule | None, list[PlanIssue]]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [PlanIssue(file, None, "", Msg("file not found"))]
    except UnicodeDecodeError as exc:
        return None, [PlanIssue(file, None, "", Msg("not UTF-8 text (byte {byte}); save the rule file as UTF-8",
                                                    byte=exc.start))]
    issues = list(_tab_issues(text, file))
    if not text.strip():
        issues.append(PlanIssue(file, None, "", Msg("the rule file is empty")))
    if issues:
        return None, issues
    try:
        tree = _parse_yaml(text, file)
    except PlanInvalid as exc:
        return None, exc.issues
    if not isinstance(tree, CommentedMap):
        return None, [PlanIssue(file, 1, "", Msg("a rule file must be a mapping of keys (tier:, version:, …)"))]
    data = _plain(tree)
    rule: RuleVersion | None = None
    try:
        rule = RuleVersion.model_validate(data)
    except ValidationError as exc:
        issues.extend(_schema_issues(exc, tree, file))
    for loc, message in _file_rules(data):
        issues.append(PlanIssue(file, _line_of(tree, loc), _dotted(loc), message))
    if issues or rule is None:
        return _period_only(data, file, tree), issues
    return LoadedRule(rule, file, tree), []


class _Period(BaseModel):
    """What the checks across files read of a rule file: enough of it to compare periods and ranks."""

    model_config = ConfigDict(extra="ignore")
    tier: str
    version: str
    rank: int
    name_zh: str = ""
    name_en: str = ""
    effective_from: date
    effective_to: date | None = None
    source: str = ""


def _period_only(data: Any, file: str, tree: Any) -> LoadedRule | None:
    """A file with problems, as far as its period goes (so that an overlap is reported with its other problems)."""
    try:
        period = _Period.model_validate(data)
    except ValidationError:
        return None
    return LoadedRule(RuleVersion.model_construct(**period.model_dump(), criteria=[], routes=[], scores={}), file, tree,
                      complete=False)


# -- rules within a file (on the plain data, so that they run even when the schema fails) ---------------------


def _file_rules(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    scores = data.get("scores") or {}
    if not isinstance(scores, dict):
        scores = {}
    seen: dict[str, tuple[Any, ...]] = {}
    for key in ("criteria", "routes"):
        for i, c in enumerate(data.get(key) or []):
            if isinstance(c, dict):
                yield from _criterion_rules(c, (key, i), scores, seen)
    for sid, score in scores.items():
        for j, part in enumerate((score or {}).get("parts") or []):
            for k, option in enumerate((part or {}).get("best_of") or []):
                loc = ("scores", sid, "parts", j, "best_of", k)
                metric = option.get("metric")
                yield from _metric_known(metric, (*loc, "metric"))
                for b, band in enumerate(option.get("bands") or []):
                    if isinstance(band, dict) and isinstance(band.get("at_least"), dict):
                        yield from _unit_fits(band["at_least"], metric, (*loc, "bands", b, "at_least"))


def _criterion_rules(c: dict[str, Any], loc: tuple[Any, ...], scores: dict[str, Any],
                     seen: dict[str, tuple[Any, ...]]) -> Iterator[tuple[tuple[Any, ...], str]]:
    cid = c.get("id")
    if isinstance(cid, str):
        if cid in seen and loc[0] == seen[cid][0]:
            yield (*loc, "id"), Msg("criterion id {id} is used twice; give each criterion its own id", id=repr(cid))
        seen.setdefault(cid, loc)
    kind = c.get("kind", "threshold")
    metric = c.get("metric")
    if metric is not None:
        yield from _metric_known(metric, (*loc, "metric"))
        known = METRICS.get(metric)
        if known is not None and kind == "flag" and known.dimension is not Dimension.FLAG:
            yield (*loc, "metric"), Msg("{metric} is a figure, not a flag; use kind: threshold with a threshold",
                                        metric=repr(metric))
        if known is not None and kind == "threshold" and known.dimension is Dimension.FLAG:
            yield (*loc, "metric"), Msg("{metric} is a flag (true/false); use kind: flag with expect: true or false",
                                        metric=repr(metric))
    if isinstance(c.get("threshold"), dict):
        target = metric if kind == "threshold" else None
        yield from _unit_fits(c["threshold"], target, (*loc, "threshold"), points=kind == "score")
    for b, bracket in enumerate(c.get("brackets") or []):
        if not isinstance(bracket, dict):
            continue
        if isinstance(bracket.get("threshold"), dict):
            yield from _unit_fits(bracket["threshold"], metric, (*loc, "brackets", b, "threshold"))
        if isinstance(bracket.get("below"), dict):
            yield from _unit_fits(bracket["below"], c.get("bracket_on"), (*loc, "brackets", b, "below"))
    if c.get("bracket_on") is not None:
        yield from _metric_known(c["bracket_on"], (*loc, "bracket_on"))
    if kind == "score" and c.get("score") is not None and c["score"] not in scores:
        yield (*loc, "score"), Msg("score {score} is not defined under scores: ({known})", score=repr(c["score"]),
                                   known=", ".join(scores) or "–")
    for key in ("any_of", "all_of"):
        for i, child in enumerate(c.get(key) or []):
            if isinstance(child, dict):
                yield from _criterion_rules(child, (*loc, key, i), scores, {})


def _metric_known(metric: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if metric is None or metric in METRICS:
        return
    import difflib

    close = difflib.get_close_matches(str(metric), list(METRICS), n=1)
    if close:
        yield loc, Msg("unknown field {field}; did you mean {close}?", field=repr(metric), close=repr(close[0]))
    else:
        yield loc, Msg("unknown field {field}; known fields: {known}", field=repr(metric), known=", ".join(sorted(METRICS)))


def _unit_fits(threshold: dict[str, Any], metric: str | None, loc: tuple[Any, ...], *,
               points: bool = False) -> Iterator[tuple[tuple[Any, ...], str]]:
    unit = threshold.get("unit")
    if unit is None:
        return  # reported by the schema: a threshold without a unit
    if unit not in UNITS:
        yield (*loc, "unit"), Msg("unknown unit {unit}; write one of {known}", unit=repr(unit), known=", ".join(UNITS))
        return
    dim = UNITS[unit][0]
    if points and dim is not Dimension.POINTS:
        yield (*loc, "unit"), Msg("a score threshold is in points; found unit {unit}", unit=repr(unit))
    known = METRICS.get(metric or "")
    if known is not None and known.dimension is not dim:
        expected = [u for u, (d, _f) in UNITS.items() if d is known.dimension]
        yield (*loc, "unit"), Msg("unit {unit} does not fit {metric}, which is in {expected}", unit=repr(unit),
                                  metric=repr(metric), expected=" / ".join(expected) or known.dimension.value)


# -- rules across files -------------------------------------------------------------------------------------


def _book_issues(items: list[LoadedRule]) -> Iterator[PlanIssue]:
    by_tier: dict[str, list[LoadedRule]] = {}
    for item in items:
        by_tier.setdefault(item.rule.tier, []).append(item)
    for versions in by_tier.values():
        versions.sort(key=lambda i: i.rule.effective_from)
        for a, b in zip(versions, versions[1:], strict=False):
            end = a.rule.effective_to
            if end is None or end >= b.rule.effective_from:
                shown = end.isoformat() if end else Msg("open-ended")
                for mine, other in ((b, a), (a, b)):
                    yield PlanIssue(mine.file, mine.line("effective_from"), "effective_from", Msg(
                        "{tier} version {version} ({period}) overlaps version {other} ({other_period}, in {file}); "
                        "end one before the other starts (the earlier ends {end})", tier=mine.rule.tier,
                        version=mine.rule.version, period=mine.rule.period(), other=other.rule.version,
                        other_period=other.rule.period(), file=Path(other.file).name, end=shown))
        ranks = {v.rule.rank for v in versions}
        if len(ranks) > 1:
            for v in versions:
                yield PlanIssue(v.file, v.line("rank"), "rank", Msg(
                    "versions of {tier} give different ranks ({ranks}); a tier keeps its place on the ladder",
                    tier=v.rule.tier, ranks=", ".join(map(str, sorted(ranks)))))
    tiers = set(by_tier)
    for item in items:
        for i, c in enumerate(item.rule.criteria + item.rule.routes):
            key, j = ("criteria", i) if i < len(item.rule.criteria) else ("routes", i - len(item.rule.criteria))
            for held in _held_tiers(c):
                if held not in tiers:
                    yield PlanIssue(item.file, item.line(key, j), f"{key}[{j}]", Msg(
                        "prerequisite tier {tier} has no rule file (known: {known})", tier=repr(held),
                        known=", ".join(sorted(tiers))))


def _held_tiers(c: Criterion) -> Iterator[str]:
    if c.kind == "tier_held" and c.tier:
        yield c.tier
    for child in c.children():
        yield from _held_tiers(child)
