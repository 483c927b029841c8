"""Registry values as a person reads them: enumerated values and the key industries in words, free text as entered."""

from __future__ import annotations

from scicity.ingest.registry_words import value_words


def test_a_key_industry_reads_in_words_and_free_text_stays_as_entered() -> None:
    assert value_words("enterprises", "industry", "new energy", "zh") == "新能源"
    assert value_words("enterprises", "industry", "new energy", "en") is None  # shown as recorded
    assert value_words("enterprises", "industry", "储能电池回收", "zh") is None
    assert value_words("enterprises", "industry", None, "zh") is None


def test_enumerated_values_and_booleans_in_both_languages() -> None:
    assert value_words("institutions", "level", "national", "zh") == "国家级"
    assert value_words("enterprises", "strategic_emerging", True, "zh") == "是"
    assert value_words("enterprises", "strategic_emerging", False, "en") == "no"
