"""Judging the matcher on a labelled set: nDCG@10 and recall@10 for BM25 alone, embeddings alone, hybrid.

The set (``bench/exchange_eval.yaml``) lists achievements and needs; each
need grades some achievements 2 (solves it) or 1 (partly useful) and names
hard negatives (0) that share its words but not its meaning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scicity.matching.embedder import Embedder
from scicity.matching.hybrid import Doc, HybridIndex, Weights
from scicity.matching.signals import Profile

MODES = ("bm25", "embeddings", "hybrid")


@dataclass(frozen=True)
class Scores:
    mode: str
    ndcg10: float
    recall10: float
    queries: int


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def load_set(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _docs(data: dict[str, Any]) -> list[Doc]:
    return [Doc(a["id"], "achievement", a["text"], a["text"][:40],
                Profile(field=a.get("field"), ipc=tuple(a.get("ipc", ())), trl=a.get("trl"))) for a in data["achievements"]]


def evaluate(data: dict[str, Any], embedder: Embedder | None, modes: Sequence[str] = MODES,
             weights: Weights | None = None) -> list[Scores]:
    docs = _docs(data)
    vectors = embedder.passages([d.text for d in docs]) if embedder is not None else None
    queries = data["needs"]
    qvecs = [embedder.query(q["text"]) for q in queries] if embedder is not None else [None] * len(queries)
    out = []
    for mode in modes:
        if mode != "bm25" and embedder is None:
            continue
        index = HybridIndex(None if mode == "bm25" else embedder, weights=weights, use_bm25=mode != "embeddings")
        index.add(docs, None if mode == "bm25" else vectors)
        ndcg = recall = 0.0
        for q, qv in zip(queries, qvecs, strict=True):
            profile = Profile(field=q.get("field"), ipc=tuple(q.get("ipc", ())), min_trl=q.get("min_trl"))
            structured = profile if mode == "hybrid" else Profile()
            ranked = [m.id for m in index.search(q["text"], structured, k=10, query_vector=qv)]
            grades = {**{a: 0 for a in q.get("negatives", ())}, **q["relevant"]}
            ndcg += ndcg_at(ranked, grades)
            recall += recall_at(ranked, grades)
        out.append(Scores(mode, ndcg / len(queries), recall / len(queries), len(queries)))
    return out
