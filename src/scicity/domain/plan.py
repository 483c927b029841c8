"""The plan: what is measured and what counts as success.

A plan is a tree of plain, frozen values: areas group indicators; an indicator
is either reported directly or computed by a formula over series and other
indicators; targets say which value an indicator must reach by when; goals are
the qualitative ambitions; the geography tree names the units that data and
targets attach to. Nothing here reads files or talks to databases: the YAML
loader lives in :mod:`scicity.ingest.plan_file`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from scicity.domain.message import Msg, Words
from scicity.domain.registry_definition import RegistryDefinition

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="Lower-case identifier: letters, digits and '_', starting with a letter.",
    ),
]
Year = Annotated[int, Field(ge=1900, le=2200)]
_TEXT_SCHEMA = {"type": "object", "properties": {"en": {"type": "string", "minLength": 1}, "zh": {"type": "string"}},
                "required": ["en"], "additionalProperties": False}
#: a text a plan file may give as a plain (English) string or as {en: ..., zh: ...}
Bilingual = Annotated[str, WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, _TEXT_SCHEMA]})]
OptionalBilingual = Annotated[str | None, WithJsonSchema({"anyOf": [{"type": "string"}, _TEXT_SCHEMA, {"type": "null"}]})]


class Comparator(StrEnum):
    """How a value is compared with a target value. '>' is strict: equal is not met."""

    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    BETWEEN = "between"

    def holds(self, value: float, target: float, high: float | None = None) -> bool:
        """True when ``value`` meets the target under this comparator."""
        if self is Comparator.GT:
            return value > target
        if self is Comparator.GE:
            return value >= target
        if self is Comparator.LT:
            return value < target
        if self is Comparator.LE:
            return value <= target
        if self is Comparator.EQ:
            return value == target
        if high is None:
            raise ValueError("a 'between' comparator needs an upper bound")
        return target <= value <= high


class TargetKind(StrEnum):
    """What the target value is compared with."""

    LEVEL = "level"  # the value at the end of the target year
    CUMULATIVE = "cumulative"  # the sum of yearly flows after the baseline year
    INCREMENT = "increment"  # the level at the target year minus the level at baseline

    # -- kinds that real plans word relative to the baseline (issue 9); each implies a level at the target year,
    #    and the comparator compares the level at the target year with it (see implied_level)
    AVERAGE_GROWTH = "average_growth"  # average yearly growth in % from the baseline year to the target year
    POINTS_CHANGE = "points_change"  # change in percentage points from the baseline (an increment of a % indicator)
    REDUCTION = "reduction"  # a reduction by N % from the baseline level (lower is better)
    NOT_BELOW_BASELINE = "not_below_baseline"  # the level at the target year not below the baseline level (value 0)

    @property
    def relative_to_baseline(self) -> bool:
        """True when the target is worded relative to the baseline level (it needs the baseline value)."""
        return self not in (TargetKind.LEVEL, TargetKind.CUMULATIVE)

    def implied_level(self, value: Any, y0: Any, years: Any) -> Any:
        """The level at the target year that ``value`` stands for, from baseline ``y0`` over ``years`` years.

        Works on numbers and on numpy arrays alike. LEVEL and CUMULATIVE: ``value`` itself.
        """
        if self is TargetKind.INCREMENT or self is TargetKind.POINTS_CHANGE or self is TargetKind.NOT_BELOW_BASELINE:
            return y0 + value
        if self is TargetKind.AVERAGE_GROWTH:
            return y0 * (1.0 + value / 100.0) ** years
        if self is TargetKind.REDUCTION:
            return y0 * (1.0 - value / 100.0)
        return value + 0.0 * y0


class TargetAttribute(StrEnum):
    """The attribute a Chinese plan gives each indicator: expected (预期性) or binding (约束性)."""

    EXPECTED = "expected"  # 预期性: a direction the government expects and guides towards
    BINDING = "binding"  # 约束性: a commitment the government must meet

    def text(self, lang: str) -> str:
        zh = {"expected": "预期性", "binding": "约束性"}
        return zh[self.value] if lang.startswith("zh") else self.value


class Direction(StrEnum):
    """Which way is better for an indicator."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        return 1 if self is Direction.HIGHER else -1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


class Text(_Frozen):
    """A text in English and Chinese (简体中文)."""

    en: str = Field(min_length=1)
    zh: str | None = None

    def get(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") and self.zh else self.en


def _split_bilingual(data: object, *names: str) -> object:
    """``measure: {en: persons, zh: 人}`` in a plan file -> ``measure: persons, measure_zh: 人`` (plain strings stay valid)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for name in names:
        value = out.get(name)
        if isinstance(value, dict):
            extra = set(value) - {"en", "zh"}
            if extra:
                raise ValueError(Msg("{name} takes the languages 'en' and 'zh', found {found}", name=repr(name),
                                     found=str(sorted(extra))))
            if not value.get("en"):
                raise ValueError(Msg("{name} needs an English form ('en')", name=repr(name)))
            out[name] = value["en"]
            if value.get("zh"):
                if out.get(f"{name}_zh") not in (None, value["zh"]):
                    raise ValueError(Msg("{name} gives 'zh' and {field} differently", name=repr(name), field=f"{name}_zh"))
                out[f"{name}_zh"] = value["zh"]
    return out


class _Bilingual:
    """Texts of a plan element in a language: the Chinese form where the plan gives one, else the English."""

    def text_in(self, name: str, lang: str) -> str | None:
        en = getattr(self, name)
        zh = getattr(self, f"{name}_zh", None)
        return zh if lang.startswith("zh") and zh else en

    def measure_in(self, lang: str) -> str:
        return self.text_in("measure", lang) or ""

    def definition_in(self, lang: str) -> str | None:
        return self.text_in("definition", lang)


class Area(_Frozen):
    """A thematic group of indicators (e.g. 'Sci-tech talent')."""

    id: Identifier
    name: Text


class Series(_Frozen, _Bilingual):
    """A raw statistical series that is reported but not itself targeted (e.g. GRP)."""

    id: Identifier
    name: Text
    measure: Bilingual = Field(min_length=1, description="Unit of measure, e.g. 'CNY 100 million', 'persons' "
                         "(or {en: ..., zh: ...}).")
    measure_zh: str | None = Field(None, description="The unit of measure in Chinese, e.g. '亿元'.")
    description: str | None = None
    non_negative: bool = Field(True, description="Reject negative reported values.")
    registry: RegistryDefinition | None = Field(
        None, description="Computed from a registry (a count of entities, or a sum of exchange records) instead of being reported."
    )
    monitored: bool = Field(
        False, description="Shown on the overview among the monitored indicators: followed year by year, with no target."
    )

    @model_validator(mode="before")
    @classmethod
    def _bilingual(cls, data: object) -> object:
        return _split_bilingual(data, "measure")


class Milestone(_Frozen):
    """An intermediate value the plan expects by a given year."""

    year: Year
    value: float


class Target(_Frozen):
    """What an indicator must reach by when."""

    comparator: Comparator
    value: float
    high: float | None = Field(None, description="Upper bound, only for 'between'.")
    kind: TargetKind = TargetKind.LEVEL
    year: Year | None = Field(None, description="Target year; defaults to the plan's target year.")
    baseline_year: Year | None = Field(None, description="Defaults to the plan's baseline year.")
    unit: Identifier | None = Field(None, description="Geography unit; defaults to the plan's root unit.")
    milestones: tuple[Milestone, ...] = ()
    source_quote: str | None = Field(None, description="The sentence of the source document this target comes from.")
    attribute: TargetAttribute = Field(
        TargetAttribute.EXPECTED,
        description="expected (预期性) or binding (约束性), as the plan's indicator table says. Default: expected.",
    )
    source_quote_zh: str | None = Field(None, description="A Chinese translation of an English source quote "
                                        "(shown as a translation, next to the quote).")

    @model_validator(mode="after")
    def _bounds(self) -> Target:
        if self.comparator is Comparator.BETWEEN:
            if self.high is None:
                raise ValueError(Msg("comparator 'between' needs 'high' (the upper bound)"))
            if self.high < self.value:
                raise ValueError(Msg("'high' ({high}) is below 'value' ({value})", high=self.high, value=self.value))
        elif self.high is not None:
            raise ValueError(Msg("'high' is only allowed with comparator 'between', not {comparator}",
                                 comparator=repr(self.comparator.value)))
        return self

    # -- rules of the baseline-relative kinds (issue 9), kept apart from the fields above
    @model_validator(mode="after")
    def _relative_kinds(self) -> Target:
        k, cmp = self.kind, self.comparator
        if k is TargetKind.NOT_BELOW_BASELINE and (cmp is not Comparator.GE or self.value != 0):
            raise ValueError(Msg("kind 'not_below_baseline' takes comparator: \">=\" and value: 0 (not below the baseline level)"))
        if k is TargetKind.REDUCTION:
            if cmp in (Comparator.GT, Comparator.GE):
                raise ValueError(Msg(
                    "kind 'reduction' compares the level with the reduced baseline: use comparator \"<=\" "
                    "(reduce by at least N %) or \"<\", not {comparator}", comparator=repr(cmp.value)))
            if not 0 <= self.value <= 100 or (self.high is not None and not 0 <= self.high <= 100):
                raise ValueError(Msg("kind 'reduction' takes a share in % of the baseline, between 0 and 100"))
        if k is TargetKind.AVERAGE_GROWTH and self.value <= -100:
            raise ValueError(Msg("kind 'average_growth' takes a yearly growth rate in %, above -100"))
        if k.relative_to_baseline and k is not TargetKind.INCREMENT and k is not TargetKind.POINTS_CHANGE and self.milestones:
            raise ValueError(Msg("milestones are not supported with kind {kind}; give a level target with milestones instead",
                                 kind=repr(k.value)))
        return self

    def describe(self) -> str:
        """Human text, e.g. '> 5.5 (level, 2025)'."""
        bound = f"{_num(self.value)}–{_num(self.high)}" if self.high is not None else _num(self.value)
        sign = "+" if self.kind is TargetKind.INCREMENT else ""
        op = "" if self.comparator is Comparator.BETWEEN else f"{self.comparator.value} "
        k = self.kind
        if k is TargetKind.AVERAGE_GROWTH:
            return f"{op}{bound} %/yr avg"
        if k is TargetKind.POINTS_CHANGE:
            return f"{op}{'+' if self.value >= 0 else ''}{bound} pts"
        if k is TargetKind.REDUCTION:
            return f"−{bound} % from baseline"
        if k is TargetKind.NOT_BELOW_BASELINE:
            return ">= baseline"
        return f"{op}{sign}{bound}"


class Indicator(_Frozen, _Bilingual):
    """A measured quantity with a direction; reported directly, computed by a formula, or counted in a registry."""

    id: Identifier
    area: Identifier
    name: Text
    measure: Bilingual = Field(min_length=1, description="Unit of measure, e.g. '%', 'enterprises' (or {en: ..., zh: ...}).")
    measure_zh: str | None = Field(None, description="The unit of measure in Chinese, e.g. '家'.")
    direction: Direction = Direction.HIGHER
    formula: str | None = Field(
        None,
        description="Arithmetic over series and indicator ids, e.g. 'rd_expenditure / grp * 100'. "
        "Absent: the indicator is reported directly under its own id.",
    )
    definition: OptionalBilingual = Field(None, description="What exactly is counted or measured (or {en: ..., zh: ...}).")
    definition_zh: str | None = Field(None, description="The definition in Chinese.")
    non_negative: bool = Field(True, description="Reject negative reported values.")
    decimals: int = Field(1, ge=0, le=6, description="Decimals to show.")
    targets: tuple[Target, ...] = ()
    source_quote: str | None = None
    source_quote_zh: str | None = Field(None, description="A Chinese translation of an English source quote.")
    registry: RegistryDefinition | None = Field(
        None,
        description="Computed from a registry (a count of entities per unit and year) instead of being reported. "
        "Not together with 'formula'.",
    )
    within: Identifier | None = Field(
        None,
        description="The indicator this one is a tier of (high-tech enterprises within technology-based "
        "enterprises, a talent tier within the talent total): its target may not exceed that one's.",
    )

    @model_validator(mode="before")
    @classmethod
    def _bilingual(cls, data: object) -> object:
        return _split_bilingual(data, "measure", "definition")

    @model_validator(mode="after")
    def _one_definition(self) -> Indicator:
        if self.formula is not None and self.registry is not None:
            raise ValueError(Msg("an indicator is defined by a formula or by a registry, not both: remove one of them"))
        return self


Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]


class GeoUnit(_Frozen):
    """A node of the geography tree (the whole zone, an axis, a centre, a point)."""

    id: Identifier
    name: Text
    kind: str = Field("area", description="e.g. city, axis, centre, point.")
    coordinates: tuple[Longitude, Latitude] | tuple[tuple[Longitude, Latitude], ...] | None = Field(
        None, description="Where the unit is, as [longitude, latitude] in degrees (WGS 84 / CGCS2000), drawn as "
        "a marker on the geography map; an axis may give a line instead: [[lon, lat], [lon, lat], ...].")
    approximate: bool = Field(
        False, description="The coordinates are approximate (a sketch of the layout, not surveyed): the map says "
        "so at the marker and under the map.")
    districts: tuple[Annotated[str, Field(pattern=r"^[0-9]{6}$")], ...] = Field(
        (), description="The county-level divisions the unit lies in, by their six-digit codes (GB/T 2260, "
        "e.g. 500106 for Shapingba): their boundaries are drawn on the geography map.")
    children: tuple[GeoUnit, ...] = ()

    @model_validator(mode="after")
    def _line(self) -> GeoUnit:
        if self.coordinates and isinstance(self.coordinates[0], tuple) and len(self.coordinates) < 2:
            raise ValueError(Msg("coordinates: a line needs at least two [longitude, latitude] points"))
        return self

    @property
    def point(self) -> tuple[float, float] | None:
        """The marker's place: the coordinates, or the last point of a line (where its label goes)."""
        c = self.coordinates
        if not c:
            return None
        if isinstance(c[0], tuple):
            return c[-1]  # type: ignore[return-value]
        return c  # type: ignore[return-value]

    @property
    def line(self) -> tuple[tuple[float, float], ...]:
        """The points of a line (an axis), or nothing."""
        c = self.coordinates
        return c if c and isinstance(c[0], tuple) else ()  # type: ignore[return-value]

    def walk(self) -> list[GeoUnit]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"


class Goal(_Frozen):
    """A qualitative goal, tracked through milestones with evidence."""

    id: Identifier
    name: Text
    year: Year | None = None
    milestones: tuple[Text, ...] = ()
    source_quote: str | None = None
    source_quote_zh: str | None = Field(None, description="A Chinese translation of an English source quote.")


class Plan(_Frozen):
    """A plan: its areas, series, indicators with targets, goals and geography."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
    name: Text
    issuer: Text | None = None
    period: tuple[Year, Year] = Field(description="First and last year of the plan period.")
    baseline_year: Year
    target_year: Year
    source_document: str | None = None
    positioning: Text | None = None
    areas: tuple[Area, ...]
    series: tuple[Series, ...] = ()
    indicators: tuple[Indicator, ...]
    goals: tuple[Goal, ...] = ()
    geography: GeoUnit
    official_method: Identifier | None = Field(
        None, description="The assessment method the office reports officially (default: projection); "
        "pages show it first and the others as alternatives.")

    @model_validator(mode="after")
    def _years(self) -> Plan:
        if self.period[0] > self.period[1]:
            raise ValueError(Msg("period {first}–{last} runs backwards", first=self.period[0], last=self.period[1]))
        if self.baseline_year >= self.target_year:
            raise ValueError(Msg("baseline_year {baseline} must come before target_year {target}", baseline=self.baseline_year,
                                 target=self.target_year))
        return self

    # -- look-ups -----------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"plan {self.id!r} has no indicator {indicator_id!r}")

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"plan {self.id!r} has no area {area_id!r}")

    def series_by_id(self) -> dict[str, Series]:
        return {s.id: s for s in self.series}

    def geo_units(self) -> dict[str, GeoUnit]:
        return {u.id: u for u in self.geography.walk()}

    def reported_ids(self) -> dict[str, str]:
        """Every id that data may be reported under, with its unit of measure (English, and Chinese when set)."""
        out = {s.id: Words(s.measure, s.measure_zh) for s in self.series}
        out.update({i.id: Words(i.measure, i.measure_zh) for i in self.indicators})
        return out

    def monitored(self) -> list[Series]:
        """Series followed without a target (``monitored: true``), in plan order."""
        return [s for s in self.series if s.monitored]

    def registry_definitions(self) -> dict[str, RegistryDefinition]:
        """Series and indicator ids defined by a registry, with their definitions, in plan order."""
        out = {s.id: s.registry for s in self.series if s.registry is not None}
        out.update({i.id: i.registry for i in self.indicators if i.registry is not None})
        return out

    def non_negative_ids(self) -> set[str]:
        return {s.id for s in self.series if s.non_negative} | {i.id for i in self.indicators if i.non_negative}

    def target_year_of(self, target: Target) -> int:
        return target.year or self.target_year

    def baseline_year_of(self, target: Target) -> int:
        return target.baseline_year or self.baseline_year

    def unit_of(self, target: Target) -> str:
        return target.unit or self.geography.id

    def targets(self) -> list[tuple[Indicator, Target]]:
        """Every (indicator, target) pair in plan order."""
        return [(ind, t) for ind in self.indicators for t in ind.targets]


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"
