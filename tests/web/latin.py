"""The Latin-script words a Chinese reader would meet on a page (outside a short list of proper terms).

Text inside ``<script>``, ``<style>``, ``<code>`` (formulas, ids), and any element
marked ``translate="no"`` (user names, credit codes, file names) or ``lang="en"``
(a quote in its source language, the language selector's "English") is not
counted: HTML's own way of saying "this is not to be translated".
"""

from __future__ import annotations

import re

from lxml import html

#: proper terms and symbols that stay Latin in Chinese text
ALLOWED = {
    "R&D", "RD", "GRP", "API", "IPC", "SDG", "Open", "CSV", "XLSX", "Excel", "Eurostat", "ESCAP", "OLS", "SSE", "CAGR",
    "sdg-build", "scicity", "JSON", "PDF", "ID", "S&T", "UTC", "HTTP", "URL", "GeoJSON", "Vega-Lite",
    "Brier",  # the Brier score, named after Glenn W. Brier (Brier 分数)
    # the symbols of the formulas in explanations
    "yc", "y0", "yT", "tc", "t0", "tT", "ga", "gr", "g_w", "yT_hat", "P", "R", "C", "b", "s", "sd", "sigma", "q", "tau",
    "df", "exp", "sqrt", "Y_", "p_meet", "t",
}
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
IDENT = re.compile(r"[a-z][a-z0-9_.\-]*")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_&\-']*")
SKIP = "//script|//style|//code|//*[@translate='no']|//*[@lang='en']"


def latin_words(page: str, typed: str = "") -> set[str]:
    """The Latin-script words of a page; ``typed`` (the path the reader asked for) may come back in an error."""
    doc = html.fromstring(page)
    for el in doc.xpath(SKIP):
        el.drop_tree()
    texts = list(doc.itertext())
    for attr in ("title", "placeholder", "aria-label", "alt"):
        # an id shown on hover (title="rd_expenditure") is the id secondary, as it should be
        texts += [str(v) for v in doc.xpath(f"//@{attr}") if not (attr == "title" and IDENT.fullmatch(str(v)))]
    texts += [str(v) for v in doc.xpath("//input[@type='submit' or @type='button']/@value")]
    return words_outside(texts, typed)


def words_outside(texts: list[str], typed: str = "") -> set[str]:
    """The Latin-script words of plain texts (a command's output) outside the allowed terms and what was ``typed``
    (a command's option, ``--reset``, is code as a page's ``<code>`` is)."""
    words = set()
    own = set(WORD.findall(typed))
    for text in texts:
        for w in WORD.findall(OPTION.sub(" ", text)):
            w = w.strip("-'")
            if w and w not in ALLOWED and w not in own and not re.fullmatch(r"[A-Za-z]\d*", w) and not re.fullmatch(r"Y_\d+", w):
                words.add(w)
    return words
