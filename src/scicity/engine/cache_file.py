"""Files a process keeps for the next one (compiled SQL, parsed plans, rule books, projections).

A cache file is written whole or not at all: the text goes to a temporary file of this process, which then
replaces the cache file, so a reader never sees half a file. A cache that cannot be written (a read-only
data folder, a full disk) only costs time, so the failure is swallowed.
"""

from __future__ import annotations

import os
from pathlib import Path


def keep_text(file: Path, text: str) -> None:
    """Write ``text`` to ``file`` atomically, making its folder; do nothing if the folder cannot be written."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(file)
    except OSError:
        pass
