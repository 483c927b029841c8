"""WeasyPrint set up once for the report PDF (scicity.reports.pdf_engine)."""

from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys

from scicity.reports import pdf_engine
from scicity.reports.html import TEMPLATES

#: elements that are inline in CSS's initial values and need no user-agent rule
INLINE = {"a", "span", "code", "img", "svg"}


def test_every_element_of_the_template_has_its_user_agent_rule():
    template = (TEMPLATES / "report.html").read_text(encoding="utf-8")
    sheet = (TEMPLATES / "ua.css").read_text(encoding="utf-8")
    tags = set(re.findall(r"<([a-z][a-z0-9]*)\b", template)) - INLINE
    ruled = set(re.findall(r"(?<![-.#\w])([a-z][a-z0-9]*)(?=[\s,{:)])", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)))
    assert tags <= ruled, f"report.html uses {sorted(tags - ruled)} without a rule in ua.css"


def test_the_library_lookup_is_put_back_and_fonttools_loads_when_used():
    module = pdf_engine.weasyprint()
    assert module is sys.modules["weasyprint"]
    assert ctypes.util.find_library is not pdf_engine._not_found
    from fontTools import subset

    assert subset.Options  # the real subsetter, loaded on first use
    sheet, ua, fonts, report_html = pdf_engine.engine()
    assert pdf_engine.engine()[0] is sheet  # parsed once


def test_a_pdf_from_the_engine_has_its_page_and_the_cjk_font(tmp_path):
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(pdf_engine.write_pdf("<html><body><h1>标题</h1><p>正文</p></body></html>"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\b", info), info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts, fonts


def test_fewer_collections_while_a_pdf_is_written_and_as_before_afterwards():
    import gc

    import pytest

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with pdf_engine.fewer_collections():
        assert gc.get_threshold()[0] == pdf_engine.GC_THRESHOLD
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    with pytest.raises(ValueError), pdf_engine.fewer_collections():
        raise ValueError("a render that fails")
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_weasyprint_starts_without_the_variable_font_instancer_and_loads_it_when_called():
    """``from fontTools.varLib.instancer import f`` asked the stand-in for ``__path__``, which imported the real
    module (and fontTools.varLib with its feature compiler) at once; now they load on the first call."""
    code = (
        "import sys\n"
        "from scicity.reports.pdf_engine import weasyprint\n"
        "weasyprint()\n"
        "print(sorted(m for m in ('fontTools.feaLib', 'fontTools.otlLib.builder', 'fontTools.subset') if m in sys.modules"
        " and '__scicity_deferred__' not in vars(sys.modules[m])))\n"
        "from weasyprint.pdf import fonts\n"
        "print(fonts.instantiateVariableFont.__name__, 'fontTools.feaLib' in sys.modules)\n"
        "from fontTools.varLib.instancer import OverlapMode\n"
        "print(OverlapMode.__name__, '__scicity_deferred__' in vars(sys.modules['fontTools.varLib']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:3] == ["[]", "instantiateVariableFont False", "OverlapMode False"], out
