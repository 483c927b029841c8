"""The hardening's answers in the reader's language: 503 busy, 409 conflict, 413 upload limit, bad bytes."""

from __future__ import annotations

import pytest

from scicity.domain.message import Msg
from scicity.store.db import BUSY_MESSAGE, CONFLICT_MESSAGE
from scicity.store.errors import ConcurrentWrite, DatabaseBusy


@pytest.mark.parametrize(("error", "status", "zh", "en"), [
    (DatabaseBusy(BUSY_MESSAGE), 503, "数据库正忙于另一项写入，10 秒内未能空闲", "did not become free within 10 s"),
    (ConcurrentWrite(CONFLICT_MESSAGE), 409, "另一项写入与本次写入冲突", "another write crossed this one"),
    (ConcurrentWrite(Msg("someone else recorded a status for goal {goal} of plan {plan} at the same time; look at the "
                         "latest status and try again", goal="'g1'", plan="'p'")), 409, "有人同时为规划 'p' 的目标 'g1'",
     "goal 'g1' of plan 'p'"),
])
def test_busy_and_conflict_answers_are_translated(make_app, error, status, zh, en) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    app = make_app()

    def fail() -> None:
        raise error

    app.add_api_route("/api/v1/test-failure", fail)
    with TestClient(app) as client:
        for lang, text in (("zh", zh), ("en", en)):
            r = client.get(f"/api/v1/test-failure?lang={lang}")
            assert r.status_code == status and text in r.json()["detail"], r.text
            assert r.headers["retry-after"]
        page = client.get("/api/v1/test-failure", headers={"accept-language": "zh-CN"})
        assert zh in page.json()["detail"]


def test_the_upload_limit_is_said_in_chinese(make_app) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    app = make_app(upload_max_bytes=1024)
    with TestClient(app) as client:
        r = client.post("/api/v1/registries/enterprises?lang=zh", files={"file": ("a.csv", b"x" * 4096)})
        assert r.status_code == 413 and "上传内容超过 0.00098 MB 的上限；未保存任何内容" in r.json()["detail"], r.text
        r = client.post("/api/v1/registries/enterprises", files={"file": ("a.csv", b"x" * 4096)})
        assert "larger than the limit of 0.00098 MB; nothing was stored" in r.json()["detail"], r.text
