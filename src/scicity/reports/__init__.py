"""Outer layer: reports and exports (HTML, PDF, XLSX, long tables)."""
