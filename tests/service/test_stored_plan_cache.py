"""A stored plan is validated once per text: the cached model equals a fresh parse; bad or stale caches are not used."""

from __future__ import annotations

from pathlib import Path

import pytest

from scicity.ingest.plan_file import PlanInvalid, parse_plan_text
from scicity.plans import default_plan_path
from scicity.service import plans as plan_service
from scicity.service.plans import parse_stored, resolve_plan


def test_the_cached_plan_equals_a_fresh_parse(tmp_path: Path) -> None:
    text = default_plan_path().read_text(encoding="utf-8")
    fresh = parse_plan_text(text)
    first = parse_stored("p", text, tmp_path)
    files = list((tmp_path / "plans").glob("*.json"))
    assert len(files) == 1 and first.plan == fresh
    calls = []
    real = plan_service.parse_plan_text
    plan_service.parse_plan_text = lambda *a, **k: calls.append(a) or real(*a, **k)  # type: ignore[assignment]
    try:
        again = resolve_plan("p", {"p": text}, cache_dir=tmp_path)
    finally:
        plan_service.parse_plan_text = real  # type: ignore[assignment]
    assert calls == [] and again.plan == fresh and again.text == text and str(again.path) == "<database>/p"
    assert again.plan.model_dump() == fresh.model_dump()


def test_a_changed_text_a_damaged_file_and_a_changed_parser_are_parsed_again(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    text = default_plan_path().read_text(encoding="utf-8")
    parse_stored("p", text, tmp_path)
    (file,) = (tmp_path / "plans").glob("*.json")
    file.write_text('{"id": "damaged"', encoding="utf-8")
    assert parse_stored("p", text, tmp_path).plan == parse_plan_text(text)  # damaged: parsed and written again
    assert file.read_text(encoding="utf-8").startswith('{"id":')
    assert "damaged" not in file.read_text(encoding="utf-8")
    changed = text.replace("name:", "name:", 1) + "\n# another text\n"
    parse_stored("p", changed, tmp_path)
    assert len(list((tmp_path / "plans").glob("*.json"))) == 2
    monkeypatch.setattr(plan_service, "_parser_fingerprint", lambda: "another-parser")
    parse_stored("p", text, tmp_path)
    assert len(list((tmp_path / "plans").glob("*-another-parser.json"))) == 1


def test_an_invalid_stored_plan_is_reported_with_its_lines_and_never_cached(tmp_path: Path) -> None:
    bad = "id: x\nname: {en: X, zh: X}\nindicators:\n  - id: a\n    area: nowhere\n"
    with pytest.raises(PlanInvalid) as err:
        parse_stored("x", bad, tmp_path)
    assert "<stored plan x>" in str(err.value)
    assert not list((tmp_path / "plans").glob("*.json")) if (tmp_path / "plans").exists() else True
