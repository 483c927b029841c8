"""The labelled set: on the held-out half, hybrid nDCG@10 ≥ 0.8 and better than BM25 alone and embeddings alone.

Real model, offline. The fusion weights are those tuning picks on the other half (checked here too).
"""

from pathlib import Path

import pytest

from scicity.matching.embedder import E5Embedder
from scicity.matching.evaluation import evaluate, load_set, ndcg_at, recall_at, split, tune
from scicity.matching.hybrid import Weights

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


def test_split_keeps_the_halves_apart():
    tuning, held = split(load_set(SET))
    ids = [q["id"] for q in tuning["needs"]], [q["id"] for q in held["needs"]]
    assert not set(ids[0]) & set(ids[1]) and len(ids[0]) == len(ids[1]) == 36
    held_pairs = sum(len(n["relevant"]) + len(n.get("negatives", ())) for n in held["needs"])
    assert held_pairs >= 100


def test_hybrid_beats_each_part_on_the_held_out_half(tmp_path):
    embedder = E5Embedder(cache=tmp_path / "v.npz")
    tuning, held = split(load_set(SET))
    weights, _ = tune(tuning, embedder)
    assert weights == Weights()  # the product's weights are the ones tuning picks, on the tuning half only
    scores = {s.mode: s for s in evaluate(held, embedder)}
    assert scores["hybrid"].ndcg10 >= 0.8
    assert scores["hybrid"].ndcg10 > scores["bm25"].ndcg10
    assert scores["hybrid"].ndcg10 > scores["embeddings"].ndcg10
    assert scores["hybrid"].recall10 > max(scores["bm25"].recall10, scores["embeddings"].recall10)
