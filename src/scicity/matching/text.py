"""Text for matching: one normal form and tokens, for Chinese, English and the two mixed.

Normal form: traditional characters folded to simplified (OpenCC's table),
full-width letters, digits and punctuation to ASCII (NFKC), lower case.
Tokens: jieba's search-mode segmentation (words and their parts, so that
"锂离子电池" also gives "离子" and "电池"), English words lightly stemmed,
stop words and punctuation dropped. Stored text is never changed: this is
for comparing only.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]|[\u3400-\u9fff]+")
STOP_EN = frozenset("""a an and are as at be by for from has have in into is it its of on or our that the their this to
was we were will with which who can using based use used via than more most such these those new need needs want
system systems method methods technology technologies synthetic""".split())
STOP_ZH = frozenset("""的 了 和 与 及 其 在 对 为 是 等 一种 一个 我们 需要 希望 实现 进行 通过 用于 以及 或者 可以 提供 相关 基于
技术 方法 系统 研究 问题 公司 企业 目前 现有 解决 提高 提升 开发 应用 及其 方面 能够 要求 主要 具有 装置 示例""".split())


def _converter() -> dict[int, str]:
    """OpenCC's traditional → simplified character table, as a ``str.translate`` map.

    Character by character (OpenCC's ``TSCharacters``, first choice), not
    phrase by phrase: for matching that is enough, and it is a hundred times
    faster than ``OpenCC("t2s").convert`` on long abstracts.
    """
    with _LOCK:
        if "cc" not in _STATE:
            import opencc

            path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
            table: dict[int, str] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                source, _, targets = line.partition("\t")
                if len(source) == 1 and targets:
                    table[ord(source)] = targets.split()[0]
            _STATE["cc"] = table
    return _STATE["cc"]


def _jieba() -> Any:
    with _LOCK:
        if "jieba" not in _STATE:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _STATE["jieba"] = jieba
    return _STATE["jieba"]


def normalise(text: str) -> str:
    """Simplified characters, ASCII punctuation and letters, lower case, single spaces."""
    folded = unicodedata.normalize("NFKC", text or "")
    if any("\u3400" <= ch <= "\u9fff" for ch in folded):
        folded = folded.translate(_converter())
    return " ".join(folded.lower().split())


def _stem(word: str) -> str:
    """A light English stemmer: plurals, then -ing and -ed (enough to match "coatings" with "coating")."""
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=50_000)
def _word_tokens(chunk: str) -> tuple[str, ...]:
    if chunk[0] >= "\u3400":
        return tuple(t for t in _jieba().lcut_for_search(chunk) if t not in STOP_ZH and (len(t) > 1 or t >= "\u3400"))
    return (_stem(chunk),) if chunk not in STOP_EN else ()


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (normalised first), in order, repeats kept (BM25 counts them)."""
    out: list[str] = []
    for chunk in _WORD.findall(normalise(text)):
        out.extend(_word_tokens(chunk))
    return [t for t in out if not (len(t) == 1 and t >= "\u3400")]
