"""The words of registry values for people: enumerated values (types, levels, tiers, patent types) and yes/no.

The ids (``key_lab``, ``municipal``) stay what files and the database hold;
pages, exports for people and the CLI show these words, in English or, through
the catalogs, in Chinese (the Chinese words are those the import accepts as
aliases, :data:`scicity.ingest.registry_columns.CHOICE_ALIASES`).
"""

from __future__ import annotations

from scicity.domain.message import Msg
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
        "specialised": "specialised and innovative SME (专精特新)",
        "little_giant": "little giant enterprise (专精特新“小巨人”)",
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
    if field == "industry" and value:  # free text, but the key industries' names have their words
        words = tr(str(value), lang)
        return words if words != str(value) else None
    key = "patent_type" if (kind == "patents" and field == "type") else field
    words = VALUE_WORDS.get(key, {}).get(str(value)) if value is not None else None
    return tr(words, lang) if words else None


#: what each registry holds, as a noun for people
ENTITY_WORDS = {"institutions": "institutions and platforms", "enterprises": "enterprises", "talent": "talent",
                "patents": "patents", "contracts": "technology contracts", "deals": "exchange deals",
                "achievements_transferred": "achievements transferred", "talent_exchanges": "talent exchanges",
                "instrument_bookings": "instrument bookings"}
FIELD_WORDS = {"type": "type", "level": "recognition level", "tier": "tier", "unit": "geographic unit",
               "strategic_emerging": "strategic emerging industry"}
#: the exchange records' fields (their values are the exchange catalog's words: transfer, signed, …)
FLOW_FIELD_WORDS = {"type": "contract type", "field": "field", "seller_type": "seller type", "ip": "IP involved",
                    "government_funded": "government funded", "stage": "stage", "direction": "direction",
                    "kind": "facility kind", "amount": "contract amount", "hours": "hours"}


def describe_definition(definition: object, lang: str) -> str:
    """A registry definition in words of the language (English: :meth:`RegistryDefinition.describe`)."""
    if lang == "en":
        return definition.describe()  # type: ignore[attr-defined]
    from scicity.domain.registry_definition import CountKind

    entity = definition.entity.value  # type: ignore[attr-defined]
    valid = definition.count is CountKind.VALID  # type: ignore[attr-defined]
    certs = definition.certifications()  # type: ignore[attr-defined]
    if definition.spec.flow:  # type: ignore[attr-defined]
        return _describe_flow(definition, lang)
    if certs:
        kinds = tr(" or ", lang).join(value_words("certifications", "kind", c.value, lang) or c.value for c in certs)
        when = tr("valid at year end", lang) if valid else tr("starting within the year", lang)
        what = tr(Msg("with a {kinds} certificate, {when}", kinds=kinds, when=when), lang)
    else:
        what = tr("valid at year end", lang) if valid else tr("introduced in the year", lang)
    parts = []
    for name, values in definition.conditions():  # type: ignore[attr-defined]
        shown = [value_words(entity, name, v, lang) or str(v) for v in values]
        field = tr(FIELD_WORDS.get(name, name), lang)
        parts.append(f"{field} = {tr(' or ', lang).join(shown)}")
    where = (tr("; where ", lang) + tr(", ", lang).join(parts)) if parts else ""
    return tr(Msg("{entity}: {what}{where}", entity=tr(ENTITY_WORDS.get(entity, entity), lang), what=what, where=where),
              lang)


def _describe_flow(definition: object, lang: str) -> str:
    """An exchange flow in words: '技术合同：年内成交金额合计；其中 合同类型 = 技术转让'."""
    entity = definition.entity.value  # type: ignore[attr-defined]
    total = definition.sum  # type: ignore[attr-defined]
    what = (tr(Msg("sum of {field} within the year", field=tr(FLOW_FIELD_WORDS.get(total, total), lang)), lang)
            if total else tr("within the year", lang))
    parts = []
    for name, values in definition.conditions():  # type: ignore[attr-defined]
        shown = [tr(BOOLEAN_WORDS[v], lang) if isinstance(v, bool) else tr(str(v), lang) for v in values]
        parts.append(f"{tr(FLOW_FIELD_WORDS.get(name, name), lang)} = {tr(' or ', lang).join(shown)}")
    where = (tr("; where ", lang) + tr(", ", lang).join(parts)) if parts else ""
    return tr(Msg("{entity}: {what}{where}", entity=tr(ENTITY_WORDS.get(entity, entity), lang), what=what, where=where),
              lang)
