"""What the wide XLSX template looks like; shared by its writer and its reader.

A template is recognised by a very hidden sheet ``_scicity`` whose first
cell is :data:`MARKER`; it records the format version, the plan id, the
geographic unit the template is for and the names of the data sheets. Each
data sheet has a header row::

    id | <name, template language> | <name, other language> | Unit of measure / 计量单位 | 2020 | … | 2025 | Source / 来源

and one row per reported id. Rows are matched by the id in column A, so rows
may be reordered; year columns by their header.
"""

from __future__ import annotations

import re

MARKER = "scicity-template"
VERSION = 1
META_SHEET = "_scicity"
ID_HEADER = "id"
NAME_HEADERS = {"en": "Name (English)", "zh": "名称（中文）"}
MEASURE_HEADER = "Unit of measure / 计量单位"
SOURCE_HEADER = "Source / 来源"
#: Headers of descriptive columns that the reader skips (compared lower-cased, trimmed).
DESCRIPTIVE = {h.lower() for h in (*NAME_HEADERS.values(), MEASURE_HEADER)}
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
    """At most ``limit`` characters, cut between words where the text has spaces (Chinese: between characters)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if " " in head and not text[limit].isspace():
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;-–—:")


def other_lang(lang: str) -> str:
    return "en" if lang.startswith("zh") else "zh"


def base_lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


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
     "请勿重命名工作表、修改A列（id）或删除隐藏工作表。如需其他年份，请重新生成包含这些年份的模板。"),
    ("The whole file is checked on import; if anything is wrong nothing is imported and every problem is "
     "listed with its sheet, row and column.",
     "导入时检查整个文件；如有错误则全部不导入，并逐条列出工作表、行和列。"),
]
