"""BM25 that grows: documents are added one at a time, nothing is rebuilt.

The index keeps, per term, the ids and counts of the documents holding it
(appended on add) and per document its length. IDF and the average length
are read at query time, so the score of every document is exactly BM25
(Lucene's variant, as ``bm25s`` computes it) over the documents added so far
— a test compares the two. Postings are numpy arrays, grown by doubling.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


class _Postings:
    __slots__ = ("docs", "tfs", "n")

    def __init__(self) -> None:
        self.docs = np.empty(4, dtype=np.int32)
        self.tfs = np.empty(4, dtype=np.float32)
        self.n = 0

    def append(self, doc: int, tf: int) -> None:
        if self.n == len(self.docs):
            self.docs = np.resize(self.docs, 2 * self.n)
            self.tfs = np.resize(self.tfs, 2 * self.n)
        self.docs[self.n], self.tfs[self.n] = doc, tf
        self.n += 1


class BM25Index:
    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, _Postings] = {}
        self.lengths = np.empty(16, dtype=np.float32)
        self.terms: list[Counter[str]] = []
        self.n = 0
        self.total_length = 0.0

    def add(self, doc_tokens: Sequence[str]) -> int:
        """Add one document; its id (0, 1, 2, …) is returned."""
        doc = self.n
        counts = Counter(doc_tokens)
        for term, tf in counts.items():
            self.postings.setdefault(term, _Postings()).append(doc, tf)
        if doc == len(self.lengths):
            self.lengths = np.resize(self.lengths, 2 * doc)
        self.lengths[doc] = len(doc_tokens)
        self.total_length += len(doc_tokens)
        self.terms.append(counts)
        self.n += 1
        return doc

    def idf(self, term: str) -> float:
        p = self.postings.get(term)
        df = p.n if p is not None else 0
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 of every document for the query (zeros where no term is shared)."""
        out = np.zeros(self.n, dtype=np.float32)
        if not self.n:
            return out
        avg = self.total_length / self.n or 1.0
        lengths = self.lengths[: self.n]
        for term, qtf in Counter(query_tokens).items():
            p = self.postings.get(term)
            if p is None:
                continue
            docs, tfs = p.docs[: p.n], p.tfs[: p.n]
            norm = self.k1 * (1 - self.b + self.b * lengths[docs] / avg)
            out[docs] += qtf * self.idf(term) * tfs / (tfs + norm)
        return out

    def shared(self, query_tokens: Sequence[str], doc: int, limit: int = 8) -> list[tuple[str, float]]:
        """The query terms the document holds, by their weight (IDF), most telling first."""
        held = self.terms[doc]
        found = {t: self.idf(t) for t in set(query_tokens) if t in held}
        return sorted(found.items(), key=lambda kv: -kv[1])[:limit]
