"""What the wide XLSX template looks like; shared by its writer and its reader.

A template is recognised by a very hidden sheet ``_scicity`` whose first
cell is :data:`MARKER`; it records the format version, the plan id, the
geographic unit the template is for and the names of the data sheets. Each
data sheet has a header row::

    id | Name (English) | Name (Chinese) | Unit of measure | 2020 | … | 2025 | Source       (English template)
    编号 | 名称（中文）   | 英文名称       | 计量单位        | 2020 | … | 2025 | 来源         (Chinese template)

and one row per reported id. Rows are matched by the id in column A, so rows
may be reordered; year columns by their header. The reader takes the headers
of either language, and those of the bilingual templates made before (``Unit
of measure / 计量单位``, ``Source / 来源``).
"""

from __future__ import annotations

import re

MARKER = "scicity-template"
VERSION = 1
META_SHEET = "_scicity"
ID_HEADER = "id"
SOURCE_HEADER = "Source"
#: the headers of a template in its language: id, name (template language), name (other language), measure, source
HEADERS = {
    "en": {"id": "id", "name": "Name (English)", "other_name": "Name (Chinese)", "measure": "Unit of measure",
           "source": "Source"},
    "zh": {"id": "编号", "name": "名称（中文）", "other_name": "英文名称", "measure": "计量单位", "source": "来源"},
}
#: the bilingual headers of templates made before (still read)
_OLD = {"name": ("Name (English)", "名称（中文）"), "measure": ("Unit of measure / 计量单位",), "source": ("Source / 来源",)}
ID_HEADERS = {h["id"].lower() for h in HEADERS.values()}
SOURCE_HEADERS = {h["source"].lower() for h in HEADERS.values()} | {h.lower() for h in _OLD["source"]}
#: Headers of descriptive columns that the reader skips (compared lower-cased, trimmed).
DESCRIPTIVE = {h[k].lower() for h in HEADERS.values() for k in ("name", "other_name", "measure")} | {
    h.lower() for k in ("name", "measure") for h in _OLD[k]}
#: Columns before the first year column: id, name, other name, unit of measure.
FIRST_YEAR_COLUMN = 5

README_TITLE = {"en": "README", "zh": "说明"}
SERIES_TITLE = {"en": "Series", "zh": "基础数据"}

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    clean = _BAD_SHEET_CHARS.sub(" ", name).strip().strip("'")
    base = _cut(clean, 31) or "Sheet"
    title, n = base, 2
    while title.lower() in taken or title == META_SHEET:
        suffix = f" ({n})"
        title, n = _cut(clean, 31 - len(suffix)) + suffix, n + 1
    taken.add(title.lower())
    return title


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words: at a space where the text has spaces, else (Chinese)
    between the words that jieba finds, so that no word is cut in two."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if " " in head and not text[limit].isspace():
        head = head.rsplit(" ", 1)[0]
    elif " " not in head and _CJK.search(head):
        head = _chinese_words_within(text, limit) or head
    return head.rstrip(" ,;-–—:、，；：")


_CJK = re.compile(r"[㐀-鿿]")


def _chinese_words_within(text: str, limit: int) -> str:
    """The longest run of whole words (jieba's segmentation) from the start of ``text`` within ``limit``."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    head = ""
    for word in jieba.cut(text, HMM=False):
        if len(head) + len(word) > limit:
            break
        head += word
    return head


def other_lang(lang: str) -> str:
    return "en" if lang.startswith("zh") else "zh"


def base_lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


#: The README's facts: (English, Chinese) labels
FACTS = {"plan": ("Plan", "规划"), "unit": ("Geographic unit", "地区"), "years": ("Years", "年份"),
         "sheets": ("Data sheets", "数据表")}
COMPUTED_NOTE = ("computed from {formula} — not entered here", "由系统根据 {formula} 计算，无需填写")
FORMAT_LINE = ("Format: {marker} v{version} — keep the hidden sheet '{sheet}'",
               "格式：{marker} v{version}，请保留隐藏工作表“{sheet}”")

README_LINES: list[tuple[str, str]] = [
    ("How to fill in this template", "填写说明"),
    ("Each row is one indicator or series; each year column holds its value for that year.",
     "每行是一个指标或基础数据，每个年份列填写该年份的数值。"),
    ("Type plain numbers in the unit of measure shown (no %, no thousands separators, no 万/亿).",
     "按所示计量单位填写纯数字（不要加%、千位分隔符或“万/亿”）。"),
    ("Leave a cell empty when there is no figure; empty cells are not imported.",
     "没有数据的单元格请留空，留空不会导入。"),
    ("Grey rows are computed by scicity from other rows; they cannot be filled in.",
     "灰色行由系统根据其他行自动计算，不能填写。"),
    ("The Source column may say where the row's figures come from (e.g. a statistical yearbook).",
     "“来源”列可填写该行数据的出处（如统计年鉴）。"),
    ("Do not rename sheets, change column A (id) or delete the hidden sheet. For other years, generate a new "
     "template with the years you need.",
     "请勿重命名工作表、修改A列（编号）或删除隐藏工作表。如需其他年份，请重新生成包含这些年份的模板。"),
    ("The whole file is checked on import; if anything is wrong nothing is imported and every problem is "
     "listed with its sheet, row and column.",
     "导入时检查整个文件；如有错误则全部不导入，并逐条列出工作表、行和列。"),
]
