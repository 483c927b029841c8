"""Matching quality on the labelled set: nDCG@10 and recall@10 for BM25, embeddings and the hybrid.

    PYTHONPATH=src python bench/eval_exchange.py [--json]

The needs are split in two (every second one by id held out, see
``scicity.matching.evaluation.split``). The hybrid's fusion weights are tuned
on the tuning half only; the figures that judge the matcher are the held-out
half's. The whole set is printed too, for comparison with earlier runs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from scicity.matching.embedder import E5Embedder
from scicity.matching.evaluation import candidates, evaluate, load_set, split, tune
from scicity.matching.hybrid import Weights

HERE = Path(__file__).resolve().parent


def _pairs(part: dict) -> int:
    return sum(len(n["relevant"]) + len(n.get("negatives", ())) for n in part["needs"])


def main() -> None:
    data = load_set(HERE / "exchange_eval.yaml")
    started, cpu = time.perf_counter(), time.process_time()
    embedder = E5Embedder(cache=HERE / ".cache" / "eval_vectors.npz")
    tuning, held = split(data)
    weights, tuned_ndcg = tune(tuning, embedder)
    results = {name: evaluate(part, embedder, weights=weights)
               for name, part in (("held-out", held), ("tuning", tuning), ("whole set", data))}
    embedder.save()
    if "--json" in sys.argv:
        print(json.dumps({"weights": weights.__dict__,
                          **{k: [s.__dict__ for s in v] for k, v in results.items()}}, indent=2))
        return
    print(f"{len(data['achievements'])} achievements, {len(data['needs'])} needs, {_pairs(data)} labelled pairs; "
          f"tuning {len(tuning['needs'])} needs ({_pairs(tuning)} pairs), held out {len(held['needs'])} "
          f"({_pairs(held)} pairs); {time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    print(f"weights tuned on the tuning half ({len(candidates())} tried): {weights} "
          f"(tuning nDCG@10 {tuned_ndcg:.3f}){'' if weights == Weights() else ' -- DIFFERS from the defaults'}")
    for name, scores in results.items():
        print(f"\n{name}\n{'mode':<12}{'nDCG@10':>10}{'recall@10':>12}")
        for s in scores:
            print(f"{s.mode:<12}{s.ndcg10:>10.3f}{s.recall10:>12.3f}")


if __name__ == "__main__":
    main()
