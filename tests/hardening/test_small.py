"""Small cases: a refused goal update keeps no evidence file."""

from __future__ import annotations

from tests.web.conftest import page_csrf


def test_a_refused_goal_update_stores_no_evidence_file(client_for, web_settings) -> None:  # noqa: ANN001
    analyst = client_for("analyst")
    csrf = page_csrf(analyst, "/goals")
    folder = web_settings.data_dir / "evidence"
    for goal, status in (("no-such-goal", "achieved"), ("g1", "finished")):
        r = analyst.post(f"/goals/{goal}", data={"status": status, "csrf_token": csrf},
                         files={"document": ("report.pdf", b"%PDF-1.4 evidence", "application/pdf")})
        assert r.status_code == 400, r.text[:300]
    assert not folder.exists() or list(folder.iterdir()) == []
