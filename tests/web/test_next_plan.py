"""The "Next plan" workspace over HTTP: draft from the 14th, try and save targets, conflicts, comments, adopt."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from scicity.ingest.plan_file import parse_plan_text
from tests.web.conftest import page_csrf

DRAFT = "wcsc-15fyp-sti"


def post(client, path, data, page="/next-plan"):  # noqa: ANN001, ANN201
    return client.post(path, data={**data, "csrf_token": page_csrf(client, page)})


def revision_of(html: str, indicator: str) -> int:
    form = html.split(f'action="/next-plan/{DRAFT}/targets/{indicator}"', 1)[1]
    return int(re.search(r'name="revision" value="(\d+)"', form).group(1))


def test_draft_adjust_consult_adopt(client_for, web_settings) -> None:  # noqa: ANN001
    from scicity.cli.plan_lifecycle_cmd import DEMO_PEERS
    from scicity.ingest.plan_file import load_plan_file
    from scicity.plans import packaged_plans
    from scicity.service.peers import import_peers
    from scicity.store import Database

    with Database(web_settings.database_url) as db:
        import_peers(db, DEMO_PEERS, load_plan_file(packaged_plans()["wcsc-14fyp-sti"]).plan, actor="test")
    alice, bob = client_for("analyst"), client_for("admin")
    bad = post(alice, "/next-plan/draft", {"period": "2024-2028"})
    assert bad.status_code == 400 and "overlaps the last plan" in bad.text
    made = post(alice, "/next-plan/draft", {"period": "2026-2030", "confidence": "stretch"})
    assert made.status_code == 303 and made.headers["location"] == f"/next-plan/{DRAFT}"
    page = alice.get(f"/next-plan/{DRAFT}").text
    assert "15th Five-Year Plan" in page and "tech_enterprises" in page and "Checks across targets" in page
    peers = page.split('id="t-tech_enterprises"')[1].split("</tr>\n</tbody>")[0]
    assert "Synthetic peer A (coastal science city) (synthetic values)" in peers and "5,200 (2025)" in peers

    # typing a value: its odds and the checks come back at once, nothing is stored
    tried = post(alice, f"/next-plan/{DRAFT}/try/high_tech_enterprises", {"value": "99999"}, f"/next-plan/{DRAFT}")
    assert tried.status_code == 200
    assert 'id="odds-high_tech_enterprises"' in tried.text and "0 %" in tried.text
    assert 'hx-swap-oob="true"' in tried.text and "exceeds" in tried.text
    assert "exceeds" not in alice.get(f"/next-plan/{DRAFT}").text.split('id="checks"')[1].split("</ul>")[0]
    low = post(alice, f"/next-plan/{DRAFT}/try/high_tech_enterprises", {"value": "450"}, f"/next-plan/{DRAFT}").text
    assert re.search(r'class="p-meet">(9\d|100) %', low)

    # two analysts on the same target: the second gets a conflict, the first value stays
    rev = revision_of(page, "tech_enterprises")
    first = post(alice, f"/next-plan/{DRAFT}/targets/tech_enterprises", {"value": "3900", "revision": rev}, f"/next-plan/{DRAFT}")
    assert first.status_code == 303
    second = post(bob, f"/next-plan/{DRAFT}/targets/tech_enterprises", {"value": "3700", "revision": rev}, f"/next-plan/{DRAFT}")
    assert second.status_code == 409 and "changed by analyst to 3900" in second.text
    assert 'value="3900"' in alice.get(f"/next-plan/{DRAFT}").text

    assert post(bob, f"/next-plan/{DRAFT}/targets/tech_enterprises/comments", {"body": "peer B is at 2,900"},
                f"/next-plan/{DRAFT}").status_code == 303
    page = alice.get(f"/next-plan/{DRAFT}").text
    assert "peer B is at 2,900" in page and re.search(r"tech_enterprises: \d+ → 3900", page.replace(",", ""))

    yaml = alice.get(f"/next-plan/{DRAFT}/export.yaml")
    assert parse_plan_text(yaml.text, "x").indicator("tech_enterprises").targets[0].value == 3900
    book = load_workbook(io.BytesIO(alice.get(f"/next-plan/{DRAFT}/export.xlsx").content))
    assert {"targets", "checks"} <= set(book.sheetnames)

    viewer = client_for("viewer")
    assert viewer.get(f"/next-plan/{DRAFT}").status_code == 200
    assert 'name="value"' not in viewer.get(f"/next-plan/{DRAFT}").text  # reads, cannot edit

    early = post(alice, f"/next-plan/{DRAFT}/state", {"to": "adopted"}, f"/next-plan/{DRAFT}")
    assert early.status_code == 400 and "consultation first" in early.text
    assert post(alice, f"/next-plan/{DRAFT}/state", {"to": "consultation"}, f"/next-plan/{DRAFT}").status_code == 303
    assert post(alice, f"/next-plan/{DRAFT}/state", {"to": "adopted"}, f"/next-plan/{DRAFT}").status_code == 303

    # the overview now judges the 15th; the 14th's final state is one click away
    index = alice.get("/next-plan").text
    assert 'id="side-by-side"' in index and 'href="/?plan=wcsc-14fyp-sti"' in index
    assert "15th Five-Year Plan" in alice.get("/").text
    assert "14th Five-Year Plan" in alice.get("/?plan=wcsc-14fyp-sti").text
    after = post(alice, f"/next-plan/{DRAFT}/targets/key_labs", {"value": "1", "revision": "1"}, f"/next-plan/{DRAFT}")
    assert after.status_code == 400 and "adopted" in after.text
