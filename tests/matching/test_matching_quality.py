"""The labelled set: hybrid nDCG@10 ≥ 0.8 and better than BM25 alone and embeddings alone (real model, offline)."""

from pathlib import Path

import pytest

from scicity.matching.embedder import E5Embedder
from scicity.matching.evaluation import evaluate, load_set, ndcg_at, recall_at

SET = Path(__file__).resolve().parents[2] / "bench" / "exchange_eval.yaml"


def test_metrics_on_a_known_ranking():
    grades = {"a": 2, "b": 1, "c": 0}
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(1.0)
    assert ndcg_at(["c", "b", "a"], grades) < 0.8
    assert recall_at(["x", "b"], grades) == 0.5


def test_set_is_large_and_labelled():
    data = load_set(SET)
    pairs = sum(len(n["relevant"]) + len(n.get("negatives", ())) for n in data["needs"])
    assert pairs >= 200
    assert sum(1 for n in data["needs"] if n.get("negatives")) >= 60


def test_hybrid_beats_each_part(tmp_path):
    scores = {s.mode: s for s in evaluate(load_set(SET), E5Embedder(cache=tmp_path / "v.npz"))}
    assert scores["hybrid"].ndcg10 >= 0.8
    assert scores["hybrid"].ndcg10 > scores["bm25"].ndcg10
    assert scores["hybrid"].ndcg10 > scores["embeddings"].ndcg10
