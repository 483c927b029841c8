"""Report drafts: create → edit → freeze → publish → re-issue, audited, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from scicity.domain.observation import Observation
from scicity.service.report_service import draft_model, freeze_draft, live_model
from scicity.store.audit import AuditRepository
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.observations import ObservationRepository
from scicity.store.report_drafts import ReportDraftRepository, Section

MODEL = {"zh": {"status": [], "rows": []}, "en": {"status": [], "rows": []}}


def test_the_life_of_a_draft(database, clock):
    repo = ReportDraftRepository(database, clock=clock)
    d = repo.create("wcsc-14fyp-sti", "final", 2025, actor="ana", title="“十四五”规划实施情况总结评估")
    assert (d.state, d.version, d.revision, d.series_id) == ("draft", 1, 1, d.id)
    assert [s.key for s in d.sections] == ["problems", "recommendations"]
    sections = [Section("problems", "问题", "Problems", "一是……；二是……。", "First, …"),
                Section("free", "重大项目", "Major projects", "<b>not bold</b>", "")]
    d = repo.edit_sections(d.id, sections, actor="ana", expected_revision=1)
    assert d.revision == 2 and d.sections == tuple(sections)
    with pytest.raises(InvalidTransition, match="edited meanwhile"):
        repo.edit_sections(d.id, sections, actor="bo", expected_revision=1)
    assert d.sections_in("en") == [{"key": "problems", "title": "Problems", "text": "First, …"}]
    assert [s["title"] for s in d.sections_in("zh")] == ["问题", "重大项目"]
    with pytest.raises(InvalidTransition, match="freeze it before publishing"):
        repo.publish(d.id, actor="ana")
    d = repo.freeze(d.id, MODEL, 42, actor="ana")
    assert (d.state, d.data_version, d.frozen_models) == ("frozen", 42, MODEL)
    d = repo.edit_sections(d.id, sections[:1], actor="ana")  # text can still be finished on frozen numbers
    d = repo.publish(d.id, actor="chief")
    assert d.state == "published" and d.published_by == "chief"
    with pytest.raises(InvalidTransition, match="published and cannot change: re-issue"):
        repo.edit_sections(d.id, sections, actor="ana")
    with pytest.raises(InvalidTransition, match="only a draft can be frozen"):
        repo.freeze(d.id, MODEL, 43, actor="ana")
    v2 = repo.reissue(d.id, actor="ana")
    assert (v2.version, v2.series_id, v2.supersedes, v2.state, v2.sections) == (2, d.id, d.id, "draft", d.sections)
    assert repo.get(d.id).state == "published"
    assert [x.version for x in repo.list("wcsc-14fyp-sti")] == [2, 1]
    actions = [e.action for e in AuditRepository(database).list(entity="report_draft", limit=None)]
    assert actions == ["report.reissue", "report.publish", "report.edit", "report.freeze", "report.edit", "report.create"]


def test_bad_sections_are_refused(database):
    repo = ReportDraftRepository(database)
    with pytest.raises(InvalidInput, match="key 'annex' is not one of"):
        repo.create("p", "final", 2025, actor="ana", title="t", sections=[Section("annex", "a", "a")])
    with pytest.raises(InvalidInput, match="give a title"):
        repo.create("p", "final", 2025, actor="ana", title="t", sections=[{"key": "free", "title_zh": " ", "title_en": ""}])
    with pytest.raises(InvalidInput, match="report kind 'weekly'"):
        repo.create("p", "weekly", 2025, actor="ana", title="t")
    with pytest.raises(NotFound):
        repo.get(999)


def test_a_frozen_draft_renders_the_same_numbers_after_new_data(demo, seed_plan):
    db = Database(demo.url)
    cache = demo.data_dir / "cache"
    try:
        repo = ReportDraftRepository(db)
        d = repo.create(seed_plan.id, "final", 2025, actor="ana", title="final")
        frozen = freeze_draft(db, seed_plan, cache, d.id, actor="ana")
        before = draft_model(db, seed_plan, cache, frozen, "zh")
        ObservationRepository(db).apply([Observation("talent_total", "wcsc", 2025, 205000.0, source="revised")], actor="stats")
        after_live = live_model(db, seed_plan, cache, kind="final", as_of=2025, lang="zh")
        row = next(r for r in after_live["rows"] if r["indicator"] == "talent_total")
        assert row["judged_value"] == 205000 and row["label"] == "completed"
        again = draft_model(db, seed_plan, cache, repo.get(d.id), "zh")
        assert again["status"] == before["status"] and again["rows"] == before["rows"]
        old = next(r for r in again["rows"] if r["indicator"] == "talent_total")
        assert old["judged_value"] == 186000 and old["label"] == "not_completed"
        assert again["data_version"] == frozen.data_version < after_live["data_version"]
    finally:
        db.dispose()
