"""Query vectors are kept by text hash (memory and the cache file), so a stored need is embedded once."""

import numpy as np

from scicity.matching import embedder as embedder_module
from scicity.matching.embedder import E5Embedder


class _Model:
    def __init__(self) -> None:
        self.calls = 0

    def query(self, text):  # noqa: ANN001, ANN201
        self.calls += 1
        v = np.full(384, float(len(text)), dtype=np.float32)
        return v / np.linalg.norm(v)


def test_query_vector_is_computed_once_and_survives_a_restart(tmp_path, monkeypatch):
    model = _Model()
    e = E5Embedder(cache=tmp_path / "v.npz")
    monkeypatch.setattr(e, "_get", lambda: model)
    first = e.query("动力电池正极开裂")
    assert np.array_equal(e.query("动力电池正极开裂"), first) and model.calls == 1
    e.query("another need")
    assert model.calls == 2
    e.save()
    again = E5Embedder(cache=tmp_path / "v.npz")
    monkeypatch.setattr(again, "_get", lambda: model)
    assert np.array_equal(again.query("动力电池正极开裂"), first) and model.calls == 2


def test_oldest_query_vectors_are_dropped_first(tmp_path, monkeypatch):
    monkeypatch.setattr(embedder_module, "MAX_QUERIES", 2)
    model = _Model()
    e = E5Embedder(cache=None)
    monkeypatch.setattr(e, "_get", lambda: model)
    for text in ("a", "bb", "ccc"):
        e.query(text)
    assert model.calls == 3
    e.query("ccc")
    assert model.calls == 3  # kept
    e.query("a")
    assert model.calls == 4  # dropped, computed again
