"""Normal form and tokens; the growing BM25 equals bm25s's Lucene BM25; the hybrid explains itself."""

import numpy as np
import pytest

from scicity.matching.bm25 import BM25Index
from scicity.matching.hybrid import Doc, HybridIndex
from scicity.matching.signals import Profile
from scicity.matching.text import normalise, tokens

CORPUS = [
    "高镍三元正极材料单晶化制备技术，提升动力电池能量密度",
    "退役动力电池湿法回收技术，回收锂钴镍",
    "Solid-state electrolyte for lithium metal batteries that suppresses dendrites",
    "Deep learning visual inspection of steel surface defects on the production line",
    "钢板表面缺陷视觉检测系统 deep learning",
    "植保无人机变量喷洒系统，节约农药",
]


def test_traditional_and_full_width_fold_to_one_form():
    assert normalise("鋰離子電池（正極）ＡＢＣ") == normalise("锂离子电池(正极)abc")
    assert set(tokens("退役動力電池回收")) == set(tokens("退役动力电池回收"))


def test_english_plurals_and_stop_words():
    assert tokens("The batteries and coatings") == ["battery", "coat"]
    assert "电池" in tokens("锂离子电池的制备方法")


def test_growing_bm25_equals_bm25s():
    bm25s = pytest.importorskip("bm25s")
    docs = [tokens(t) for t in CORPUS]
    ours = BM25Index()
    for d in docs:
        ours.add(d)
    reference = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    reference.index(docs, show_progress=False)
    query = tokens("动力电池 正极 lithium battery")
    expected = reference.get_scores(query)
    assert np.allclose(ours.scores(query), expected, rtol=1e-4, atol=1e-5)


def test_adding_one_document_changes_no_other_row_and_needs_no_rebuild():
    index = HybridIndex(embedder=None)
    index.add([Doc(str(i), "achievement", t, t[:10]) for i, t in enumerate(CORPUS)])
    postings_before = index.bm25.postings["电池"]
    index.add([Doc("new", "achievement", "固态电池电解质膜 solid electrolyte", "new")])
    assert index.bm25.postings["电池"] is postings_before  # the same object, appended to
    top = index.search("固态电池 solid electrolyte", k=3)
    assert top[0].id == "new"


def test_every_match_explains_itself():
    index = HybridIndex(embedder=None)
    index.add([Doc("a", "achievement", CORPUS[0], "a", Profile(field="new_energy", ipc=("H01M4",), trl=4)),
               Doc("b", "achievement", CORPUS[1], "b", Profile(field="environment", ipc=("C22B7",), trl=8))])
    results = index.search("动力电池正极材料", Profile(field="new_energy", ipc=("H01M10",), min_trl=6), k=2)
    first = results[0]
    assert first.id == "a"
    assert "正极" in first.shared_terms
    assert {s.key for s in first.matched} == {"field", "ipc"}
    assert [s.key for s in first.unmet] == ["maturity_unmet"]
    assert "TRL 4 is below the required 6" in first.explain()
    assert abs(first.score - sum(first.parts.values())) < 1e-9


def test_retired_document_is_not_found():
    index = HybridIndex(embedder=None)
    index.add([Doc(str(i), "need", t, t) for i, t in enumerate(CORPUS)])
    index.retire("1")
    assert "1" not in [m.id for m in index.search("电池回收", k=6)]
