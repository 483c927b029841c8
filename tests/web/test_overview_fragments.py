"""The overview keeps its rows per judged row: a write re-renders only the rows it affects, and the page is the
same as a full render by a fresh application."""

from __future__ import annotations

from fastapi.testclient import TestClient

from scicity.domain.observation import Observation, ObservationStatus
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path
from scicity.service.read_model import affected_indicators
from tests.web.conftest import login

PLAN = load_plan_file(default_plan_path()).plan
ROOT = PLAN.geography.id
HX = {"hx-request": "1"}  # the overview's body only


def _rows_of(indicators: set[str]) -> int:
    return sum(1 for ind, _ in PLAN.targets() if ind.id in indicators)


def _fresh_body(make_app, user: str, lang: str, query: str = "/") -> str:  # noqa: ANN001
    """The body as a new application renders it: nothing kept, every row rendered."""
    with TestClient(make_app(), follow_redirects=False) as client:
        login(client, user)
        state = client.app.state.web
        body = client.get(query, headers={**HX, "accept-language": lang}).text
        assert state.overview_rows.rendered == _rows_of({i.id for i in PLAN.indicators}), "a full render"
        return body


def test_an_approval_re_renders_only_its_rows_and_the_page_equals_a_full_render(app, make_app, client_for) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    state = app.state.web
    old = {lang: viewer.get("/", headers={**HX, "accept-language": lang}).text for lang in ("en", "zh")}
    every_row = _rows_of({i.id for i in PLAN.indicators})
    assert state.overview_rows.rendered == 2 * every_row
    assert viewer.get("/", headers=HX).text and state.overview_rows.rendered == 2 * every_row, "nothing changed"

    state.observations.apply([Observation("grp", ROOT, 2023, 1234.5, source="t")], actor="analyst")  # approved
    state.wrote()
    changed = affected_indicators(PLAN, {"grp"})
    assert changed == {"rd_intensity"} and _rows_of(changed) < every_row
    before = state.overview_rows.rendered
    bodies = {lang: viewer.get("/", headers={**HX, "accept-language": lang}).text for lang in ("en", "zh")}
    assert state.overview_rows.rendered - before == 2 * _rows_of(changed), "only the re-judged row, per language"
    row = lambda body: body.split('<tr id="row-rd_intensity">', 1)[1].split("</tr>", 1)[0]  # noqa: E731
    assert row(bodies["en"]) != row(old["en"]), "the new value is shown"
    for lang, body in bodies.items():
        assert body == _fresh_body(make_app, "viewer", lang), f"incremental page differs from a full render ({lang})"


def test_a_value_waiting_for_approval_re_renders_only_its_row(app, make_app, client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")
    state = app.state.web
    first = admin.get("/?as_of=2023", headers=HX).text
    assert 'class="pending"' not in first
    before = state.overview_rows.rendered
    state.observations.apply([Observation("talent_total", ROOT, 2023, 150_000.0, source="t")], actor="provider",
                             status=ObservationStatus.SUBMITTED)
    state.wrote()
    body = admin.get("/?as_of=2023", headers=HX).text
    assert state.overview_rows.rendered - before == _rows_of({"talent_total"}), "the verdicts did not move"
    assert body.count('class="pending"') == _rows_of({"talent_total"})
    assert body.split('class="pending"', 1)[0].rsplit("<tr ", 1)[1].startswith('id="row-talent_total"')
    assert body == _fresh_body(make_app, "admin", "en", "/?as_of=2023")
