"""Deterministic synthetic demo data for the seed plan (labelled synthetic wherever it shows)."""
