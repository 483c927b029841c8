"""Sample registries for the tier engine: enterprises, yearly figures and certificates (contract suite, benchmark).

Deterministic for a seed; figures drawn so that every outcome occurs (a few
missing cells, years missing in windows, certificates held), across the 2026
change of rules.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from scicity.domain.credit_code import make_credit_code

Rows = dict[str, list[dict[str, Any]]]
FLAGS = ("listed", "major_incident", "dishonest", "restricted_industry", "national_award", "provincial_rd_institution",
         "led_standard")
NUMBERS = ("employees", "st_staff", "revenue", "total_costs", "total_assets", "net_assets", "rd_expenditure",
           "rd_domestic_share", "hightech_revenue", "main_revenue", "debt_ratio", "new_equity", "conversions",
           "ip_class1", "ip_class2", "valuation_usd", "financing_usd")


def tier_rows(n: int, years: Sequence[int] = (2021, 2022, 2023, 2024, 2025, 2026), *, seed: int = 5,
              missing: float = 0.02) -> Rows:
    rng = random.Random(seed)
    ents, fins, certs = [], [], []
    seen: set[str] = set()
    for _ in range(n):
        code = make_credit_code(rng, division="500107")
        while code in seen:
            code = make_credit_code(rng, division="500107")
        seen.add(code)
        founded = None if rng.random() < 0.02 else date(rng.randint(2008, 2024), rng.randint(1, 12), rng.randint(1, 28))
        ents.append({"credit_code": code, "founded_on": founded, "name_zh": code, "unit": "city"})
        revenue = rng.uniform(200, 60000)
        staff = rng.randint(10, 700)
        skip = rng.choice(years) if rng.random() < 0.05 else None
        for y in years:
            revenue *= rng.uniform(0.9, 1.35)
            if y == skip:
                continue
            rd = revenue * rng.uniform(0.005, 0.12)
            total_assets = revenue * rng.uniform(0.6, 1.8)
            row: dict[str, Any] = {
                "credit_code": code, "year": y, "employees": staff, "st_staff": int(staff * rng.uniform(0.02, 0.5)),
                "revenue": round(revenue, 1), "total_costs": round(revenue * rng.uniform(0.7, 1.0), 1),
                "total_assets": round(total_assets, 1), "net_assets": round(total_assets * rng.uniform(0.2, 0.8), 1),
                "rd_expenditure": round(rd, 1), "rd_domestic_share": round(rng.uniform(40, 100), 1),
                "hightech_revenue": round(revenue * rng.uniform(0.3, 0.95), 1),
                "main_revenue": round(revenue * rng.uniform(0.6, 1.0), 1), "debt_ratio": round(rng.uniform(10, 90), 1),
                "new_equity": round(revenue * rng.uniform(0, 0.5), 1) if rng.random() < 0.3 else 0.0,
                "conversions": rng.randint(0, 6), "ip_class1": rng.randint(0, 6), "ip_class2": rng.randint(0, 8),
                "valuation_usd": round(rng.uniform(100, 200_000), 0), "financing_usd": round(rng.uniform(0, 10_000), 0),
                **{f: rng.random() < 0.05 for f in FLAGS},
            }
            for name in NUMBERS + FLAGS:
                if rng.random() < missing:
                    row[name] = None
            fins.append(row)
        if rng.random() < 0.4:
            start = date(rng.choice(years[:-1]), rng.randint(1, 12), rng.randint(1, 28))
            certs.append({"credit_code": code, "kind": "tech_sme", "valid_from": start,
                          "valid_to": date(start.year + 1, 3, 31)})
        if rng.random() < 0.2:
            start = date(rng.choice(years[:-1]), rng.randint(1, 12), rng.randint(1, 28))
            certs.append({"credit_code": code, "kind": "high_tech", "valid_from": start,
                          "valid_to": date(start.year + 3, start.month, start.day)})
    return {"enterprises": ents, "enterprise_financials": fins, "certifications": certs}


def arrow_schemas() -> dict[str, Any]:
    """The three tables the tier engine reads, as Arrow schemas."""
    import pyarrow as pa

    return {
        "enterprises": pa.schema([("credit_code", pa.string()), ("founded_on", pa.date32()), ("name_zh", pa.string()),
                                  ("unit", pa.string())]),
        "enterprise_financials": pa.schema([("credit_code", pa.string()), ("year", pa.int64()),
                                            *((n, pa.float64()) for n in NUMBERS), *((f, pa.bool_()) for f in FLAGS)]),
        "certifications": pa.schema([("credit_code", pa.string()), ("kind", pa.string()), ("valid_from", pa.date32()),
                                     ("valid_to", pa.date32())]),
    }


def arrow_tables(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The rows as Arrow tables of :func:`arrow_schemas` (missing columns of a row are null)."""
    import pyarrow as pa

    return {name: pa.Table.from_pylist(list(rows[name]), schema=schema) for name, schema in arrow_schemas().items()}


def write_tier_parquet(directory: Path | str, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    import pyarrow.parquet as pq

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in arrow_tables(rows).items():
        pq.write_table(table, out / f"{name}.parquet")


def write_tier_sql(url: str, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Create the three tables (plain types) and insert the rows."""
    from sqlalchemy import Boolean, Column, Date, Float, Integer, MetaData, String, Table, create_engine, insert
    from sqlalchemy.pool import NullPool

    meta = MetaData()
    tables = {
        "enterprises": Table("enterprises", meta, Column("credit_code", String(18)), Column("founded_on", Date),
                             Column("name_zh", String(100)), Column("unit", String(64))),
        "enterprise_financials": Table("enterprise_financials", meta, Column("credit_code", String(18)),
                                       Column("year", Integer), *(Column(n, Float) for n in NUMBERS),
                                       *(Column(f, Boolean) for f in FLAGS)),
        "certifications": Table("certifications", meta, Column("credit_code", String(18)), Column("kind", String(30)),
                                Column("valid_from", Date), Column("valid_to", Date)),
    }
    engine = create_engine(url, poolclass=NullPool)
    try:
        meta.create_all(engine)
        with engine.begin() as conn:
            for name, table in tables.items():
                if rows[name]:
                    conn.execute(insert(table), list(rows[name]))
    finally:
        engine.dispose()
