"""Drafts, their targets, versions, comments and states, and peer values — on SQLite and PostgreSQL."""

import threading

import pytest

from scicity.ingest.plan_file import load_plan_file
from scicity.plans import packaged_plans
from scicity.service.peers import PeerFileRejected, peer_points, read_peer_csv
from scicity.service.plan_lifecycle import adopt, draft_plan, render_text, start_draft
from scicity.store import AuditRepository, Database, PlanRepository
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.peers import PeerRepository
from scicity.store.plan_drafts import EditConflict, PlanDraftRepository

SEED = packaged_plans()["wcsc-14fyp-sti"]
PLAN = load_plan_file(SEED).plan


def draft_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text.replace("id: wcsc-14fyp-sti", "id: wcsc-15fyp-sti", 1).replace("period: [2021, 2025]", "period: [2026, 2030]") \
        .replace("baseline_year: 2020", "baseline_year: 2025").replace("target_year: 2025", "target_year: 2030")


@pytest.fixture
def drafts(database, clock):
    return PlanDraftRepository(database, clock=clock)


def test_create_edit_version_and_diff(database, drafts, clock):
    d = start_draft(database, draft_text(), PLAN.id, actor="alice")
    assert (d.id, d.state, d.version, d.targets["tech_enterprises"].value) == ("wcsc-15fyp-sti", "draft", 1, 2000)
    clock.advance(minutes=1)
    t = drafts.edit_target(d.id, "tech_enterprises", 3800, expected_revision=1, actor="alice")
    assert (t.value, t.revision, t.updated_by) == (3800, 2, "alice")
    drafts.edit_target(d.id, "rd_intensity", 6.2, expected_revision=1, actor="bob")  # another target: no conflict
    drafts.edit_target(d.id, "tech_enterprises", 3900, expected_revision=2, actor="bob")
    got = drafts.get(d.id)
    assert got.version == 4 and got.targets["tech_enterprises"].revision == 3
    changes = {c.indicator: c for c in drafts.diff(d.id, since=1)}
    assert changes["tech_enterprises"].before == 2000 and changes["tech_enterprises"].after == 3900
    assert changes["tech_enterprises"].by == ("alice", "bob")
    assert [c.indicator for c in drafts.diff(d.id, since=3)] == ["tech_enterprises"]
    assert [v.action for v in drafts.versions(d.id)] == ["create", "edit", "edit", "edit"]
    # the plan file carries the current values and still validates
    plan = draft_plan(drafts.get(d.id))
    assert plan.indicator("tech_enterprises").targets[0].value == 3900
    assert "# " in render_text(drafts.get(d.id))  # comments of the drafted file are kept
    actions = [e.action for e in AuditRepository(database).list()]
    assert actions.count("plan_draft.edit_target") == 3 and "plan_draft.create" in actions


def test_the_second_of_two_analysts_gets_a_conflict_not_a_lost_update(database, drafts):
    d = start_draft(database, draft_text(), PLAN.id, actor="alice")
    seen = drafts.get(d.id).targets["high_tech_enterprises"].revision  # both open the page
    drafts.edit_target(d.id, "high_tech_enterprises", 700, expected_revision=seen, actor="alice")
    with pytest.raises(EditConflict, match="changed by alice to 700") as info:
        drafts.edit_target(d.id, "high_tech_enterprises", 650, expected_revision=seen, actor="bob")
    assert info.value.current.value == 700
    assert drafts.get(d.id).targets["high_tech_enterprises"].value == 700


def test_simultaneous_edits_of_one_target_let_exactly_one_through(database, db_url):
    start_draft(database, draft_text(), PLAN.id, actor="alice")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def edit(who: str, value: float) -> None:
        with Database(db_url) as db:
            repo = PlanDraftRepository(db)
            barrier.wait()
            try:
                results[who] = repo.edit_target("wcsc-15fyp-sti", "gazelle_enterprises", value, expected_revision=1, actor=who)
            except EditConflict as exc:
                results[who] = exc

    threads = [threading.Thread(target=edit, args=(w, v)) for w, v in (("alice", 90), ("bob", 95))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    conflicts = [r for r in results.values() if isinstance(r, EditConflict)]
    assert len(conflicts) == 1 and len(results) == 2
    final = PlanDraftRepository(database).get("wcsc-15fyp-sti").targets["gazelle_enterprises"]
    assert final.revision == 2 and final.value in (90, 95)


def test_states_comments_and_adoption_make_the_plan_the_default(database, drafts):
    plans = PlanRepository(database)
    plans.save(PLAN.id, PLAN.name.en, SEED.read_text(encoding="utf-8"), actor="init", make_default=True)
    d = start_draft(database, draft_text(), PLAN.id, actor="alice")
    with pytest.raises(InvalidTransition, match="consultation first"):
        adopt(database, d.id, actor="alice")
    with pytest.raises(InvalidTransition, match="can go to consultation"):
        drafts.set_state(d.id, "adopted", actor="alice")
    c = drafts.comment(d.id, "rd_intensity", "  peers are at 6 %  ", author="bob")
    assert c.body == "peers are at 6 %" and drafts.comment_counts(d.id) == {"rd_intensity": 1}
    with pytest.raises(InvalidInput):
        drafts.comment(d.id, "rd_intensity", "  ", author="bob")
    with pytest.raises(NotFound):
        drafts.comment(d.id, "nope", "x", author="bob")
    drafts.set_state(d.id, "consultation", actor="alice")
    drafts.edit_target(d.id, "key_labs", 150, expected_revision=1, actor="carol")  # still editable in consultation
    adopted = adopt(database, d.id, actor="director")
    assert adopted.state == "adopted"
    assert plans.default_id() == "wcsc-15fyp-sti"
    assert {p.id for p in plans.list()} == {"wcsc-14fyp-sti", "wcsc-15fyp-sti"}  # the 14th stays
    assert "value: 150" in plans.get_text("wcsc-15fyp-sti")
    with pytest.raises(InvalidTransition, match="adopted"):
        drafts.edit_target(d.id, "key_labs", 160, expected_revision=2, actor="carol")
    with pytest.raises(InvalidInput, match="exists already"):
        start_draft(database, draft_text(), PLAN.id, actor="alice")


def test_peer_values_are_stored_replaced_and_audited(database, clock):
    repo = PeerRepository(database, clock=clock)
    text = "peer,peer_name,indicator,year,value,unit,synthetic\nzj,Zhangjiang,high_tech_enterprises,2025,2100,enterprises,true\n"
    assert repo.load(read_peer_csv(text, PLAN), actor="alice") == {"new": 1, "changed": 0, "unchanged": 0}
    assert repo.load(read_peer_csv(text, PLAN), actor="alice")["unchanged"] == 1
    assert repo.load(read_peer_csv(text.replace("2100", "2200"), PLAN), actor="alice")["changed"] == 1
    pts = peer_points(database)["high_tech_enterprises"]
    assert [(p.peer, p.year, p.value, p.synthetic) for p in pts] == [("zj", 2025, 2200.0, True)]
    assert [e.action for e in AuditRepository(database).list()].count("peer.load") == 2


def test_a_peer_file_with_unknown_indicators_or_units_is_refused_naming_the_row():
    text = (
        "peer,peer_name,indicator,year,value,unit\n"
        "zj,Zhangjiang,high_tech_enterprises,2025,2100,enterprises\n"
        "zj,Zhangjiang,hightech,2025,2100,enterprises\n"
        "zj,Zhangjiang,rd_intensity,2025,0.061,ratio\n"
        "zj,Zhangjiang,tech_enterprises,20x5,12,enterprises\n"
    )
    with pytest.raises(PeerFileRejected) as info:
        read_peer_csv(text, PLAN, "peers.csv")
    message = str(info.value)
    assert "row 3, column indicator: unknown indicator 'hightech'" in message
    assert "row 4, column unit: rd_intensity is measured in '%'" in message and "'ratio'" in message
    assert "row 5, column year" in message and "nothing was stored" in message
    with pytest.raises(PeerFileRejected, match="missing column"):
        read_peer_csv("peer,indicator\n", PLAN)
