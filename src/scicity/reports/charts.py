"""Static SVG charts for reports, from the same Vega-Lite spec the web indicator page draws.

Rendered with vl-convert (no browser); the font is set in the spec to Noto
Sans CJK SC so Chinese labels are drawn. Rendering is the slow part of a
report (vl-convert measures every label with the CJK font), so:

- a chart is memoised by its spec in the process, and — once
  :func:`use_disk_cache` names a directory (the CLI and the web app use
  ``<data dir>/cache/charts``) — on disk, as ``<sha256 of the spec>.svg``.
  The spec holds the chart's data, so a new value is a new spec and a new
  file; nothing stale can be served;
- labels are never truncated (``labelLimit: 0``), which spares vl-convert a
  second measurement of every label and draws the same picture for these
  short labels;
- a batch of charts is measured with a subset of the CJK font holding only
  the characters their specs show (:mod:`scicity.reports.chart_font`, 40 %
  less time per chart), the SVG naming the installed font as before;
- the SVG is stripped of what only a browser uses (``class``, ``role``,
  ``aria-*``, ``pointer-events``, empty background paths), a third fewer
  bytes and nodes for WeasyPrint to parse and draw, pixel for pixel the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from cachetools import LRUCache

from scicity.reports.chart_font import characters, original_family, subset_font, with_family
from scicity.service.indicator_chart import chart_spec
from scicity.service.report_text import gettext_for, measure_text

_CACHE: LRUCache[str, str] = LRUCache(maxsize=2048)
WIDTH, HEIGHT = 460, 190
#: bumped when the SVG post-processing changes, so files cached on disk by an older version are not reused
SVG_VERSION = 3
_DISK: dict[str, Path | None] = {"dir": None}
#: font directories registered with vl-convert in this process (a subset is registered once)
_FONT_DIRS: set[str] = set()
#: worker processes for many charts (the machine's cores, at most this many), and from how many missing charts they start
WORKERS, POOL_FROM = 2, 40

_BROWSER_ONLY = re.compile(r' (?:class|role|aria-[a-z]+|pointer-events)="[^"]*"')
#: paths that draw nothing: empty ones, and the unfilled, unstroked backgrounds of Vega's groups (the root sets fill="none")
_INVISIBLE = re.compile(r'<path d="M0,0h0v0h0Z"/>|<path d="" display="none"/>|<path d="M0,0h[\d.]+v[\d.]+h-[\d.]+Z"(?: opacity="1")?/>')
_LINES = re.compile(r'(?:<line transform="translate\(([-\d.]+),([-\d.]+)\)" x2="([-\d.]+)" y2="([-\d.]+)"( [^>]*)/>)+')
_GROUP_TAG = re.compile(r"<g(?:\s[^>]*)?/?>|</g>")
_EMPTY_GROUP = re.compile(r"<g(?:\s[^>]*)?></g>")
_LINE = re.compile(r'<line transform="translate\(([-\d.]+),([-\d.]+)\)" x2="([-\d.]+)" y2="([-\d.]+)"( [^>]*)/>')


def use_disk_cache(directory: Path | None) -> None:
    """Keep rendered charts in ``directory`` (created when needed); ``None``: in memory only."""
    _DISK["dir"] = Path(directory) if directory is not None else None


def chart_labels(lang: str, name: str) -> dict[str, str]:
    _ = gettext_for(lang)
    return {
        "observed": _("observed"),
        "path": _("straight path"),
        "projection": _("projection"),
        "year": _("year"),
        "target": _("target"),
        "description": name,
    }


def report_spec(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The web page's spec for one row of the status JSON, sized for A4, white, labels never truncated."""
    spec = chart_spec(row, chart_labels(lang, row["name"] or row["indicator"]), width=WIDTH, height=HEIGHT,
                      measure=measure_text(row["measure"], lang))
    spec["background"] = "white"
    config = spec["config"]
    config["axis"] = {**config.get("axis", {}), "labelLimit": 0}
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0}
    return spec


def slim_svg(svg: str) -> str:
    """The SVG without what only a browser uses, and a run of grid or tick lines as one path: the drawing is unchanged.

    Also without Vega's groups that carry no attribute (their children take their place) and without
    ``opacity="1"``: a chart had 55 groups for 18 paths and 17 labels, and WeasyPrint draws every node.
    """
    svg = _INVISIBLE.sub("", _BROWSER_ONLY.sub("", svg)).replace(' opacity="1"', "")
    return _unwrap_bare_groups(_LINES.sub(_merge_lines, svg))


def _unwrap_bare_groups(svg: str) -> str:
    """``<g>…</g>`` (a group with no attributes) replaced by its children; a group left empty is dropped."""
    out: list[str] = []
    bare: list[bool] = []
    pos = 0
    for tag in _GROUP_TAG.finditer(svg):
        out.append(svg[pos:tag.start()])
        pos = tag.end()
        text = tag.group(0)
        if text == "</g>":
            if not bare.pop():
                out.append(text)
        elif text.endswith("/>"):
            if text != "<g/>":
                out.append(text)
        else:
            bare.append(text == "<g>")
            if text != "<g>":
                out.append(text)
    out.append(svg[pos:])
    return _EMPTY_GROUP.sub("", "".join(out)) if not bare else svg  # unbalanced (never from vl-convert): as it was


def _merge_lines(run: re.Match[str]) -> str:
    """Consecutive ``<line>`` elements of one style as one ``<path>`` of straight segments (pixel for pixel the same)."""
    lines = _LINE.findall(run.group(0))
    styles = {style for *_, style in lines}
    if len(lines) < 2 or len(styles) != 1:
        return run.group(0)
    d = "".join(f"M{x},{y}l{dx},{dy}" for x, y, dx, dy, _ in lines)
    return f'<path d="{d}"{styles.pop()}/>'


def _key(spec: Mapping[str, Any]) -> str:
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{SVG_VERSION}\n{text}".encode()).hexdigest()


def _from_disk(key: str) -> str | None:
    directory = _DISK["dir"]
    if directory is None:
        return None
    try:
        return (directory / f"{key}.svg").read_text(encoding="utf-8")
    except OSError:
        return None


def _to_disk(key: str, svg: str) -> None:
    directory = _DISK["dir"]
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(directory / f"{key}.svg")  # atomic: a reader never sees half a file
    except OSError:
        pass  # a read-only or full disk costs speed, not the report


def _font_cache() -> Path:
    """Where font subsets are kept: beside the chart cache, or in the temporary directory."""
    directory = _DISK["dir"]
    if directory is not None:
        return directory.parent / "chart-fonts"
    return Path(tempfile.gettempdir()) / f"scicity-chart-fonts-{os.getuid()}"


def chart_font(specs: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(family, directory) of a font subset holding every character of these specs; None: the full font."""
    made = subset_font(characters(specs), _font_cache())
    return None if made is None else (made[0], str(made[1]))


def _render(spec: Mapping[str, Any], font: tuple[str, str] | None = None) -> str:
    """One chart as SVG; with ``font`` (from :func:`chart_font`) measured with that subset, naming the installed font."""
    import vl_convert

    if font is None:
        return slim_svg(vl_convert.vegalite_to_svg(spec))
    family, directory = font
    if directory not in _FONT_DIRS:
        vl_convert.register_font_directory(directory)
        _FONT_DIRS.add(directory)
    return slim_svg(original_family(vl_convert.vegalite_to_svg(with_family(spec, family))))


def chart_svg(row: Mapping[str, Any], lang: str) -> str:
    """The chart of one row of the status JSON as an SVG document (text)."""
    return spec_svg(report_spec(row, lang))


def spec_svg(spec: Mapping[str, Any]) -> str:
    """Any Vega-Lite spec (a chart, the map of the spatial chapter) as an SVG document, cached by the spec."""
    spec = {**spec, "background": "white"}
    key = _key(spec)
    svg = _CACHE.get(key)
    if svg is None:
        svg = _from_disk(key)
        if svg is None:
            svg = _render(spec)
            _to_disk(key, svg)
        _CACHE[key] = svg
    return svg


def _not_cached(specs: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The specs (by key) neither in memory nor on disk; those found on disk are put in memory."""
    missing: dict[str, dict[str, Any]] = {}
    for key, spec in specs.items():
        if key in _CACHE:
            continue
        svg = _from_disk(key)
        if svg is not None:
            _CACHE[key] = svg
        else:
            missing[key] = spec
    return missing


def prerender(rows: Iterable[Mapping[str, Any]], lang: str, *, specs: Iterable[Mapping[str, Any]] = (),
              workers: int | None = None) -> int:
    """Render the charts of many rows (and any other ``specs``, e.g. the map) ahead of :func:`chart_svg` and
    :func:`spec_svg`: those not cached, with one font subset for all, in worker processes when there are many.

    vl-convert holds the GIL and runs one conversion at a time, so threads do
    not help; below :data:`POOL_FROM` missing charts, starting processes costs
    more than it saves. Returns how many charts were rendered.
    """
    wanted = [report_spec(row, lang) for row in rows] + [{**spec, "background": "white"} for spec in specs]
    missing = _not_cached({_key(spec): spec for spec in wanted})
    if not missing:
        return 0
    font = chart_font(missing.values())
    render = partial(_render, font=font)
    workers = workers if workers is not None else min(WORKERS, os.cpu_count() or 1)
    if len(missing) < POOL_FROM or workers < 2:
        rendered = map(render, missing.values())
        for key, svg in zip(missing, rendered, strict=True):
            _CACHE[key] = svg
            _to_disk(key, svg)
        return len(missing)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn, not fork: vl-convert's runtime threads do not survive a fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        chunk = max(1, len(missing) // (workers * 4))
        for key, svg in zip(missing, pool.map(render, missing.values(), chunksize=chunk), strict=True):
            _CACHE[key] = svg
            _to_disk(key, svg)
    return len(missing)


def _warm_here() -> bool:
    """Whether vl-convert has started in this process already."""
    import sys

    return "vl_convert" in sys.modules


class ChartBatch:
    """Charts rendered in a background process while the caller goes on (the PDF: WeasyPrint parses the HTML and
    builds its boxes meanwhile); :meth:`svg` waits for one chart. vl-convert holds the GIL, hence a process.

    One worker below :data:`POOL_FROM` missing charts, :data:`WORKERS` from there; below :data:`POOL_FROM`, in a
    process where vl-convert runs already, the charts are rendered here at once instead. Charts already cached
    are not rendered again; a worker that fails leaves its charts to be rendered in this process.
    """

    SCHEME = "scicity-chart:"

    def __init__(self, specs: Iterable[Mapping[str, Any]], *, workers: int | None = None) -> None:
        self._specs: dict[str, dict[str, Any]] = {}
        self._futures: dict[str, Any] = {}
        self._pool: Any = None
        for spec in specs:
            spec = {**spec, "background": "white"}
            self._specs[_key(spec)] = spec
        missing = _not_cached(self._specs)
        if not missing:
            return
        font = chart_font(missing.values())
        most = workers if workers is not None else min(WORKERS, os.cpu_count() or 1)
        count = 1 if len(missing) < POOL_FROM else max(1, most)
        if count == 1 and _warm_here():
            # vl-convert already runs in this process (the web app, a second format): a new process would pay
            # Python's and vl-convert's start-up (≈ 2 s CPU) for what is rendered here faster
            for key, spec in missing.items():
                svg = _render(spec, font)
                _CACHE[key] = svg
                _to_disk(key, svg)
            return
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        try:
            # spawn, not fork: vl-convert's runtime threads do not survive a fork
            self._pool = ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn"))
            render = partial(_render, font=font)
            for key, spec in missing.items():  # in document order: the first charts come first
                self._futures[key] = self._pool.submit(render, spec)
        except (OSError, RuntimeError):  # no processes here: chart_svg renders them when asked
            self.close()

    def url(self, spec: Mapping[str, Any]) -> str:
        """The URL the PDF's ``<img>`` names for this spec (resolved by :meth:`fetcher`)."""
        key = _key({**spec, "background": "white"})
        self._specs.setdefault(key, {**spec, "background": "white"})
        return f"{self.SCHEME}{key}"

    def svg(self, key: str) -> str:
        """The SVG of one chart, waiting for its worker when it is still being rendered."""
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        future = self._futures.pop(key, None)
        if future is not None:
            try:
                svg = future.result()
            except Exception:  # noqa: BLE001 - a broken worker costs time, not the chart
                svg = None
            if svg is not None:
                _CACHE[key] = svg
                _to_disk(key, svg)
                return svg
        return spec_svg(self._specs[key])

    def fetcher(self) -> Any:
        """A WeasyPrint URL fetcher answering :meth:`url`'s URLs, everything else as WeasyPrint would."""
        batch = self
        try:
            from weasyprint.urls import URLFetcher, URLFetcherResponse
        except ImportError:  # WeasyPrint before its URLFetcher class: a function returning a dict
            from weasyprint import default_url_fetcher

            def fetch(url: str) -> dict[str, Any]:
                if url.startswith(ChartBatch.SCHEME):
                    return {"string": batch.svg(url[len(ChartBatch.SCHEME):]).encode("utf-8"), "mime_type": "image/svg+xml"}
                return default_url_fetcher(url)

            return fetch

        class Fetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if url.startswith(ChartBatch.SCHEME):
                    body = batch.svg(url[len(ChartBatch.SCHEME):]).encode("utf-8")
                    return URLFetcherResponse(url, body, headers={"Content-Type": "image/svg+xml"})
                return super().fetch(url, headers)

        return Fetcher()

    def close(self) -> None:
        """Stop the workers (charts not asked for are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()

    def __enter__(self) -> ChartBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def report_specs(model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every chart spec of a report model, in document order: the indicators' charts, then the map."""
    lang = model["lang"]
    specs = [report_spec(row, lang) for row in model["status"] if row["points"]]
    return specs + ([model["map"]] if model.get("map") else [])


def chart_png(row: Mapping[str, Any], lang: str, scale: float = 2.0) -> bytes:
    """The same chart as PNG (for Word, which shows SVG only in recent versions)."""
    import vl_convert

    return vl_convert.svg_to_png(chart_svg(row, lang), scale=scale)


def spec_png(spec: Mapping[str, Any], scale: float = 2.0) -> bytes:
    """Any Vega-Lite spec as PNG (the map for Word)."""
    import vl_convert

    return vl_convert.svg_to_png(spec_svg(spec), scale=scale)
