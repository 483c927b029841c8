"""The words of registry values for people: enumerated values (types, levels, tiers, patent types) and yes/no.

The ids (``key_lab``, ``municipal``) stay what files and the database hold;
pages, exports for people and the CLI show these words, in English or, through
the catalogs, in Chinese (the Chinese words are those the import accepts as
aliases, :data:`scicity.ingest.registry_columns.CHOICE_ALIASES`).
"""

from __future__ import annotations

from scicity.i18n import tr

#: (field, value) -> English words; the field is the column name (``type`` of patents is ``patent_type``)
VALUE_WORDS: dict[str, dict[str, str]] = {
    "type": {
        "major_facility": "major sci-tech infrastructure facility",
        "national_industry_platform": "national industrial innovation platform",
        "rd_institution": "R&D institution",
        "key_lab": "key laboratory",
        "pilot_platform": "pilot-scale maturation platform",
        "other": "other",
    },
    "level": {"district": "district level", "municipal": "municipal level", "national": "national level"},
    "kind": {
        "tech_sme": "technology-based SME",
        "high_tech": "high-tech enterprise",
        "gazelle": "gazelle enterprise",
        "potential_unicorn": "potential unicorn enterprise",
        "unicorn": "unicorn enterprise",
    },
    "tier": {"top": "top talent", "outstanding": "outstanding talent", "leading": "leading talent",
             "young": "young talent"},
    "patent_type": {"invention": "invention patent", "utility_model": "utility model", "design": "design patent"},
}
BOOLEAN_WORDS = {True: "yes", False: "no"}
#: columns that hold free text or codes as entered (not translated; marked translate="no" on pages)
VERBATIM = frozenset({"code", "name_en", "name_zh", "host", "credit_code", "industry", "certificate_no", "person_id",
                      "programme", "number", "holder"})


def value_words(kind: str, field: str, value: object, lang: str) -> str | None:
    """The words of an enumerated or yes/no value in ``lang``; None when the value is not one."""
    if isinstance(value, bool):
        return tr(BOOLEAN_WORDS[value], lang)
    key = "patent_type" if (kind == "patents" and field == "type") else field
    words = VALUE_WORDS.get(key, {}).get(str(value)) if value is not None else None
    return tr(words, lang) if words else None
