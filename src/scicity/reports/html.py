"""The report as HTML (Jinja2, print CSS); the PDF is this HTML laid out by WeasyPrint."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from scicity.i18n import fmt_number
from scicity.reports.charts import ChartBatch, chart_svg, prerender, report_spec, spec_svg
from scicity.service.report_text import generated_text, gettext_for

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_CLASS = {
    "ahead": "good", "faster": "good", "completed": "good", "in_line": "fair",
    "lagging": "bad", "not_completed": "bad", "no_data": "none",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env


def paragraphs(text: str | None) -> list[str]:
    """Office text split into paragraphs at blank lines (or single line breaks); escaped by the template."""
    if not text:
        return []
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n")]
    return [b for b in blocks if b]


def context(model: Mapping[str, Any], *, for_pdf: bool = False, css_href: str | None = None,
            charts: ChartBatch | None = None) -> dict[str, Any]:
    """What the template draws from; with ``charts`` (the PDF) the charts are images named by URL, rendered
    meanwhile by the batch, otherwise inline SVG rendered now."""
    lang = model["lang"]
    _ = gettext_for(lang)

    def num(value: float | None, decimals: int = 1) -> str:
        return fmt_number(value, decimals, lang)

    def pct(value: float | None, decimals: int = 1) -> str:
        return "—" if value is None else f"{fmt_number(value * 100, decimals, lang)}%"

    def svg(row: Mapping[str, Any]) -> Markup:
        if charts is not None:  # an image: WeasyPrint parses it with ElementTree, not its HTML5 parser and cascade
            return Markup('<img src="{}" alt="{}">').format(charts.url(report_spec(row, lang)), row["name"] or row["indicator"])
        text = chart_svg(row, lang)
        return Markup(text[text.index("<svg"):])  # the SVG element, inline

    def map_svg(spec: Mapping[str, Any]) -> Markup:
        if charts is not None:
            return Markup('<img src="{}" alt="">').format(charts.url(spec))
        text = spec_svg(spec)
        return Markup(text[text.index("<svg"):])

    if charts is None:
        prerender([s for s in model["status"] if s["points"]], lang, specs=[model["map"]] if model.get("map") else [])
    return {
        "m": model,
        "_": _,
        "num": num,
        "pct": pct,
        "svg": svg,
        "map_svg": map_svg,
        "status_of": lambda t: model["status"][t["no"] - 1],
        "label_class": LABEL_CLASS,
        "paragraphs": paragraphs,
        "generated": generated_text(model["generated_at"], lang),
        "for_pdf": for_pdf,
        "css_href": css_href,
        "lang": lang,
    }


def render_html(model: Mapping[str, Any], *, for_pdf: bool = False, css_href: str | None = None,
                charts: ChartBatch | None = None) -> str:
    """The report as one HTML document (its CSS inline, or linked from ``css_href`` where a CSP forbids inline styles)."""
    page = context(model, for_pdf=for_pdf, css_href=css_href, charts=charts)
    return environment().get_template("report.html").render(**page)


def render_html_bytes(model: Mapping[str, Any]) -> bytes:
    return render_html(model).encode("utf-8")
