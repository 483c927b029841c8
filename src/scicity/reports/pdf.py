"""The report as PDF: the HTML laid out by WeasyPrint on A4 with page numbers and a table of contents.

Fonts: Noto Sans CJK SC (Debian fonts-noto-cjk), regular and bold, subset and embedded by WeasyPrint.
WeasyPrint is set up once per process (:mod:`scicity.reports.pdf_engine`).

The charts are started first, in a background process (:class:`ChartBatch`),
and named in the HTML by URL: WeasyPrint is imported and parses the HTML and
CSS meanwhile, and waits for a chart only when it builds that chart's box.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scicity.reports.charts import ChartBatch, report_specs
from scicity.reports.html import render_html
from scicity.reports.pdf_engine import engine, write_pdf


def render_pdf(model: Mapping[str, Any]) -> bytes:
    with ChartBatch(report_specs(model)) as charts:
        engine()  # WeasyPrint, its stylesheets and fonts (once per process) while the charts are drawn
        html = render_html(model, for_pdf=True, charts=charts)
        return write_pdf(html, url_fetcher=charts.fetcher())
