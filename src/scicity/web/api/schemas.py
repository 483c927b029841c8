"""Request and response bodies of the JSON API (what /api/openapi.json describes)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from scicity.domain.message import Msg


class Problem(BaseModel):
    detail: str | list[Any]


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    department_id: str | None
    lang: str | None
    reports: list[str] = Field(description="Ids a data provider may report (empty for other roles).")


class PlanOut(BaseModel):
    id: str
    name: str
    is_default: bool
    loaded_at: datetime
    sha256: str


class AreaOut(BaseModel):
    id: str
    name: str


class TargetOut(BaseModel):
    comparator: str
    value: float
    high: float | None
    kind: str
    year: int
    baseline_year: int
    unit: str
    source_quote: str | None


class IndicatorOut(BaseModel):
    id: str
    area: str
    name: str
    measure: str
    direction: str
    formula: str | None
    definition: str | None
    targets: list[TargetOut]


class PlanDetail(PlanOut):
    baseline_year: int
    target_year: int
    areas: list[AreaOut]
    indicators: list[IndicatorOut]
    units: list[str]


class ObservationOut(BaseModel):
    id: int
    indicator: str
    unit: str
    period: int
    value: float
    revision: int
    status: str
    source: str | None
    vintage: date | None
    created_by: str | None
    created_at: datetime | None
    approved_by: str | None
    comment: str | None


class SeriesPoint(BaseModel):
    period: int
    value: float
    revision: int | None = Field(None, description="Revision of a reported value (none for a computed one).")
    source: str | None
    vintage: date | None
    approved_by: str | None
    how: str = Field("reported", description="reported; computed (a formula over approved values); registry (a count)")
    formula: str | None = Field(None, description="The formula with the numbers, for a computed value.")


class SeriesOut(BaseModel):
    indicator: str
    unit: str
    points: list[SeriesPoint]


def _iso_day(value: object) -> object:
    """A day only as the text YYYY-MM-DD (or a date): 0 or 1700000000 is not read as a Unix time."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(Msg("write the day as YYYY-MM-DD"))
    try:
        return date.fromisoformat(value)  # a date, so that strict models take it too
    except ValueError:
        raise ValueError(Msg("no such day; write a valid date as YYYY-MM-DD")) from None


#: a day in a query parameter or a JSON field: YYYY-MM-DD only
IsoDay = Annotated[date, BeforeValidator(_iso_day)]

#: what a source may hold: what the file readers accept, so that every stored value exports and re-imports
SOURCE_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"


class ObservationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # JSON types as the schema says: no "1" for 1, 0 for false

    indicator: str = Field(min_length=1, max_length=64)
    unit: str = Field(min_length=1, max_length=64)
    period: int = Field(ge=1900, le=2200)
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)
    source: str | None = Field(None, max_length=1000, pattern=SOURCE_PATTERN,
                               description="One line of text (no control characters but tab and line feed), "
                               "as the file readers accept it.")
    vintage: IsoDay | None = None


class ObservationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # JSON types as the schema says: no "1" for 1, 0 for false

    observations: list[ObservationIn] = Field(min_length=1, max_length=100_000)
    status: Literal["submitted", "draft"] = "submitted"
    dry_run: bool = False


class ChangeOut(BaseModel):
    kind: str
    indicator: str
    unit: str
    period: int
    old_value: float | None
    new_value: float


class ChangesOut(BaseModel):
    dry_run: bool
    counts: dict[str, int]
    changes: list[ChangeOut]
    batch_id: int | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # JSON types as the schema says: no "1" for 1, 0 for false

    comment: str | None = Field(None, max_length=2000)


class ReturnIn(BaseModel):
    """Returning a value needs a comment that says what to fix."""

    model_config = ConfigDict(extra="forbid", strict=True)  # JSON types as the schema says: no "1" for 1, 0 for false

    comment: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
                         description="What to fix (required; at least one character that is not a space).")


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    batch_id: int | None


class RegistryPartOut(BaseModel):
    id: str = Field(description="The registry-defined id counted.")
    definition: dict[str, Any]
    described: str = Field(description="The definition in words.")
    value: float | None
    total: int | None = Field(description="Entities behind the count (null: the registry holds no rows here).")
    offset: int | None
    members: list[dict[str, Any]] = Field(description="One page of the entities (their columns, key first).")


class ReconciliationOut(BaseModel):
    id: str
    registry: float
    reported: float
    difference: float
    flagged: bool


class ExplanationOut(BaseModel):
    plan: str
    id: str
    name: str
    measure: str
    unit: str
    period: int
    value: float | None
    how: str
    definition: str | None
    formula: str | None
    substituted: str | None
    sources: list[str]
    registry: list[RegistryPartOut]
    reconciliation: list[ReconciliationOut]
