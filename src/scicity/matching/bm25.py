"""BM25 that grows: documents are added one at a time, nothing is rebuilt.

The index keeps, per term, the ids and counts of the documents holding it
(appended on add, so each posting list is sorted by document id) and per
document its length. IDF and the average length are read at query time, so
the score of every document is exactly BM25 (Lucene's variant, as ``bm25s``
computes it) over the documents added so far — a test compares the two.
Postings are numpy arrays, grown by doubling.

Query time is numpy only: per query term one gather and one scatter-add
over its postings, with the per-document length norm ``k1·(1 − b + b·len/avg)``
computed once per index size (not per term). No per-document Python objects
are kept: which query terms a document holds is read from the sorted postings.
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

    def holds(self, doc: int) -> bool:
        at = int(np.searchsorted(self.docs[: self.n], doc))
        return at < self.n and int(self.docs[at]) == doc


class BM25Index:
    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, _Postings] = {}
        self.lengths = np.empty(16, dtype=np.float32)
        self.n = 0
        self.total_length = 0.0
        self._norm: np.ndarray | None = None  # k1·(1 − b + b·len/avg) for the first n documents

    def add(self, doc_tokens: Sequence[str]) -> int:
        """Add one document; its id (0, 1, 2, …) is returned."""
        doc = self.n
        postings = self.postings
        for term, tf in Counter(doc_tokens).items():
            p = postings.get(term)
            if p is None:
                p = postings[term] = _Postings()
            p.append(doc, tf)
        if doc == len(self.lengths):
            self.lengths = np.resize(self.lengths, 2 * doc)
        self.lengths[doc] = len(doc_tokens)
        self.total_length += len(doc_tokens)
        self.n += 1
        self._norm = None
        return doc

    def idf(self, term: str) -> float:
        p = self.postings.get(term)
        df = p.n if p is not None else 0
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def _norms(self) -> np.ndarray:
        if self._norm is None or len(self._norm) != self.n:
            avg = self.total_length / self.n or 1.0
            self._norm = (self.k1 * (1 - self.b + self.b * self.lengths[: self.n] / avg)).astype(np.float32)
        return self._norm

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 of every document for the query (zeros where no term is shared)."""
        out = np.zeros(self.n, dtype=np.float32)
        if not self.n:
            return out
        norm = self._norms()
        for term, qtf in Counter(query_tokens).items():
            p = self.postings.get(term)
            if p is None:
                continue
            docs, tfs = p.docs[: p.n], p.tfs[: p.n]
            # a term's postings name each document once, so the fancy-index add is exact
            out[docs] += np.float32(qtf * self.idf(term)) * tfs / (tfs + norm[docs])
        return out

    def shared(self, query_tokens: Sequence[str], doc: int, limit: int = 8) -> list[tuple[str, float]]:
        """The query terms the document holds, by their weight (IDF), most telling first."""
        found = {}
        for t in set(query_tokens):
            p = self.postings.get(t)
            if p is not None and p.holds(doc):
                found[t] = self.idf(t)
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
