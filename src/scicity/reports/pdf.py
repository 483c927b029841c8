"""The report as PDF: the HTML laid out by WeasyPrint on A4 with page numbers and a table of contents.

Fonts: Noto Sans CJK SC (Debian fonts-noto-cjk), subset and embedded by WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scicity.reports.html import TEMPLATES, render_html


def render_pdf(model: Mapping[str, Any]) -> bytes:
    import logging

    from weasyprint import CSS, HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    html = render_html(model, for_pdf=True)
    css = CSS(filename=str(TEMPLATES / "pdf.css"))
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(stylesheets=[css])
