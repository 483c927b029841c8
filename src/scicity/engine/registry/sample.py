"""Sample registries with every edge case of the validity rules, and writers for SQL and Parquet.

For the contract suite (every backend against the plain-Python reference)
and for trying the engines without real data. Deterministic for a seed.

Edge cases: institutions closed or recognised exactly on 31 December and
1 January; district-level key laboratories (not "municipal and above");
entities at a sub-sub-unit (rolled up twice); certificates whose valid_to
is 31 December (still valid that day), renewed certificates overlapping
(counted once), an enterprise holding both unicorn and potential unicorn;
lapsed patents; departed talent; a person with two records.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, Float, Integer, MetaData, String, Table, create_engine, inspect
from sqlalchemy.pool import NullPool

from scicity.domain.registry_definition import CertificationKind, INSTITUTION_TYPES, LEVELS, PATENT_TYPES, TALENT_TIERS

Rows = dict[str, list[dict[str, Any]]]

_meta = MetaData()
#: the registry tables as the engine needs them (migration 0002 may add columns; it renames none)
SAMPLE_TABLES = {
    t.name: t
    for t in (
        Table("institutions", _meta, Column("code", String, unique=True), Column("name_en", String), Column("name_zh", String),
              Column("type", String), Column("level", String), Column("host", String), Column("unit", String),
              Column("recognised_on", Date), Column("closed_on", Date, nullable=True)),
        Table("enterprises", _meta, Column("credit_code", String, unique=True), Column("name_zh", String), Column("name_en", String),
              Column("founded_on", Date), Column("unit", String), Column("industry", String), Column("strategic_emerging", Boolean)),
        Table("certifications", _meta, Column("credit_code", String), Column("kind", String), Column("valid_from", Date),
              Column("valid_to", Date, nullable=True)),
        Table("enterprise_financials", _meta, Column("credit_code", String), Column("year", Integer), Column("revenue", Float),
              Column("rd_expenditure", Float), Column("employees", Integer), Column("valuation", Float)),
        Table("talent", _meta, Column("person_id", String), Column("tier", String), Column("programme", String),
              Column("introduced_on", Date), Column("departed_on", Date, nullable=True), Column("unit", String)),
        Table("patents", _meta, Column("number", String, unique=True), Column("type", String), Column("granted_on", Date),
              Column("lapsed_on", Date, nullable=True), Column("holder", String), Column("unit", String)),
        # the exchange platform's tables, with the columns the engine reads (migration 0006 has more)
        Table("exchange_contracts", _meta, Column("code", String, unique=True), Column("type", String), Column("amount", Float),
              Column("seller", String), Column("seller_type", String), Column("buyer", String), Column("field", String),
              Column("ip", Boolean), Column("government_funded", Boolean), Column("signed_on", Date),
              Column("registered_on", Date, nullable=True), Column("year", Integer), Column("unit", String, nullable=True),
              Column("deal", String, nullable=True)),
        Table("exchange_deals", _meta, Column("code", String, unique=True), Column("need", String, nullable=True),
              Column("achievement", String, nullable=True), Column("stage", String), Column("opened_on", Date),
              Column("contract", String, nullable=True), Column("seller_org", String), Column("buyer_org", String)),
        Table("exchange_deal_events", _meta, Column("deal", String), Column("stage", String), Column("on", Date)),
        Table("exchange_needs", _meta, Column("code", String, unique=True), Column("title_zh", String), Column("title_en", String),
              Column("field", String, nullable=True), Column("unit", String, nullable=True)),
        Table("exchange_achievements", _meta, Column("code", String, unique=True), Column("title_zh", String),
              Column("title_en", String), Column("field", String, nullable=True), Column("owner", String),
              Column("owner_type", String), Column("unit", String, nullable=True)),
        Table("exchange_talent", _meta, Column("code", String, unique=True), Column("person", String), Column("direction", String),
              Column("title", String), Column("from_org", String), Column("to_org", String), Column("starts_on", Date),
              Column("ends_on", Date, nullable=True), Column("year", Integer), Column("hours", Float, nullable=True),
              Column("unit", String, nullable=True)),
        Table("exchange_bookings", _meta, Column("code", String, unique=True), Column("facility", String),
              Column("user_org", String), Column("starts_on", Date), Column("year", Integer), Column("hours", Float),
              Column("unit", String, nullable=True)),
        Table("exchange_facilities", _meta, Column("code", String, unique=True), Column("name_zh", String),
              Column("name_en", String), Column("kind", String), Column("owner", String), Column("unit", String, nullable=True)),
    )
}


def _day(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days + 1))


def _edge(rng: random.Random, first: int, last: int) -> date:
    """A date, one time in three exactly on 31 December or 1 January."""
    roll = rng.random()
    year = rng.randint(first, last)
    if roll < 0.17:
        return date(year, 12, 31)
    if roll < 0.33:
        return date(year, 1, 1)
    return _day(rng, first, last)


def sample_rows(units: Sequence[str], *, seed: int = 7, size: int = 60, exchange: bool = False) -> Rows:
    """Registries over ``units`` (the first is the root): about ``size`` entities per registry; with
    ``exchange``, the exchange platform's records too (only the columns the engine reads: for fresh databases
    and Parquet, not for a migrated store, whose tables need more)."""
    rng = random.Random(seed)
    units = list(units)
    inst, ents, certs, fins, talent, patents = [], [], [], [], [], []
    for i in range(size):
        start = _edge(rng, 2015, 2025)
        closed = _edge(rng, start.year, 2026) if rng.random() < 0.3 else None
        inst.append({
            "code": f"I{i:05d}", "name_en": f"Institution {i}", "name_zh": f"机构{i}", "type": rng.choice(INSTITUTION_TYPES),
            "level": rng.choice(LEVELS), "host": rng.choice(["CQU", "CAS", "SWU"]), "unit": rng.choice(units),
            "recognised_on": start, "closed_on": closed if closed and closed > start else None,
        })
    kinds = [k.value for k in CertificationKind]
    for i in range(size):
        code = f"91500000{i:09d}X"[:18]
        ents.append({
            "credit_code": code, "name_zh": f"企业{i}", "name_en": f"Enterprise {i}", "founded_on": _edge(rng, 2005, 2025),
            "unit": rng.choice(units), "industry": rng.choice(["ai", "biotech", "chips"]), "strategic_emerging": rng.random() < 0.5,
        })
        for _ in range(rng.randint(0, 3)):
            start = _edge(rng, 2016, 2025)
            end = None if rng.random() < 0.2 else (date(start.year + 2, 12, 31) if rng.random() < 0.4 else start + timedelta(days=3 * 365))
            certs.append({"credit_code": code, "kind": rng.choice(kinds), "valid_from": start, "valid_to": end})
        for year in (2022, 2023):
            fins.append({"credit_code": code, "year": year, "revenue": rng.uniform(1, 100), "rd_expenditure": rng.uniform(0, 10),
                         "employees": rng.randint(5, 500), "valuation": rng.uniform(1, 1000)})
    for i in range(size * 2):
        start = _edge(rng, 2016, 2025)
        gone = _edge(rng, start.year, 2026) if rng.random() < 0.3 else None
        tier = rng.choice(TALENT_TIERS)
        person = f"P{i:05d}"
        if i % 17 == 0 and talent:  # every 17th record is a second record (another tier) of the person before
            person = talent[-1]["person_id"]
            tier = next(t for t in TALENT_TIERS if t != talent[-1]["tier"])
        talent.append({"person_id": person, "tier": tier, "programme": rng.choice(["A", "B"]),
                       "introduced_on": start, "departed_on": gone if gone and gone > start else None, "unit": rng.choice(units)})
    for i in range(size * 2):
        granted = _edge(rng, 2010, 2025)
        lapsed = _edge(rng, granted.year, 2027) if rng.random() < 0.35 else None
        patents.append({"number": f"ZL{i:08d}", "type": rng.choice(PATENT_TYPES), "granted_on": granted,
                        "lapsed_on": lapsed if lapsed and lapsed > granted else None, "holder": f"H{i % 9}", "unit": rng.choice(units)})
    # fixed cases the random draw may miss
    if ents:
        code = ents[0]["credit_code"]
        certs.append({"credit_code": code, "kind": "high_tech", "valid_from": date(2020, 1, 1), "valid_to": date(2022, 12, 31)})
        certs.append({"credit_code": code, "kind": "high_tech", "valid_from": date(2022, 12, 1), "valid_to": None})
        certs.append({"credit_code": code, "kind": "unicorn", "valid_from": date(2021, 6, 1), "valid_to": None})
        certs.append({"credit_code": code, "kind": "potential_unicorn", "valid_from": date(2020, 6, 1), "valid_to": None})
    unique: dict[tuple[str, str, date], dict[str, Any]] = {}
    for cert in certs:  # (credit_code, kind, valid_from) is unique in the registry
        unique.setdefault((cert["credit_code"], cert["kind"], cert["valid_from"]), cert)
    certs = list(unique.values())
    out: Rows = {"institutions": inst, "enterprises": ents, "certifications": certs, "enterprise_financials": fins,
                 "talent": talent, "patents": patents}
    if exchange:
        out.update(sample_exchange_rows(units, rng, size))
    return out


def sample_exchange_rows(units: Sequence[str], rng: random.Random, size: int) -> Rows:
    """Exchange records: contracts (some from deals, some without a unit), deals with moves over several years
    (one achievement transferred by two deals, a deal with no achievement), talent exchanges (some without hours)
    and bookings of facilities of every kind."""
    placed = [*units, None]  # a record without a unit counts at the root
    fields = ["ai", "biotech", "chips"]
    needs = [{"code": f"N{i:04d}", "title_zh": f"需求{i}", "title_en": f"Need {i}", "field": rng.choice([*fields, None]),
              "unit": rng.choice(placed)} for i in range(size // 2)]
    achs = [{"code": f"A{i:04d}", "title_zh": f"成果{i}", "title_en": f"Achievement {i}", "field": rng.choice([*fields, None]),
             "owner": f"U{i % 5}", "owner_type": rng.choice(["university", "institute"]), "unit": rng.choice(placed)}
            for i in range(size // 2)]
    stages = ["matched", "contacted", "negotiating", "signed", "registered", "delivered"]
    deals, events, contracts = [], [], []
    for i in range(size):
        code = f"D{i:04d}"
        achievement = None if i % 9 == 0 else achs[i % len(achs)]["code"]  # i and i + len(achs): the same achievement
        need = None if i % 7 == 0 else needs[i % len(needs)]["code"]
        day = _edge(rng, 2019, 2024)
        reached = rng.randint(1, len(stages))
        dropped = reached < len(stages) and rng.random() < 0.3
        moves = stages[:reached] + (["dropped"] if dropped else [])
        for stage in moves:
            events.append({"deal": code, "stage": stage, "on": day})
            day = day + timedelta(days=rng.choice([0, 20, 120, 300]))
        deals.append({"code": code, "need": need, "achievement": achievement, "stage": moves[-1], "opened_on": events[-len(moves)]["on"],
                      "contract": None, "seller_org": f"U{i % 5}", "buyer_org": f"E{i % 11}"})
        if "registered" in moves:
            deals[-1]["contract"] = f"C{i:04d}"
    for i in range(size * 2):
        deal = deals[i].get("contract") and deals[i] if i < len(deals) else None
        signed = _edge(rng, 2019, 2025)
        registered = signed + timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.85 else None
        year = (registered or signed).year
        contracts.append({"code": deal["contract"] if deal else f"C9{i:04d}", "type": rng.choice(["development", "transfer",
                          "consulting", "service"]), "amount": round(rng.uniform(0, 900), 2), "seller": f"U{i % 5}",
                          "seller_type": rng.choice(["university", "institute", "enterprise", "other"]), "buyer": f"E{i % 11}",
                          "field": rng.choice([*fields, None]), "ip": rng.random() < 0.5, "government_funded": rng.random() < 0.2,
                          "signed_on": signed, "registered_on": registered, "year": year, "unit": rng.choice(placed),
                          "deal": deal["code"] if deal else None})
    talent = [{"code": f"TX{i:04d}", "person": f"P{i}", "direction": rng.choice(["to_enterprise", "to_university"]),
               "title": "科技副总", "from_org": f"U{i % 5}", "to_org": f"E{i % 11}", "starts_on": (s := _edge(rng, 2019, 2025)),
               "ends_on": None, "year": s.year, "hours": None if i % 5 == 0 else float(rng.choice([40, 120.5, 480])),
               "unit": rng.choice(placed)} for i in range(size)]
    facilities = [{"code": f"F{i:03d}", "name_zh": f"仪器{i}", "name_en": f"Facility {i}",
                   "kind": ["instrument", "lab", "pilot_line"][i % 3], "owner": f"U{i % 5}", "unit": rng.choice(units)}
                  for i in range(9)]
    bookings = [{"code": f"B{i:05d}", "facility": facilities[i % 9]["code"], "user_org": f"E{i % 11}",
                 "starts_on": (s := _edge(rng, 2019, 2025)), "year": s.year, "hours": round(rng.uniform(0.5, 60), 1),
                 "unit": rng.choice(placed)} for i in range(size * 2)]
    return {"exchange_contracts": contracts, "exchange_deals": deals, "exchange_deal_events": events, "exchange_needs": needs,
            "exchange_achievements": achs, "exchange_talent": talent, "exchange_bookings": bookings,
            "exchange_facilities": facilities}


def write_sql(url: str, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Insert the rows into a database, creating the registry tables where they are missing."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        _meta.create_all(engine, tables=[SAMPLE_TABLES[n] for n in rows if n in SAMPLE_TABLES], checkfirst=True)
        present = MetaData()
        present.reflect(engine, only=[n for n in rows if inspect(engine).has_table(n)])
        with engine.begin() as conn:
            for name, items in rows.items():
                if items:
                    conn.execute(present.tables[name].insert(), list(items))
    finally:
        engine.dispose()


def write_parquet(directory: Path | str, rows: Mapping[str, Sequence[Mapping[str, Any]]], *, enterprise_ids: bool = True) -> None:
    """One ``<table>.parquet`` per table, with the column types of the SQL tables (dates as date32) and, as the
    export writes them, the integer ``enterprise_id`` of enterprises and certificates (``enterprise_ids=False``:
    without, as exports written before it had)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scicity.engine.registry.parquet import with_enterprise_ids

    types = {Date: pa.date32(), Boolean: pa.bool_(), Integer: pa.int64(), Float: pa.float64(), String: pa.string()}
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name, table in SAMPLE_TABLES.items():
        schema = pa.schema([(c.name, types[type(c.type)]) for c in table.columns])
        items = rows.get(name, [])
        data = {c.name: [r.get(c.name) for r in items] for c in table.columns}
        tables[name] = pa.table(data, schema=schema)
    if enterprise_ids:
        tables = with_enterprise_ids(tables)
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")
