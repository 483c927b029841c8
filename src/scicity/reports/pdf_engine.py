"""WeasyPrint, set up once per process for the report PDF.

What a render would otherwise pay each time (measured with cProfile on the seed plan's final report):

- importing WeasyPrint looks up its seven C libraries (GObject, Pango, HarfBuzz …) by names such as
  ``libpango-1.0-0``; cffi hands every name without a ``.so`` to ``ctypes.util.find_library``, which runs
  ``ldconfig``, ``gcc`` and ``ld`` in subprocesses (22 calls, 0.27 s CPU). While WeasyPrint is imported here that
  lookup answers "not found" at once, so WeasyPrint goes on to the names it opens directly
  (``libpango-1.0.so.0``); should that fail on some system the import is retried with the real lookup;
- fontTools' subsetter and variable-font instancer, which WeasyPrint imports at start and uses only without
  HarfBuzz's subsetter or for variable fonts, are imported when first used.
  Importing WeasyPrint took 0.93 s CPU (its subprocesses included), 0.72 s through here (three runs each);
- the report's stylesheet (``pdf.css`` with ``report.css``) is parsed once and kept, and so is the font
  configuration (a PDF at a time per process, :func:`write_pdf`);
- the user-agent stylesheet is a short one holding only the HTML rules the report's template uses
  (``templates/ua.css``) instead of WeasyPrint's full HTML5 sheet (forms, ruby, media …): every element
  of the document is matched against fewer rules in the cascade;
- Python's cyclic garbage collector runs less often while a PDF is written (:func:`fewer_collections`):
  WeasyPrint allocates millions of small objects, and every 700 allocations start a collection — 269 of them,
  0.38 s CPU, for the seed plan's final report (measured with ``gc.callbacks``); 5 of them, 0.07 s, with
  the objects alive before the PDF frozen out of the collector's view and a threshold of 50,000.
"""

from __future__ import annotations

import ctypes.util
import gc
import importlib
import importlib.machinery
import importlib.util
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: held while WeasyPrint is set up and while a PDF is written (see :func:`write_pdf`)
_LOCK = threading.RLock()


def _not_found(name: str) -> None:
    return None


@lru_cache(maxsize=1)
def weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported without ``find_library`` subprocesses where the libraries open by soname."""
    with _LOCK:  # one thread patches the lookup (two at once could leave the patch in place for good)
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        _deferred("fontTools.subset")
        _deferred("fontTools.varLib.instancer", "instantiateVariableFont")
        real = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        try:
            import weasyprint as module
        except OSError:  # a system where the libraries need the search: forget the half-made import, do it again
            for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
                del sys.modules[name]
            ctypes.util.find_library = real
            import weasyprint as module
        finally:
            ctypes.util.find_library = real
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        return module


def _deferred(name: str, *functions: str) -> None:
    """``name`` imported only when it is first used: in its place in ``sys.modules`` a module that loads the real one
    on the first attribute read or call of one of ``functions`` (which ``from name import function`` binds at once).

    WeasyPrint imports fontTools' subsetter and variable-font instancer at start (with lxml and fontTools' layout
    builders) but calls them only for fonts HarfBuzz cannot subset and for variable fonts; the report's
    Noto Sans CJK is subset by HarfBuzz and is no variable font.

    A parent package not imported yet is deferred the same way (``fontTools.varLib``, whose ``__init__`` imports
    the OpenType table builders and feature compiler: 0.11 s CPU), and nothing is imported to find ``name``
    (``importlib.util.find_spec`` of a submodule imports its parents): the file is looked up on the parent's path.
    """
    parent, _, child = name.rpartition(".")
    if name in sys.modules:
        return
    if "." not in parent:
        importlib.import_module(parent)  # a top-level package (``fontTools``: its ``__init__`` is a few lines)
    if parent in sys.modules:
        holder = sys.modules[parent]
        spec = importlib.machinery.PathFinder.find_spec(name, getattr(holder, "__path__", None))
    else:
        parent_spec = importlib.util.find_spec(parent)  # imports the grandparent (``fontTools``), not the parent
        locations = parent_spec.submodule_search_locations if parent_spec is not None else None
        spec = importlib.machinery.PathFinder.find_spec(name, locations) if locations else None
        if spec is not None:
            holder = _lazy_module(parent, (), package=True)
    if spec is None:
        return
    setattr(holder, child, _lazy_module(name, functions))


def _lazy_module(name: str, functions: tuple[str, ...], *, package: bool = False) -> ModuleType:
    """A module put in ``sys.modules`` under ``name`` that imports the real one when first used (see :func:`_deferred`).

    A deferred parent (``package``) answers every attribute from the real package, ``__path__`` too: ``from
    fontTools.varLib import multiVarStore`` (the subsetter's) then finds the submodule."""
    stub = ModuleType(name)

    def real() -> ModuleType:
        for dotted in _self_and_parents(name):  # a deferred parent first: the real child needs the real parent's path
            if getattr(sys.modules.get(dotted), "__scicity_deferred__", False):
                del sys.modules[dotted]
        return importlib.import_module(name)

    def later(function: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), function)(*args, **kwargs)

        call.__name__ = function
        return call

    def attribute(attr: str) -> Any:
        if not package and attr.startswith("__") and attr.endswith("__"):
            # the import system asks ``from name import f`` for ``__path__`` (is it a package?): answering by importing
            # made the deferral of ``fontTools.varLib.instancer`` import it at once
            raise AttributeError(attr)
        return getattr(real(), attr)

    stub.__dict__["__scicity_deferred__"] = True
    stub.__dict__["__getattr__"] = attribute
    for function in functions:
        stub.__dict__[function] = later(function)
    sys.modules[name] = stub
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, stub)
    return stub


def _self_and_parents(name: str) -> list[str]:
    """``a.b.c`` → ``a.b``, ``a.b.c`` (the package chain below the top level, outermost first)."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts) + 1)]


@lru_cache(maxsize=1)
def engine() -> tuple[Any, Any, Any, type]:
    """(the report stylesheet, the user-agent stylesheet, the font configuration, the HTML class), made once."""
    with _LOCK:
        wp = weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        sheet = wp.CSS(filename=str(TEMPLATES / "pdf.css"), font_config=fonts)
        ua = wp.CSS(filename=str(TEMPLATES / "ua.css"))

        class ReportHTML(wp.HTML):  # type: ignore[misc, name-defined]
            def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
                return [ua]

        return sheet, ua, fonts, ReportHTML


def write_pdf(html: str, url_fetcher: Any = None) -> bytes:
    """The HTML (the report template's, with its ``report.css``) laid out on A4 and written as PDF.

    One PDF at a time per process: the kept font configuration (Pango's font map) is not made for two threads at
    once, and the web app renders in worker threads; WeasyPrint holds the GIL nearly all the time anyway."""
    sheet, _ua, fonts, report_html = engine()
    with _LOCK, fewer_collections():
        document = report_html(string=html, base_url=str(TEMPLATES), url_fetcher=url_fetcher)
        return document.write_pdf(stylesheets=[sheet], font_config=fonts)


#: allocations between two young-generation collections while a PDF is written (Python's default: 700)
GC_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Inside the block the collector ignores the objects alive before it (``gc.freeze``) and starts a collection
    every :data:`GC_THRESHOLD` allocations; both as before afterwards. Objects are still freed by their reference
    counts at once; only cycles wait for the next, rarer collection."""
    old = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0  # a process that froze objects itself (a pre-forking server) keeps them so
    if freeze:
        gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if freeze:
            gc.unfreeze()
