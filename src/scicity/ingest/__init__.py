"""Readers and validators: plan files, CSV and XLSX data, templates."""
