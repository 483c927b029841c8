"""Indicators computed from registries, on any engine (Ibis: SQLite, PostgreSQL, DuckDB, Spark).

- :mod:`.layout` — which table and columns each registry uses; the geography roll-up;
- :mod:`.query` — a definition compiled into one grouped Ibis query;
- :mod:`.engine` — :class:`~.engine.RegistryEngine`: counts per (unit, year) and the members behind a count;
- :mod:`.connect` — engines on the store's database, DuckDB over Parquet, Spark over Parquet;
- :mod:`.parquet` — the Parquet export of the registry tables;
- :mod:`.reference` — the plain-Python reference the contract suite compares with.

Ibis is imported by :mod:`.query`, :mod:`.engine` and :mod:`.connect` only,
so that reading the layout stays cheap.
"""
