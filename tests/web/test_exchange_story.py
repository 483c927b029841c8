"""The issue's "done when" as one story, on the demo accounts: a transfer office publishes an achievement, an
enterprise posts a need in the other language (matched through the multilingual embeddings), both are told of the match with its explanation (in the app and
by e-mail, through a real local SMTP server), the deal moves matched → … → registered contract, and the
technology-contract turnover on the overview (a monitored indicator, no target) changes.
"""

from __future__ import annotations

import re
from datetime import date
from email import message_from_string
from email.policy import default

from fastapi.testclient import TestClient

from scicity.store import Database
from scicity.store.exchange_deals import DealRepository
from tests.web.conftest import csrf_of, login


def demo_accounts(web_settings) -> dict[str, str]:  # noqa: ANN001
    """`scicity user demo` on the test database: user name -> password, the organisations linked."""
    from typer.testing import CliRunner

    from scicity.cli import app

    result = CliRunner().invoke(app, ["user", "demo"], env={"SCICITY_DATABASE_URL": web_settings.database_url,
                                                            "SCICITY_DATA_DIR": str(web_settings.data_dir)})
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", result.output)
    assert "user tto password" in text and "acts for DEMO-UNI-A" in text and "acts for " in text.split("user enterprise")[1]
    return dict(re.findall(r"user (\S+) password (\S+)", text))


def turnover_on_overview(c: TestClient) -> str:
    page = c.get("/?lang=en").text
    assert 'id="monitored-title"' in page and "Monitored indicators" in page
    row = page.split('id="row-tech_contract_turnover"', 1)[1].split("</tr>", 1)[0]
    assert 'href="/indicators/tech_contract_turnover' in row
    return re.sub(r"<[^>]+>", " ", row.split('class="num latest">', 1)[1].split("</td>", 1)[0]).split()[0]


def test_done_when_story(make_app, web_settings, smtp):  # noqa: ANN001
    inbox, port = smtp
    accounts = demo_accounts(web_settings)
    app = make_app(exchange_embeddings=True, smtp_host="127.0.0.1", smtp_port=port,
                   smtp_sender="platform@example.invalid")
    db = Database(web_settings.database_url)
    try:
        tto = login(TestClient(app, follow_redirects=False), "tto", accounts["tto"])
        ent = login(TestClient(app, follow_redirects=False), "enterprise", accounts["enterprise"])
        operator = login(TestClient(app, follow_redirects=False), "analyst", accounts["analyst"])
        before = turnover_on_overview(operator)
        assert before == "—"  # no contract yet: the series is monitored, with nothing to show

        def post(c: TestClient, path: str, data: dict) -> object:
            return c.post(path, data={**data, "csrf_token": csrf_of(c.get("/exchange").text)})

        # the transfer office publishes an achievement (in Chinese); the operator moderates it
        made = post(tto, "/exchange/new/achievements", {
            "code": "A-STORY", "title_zh": "高镍单晶正极材料", "text_zh": "熔盐烧结抑制动力电池正极颗粒开裂，提升能量密度",
            "field": "new energy", "trl": "6"})
        assert made.status_code == 303
        assert post(operator, "/exchange/achievements/A-STORY/publish", {}).status_code == 303
        # the enterprise posts a need in the other language (English)
        posted = post(ent, "/exchange/new/needs", {
            "code": "N-STORY", "title_en": "Cathode cracking in EV cells",
            "text_en": "High-nickel cathode particles crack after long cycling; we need higher energy density",
            "field": "new energy", "trl": "5"})
        assert posted.status_code == 303
        match = ent.get("/exchange/match?need=N-STORY")
        assert "A-STORY" in match.text and "same field: new energy" in match.text
        # both are told, with the explanation: in the app and by e-mail
        deals = DealRepository(db)
        orgs = {name: deals.member(db_user_id(db, name))[0] for name in ("tto", "enterprise")}
        for name in ("tto", "enterprise"):
            fits = [n for n in deals.notifications(orgs[name]) if n.kind == "fit"]
            assert fits and "same field: new energy" in fits[-1].body, name
        mailed = {rcpt for _, rcpts, _ in inbox.messages for rcpt in rcpts}
        assert {"tto@demo.invalid", "enterprise@demo.invalid"} <= mailed
        bodies = [message_from_string(body, policy=default).get_content() for _, _, body in inbox.messages]
        assert any("A-STORY fits your N-STORY" in b and "same field: new energy" in b for b in bodies)
        # the deal moves matched → contacted → negotiating → signed → registered (a technology contract)
        assert post(ent, "/exchange/interest", {"achievement": "A-STORY", "need": "N-STORY"}).status_code == 303
        (deal,) = [d for d in deals.list(org=orgs["enterprise"]) if d.achievement == "A-STORY"]
        assert deal.stage.value == "matched"
        today = date.today().isoformat()
        for stage in ("contacted", "negotiating", "signed"):
            assert post(tto, f"/exchange/deals/{deal.code}/move", {"stage": stage, "on": today}).status_code == 303
        done = post(ent, f"/exchange/deals/{deal.code}/move", {
            "stage": "registered", "on": today, "contract_code": "TC-STORY-1", "contract_type": "transfer",
            "amount": "350"})
        assert done.status_code == 303
        assert [e.stage.value for e in deals.get(deal.code).events] == ["matched", "contacted", "negotiating", "signed",
                                                                        "registered"]
        # the contract turnover on the overview changed: 350 (万元) this year, to date
        after = turnover_on_overview(operator)
        assert after == "350.0", after
        assert f"({date.today().year}, to date)" in operator.get("/?lang=en").text
        operator.headers["accept-language"] = "zh-CN"
        zh = operator.get("/").text
        assert "监测指标" in zh and "技术合同成交额" in zh
        detail = operator.get("/indicators/tech_contract_turnover")
        assert detail.status_code == 200 and "350.0" in detail.text and "技术合同：年内成交金额合计" in detail.text
    finally:
        db.dispose()


def db_user_id(db: Database, name: str) -> int:
    from scicity.store import UserRepository

    user = UserRepository(db).by_username(name)
    assert user is not None
    return user.id
