"""The one registry of report formats: built-ins are registered the same way a third party would.

A format turns the report model (:func:`scicity.service.report_model.build_report_model`)
into bytes. Renderers import their heavy libraries (WeasyPrint, python-docx,
openpyxl) only when called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

Model = Mapping[str, Any]


@dataclass(frozen=True)
class ReportFormat:
    name: str
    suffix: str
    media_type: str
    render: Callable[[Model], bytes]
    description: str = ""


_FORMATS: dict[str, ReportFormat] = {}


def register_format(fmt: ReportFormat, *, replace: bool = False) -> None:
    if fmt.name in _FORMATS and not replace:
        raise ValueError(f"report format {fmt.name!r} is already registered")
    _FORMATS[fmt.name] = fmt


def formats() -> list[str]:
    return list(_FORMATS)


def get_format(name: str) -> ReportFormat:
    try:
        return _FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown report format {name!r}; known: {', '.join(_FORMATS)}") from None


def render(model: Model, fmt: str) -> bytes:
    return get_format(fmt).render(model)


def _lazy(module: str, function: str) -> Callable[[Model], bytes]:
    def call(model: Model) -> bytes:
        return getattr(import_module(module), function)(model)

    call.__name__ = f"{module}.{function}"
    return call


for _fmt in (
    ReportFormat("pdf", ".pdf", "application/pdf", _lazy("scicity.reports.pdf", "render_pdf"), "A4, WeasyPrint"),
    ReportFormat(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _lazy("scicity.reports.word", "render_docx"),
        "Word / WPS",
    ),
    ReportFormat(
        "xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _lazy("scicity.reports.excel", "render_xlsx"),
        "Excel",
    ),
    ReportFormat("html", ".html", "text/html; charset=utf-8", _lazy("scicity.reports.html", "render_html_bytes"), "HTML with print CSS"),
):
    register_format(_fmt)
