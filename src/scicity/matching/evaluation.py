"""Judging the matcher on a labelled set: nDCG@10 and recall@10 for BM25 alone, embeddings alone, hybrid.

The set (``bench/exchange_eval.yaml``) lists achievements and needs; each
need grades some achievements 2 (solves it) or 1 (partly useful) and names
hard negatives (0) that share its words but not its meaning.

Held out: :func:`split` puts every second need (by id) aside; the fusion
weights are chosen by :func:`tune` on the other half only (a small grid,
best mean nDCG@10), and the figures that judge the matcher are those of the
held-out half. The achievements are the same for both halves (they are the
catalogue searched, not the thing tuned).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scicity.matching.embedder import Embedder
from scicity.matching.hybrid import Doc, HybridIndex, Weights
from scicity.matching.signals import Profile

MODES = ("bm25", "embeddings", "hybrid")
#: the weights tried by :func:`tune` (bm25, dense, structured, penalty)
GRID = {"bm25": (0.05, 0.15, 0.25, 0.35), "dense": (0.2, 0.35, 0.5), "structured": (0.3, 0.5, 0.7),
        "penalty": (0.15, 0.3)}


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


def split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(tuning, held out): the needs in id order, every second one held out; the achievements shared."""
    needs = sorted(data["needs"], key=lambda q: q["id"])
    return ({**data, "needs": needs[0::2]}, {**data, "needs": needs[1::2]})


def _profile(q: Mapping[str, Any]) -> Profile:
    return Profile(field=q.get("field"), ipc=tuple(q.get("ipc", ())), min_trl=q.get("min_trl"))


def _judge(index: HybridIndex, mode: str, queries: Sequence[Mapping[str, Any]], qvecs: Sequence[Any]) -> tuple[float, float]:
    ndcg = recall = 0.0
    for q, qv in zip(queries, qvecs, strict=True):
        structured = _profile(q) if mode == "hybrid" else Profile()
        ranked = [m.id for m in index.search(q["text"], structured, k=10, query_vector=qv)]
        grades = {**{a: 0 for a in q.get("negatives", ())}, **q["relevant"]}
        ndcg += ndcg_at(ranked, grades)
        recall += recall_at(ranked, grades)
    return ndcg / len(queries), recall / len(queries)


def _index(data: dict[str, Any], embedder: Embedder | None, mode: str, weights: Weights | None) -> HybridIndex:
    docs = _docs(data)
    index = HybridIndex(None if mode == "bm25" else embedder, weights=weights, use_bm25=mode != "embeddings")
    index.add(docs, None if mode == "bm25" or embedder is None else embedder.passages([d.text for d in docs]))
    return index


def _vectors(data: dict[str, Any], embedder: Embedder | None) -> list[Any]:
    return [embedder.query(q["text"]) if embedder is not None else None for q in data["needs"]]


def evaluate(data: dict[str, Any], embedder: Embedder | None, modes: Sequence[str] = MODES,
             weights: Weights | None = None) -> list[Scores]:
    """nDCG@10 and recall@10 of each mode over the needs of ``data``."""
    queries = data["needs"]
    qvecs = _vectors(data, embedder)
    out = []
    for mode in modes:
        if mode != "bm25" and embedder is None:
            continue
        ndcg, recall = _judge(_index(data, embedder, mode, weights), mode, queries, qvecs)
        out.append(Scores(mode, ndcg, recall, len(queries)))
    return out


def candidates(grid: Mapping[str, Iterable[float]] = GRID) -> list[Weights]:
    keys = ("bm25", "dense", "structured", "penalty")
    return [Weights(**dict(zip(keys, values, strict=True))) for values in itertools.product(*(grid[k] for k in keys))]


def tune(data: dict[str, Any], embedder: Embedder | None,
         grid: Mapping[str, Iterable[float]] = GRID) -> tuple[Weights, float]:
    """The hybrid's weights with the best mean nDCG@10 on ``data`` (the first of equals, in grid order), and that nDCG."""
    index = _index(data, embedder, "hybrid", None)
    qvecs = _vectors(data, embedder)
    best: tuple[Weights, float] | None = None
    for weights in candidates(grid):
        index.weights = weights
        ndcg, _ = _judge(index, "hybrid", data["needs"], qvecs)
        if best is None or ndcg > best[1] + 1e-12:
            best = (weights, ndcg)
    assert best is not None
    return best

