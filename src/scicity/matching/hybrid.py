"""The hybrid matcher: BM25 + embeddings + structured signals, each score explained.

For a query the score of a document is::

    score = w_bm25 · bm25 / max bm25  +  w_dense · (cos − median cos) / (max cos − median cos)
            + w_struct · bonus − w_penalty · penalty

where the maxima and the median (never above 0.80) are taken over the documents of this index
for this query (so a score says how this document stands among the others,
not an absolute similarity: the model's cosines sit in 0.75–0.9), each part
clipped to 0–1. Without an embedder the dense part is left out and its
weight goes to BM25. Documents are added one at a time (:meth:`HybridIndex.add`);
nothing is rebuilt. Retired documents (a closed need) stay in the index,
masked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scicity.matching.bm25 import BM25Index
from scicity.matching.embedder import DenseIndex, Embedder
from scicity.matching.signals import Profile, Signal, compare
from scicity.matching.text import tokens

CANDIDATES = 100
DENSE_FLOOR = 0.80  # e5-small's cosine of unrelated texts sits around 0.75–0.8
DENSE_SPAN = 0.08
MEDIAN_SAMPLE = 10_000


@dataclass(frozen=True)
class Weights:
    # chosen by matching.evaluation.tune on the tuning half of bench/exchange_eval.yaml only;
    # docs/exchange.md gives the held-out figures (a test checks that tuning still picks these)
    bm25: float = 0.05
    dense: float = 0.35
    structured: float = 0.50
    penalty: float = 0.15


@dataclass(frozen=True)
class Doc:
    """One thing to be found: its id, kind, the text to compare, what to show, and its profile."""

    id: str
    kind: str
    text: str
    title: str
    profile: Profile = field(default_factory=Profile)
    org: str | None = None


@dataclass(frozen=True)
class Match:
    id: str
    kind: str
    title: str
    org: str | None
    score: float
    bm25: float  # the raw BM25 score
    cosine: float | None  # the raw cosine, when embeddings are used
    parts: dict[str, float]  # weighted contribution of each part to the score
    shared_terms: tuple[str, ...]
    matched: tuple[Signal, ...]
    unmet: tuple[Signal, ...]

    def explain(self) -> str:
        """The explanation in English (the outer layers word it in the reader's language)."""
        bits = [f"score {self.score:.3f} = " + " + ".join(f"{k} {v:.3f}" for k, v in self.parts.items())]
        if self.shared_terms:
            bits.append("shared terms: " + ", ".join(self.shared_terms))
        if self.cosine is not None:
            bits.append(f"semantic similarity {self.cosine:.3f}")
        bits += [s.english() for s in self.matched]
        bits += ["unmet: " + s.english() for s in self.unmet]
        return "; ".join(bits)


class HybridIndex:
    """Documents of one kind (achievements, experts, facilities, needs, enterprises)."""

    def __init__(self, embedder: Embedder | None = None, weights: Weights | None = None,
                 use_bm25: bool = True) -> None:
        self.embedder = embedder
        self.weights = weights or Weights()
        self.use_bm25 = use_bm25
        self.bm25 = BM25Index()
        self.dense = DenseIndex(embedder.dim) if embedder is not None else None
        self.docs: list[Doc] = []
        self.position: dict[str, int] = {}
        self.active = np.ones(16, dtype=bool)
        self.retired = 0

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, docs: Sequence[Doc], vectors: np.ndarray | None = None) -> int:
        """Add documents (embedding them unless ``vectors`` are given); a known id is replaced, an unchanged one kept.

        Returns how many were added or replaced.
        """
        fresh, keep = [], []
        for j, doc in enumerate(docs):
            at = self.position.get(doc.id)
            if at is not None:
                if self.docs[at] == doc:
                    continue
                self.retire(doc.id)
            fresh.append(doc)
            keep.append(j)
        if not fresh:
            return 0
        if vectors is not None and len(keep) != len(docs):
            vectors = np.atleast_2d(vectors)[keep]
        if self.dense is not None:
            if vectors is None:
                assert self.embedder is not None
                vectors = self.embedder.passages([d.text for d in fresh])
            self.dense.add(vectors)
        for doc in fresh:
            self.position[doc.id] = self.bm25.add(tokens(doc.text))
            self.docs.append(doc)
        if len(self.docs) > len(self.active):
            grown = np.ones(max(2 * len(self.active), len(self.docs)), dtype=bool)
            grown[: len(self.active)] = self.active
            self.active = grown
        return len(fresh)

    def retire(self, doc_id: str) -> bool:
        """Leave a document out of results (its slot stays; adding it again gives it a new one). True if it was in."""
        at = self.position.pop(doc_id, None)
        if at is None:
            return False
        self.active[at] = False
        self.retired += 1
        return True

    def search(self, text: str, profile: Profile | None = None, k: int = 10,
               query_vector: np.ndarray | None = None, exclude: set[str] | None = None) -> list[Match]:
        n = len(self.docs)
        if n == 0:
            return []
        profile = profile or Profile()
        w = self.weights
        q_tokens = tokens(text)
        raw_bm25 = self.bm25.scores(q_tokens) if self.use_bm25 else np.zeros(n, dtype=np.float32)
        top = float(raw_bm25.max()) if n else 0.0
        bm25 = raw_bm25 / top if top > 0 else raw_bm25
        w_bm25, w_dense = (w.bm25, w.dense) if self.use_bm25 else (0.0, w.bm25 + w.dense)
        cos = None
        dense = np.zeros(n, dtype=np.float32)
        if self.dense is not None and w_dense > 0:
            q = query_vector if query_vector is not None else self.embedder.query(text)  # type: ignore[union-attr]
            cos = self.dense.cosines(q)
            # few documents make a poor median: the floor is never above a typical unrelated cosine;
            # over many, the median of an even sample of MEDIAN_SAMPLE cosines stands for it (no full sort)
            step = max(1, n // MEDIAN_SAMPLE)
            floor = min(float(np.median(cos[::step])), DENSE_FLOOR)
            peak = max(float(cos.max()), floor + DENSE_SPAN)
            dense = np.clip((cos - floor) / (peak - floor), 0, 1) if peak > floor else np.zeros_like(cos)
        elif self.use_bm25:
            w_bm25 += w_dense
            w_dense = 0.0
        rough = w_bm25 * bm25 + w_dense * dense if w_dense > 0 else w_bm25 * bm25
        if self.retired:
            rough[~self.active[:n]] = -np.inf
        m = min(n, max(CANDIDATES, 3 * k))
        candidates = np.argpartition(-rough, m - 1)[:m] if m < n else np.arange(n)
        scored = []
        for i in candidates:
            if not np.isfinite(rough[i]):
                continue
            doc = self.docs[i]
            if exclude and doc.id in exclude:
                continue
            bonus, penalty, matched, unmet = compare(profile, doc.profile)
            parts = {"bm25": w_bm25 * float(bm25[i]), "dense": w_dense * float(dense[i]),
                     "structured": w.structured * bonus, "penalty": -w.penalty * penalty}
            score = sum(parts.values())
            if score <= 0 and not matched:
                continue
            scored.append((score, doc.id, int(i), parts, matched, unmet))
        scored.sort(key=lambda r: (-r[0], r[1]))
        results = []
        for score, _id, i, parts, matched, unmet in scored[:k]:  # explanations for the shown ones only
            doc = self.docs[i]
            shared = tuple(t for t, _ in self.bm25.shared(q_tokens, i))
            results.append(Match(doc.id, doc.kind, doc.title, doc.org, score, float(raw_bm25[i]),
                                 None if cos is None else float(cos[i]), parts, shared, tuple(matched), tuple(unmet)))
        return results
