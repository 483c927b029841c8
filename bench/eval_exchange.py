"""Matching quality on the labelled set: nDCG@10 and recall@10 for BM25, embeddings and the hybrid.

    PYTHONPATH=src python bench/eval_exchange.py [--json]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from scicity.matching.embedder import E5Embedder
from scicity.matching.evaluation import evaluate, load_set

HERE = Path(__file__).resolve().parent


def main() -> None:
    data = load_set(HERE / "exchange_eval.yaml")
    pairs = sum(len(n["relevant"]) + len(n.get("negatives", ())) for n in data["needs"])
    started = time.perf_counter()
    embedder = E5Embedder(cache=HERE / ".cache" / "eval_vectors.npz")
    scores = evaluate(data, embedder)
    embedder.save()
    if "--json" in sys.argv:
        print(json.dumps([s.__dict__ for s in scores], indent=2))
        return
    print(f"{len(data['achievements'])} achievements, {len(data['needs'])} needs, {pairs} labelled pairs "
          f"({time.perf_counter() - started:.1f} s)")
    print(f"{'mode':<12}{'nDCG@10':>10}{'recall@10':>12}")
    for s in scores:
        print(f"{s.mode:<12}{s.ndcg10:>10.3f}{s.recall10:>12.3f}")


if __name__ == "__main__":
    main()
