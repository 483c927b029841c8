"""A real table of contents for the Word report: a TOC field that Word and WPS update, already filled in.

Word writes a table of contents as a complex ``TOC`` field whose result is one
paragraph per heading (styles "toc 1", "toc 2") linking to a bookmark on the
heading. This module writes that field after the document is built:

- each "Heading 1/2" paragraph gets a bookmark ``_Toc…``;
- the field's result lists the headings as links, so the contents read well
  where fields are not updated (LibreOffice shows them as they are: Tools ▸
  Update ▸ Indexes adds the page numbers). Page numbers cannot be known
  before an office suite lays the pages out, so the result has none;
- ``w:updateFields`` in the settings and a dirty field make Word (and WPS)
  offer to update the fields when the file is opened: the contents then get
  their page numbers (dotted leaders from the "toc" styles), also after the
  office has added its own text.
"""

from __future__ import annotations

from typing import Any

LEVELS = 2
TEXT_WIDTH_MM = 170  # A4 less the 20 mm margins


def toc_styles(doc: Any) -> None:
    """The paragraph styles Word uses for the contents ('TOC Heading', 'toc 1', 'toc 2'), with dotted leaders."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Mm, Pt

    names = {s.name for s in doc.styles}
    if "TOC Heading" not in names:
        head = doc.styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        head.base_style = doc.styles["Heading 1"]
        head.next_paragraph_style = doc.styles["Normal"]
    for level in range(1, LEVELS + 1):
        name = f"toc {level}"
        if name in names:
            continue
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        fmt = style.paragraph_format
        fmt.left_indent = Mm(6 * (level - 1))
        # single-spaced (the document default is 1.15 and 10 pt after): the seed plan's 37 entries then fit on one
        # page in LibreOffice instead of leaving two on a page of their own
        fmt.space_before = Pt(3 if level == 1 else 0)
        fmt.space_after = Pt(1)
        fmt.line_spacing = 1.0
        fmt.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if level == 1:
            style.font.bold = True


def fill_toc(doc: Any, placeholder: Any) -> int:
    """Replace ``placeholder`` (an empty paragraph) by the TOC field listing the headings; returns how many entries."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    entries = []
    for paragraph in doc.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name.startswith("Heading ") and name[8:].isdigit() and int(name[8:]) <= LEVELS and paragraph.text.strip():
            bookmark = f"_Toc{len(entries) + 1:08d}"
            _bookmark(paragraph, bookmark, len(entries) + 1)
            entries.append((int(name[8:]), paragraph.text, bookmark))
    body = placeholder._p
    paragraphs = []
    for i, (level, text, bookmark) in enumerate(entries):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), doc.styles[f"toc {level}"].style_id)
        ppr.append(style)
        p.append(ppr)
        if i == 0:
            _field_start(p, f' TOC \\o "1-{LEVELS}" \\h \\z \\u ')
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_run(text))  # no page number until the office suite updates the field: it cannot be known here
        p.append(link)
        paragraphs.append(p)
    if not paragraphs:
        return 0
    _field_end(paragraphs[-1])
    for p in paragraphs:
        body.addprevious(p)
    body.getparent().remove(body)
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")
    return len(entries)


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _run(text: str | None = None) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    if text is not None:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
    return r


def _char(kind: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        fld.set(qn("w:dirty"), "true")  # computed again when the document is opened
    r.append(fld)
    return r


def _instr(code: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    r.append(instr)
    return r


def _field_start(parent: Any, code: str) -> None:
    parent.append(_char("begin"))
    parent.append(_instr(code))
    parent.append(_char("separate"))


def _field_end(parent: Any) -> None:
    parent.append(_char("end"))
