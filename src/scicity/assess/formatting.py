"""How numbers are written in explanations: four significant digits, no exponent for everyday sizes."""

from __future__ import annotations

import math


def fmt(x: float | int | None, digits: int = 4) -> str:
    """``0.035744 -> '0.03574'``, ``525.63 -> '525.6'``, ``500.0 -> '500'``, ``1234567 -> '1,234,567'``."""
    if x is None:
        return "n/a"
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    mag = abs(x)
    if mag >= 10**digits:
        return f"{x:,.0f}"
    if mag < 1e-4:
        return f"{x:.{digits - 1}e}"
    text = f"{x:.{digits}g}"
    if "e" in text:  # 4-digit numbers like 1234.5 -> '1235'
        text = f"{x:.0f}"
    return text


def pct(x: float | None) -> str:
    """A growth rate as a percentage: ``0.035744 -> '3.574 %'``."""
    if x is None or math.isnan(x):
        return "n/a"
    return f"{fmt(100 * x)} %"
