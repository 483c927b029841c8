"""Uploaded files between the dry-run preview and the confirmation.

An upload is written to ``<data dir>/uploads/<random id>`` with a small JSON
note (who uploaded it, original name, SHA-256, status asked for). Confirming
reads the file again and applies it in one transaction (all or nothing);
the pending file is removed then, or after ``MAX_AGE`` seconds.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from scicity.domain.message import Msg

CHUNK = 1024 * 1024
MAX_AGE = 3600
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UploadTooLarge(ValueError):
    pass


@dataclass(frozen=True)
class PendingUpload:
    id: str
    user_id: int
    file_name: str
    sha256: str
    status: str
    created: float
    unit: str | None = None

    def path(self, root: Path) -> Path:
        return root / self.id


class UploadStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def save(self, source: BinaryIO, *, user_id: int, file_name: str, status: str, unit: str | None) -> PendingUpload:
        """Copy an upload in chunks, refusing it as soon as it passes the size limit (nothing is kept then)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._sweep()
        upload_id = secrets.token_urlsafe(24)
        target = self.root / upload_id
        digest = hashlib.sha256()
        size = 0
        try:
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadTooLarge(Msg("the file is larger than {mb} MB", mb=self.max_bytes // (1024 * 1024)))
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        pending = PendingUpload(upload_id, user_id, _clean_name(file_name), digest.hexdigest(), status, time.time(), unit)
        (self.root / f"{upload_id}.json").write_text(json.dumps(asdict(pending)), encoding="utf-8")
        return pending

    def get(self, upload_id: str, user_id: int) -> PendingUpload | None:
        """The pending upload with this id, if it belongs to ``user_id`` and is not too old."""
        if not _ID.match(upload_id or ""):
            return None
        note = self.root / f"{upload_id}.json"
        if not note.exists():
            return None
        pending = PendingUpload(**json.loads(note.read_text(encoding="utf-8")))
        if pending.user_id != user_id or time.time() - pending.created > MAX_AGE:
            return None
        return pending

    def discard(self, pending: PendingUpload) -> None:
        (self.root / pending.id).unlink(missing_ok=True)
        (self.root / f"{pending.id}.json").unlink(missing_ok=True)

    def _sweep(self) -> None:
        now = time.time()
        for path in self.root.iterdir():
            try:
                if now - path.stat().st_mtime > MAX_AGE:
                    path.unlink(missing_ok=True)
            except OSError:
                continue


def _clean_name(name: str) -> str:
    name = Path(name or "upload").name
    return re.sub(r"[^\w.\- ()\u4e00-\u9fff]", "_", name)[:200] or "upload"
