"""The matcher of a long-running process (the web app) notices what another process wrote (a CLI import).

The other process is real: ``scicity exchange import`` run as a subprocess on the same database file.
"""

import os
import subprocess
import sys
from pathlib import Path

from scicity.domain.exchange import Achievement, Need, Publication
from scicity.service.exchange_match import ExchangeMatcher
from scicity.store.exchange import ExchangeRepository

SRC = Path(__file__).resolve().parents[2] / "src"
FIRST = ("code,title,abstract,field,owner,trl\n"
         "A1,High-nickel cathode,Molten-salt sintering stops cathode particles cracking,new_energy,CQU,6\n")
SECOND = ("code,title,abstract,field,owner,trl\n"
          "A1,Steel sheet inspection,Camera and deep learning find scratches on steel sheet,electronics,CQU,7\n"
          "A2,Battery recycling,Hydrometallurgy recovers lithium cobalt nickel from spent cells,environment,SWU,7\n")


def _cli(url: str, tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCICITY_")}
    env.update(SCICITY_DATABASE_URL=url, SCICITY_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", "from scicity.cli import main; main()", *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ids(matcher: ExchangeMatcher, text: str) -> list[str]:
    return [m.id for m in matcher.for_text(text, kinds=("achievements",)).by_kind["achievements"]]


def test_records_imported_by_another_process_are_found_without_restart(sqlite_database, sqlite_url, tmp_path):
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.csv").write_text(SECOND, encoding="utf-8")
    _cli(sqlite_url, tmp_path, "exchange", "import", "achievements", str(tmp_path / "first.csv"))
    matcher = ExchangeMatcher(sqlite_database, use_embeddings=False)
    assert _ids(matcher, "cathode particles cracking") == ["A1"]
    index = matcher.indexes["achievements"]
    assert _ids(matcher, "lithium cobalt recovery") == []

    _cli(sqlite_url, tmp_path, "exchange", "import", "achievements", str(tmp_path / "second.csv"))
    assert _ids(matcher, "lithium cobalt recovery") == ["A2"]  # new in the other process's batch
    assert _ids(matcher, "scratches steel sheet") == ["A1"]  # changed there: its new text is matched
    assert _ids(matcher, "cathode particles cracking") == []  # and its old text no longer
    assert matcher.indexes["achievements"] is index  # taken in, not rebuilt
    assert matcher.refresh() == 0  # nothing new since: the next search reads one empty range

    # a withdrawal written elsewhere (another repository, as another process's) takes the record out
    ExchangeRepository(sqlite_database).set_status("achievements", "A2", Publication.WITHDRAWN, actor="operator")
    assert _ids(matcher, "lithium cobalt recovery") == []


def test_unchanged_and_own_writes_are_not_added_twice(sqlite_database):
    repo = ExchangeRepository(sqlite_database)
    repo.save(Achievement(code="A1", owner="U", title_en="Battery recycling", abstract_en="lithium cobalt recovery"),
              actor="t")
    matcher = ExchangeMatcher(sqlite_database, use_embeddings=False)
    assert _ids(matcher, "lithium cobalt") == ["A1"]
    slots = len(matcher.indexes["achievements"])
    need = Need(code="N1", enterprise="E", title_en="Cobalt recovery", problem_en="recover lithium and cobalt")
    repo.save(need, actor="t")
    matcher.index("needs")
    repo.save(Achievement(code="A1", owner="U", title_en="Battery recycling", abstract_en="lithium cobalt recovery"),
              actor="t")  # saved again, unchanged
    assert matcher.refresh() == 0
    assert len(matcher.indexes["achievements"]) == slots
    assert [m.id for m in matcher.for_text("cobalt", kinds=("needs",)).by_kind["needs"]] == ["N1"]
