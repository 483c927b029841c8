"""Indicator computation: from observations (and later registries) to indicator values."""
