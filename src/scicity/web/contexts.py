"""The typed context of each server-rendered page (what its template may use, and nothing else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class OverviewItem:
    id: str
    name: str
    latest: str
    latest_period: int | None
    target: str
    target_year: int
    progress: float | None
    status: str
    status_label: str
    sparkline: Markup
    pending: int = 0  # values waiting for approval (shown to those who may see drafts)
    note: str | None = None  # why a full bar is not met (a value exactly on a strict target)


@dataclass(frozen=True)
class AreaBlock:
    id: str
    name: str
    items: list[OverviewItem]
    rows: list[Markup] = field(default_factory=list)  # each item's rendered row (web/overview_rows.py)


@dataclass(frozen=True)
class MonitoredItem:
    """A series followed without a target (``monitored: true``): its latest value and year at the plan's root."""

    id: str
    name: str
    latest: str
    latest_period: int | None
    measure: str
    sparkline: Markup | str = ""
    to_date: bool = False  # the latest year has not ended: its value so far


@dataclass(frozen=True)
class MonitoredPage:
    """The page of a monitored series: values per year at every unit, what defines it, the entities behind."""

    plan_id: str
    id: str
    name: str
    measure: str
    definition: str | None
    latest: str
    latest_period: int | None
    units: list[str]
    values: list[tuple[int, list[str]]]
    as_of: int | None
    years: list[int]
    drill: Any = None


@dataclass(frozen=True)
class OverviewPage:
    plan_id: str
    plan_name: str
    plans: list[tuple[str, str]]
    as_of: int | None
    years: list[int]
    method: str
    methods: list[str]
    counts: list[tuple[str, str, int]]  # (status, label, count)
    areas: list[AreaBlock]
    total: int
    synthetic: bool
    method_titles: dict[str, str] = field(default_factory=dict)
    monitored: list[MonitoredItem] = field(default_factory=list)


@dataclass(frozen=True)
class MethodVerdict:
    method: str
    status: str
    status_label: str
    native_label: str
    summary: str
    formula: str
    steps: list[str]
    flags: list[str]
    inputs: dict[str, Any]
    title: str = ""  # the method's name for people
    chosen: bool = False  # the method the page's status is judged by


@dataclass(frozen=True)
class ObservationLine:
    id: int
    indicator: str
    unit: str
    period: int
    value: str
    revision: int
    status: str
    source: str | None
    vintage: str | None
    created_by: str | None
    created_at: str
    approved_by: str | None
    comment: str | None
    current: bool  # the revision that counts (latest approved)


@dataclass(frozen=True)
class IndicatorPage:
    plan_id: str
    id: str
    name: str
    area: str
    measure: str
    definition: str | None
    formula: str | None
    substituted: str | None
    inputs: list[tuple[str, str, str]]  # (id, period, value)
    quote: str | None
    target: str
    target_year: int
    kind: str
    status: str
    status_label: str
    latest: str
    required_change: str | None
    recent_change: str | None
    projection: str | None
    p_meet: str | None
    verdicts: list[MethodVerdict]
    observations: list[ObservationLine]
    chart_spec: str
    as_of: int | None
    years: list[int]
    can_enter: bool
    unit: str
    unit_name: str = ""
    units: list[tuple[str, str]] = field(default_factory=list)  # every unit of the plan (the unit selector)
    own_target: bool = True  # False: the unit has no target of its own (values only, no verdict)
    mismatch: str | None = None
    drill: DrillThrough | None = None  # the entities behind the latest (or the chosen) value of a registry count
    quote_translation: str | None = None  # shown as a translation, under the quote in its own language
    method: str = "projection"  # the method the header's status is judged by (the overview's, or the official one)
    method_title: str = ""
    pipeline: Any = None  # a tier count's registry-based projection (scicity.web.routes.cultivation.IndicatorPipeline)


@dataclass(frozen=True)
class GeoFigure:
    """An indicator at a unit: the judged value (Σ, Δ or a level) and the unit's own target where set."""

    indicator: str
    name: str
    value: str
    period: int | None
    target: str | None = None
    status: str | None = None
    status_label: str | None = None
    scale: str = "level"


@dataclass(frozen=True)
class GeoNode:
    id: str
    name: str
    kind: str
    depth: int
    figures: list[GeoFigure]


@dataclass(frozen=True)
class GeographyPage:
    nodes: list[GeoNode]
    indicators: list[tuple[str, str]]
    map_spec: str | None = None  # the Vega-Lite spec (JSON text) of the map, None when the plan places nothing
    map_problem: str | None = None  # why the map cannot be drawn
    as_of: int | None = None
    method: str = ""
    indicator: str = ""  # the indicator colouring the map's markers ('' none)
    approximate: list[str] = field(default_factory=list)  # units whose map position is approximate (names)


@dataclass(frozen=True)
class GoalLine:
    id: str
    name: str
    status: str
    status_label: str
    evidence: str | None
    evidence_is_link: bool
    evidence_file: str | None
    confirmed_by: str | None
    at: str
    history: list[tuple[str, str, str, str]]  # (when, status label, by, evidence)


@dataclass(frozen=True)
class GoalsPage:
    goals: list[GoalLine]
    can_edit: bool
    statuses: list[tuple[str, str]]
    error: str | None = None  # why the last change was not recorded, said at goal ``error_goal``
    error_goal: str | None = None
    typed: dict[str, str] = field(default_factory=dict)  # that goal's form as it was sent (status, evidence)


@dataclass(frozen=True)
class CellProblem:
    where: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    value: str | None


@dataclass(frozen=True)
class ChangeLine:
    kind: str
    indicator: str
    unit: str
    period: int
    old: str
    new: str
    source: str | None


@dataclass(frozen=True)
class RefusedRows:
    """Rows of an upload for a series the uploader's department does not report: the series and its rows in words."""

    id: str
    name: str
    rows: str  # 'Western (Chongqing) Science City 2024, … 2023'


@dataclass
class DataPage:
    indicators: list[tuple[str, str]]
    units: list[tuple[str, str]]
    years: list[int]
    problems: list[CellProblem] = field(default_factory=list)
    problem_total: int = 0
    file_name: str | None = None
    changes: list[ChangeLine] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    upload_id: str | None = None
    error: str | None = None
    refused: list[RefusedRows] = field(default_factory=list)  # with ``error``: the rows it is about
    message: str | None = None
    drafts: list[ObservationLine] = field(default_factory=list)
    status_choice: str = "submitted"
    selected_indicator: str = ""  # the one-value form's choices (kept after an error, or from an indicator page)
    selected_unit: str = ""
    form: dict[str, str] = field(default_factory=dict)  # what was typed in the one-value form (kept after an error)
    form_error: str | None = None
    grid: Any = None  # scicity.web.upload_grid.Grid: the file with its bad cells marked
    notes: list[str] = field(default_factory=list)  # the reader's remarks on an upload (read as GB18030, …), translated


@dataclass(frozen=True)
class ApprovalPage:
    items: list[ObservationLine]
    previous: dict[int, str]  # row id -> the value it replaces
    own: set[int]  # rows entered by the reviewer: someone else must approve them
    message: str | None = None
    error: str | None = None
    error_row: int | None = None  # the row the error is said at


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str
    after: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after) in words
    action_id: str = ""
    entity_raw: str = ""  # the record's id (entity_id shows its name where it has one)


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditLine]
    actor: str
    indicator: str
    since: str
    until: str
    limit: int
    error: str | None = None
    action: str = ""
    entity: str = ""
    actions: list[tuple[str, str]] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)
    page: int = 1
    prev_href: str | None = None
    next_href: str | None = None


@dataclass(frozen=True)
class AdminPage:
    users: list[Any]
    departments: list[Any]
    roles: list[str]
    indicators: list[tuple[str, str]]
    message: str | None = None
    error: str | None = None
    new_token: str | None = None
    #: the signed-in user's own API tokens (newest first), to revoke
    tokens: list[Any] = field(default_factory=list)
    #: per registry that may have public fields: (kind, title, [(field, label, shown publicly)])
    public_fields: list[tuple[str, str, list[tuple[str, str, bool]]]] = field(default_factory=list)
    public_view: bool = False  # SCICITY_PUBLIC_VIEW is on


@dataclass(frozen=True)
class EntityTable:
    """One registry count behind a value: its definition in words and one page of its entities."""

    id: str
    described: str
    value: str
    total: int | None  # None: the registry holds no rows here, the reported value is used
    first: int
    last: int
    columns: list[str]
    rows: list[list[str]]
    verbatim: list[bool] = field(default_factory=list)  # per column: codes and free text as entered


@dataclass(frozen=True)
class ReconciliationLine:
    id: str
    registry: str
    reported: str
    difference: str
    flagged: bool


@dataclass(frozen=True)
class DrillThrough:
    """The entities behind one value of an indicator (``_entities.html``), paged."""

    indicator_id: str
    plan_id: str | None  # the page's ?plan= (None: the default plan)
    period: int
    unit: str
    value: str
    measure: str
    how: str
    formula: str | None
    substituted: str | None
    parts: list[EntityTable]
    reconciliation: list[ReconciliationLine]
    page: int
    pages: int
    @property
    def total(self) -> int:
        return sum(p.total or 0 for p in self.parts)

    def href(self, page: int, fragment: bool = False) -> str:
        from urllib.parse import quote, urlencode

        base = f"/indicators/{quote(self.indicator_id)}" + ("/entities" if fragment else "")
        query = {**({"plan": self.plan_id} if self.plan_id else {}), "period": self.period, "unit": self.unit, "page": page}
        return f"{base}?{urlencode(query)}" + ("" if fragment else "#entities")
