"""Sample registries for the tier engine: enterprises, yearly figures and certificates (contract suite, benchmark).

Deterministic for a seed; figures drawn so that every outcome occurs (a few
missing cells, years missing in windows, certificates held), across the 2026
change of rules. Drawn column by column with NumPy (one generator, a fixed
order of draws), so that 1,000,000 enterprises × 6 years take seconds:
:func:`tier_arrow` gives Arrow tables, written to Parquet
(:func:`write_tier_parquet`) or to an SQL database (:func:`write_tier_sql`);
:func:`tier_rows` gives the same sample as dicts for the pure evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scicity.domain.credit_code import CHARSET, WEIGHTS

Rows = dict[str, list[dict[str, Any]]]
FLAGS = ("listed", "major_incident", "dishonest", "restricted_industry", "national_award", "provincial_rd_institution",
         "led_standard")
NUMBERS = ("employees", "st_staff", "revenue", "total_costs", "total_assets", "net_assets", "rd_expenditure",
           "rd_domestic_share", "hightech_revenue", "main_revenue", "debt_ratio", "new_equity", "conversions",
           "ip_class1", "ip_class2", "valuation_usd", "financing_usd")
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
DIVISION = "500107"
_SPACE = len(CHARSET) ** 9  # subject identifiers of a credit code
_STEP = 7_919_000_000_003  # coprime with 31: i -> (offset + i * step) mod 31^9 is one-to-one


def credit_codes(n: int, rng: np.random.Generator, division: str = DIVISION) -> np.ndarray:
    """``n`` distinct valid credit codes (authority 9, category 1, ``division``) as an array of 18-byte strings."""
    if n > _SPACE:
        raise ValueError(f"at most {_SPACE} distinct codes; asked for {n}")
    offset = int(rng.integers(0, _SPACE))
    ids = (offset + np.arange(n, dtype=np.int64).astype(object) * _STEP) % _SPACE  # exact: Python ints
    ids = np.asarray(ids, dtype=np.int64)
    digits = np.empty((n, 9), dtype=np.int64)
    for pos in range(8, -1, -1):
        digits[:, pos] = ids % 31
        ids = ids // 31
    value = {c: i for i, c in enumerate(CHARSET)}
    head = [value[c] for c in f"91{division}"]
    total = sum(v * w for v, w in zip(head, WEIGHTS[:8], strict=True)) + digits @ np.array(WEIGHTS[8:17])
    check = (31 - total % 31) % 31
    chars = np.frombuffer(CHARSET.encode(), dtype=np.uint8)
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, :8] = np.frombuffer(f"91{division}".encode(), dtype=np.uint8)
    out[:, 8:17] = chars[digits]
    out[:, 17] = chars[check]
    return out.view("S18").ravel()


def tier_arrow(n: int, years: Sequence[int] = YEARS, *, seed: int = 5, missing: float = 0.02) -> dict[str, Any]:
    """The sample as Arrow tables of :func:`arrow_schemas` (financial rows by enterprise, then year)."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    years = tuple(years)
    ny = len(years)
    codes = pa.array(credit_codes(n, rng), type=pa.binary(18)).cast(pa.string())
    # founding dates: 2 % unknown, else 2008–2024, day 1–28 of a month
    f_year, f_month, f_day = rng.integers(2008, 2025, n), rng.integers(1, 13, n), rng.integers(1, 29, n)
    founded = _dates(f_year, f_month, f_day)
    ents = pa.table({"credit_code": codes, "founded_on": pa.array(founded, mask=rng.random(n) < 0.02),
                     "name_zh": codes, "unit": pa.array(np.full(n, "city", dtype=object), type=pa.string())},
                    schema=arrow_schemas()["enterprises"])

    # yearly figures, shape (n, years): revenue grows by 0.9–1.35 a year; staff fixed per enterprise
    revenue = rng.uniform(200, 60000, n)[:, None] * np.cumprod(rng.uniform(0.9, 1.35, (n, ny)), axis=1)
    staff = rng.integers(10, 701, n).astype(np.float64)[:, None] * np.ones((1, ny))

    def u(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, (n, ny))

    def ints(low: int, high: int) -> np.ndarray:
        return rng.integers(low, high + 1, (n, ny)).astype(np.float64)

    total_assets = revenue * u(0.6, 1.8)
    cols: dict[str, np.ndarray] = {
        "employees": staff, "st_staff": np.floor(staff * u(0.02, 0.5)), "revenue": np.round(revenue, 1),
        "total_costs": np.round(revenue * u(0.7, 1.0), 1), "total_assets": np.round(total_assets, 1),
        "net_assets": np.round(total_assets * u(0.2, 0.8), 1), "rd_expenditure": np.round(revenue * u(0.005, 0.12), 1),
        "rd_domestic_share": np.round(u(40, 100), 1), "hightech_revenue": np.round(revenue * u(0.3, 0.95), 1),
        "main_revenue": np.round(revenue * u(0.6, 1.0), 1), "debt_ratio": np.round(u(10, 90), 1),
        "new_equity": np.where(u(0, 1) < 0.3, np.round(revenue * u(0, 0.5), 1), 0.0),
        "conversions": ints(0, 6), "ip_class1": ints(0, 6), "ip_class2": ints(0, 8),
        "valuation_usd": np.round(u(100, 200_000), 0), "financing_usd": np.round(u(0, 10_000), 0),
    }
    flags = {f: u(0, 1) < 0.05 for f in FLAGS}
    # 5 % of enterprises lack one year's figures (a hole in a 3-year window)
    keep = np.ones((n, ny), dtype=bool)
    skipping = np.flatnonzero(rng.random(n) < 0.05)
    keep[skipping, rng.integers(0, ny, len(skipping))] = False
    flat = keep.ravel()
    fin: dict[str, Any] = {
        "credit_code": codes.take(pa.array(np.repeat(np.arange(n), ny)[flat])),
        "year": pa.array(np.tile(np.array(years, dtype=np.int64), n)[flat]),
    }
    for name in NUMBERS:
        fin[name] = pa.array(cols[name].ravel()[flat], mask=(rng.random((n, ny)) < missing).ravel()[flat])
    for name in FLAGS:
        fin[name] = pa.array(flags[name].ravel()[flat], mask=(rng.random((n, ny)) < missing).ravel()[flat])
    fins = pa.table(fin, schema=arrow_schemas()["enterprise_financials"])

    # certificates: 40 % a technology-based SME entry (to 31 March next year), 20 % high-tech (three years)
    parts = []
    for kind, share in (("tech_sme", 0.4), ("high_tech", 0.2)):
        who = np.flatnonzero(rng.random(n) < share)
        k = len(who)
        start_year = np.array(years[:-1], dtype=np.int64)[rng.integers(0, ny - 1, k)]
        month, day = rng.integers(1, 13, k), rng.integers(1, 29, k)
        start = _dates(start_year, month, day)
        end = _dates(start_year + 1, np.full(k, 3), np.full(k, 31)) if kind == "tech_sme" else \
            _dates(start_year + 3, month, day)
        parts.append((who, kind, start, end))
    who = np.concatenate([p[0] for p in parts])
    order = np.argsort(who, kind="stable")  # by enterprise, tech_sme before high_tech
    certs = pa.table({
        "credit_code": codes.take(pa.array(who[order])),
        "kind": pa.array(np.concatenate([np.full(len(p[0]), p[1], dtype=object) for p in parts])[order],
                         type=pa.string()),
        "valid_from": pa.array(np.concatenate([p[2] for p in parts])[order]),
        "valid_to": pa.array(np.concatenate([p[3] for p in parts])[order]),
    }, schema=arrow_schemas()["certifications"])
    return {"enterprises": ents, "enterprise_financials": fins, "certifications": certs}


def _dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = (np.asarray(year) - 1970) * 12 + np.asarray(month) - 1
    return months.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(day) - 1)


def tier_rows(n: int, years: Sequence[int] = YEARS, *, seed: int = 5, missing: float = 0.02) -> Rows:
    """The sample of :func:`tier_arrow` as dicts (``None`` for a missing cell)."""
    tables = tier_arrow(n, years, seed=seed, missing=missing)
    rows = {name: table.to_pylist() for name, table in tables.items()}
    for row in rows["enterprise_financials"]:
        for name in ("employees", "st_staff", "conversions", "ip_class1", "ip_class2"):
            if row[name] is not None:
                row[name] = int(row[name])
    return rows


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


def _as_arrow(sample: Mapping[str, Any]) -> dict[str, Any]:
    """Arrow tables as given, or rows (dicts) made Arrow tables."""
    import pyarrow as pa

    if all(isinstance(v, pa.Table) for v in sample.values()):
        return dict(sample)
    return arrow_tables(sample)


def write_tier_parquet(directory: Path | str, sample: Mapping[str, Any]) -> None:
    """``<table>.parquet`` in ``directory`` from :func:`tier_arrow` tables or :func:`tier_rows` rows."""
    import pyarrow.parquet as pq

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in _as_arrow(sample).items():
        pq.write_table(table, out / f"{name}.parquet")


def write_tier_sql(url: str, sample: Mapping[str, Any], *, batch: int = 50_000) -> None:
    """Create the three tables (plain types) and insert the sample (Arrow tables or rows), ``batch`` rows at a
    time (one transaction per table)."""
    from sqlalchemy import Boolean, Column, Date, Float, Integer, MetaData, String, Table, create_engine, insert
    from sqlalchemy.pool import NullPool

    meta = MetaData()
    tables = {
        "enterprises": Table("enterprises", meta, Column("credit_code", String(18), primary_key=True),
                             Column("founded_on", Date), Column("name_zh", String(100)), Column("unit", String(64))),
        "enterprise_financials": Table("enterprise_financials", meta, Column("credit_code", String(18), primary_key=True),
                                       Column("year", Integer, primary_key=True), *(Column(n, Float) for n in NUMBERS),
                                       *(Column(f, Boolean) for f in FLAGS)),
        "certifications": Table("certifications", meta, Column("credit_code", String(18), index=True),
                                Column("kind", String(30)), Column("valid_from", Date), Column("valid_to", Date)),
    }
    arrow = _as_arrow(sample)
    engine = create_engine(url, poolclass=NullPool)
    try:
        meta.create_all(engine)
        for name, table in tables.items():
            with engine.begin() as conn:
                if engine.dialect.name == "sqlite":  # the driver's executemany: no per-row SQLAlchemy work
                    marks = ", ".join("?" * len(table.columns))
                    sql = f'INSERT INTO "{name}" VALUES ({marks})'
                    raw = conn.connection.driver_connection
                    for chunk in _tuples(arrow[name], batch):
                        raw.executemany(sql, chunk)
                else:
                    for chunk in _batches(arrow[name], batch):
                        conn.execute(insert(table), chunk)
    finally:
        engine.dispose()


def _batches(table: Any, size: int) -> Iterator[list[dict[str, Any]]]:
    for part in table.to_batches(max_chunksize=size):
        if part.num_rows:
            yield part.to_pylist()


def _tuples(table: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows as tuples for sqlite3 (dates as ISO text and flags as 0/1, as SQLAlchemy stores them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for part in table.to_batches(max_chunksize=size):
        if not part.num_rows:
            continue
        cols = []
        for field, col in zip(part.schema, part.columns, strict=True):
            if pa.types.is_date(field.type):
                col = pc.strftime(col.cast(pa.timestamp("s")), format="%Y-%m-%d")
            elif pa.types.is_boolean(field.type):
                col = col.cast(pa.int8())
            cols.append(col.to_pylist())
        yield list(zip(*cols, strict=True))
