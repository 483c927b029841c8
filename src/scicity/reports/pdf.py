"""The report as PDF: the HTML laid out by WeasyPrint on A4 with page numbers and a table of contents.

Fonts: Noto Sans CJK SC (Debian fonts-noto-cjk), subset and embedded by WeasyPrint.

The charts are started first, in a background process (:class:`ChartBatch`),
and named in the HTML by URL: WeasyPrint is imported and parses the HTML and
CSS meanwhile, and waits for a chart only when it builds that chart's box.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scicity.reports.charts import ChartBatch, report_specs
from scicity.reports.html import TEMPLATES, render_html


def render_pdf(model: Mapping[str, Any]) -> bytes:
    import logging

    with ChartBatch(report_specs(model)) as charts:
        from weasyprint import CSS, HTML

        logging.getLogger("fontTools").setLevel(logging.WARNING)
        html = render_html(model, for_pdf=True, charts=charts)
        css = CSS(filename=str(TEMPLATES / "pdf.css"))
        return HTML(string=html, base_url=str(TEMPLATES), url_fetcher=charts.fetcher()).write_pdf(stylesheets=[css])
