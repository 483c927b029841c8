"""Which tier rule files there are, and a fingerprint of them: what the rule book is, without reading it.

Kept apart from :mod:`scicity.ingest.tier_rules_file` (which parses and checks the files) so that a command
that only needs to know whether the rules changed — ``scicity status`` finding its kept pipelines — imports
no YAML parser and no rule model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGED = Path(__file__).resolve().parents[1] / "plans" / "tiers"


def rule_files(extra: Iterable[Path] = ()) -> list[Path]:
    """The packaged rule files, then the office's (files, or every *.yaml of a folder)."""
    out = sorted(PACKAGED.glob("*.yaml"))
    for item in extra:
        item = Path(item)
        out.extend(sorted(item.glob("*.yaml")) if item.is_dir() else [item])
    return out


#: the code that turns rule files into a :class:`RuleBook` (a change to any of it changes the fingerprint)
_READER_CODE = ("domain/tier_rules.py", "domain/tier_metrics.py", "ingest/tier_rules_file.py", "ingest/plan_file.py")


def rules_fingerprint(extra: Iterable[Path] = ()) -> str:
    """A hash of the rule files' bytes and of the code that reads them: what the rule book is, without reading it.

    Reading and checking the packaged files takes about 0.3 s (YAML with line numbers); hashing them takes
    well under a millisecond, so a result kept per rule book (``scicity status``'s pipelines) is found by this.
    A file that cannot be read gives its name and the error instead of its bytes (the loader then reports it).
    """
    import scicity

    root = Path(scicity.__file__).parent
    digest = hashlib.sha256(scicity.__version__.encode())
    for name in _READER_CODE:
        st = (root / name).stat()
        digest.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for path in rule_files(extra):
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            digest.update(repr(exc).encode())
    return digest.hexdigest()[:32]
