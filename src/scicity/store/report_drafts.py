"""Report drafts: create, edit the office's sections, freeze, publish, re-issue; every change audited.

States: ``draft`` (sections editable, numbers live) → ``frozen`` (the report
model of each language stored with the data version: it re-renders to the
same numbers after new data arrive; sections still editable) → ``published``
(nothing changes any more). A re-issue is a new draft, the next version of
the same series, starting from the sections of the one it supersedes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.report_tables import REPORT_KINDS, ReportDraftRow
from scicity.store.types import as_utc, utcnow

SECTION_KEYS = ("problems", "recommendations", "free")
MAX_SECTIONS = 40
MAX_TEXT = 200_000
ENTITY = "report_draft"


@dataclass(frozen=True)
class Section:
    """One section the office writes, in Chinese and English (either may be empty)."""

    key: str  # problems | recommendations | free
    title_zh: str
    title_en: str
    text_zh: str = ""
    text_en: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "title_zh": self.title_zh, "title_en": self.title_en, "text_zh": self.text_zh, "text_en": self.text_en}


DEFAULT_SECTIONS = (
    Section("problems", "存在的主要问题及原因分析", "Problems and their causes"),
    Section("recommendations", "对策建议", "Recommendations"),
)


@dataclass(frozen=True)
class ReportDraft:
    id: int
    series_id: int
    version: int
    supersedes: int | None
    plan_id: str
    kind: str
    as_of: int
    unit: str | None
    title: str
    state: str
    revision: int
    sections: tuple[Section, ...]
    data_version: int | None
    frozen_models: Mapping[str, Any] | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    frozen_by: str | None
    frozen_at: datetime | None
    published_by: str | None
    published_at: datetime | None

    def sections_in(self, lang: str) -> list[dict[str, str]]:
        """The sections as the report model takes them, in ``lang`` (sections without text there are left out)."""
        zh = lang.startswith("zh")
        out = []
        for s in self.sections:
            text = s.text_zh if zh else s.text_en
            if text.strip():
                out.append({"key": s.key, "title": (s.title_zh if zh else s.title_en) or s.title_en or s.title_zh, "text": text})
        return out

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "series_id": self.series_id, "version": self.version, "title": self.title,
                "state": self.state, "revision": self.revision, "as_of": self.as_of, "kind": self.kind,
                "data_version": self.data_version}


def check_sections(sections: Sequence[Section | Mapping[str, Any]]) -> tuple[Section, ...]:
    """Sections from user input, checked: known keys, titles, sizes. Text is kept as typed (escaped when rendered)."""
    out: list[Section] = []
    if len(sections) > MAX_SECTIONS:
        raise InvalidInput(f"a report has at most {MAX_SECTIONS} sections of its own, found {len(sections)}")
    for i, s in enumerate(sections, 1):
        sec = s if isinstance(s, Section) else Section(**{k: str(v or "") for k, v in s.items() if k in Section.__dataclass_fields__})
        if sec.key not in SECTION_KEYS:
            raise InvalidInput(f"section {i}: key {sec.key!r} is not one of {', '.join(SECTION_KEYS)}")
        if not (sec.title_zh.strip() or sec.title_en.strip()):
            raise InvalidInput(f"section {i}: give a title in Chinese or English")
        for field in ("title_zh", "title_en"):
            if len(getattr(sec, field)) > 200:
                raise InvalidInput(f"section {i}: {field} is longer than 200 characters")
        for field in ("text_zh", "text_en"):
            if len(getattr(sec, field)) > MAX_TEXT:
                raise InvalidInput(f"section {i}: {field} is longer than {MAX_TEXT:,} characters")
        out.append(Section(sec.key, sec.title_zh.strip(), sec.title_en.strip(), sec.text_zh.replace("\r\n", "\n"), sec.text_en.replace("\r\n", "\n")))
    return tuple(out)


class ReportDraftRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    # -- reading -------------------------------------------------------------
    def get(self, draft_id: int) -> ReportDraft:
        with self.db.session() as session:
            row = session.get(ReportDraftRow, draft_id)
            if row is None:
                raise NotFound(f"there is no report draft {draft_id}")
            return _draft(row)

    def list(self, plan_id: str | None = None, *, states: Sequence[str] | None = None) -> list[ReportDraft]:
        stmt = select(ReportDraftRow).order_by(ReportDraftRow.series_id.desc(), ReportDraftRow.version.desc())
        if plan_id is not None:
            stmt = stmt.where(ReportDraftRow.plan_id == plan_id)
        if states:
            stmt = stmt.where(ReportDraftRow.state.in_(list(states)))
        with self.db.session() as session:
            return [_draft(r) for r in session.scalars(stmt)]

    # -- writing -------------------------------------------------------------
    def create(self, plan_id: str, kind: str, as_of: int, *, actor: str, title: str, unit: str | None = None,
               sections: Sequence[Section | Mapping[str, Any]] = DEFAULT_SECTIONS) -> ReportDraft:
        check_actor(actor)
        if kind not in REPORT_KINDS:
            raise InvalidInput(f"report kind {kind!r} is not one of {', '.join(REPORT_KINDS)}")
        if not title.strip() or len(title) > 256:
            raise InvalidInput("a report draft needs a title of 1 to 256 characters")
        checked = check_sections(sections)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            row = ReportDraftRow(
                series_id=None, version=1, supersedes=None, plan_id=plan_id, kind=kind, as_of=as_of, unit=unit,
                title=title.strip(), state="draft", revision=1, sections=[s.as_dict() for s in checked],
                created_by=actor, created_at=now, updated_at=now,
            )
            session.add(row)
            session.flush()
            row.series_id = row.id
            self.audit.record(session, actor=actor, action="report.create", entity=ENTITY, entity_id=row.id,
                              after=_audit_view(row), at=now)
            return _draft(row)

    def edit_sections(self, draft_id: int, sections: Sequence[Section | Mapping[str, Any]], *, actor: str,
                      expected_revision: int | None = None) -> ReportDraft:
        """Replace the office's sections (a new revision); refused once published."""
        check_actor(actor)
        checked = check_sections(sections)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            row = self._locked(session, draft_id)
            if row.state == "published":
                raise InvalidTransition(f"report {draft_id} is published and cannot change: re-issue it as a new version")
            if expected_revision is not None and row.revision != expected_revision:
                raise InvalidTransition(
                    f"report {draft_id} was edited meanwhile (revision {row.revision}, you edited {expected_revision}): reload it and apply your changes again"
                )
            before = {"revision": row.revision, "sections": row.sections}
            row.sections = [s.as_dict() for s in checked]
            row.revision += 1
            row.updated_at = now
            self.audit.record(session, actor=actor, action="report.edit", entity=ENTITY, entity_id=row.id,
                              before=before, after={"revision": row.revision, "sections": row.sections}, at=now)
            return _draft(row)

    def freeze(self, draft_id: int, models: Mapping[str, Any], data_version: int | None, *, actor: str) -> ReportDraft:
        """Store the report model of each language with the data version; the numbers no longer change."""
        check_actor(actor)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            row = self._locked(session, draft_id)
            if row.state != "draft":
                raise InvalidTransition(f"report {draft_id} is {row.state}; only a draft can be frozen")
            row.state, row.frozen_models, row.data_version = "frozen", dict(models), data_version
            row.frozen_by, row.frozen_at, row.updated_at = actor, now, now
            self.audit.record(session, actor=actor, action="report.freeze", entity=ENTITY, entity_id=row.id,
                              before={"state": "draft"}, after={"state": "frozen", "data_version": data_version,
                                                                "as_of": row.as_of}, at=now)
            return _draft(row)

    def publish(self, draft_id: int, *, actor: str) -> ReportDraft:
        check_actor(actor)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            row = self._locked(session, draft_id)
            if row.state != "frozen":
                raise InvalidTransition(f"report {draft_id} is {row.state}; freeze it before publishing")
            row.state, row.published_by, row.published_at, row.updated_at = "published", actor, now, now
            self.audit.record(session, actor=actor, action="report.publish", entity=ENTITY, entity_id=row.id,
                              before={"state": "frozen"}, after={"state": "published", "revision": row.revision}, at=now)
            return _draft(row)

    def reissue(self, draft_id: int, *, actor: str) -> ReportDraft:
        """A new draft, the next version of the series, with the sections of ``draft_id``."""
        check_actor(actor)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            old = self._locked(session, draft_id)
            if old.state != "published":
                raise InvalidTransition(f"report {draft_id} is {old.state}: edit it instead of re-issuing it")
            last = session.scalar(select(func.max(ReportDraftRow.version)).where(ReportDraftRow.series_id == old.series_id))
            row = ReportDraftRow(
                series_id=old.series_id, version=int(last or 0) + 1, supersedes=old.id, plan_id=old.plan_id, kind=old.kind,
                as_of=old.as_of, unit=old.unit, title=old.title, state="draft", revision=1, sections=list(old.sections),
                created_by=actor, created_at=now, updated_at=now,
            )
            session.add(row)
            session.flush()
            self.audit.record(session, actor=actor, action="report.reissue", entity=ENTITY, entity_id=row.id,
                              before={"supersedes": old.id, "version": old.version}, after=_audit_view(row), at=now)
            return _draft(row)

    @staticmethod
    def _locked(session: Any, draft_id: int) -> ReportDraftRow:
        row = session.scalars(select(ReportDraftRow).where(ReportDraftRow.id == draft_id).with_for_update()).first()
        if row is None:
            raise NotFound(f"there is no report draft {draft_id}")
        return row


def _audit_view(row: ReportDraftRow) -> dict[str, Any]:
    return {"plan_id": row.plan_id, "kind": row.kind, "as_of": row.as_of, "unit": row.unit, "title": row.title,
            "version": row.version, "state": row.state, "revision": row.revision, "sections": row.sections}


def _draft(row: ReportDraftRow) -> ReportDraft:
    return ReportDraft(
        id=row.id, series_id=row.series_id or row.id, version=row.version, supersedes=row.supersedes, plan_id=row.plan_id,
        kind=row.kind, as_of=row.as_of, unit=row.unit, title=row.title, state=row.state, revision=row.revision,
        sections=tuple(Section(**s) for s in row.sections), data_version=row.data_version, frozen_models=row.frozen_models,
        created_by=row.created_by, created_at=as_utc(row.created_at), updated_at=as_utc(row.updated_at),
        frozen_by=row.frozen_by, frozen_at=as_utc(row.frozen_at) if row.frozen_at else None,
        published_by=row.published_by, published_at=as_utc(row.published_at) if row.published_at else None,
    )
