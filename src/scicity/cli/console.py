"""Terminal output shared by the commands: consoles, colours, errors."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

STATUS_STYLE = {
    "achieved": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "regressing": "bold red",
    "missed": "bold red",
    "insufficient_data": "dim",
}

STATUS_TEXT = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "regressing": "regressing",
    "missed": "missed",
    "insufficient_data": "insufficient data",
}


def fail(message: str, *, hint: str | None = None, code: int = 2) -> NoReturn:
    """Print an error for people (what, where, what to do next) and exit."""
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    if hint:
        err.print(f"[dim]hint:[/] {hint}")
    raise typer.Exit(code)


def fmt_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if decimals == 0 and abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"
