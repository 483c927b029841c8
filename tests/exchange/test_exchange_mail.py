"""New fits are e-mailed when SMTP is configured: against a real local SMTP server (aiosmtpd) started here."""

from __future__ import annotations



from scicity.domain.exchange import Achievement, Need, Publication
from scicity.service.exchange_match import ExchangeMatcher
from scicity.service.exchange_notify import announce_fits
from scicity.settings import get_settings
from scicity.store import UserRepository
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository


def test_new_fit_is_notified_in_app_and_by_mail(sqlite_database, smtp, tmp_path):  # noqa: ANN001
    inbox, port = smtp
    users = UserRepository(sqlite_database)
    deals = DealRepository(sqlite_database)
    for name, org, kind in (("tto", "UNI-A", "institution"), ("ent", "ENT-1", "enterprise")):
        user = users.create(name, "a-long-password", "viewer", actor="t", display_name=name)
        deals.set_member(user.id, org, kind, email=f"{name}@example.invalid")
    repo = ExchangeRepository(sqlite_database)
    repo.save(Achievement(code="A1", owner="UNI-A", title_zh="高镍单晶正极材料", abstract_zh="抑制动力电池正极颗粒开裂",
                          field="new energy", trl=6, status=Publication.PUBLISHED), actor="t")
    settings = get_settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_sender="platform@example.invalid")
    matcher = ExchangeMatcher(sqlite_database, use_embeddings=False)
    need = Need(code="N1", enterprise="ENT-1", title_zh="动力电池正极开裂", problem_zh="高镍正极颗粒开裂，希望提升能量密度",
                field="new energy", min_trl=5)
    repo.save(need, actor="t")
    assert announce_fits(sqlite_database, matcher, need, settings=settings) == 2
    assert [n.kind for n in deals.notifications("UNI-A")] == ["fit"]
    assert "same field: new energy" in deals.notifications("ENT-1")[0].body
    recipients = sorted(r for _, rs, _ in inbox.messages for r in rs)
    assert recipients == ["ent@example.invalid", "tto@example.invalid"]
    assert all(frm == "platform@example.invalid" for frm, _, _ in inbox.messages)
    assert all(n.emailed_at is not None for n in deals.notifications("ENT-1"))


def test_without_smtp_notifications_stay_in_the_app(sqlite_database, tmp_path):  # noqa: ANN001
    repo = ExchangeRepository(sqlite_database)
    repo.save(Achievement(code="A1", owner="UNI-A", title_zh="高镍正极", field="x", status=Publication.PUBLISHED),
              actor="t")
    need = Need(code="N1", enterprise="ENT-1", title_zh="高镍正极", field="x")
    matcher = ExchangeMatcher(sqlite_database, use_embeddings=False)
    assert announce_fits(sqlite_database, matcher, need, settings=get_settings(data_dir=tmp_path)) == 2
    assert DealRepository(sqlite_database).notifications("ENT-1")[0].emailed_at is None
