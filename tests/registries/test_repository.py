"""The registry repository on SQLite and PostgreSQL: all or nothing, one audit event per batch, updates by key."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from scicity.domain.registries import Certification, Enterprise, Financials, Institution, Patent, Talent
from scicity.store import AuditRepository, BatchRepository
from scicity.store.errors import InvalidInput
from scicity.store.registry_tables import CertificationRow, EnterpriseRow


def _enterprises(codes, n=5, unit="vitality_centre"):
    return [Enterprise(credit_code=c, name_zh=f"示例{i}", unit=unit, founded_on=date(2015, 1, i + 1))
            for i, c in enumerate(codes[:n])]


def test_import_preview_update_and_one_audit_event_per_batch(database, registries, codes):
    first = registries.apply("enterprises", _enterprises(codes), actor="tester", file_name="e.csv")
    assert first.counts() == {"new": 5, "changed": 0, "unchanged": 0}
    renamed = [Enterprise(credit_code=codes[0], name_zh="改名", unit="vitality_centre", founded_on=date(2015, 1, 1)),
               *_enterprises(codes, 6)[1:]]
    preview = registries.preview("enterprises", renamed)
    assert preview.counts() == {"new": 1, "changed": 1, "unchanged": 4}
    assert preview.changes == {codes[0]: {"name_zh": ("示例0", "改名")}}
    assert registries.count("enterprises") == 5  # a preview writes nothing
    second = registries.apply("enterprises", renamed, actor="tester", file_name="e2.csv")
    assert second.counts() == preview.counts()
    assert {e.credit_code: e.name_zh for e in registries.list("enterprises")}[codes[0]] == "改名"
    events = AuditRepository(database).list(action="registry.import")
    assert len(events) == 2
    assert events[0].entity == "enterprises" and events[0].batch_id == second.batch_id
    assert events[0].after["new"] == 1 and events[0].after["changed"] == 1 and events[0].after["unchanged"] == 4
    assert events[0].before == {"changed_records": {codes[0]: {"name_zh": "示例0"}}}
    assert events[0].after["changed_records"] == {codes[0]: {"name_zh": "改名"}}
    batch = BatchRepository(database).get(second.batch_id)
    assert (batch.row_count, batch.new_count, batch.changed_count, batch.file_name) == (6, 1, 1, "e2.csv")


def test_fields_absent_from_a_file_are_left_alone(registries, codes):
    registries.apply("enterprises", [Enterprise(credit_code=codes[0], name_zh="甲", unit="wcsc", industry="software")],
                     actor="t")
    change = registries.apply("enterprises", [Enterprise(credit_code=codes[0], name_zh="甲", unit="science_avenue")],
                              actor="t", fields={"credit_code", "name_zh", "unit"})
    assert change.counts()["changed"] == 1
    [stored] = registries.list("enterprises")
    assert stored.unit == "science_avenue" and stored.industry == "software"


def test_duplicates_in_one_import_are_refused(registries, codes):
    with pytest.raises(InvalidInput, match="given twice"):
        registries.apply("enterprises", _enterprises(codes, 2) + _enterprises(codes, 1), actor="t")
    assert registries.count("enterprises") == 0


def test_certifications_need_their_enterprise(registries, codes):
    with pytest.raises(InvalidInput, match="not in the enterprise registry"):
        registries.apply("certifications", [Certification(credit_code=codes[0], kind="gazelle",
                                                           valid_from=date(2023, 1, 1))], actor="t")
    assert registries.known_credit_codes(codes) == set()


def test_apply_many_is_one_transaction(database, registries, codes):
    parts = [
        ("enterprises", _enterprises(codes, 3), None),
        ("certifications", [Certification(credit_code=codes[0], kind="tech_sme", valid_from=date(2023, 5, 1))], None),
        ("financials", [Financials(credit_code=codes[9], year=2023, revenue=1.0)], None),  # not an enterprise
    ]
    with pytest.raises(InvalidInput):
        registries.apply_many(parts, actor="t")
    assert registries.count("enterprises") == 0 and registries.count("certifications") == 0
    assert AuditRepository(database).list(action="registry.import") == []
    done = registries.apply_many(parts[:2], actor="t")
    assert [c.new for c in done] == [3, 1]


def test_the_database_refuses_what_import_refuses(database, registries, codes):
    registries.apply("enterprises", _enterprises(codes, 1), actor="t")
    with database.session() as session, pytest.raises(Exception, match="(?i)check"):
        session.execute(CertificationRow.__table__.insert(), {"credit_code": codes[0], "kind": "gazelle",
                        "valid_from": date(2023, 5, 1), "valid_to": date(2023, 4, 30)})
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(EnterpriseRow)).scalar_one() == 1


def test_list_by_unit_subtree_and_valid_at(registries, codes):
    registries.apply("enterprises", _enterprises(codes, 2) + _enterprises(codes[2:], 1, unit="science_avenue"),
                     actor="t")
    certs = [Certification(credit_code=codes[0], kind="high_tech", valid_from=date(2021, 5, 1), valid_to=date(2024, 4, 30)),
             Certification(credit_code=codes[1], kind="high_tech", valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31)),
             Certification(credit_code=codes[2], kind="tech_sme", valid_from=date(2024, 6, 1))]
    registries.apply("certifications", certs, actor="t")
    valid = registries.list("certifications", valid_at=date(2024, 12, 31))
    assert {c.credit_code for c in valid} == {codes[1], codes[2]}  # valid_to is inclusive
    assert [c.credit_code for c in registries.list("certifications", units={"science_avenue"})] == [codes[2]]
    with pytest.raises(InvalidInput, match="no validity dates"):
        registries.list("enterprises", valid_at=date(2024, 1, 1))


def test_institutions_talent_patents_end_dates_are_exclusive(registries):
    registries.apply("institutions", [
        Institution(code="KL-1", name_en="Lab", type="key_lab", level="municipal", unit="wcsc",
                    recognised_on=date(2020, 3, 1), closed_on=date(2023, 12, 31)),
        Institution(code="KL-2", name_zh="实验室", type="key_lab", level="national", unit="efficiency_centre",
                    recognised_on=date(2023, 12, 31))], actor="t")
    assert [i.code for i in registries.list("institutions", valid_at=date(2023, 12, 31))] == ["KL-2"]
    assert [i.code for i in registries.list("institutions", valid_at=date(2023, 12, 30))] == ["KL-1"]
    registries.apply("talent", [Talent(person_id="P1", tier="young", introduced_on=date(2022, 1, 1),
                                       departed_on=date(2024, 1, 1), unit="wcsc")], actor="t")
    assert registries.list("talent", valid_at=date(2023, 12, 31)) and not registries.list("talent", valid_at=date(2024, 1, 1))
    registries.apply("patents", [Patent(number="ZL1", type="invention", granted_on=date(2020, 1, 1), unit="wcsc")],
                     actor="t")
    assert registries.list("patents", valid_at=date(2025, 12, 31))[0].type == "invention"


def test_financials_compare_numbers_with_tolerance(registries, codes):
    registries.apply("enterprises", _enterprises(codes, 1), actor="t")
    registries.apply("financials", [Financials(credit_code=codes[0], year=2023, revenue=0.1 + 0.2, employees=3)],
                     actor="t")
    again = registries.preview("financials", [Financials(credit_code=codes[0], year=2023, revenue=0.3, employees=3)])
    assert again.counts() == {"new": 0, "changed": 0, "unchanged": 1}


def test_certifications_counted_and_listed_for_a_report_annex(registries, codes):
    registries.apply("enterprises", _enterprises(codes, 4) + _enterprises(codes[4:], 1, unit="science_avenue"),
                     actor="t")
    certs = [Certification(credit_code=codes[0], kind="high_tech", valid_from=date(2021, 5, 1)),
             Certification(credit_code=codes[1], kind="high_tech", valid_from=date(2021, 5, 1)),
             Certification(credit_code=codes[2], kind="gazelle", valid_from=date(2022, 3, 1)),
             Certification(credit_code=codes[3], kind="tech_sme", valid_from=date(2023, 6, 1)),
             Certification(credit_code=codes[3], kind="gazelle", valid_from=date(2020, 6, 1)),  # before the period
             Certification(credit_code=codes[4], kind="gazelle", valid_from=date(2022, 3, 1))]  # another unit
    registries.apply("certifications", certs, actor="t")
    units, first, last = {"vitality_centre"}, date(2021, 1, 1), date(2025, 12, 31)
    assert registries.certifications_from(units, first, last) == {
        ("high_tech", date(2021, 5, 1)): 2, ("gazelle", date(2022, 3, 1)): 1, ("tech_sme", date(2023, 6, 1)): 1}
    listed, total = registries.certifications_listed(units, first, last, ["high_tech", "gazelle"], 2)
    assert total == 3
    # by kind, date and credit code; the first two of three
    assert [(c.kind.value, c.credit_code) for c in listed] == [("gazelle", codes[2]), ("high_tech", min(codes[:2]))]
    names = registries.enterprises({codes[2], "not-a-code"})
    assert set(names) == {codes[2]} and names[codes[2]].credit_code == codes[2]
