"""Gzip a page whose big middle part is the same for many requests, compressing that part only once.

A deflate stream may be cut into independently compressed segments when each
one ends with a full flush (byte-aligned, no back-references across it); the
small per-request head and tail (user name, CSRF token) are compressed on
each request, the cached body once. The CRC-32 of the whole is computed over
the raw bytes (fast), as gzip requires.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime, unknown OS
LEVEL = 6


@dataclass(frozen=True)
class Segment:
    raw: bytes
    deflated: bytes


def segment(data: bytes) -> Segment:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Segment(data, compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH))


def gzip_join(segments: list[Segment]) -> bytes:
    crc = 0
    size = 0
    for s in segments:
        crc = zlib.crc32(s.raw, crc)
        size += len(s.raw)
    final = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
    return b"".join([GZIP_HEADER, *(s.deflated for s in segments), final,
                     struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)])


def accepts_gzip(accept_encoding: str | None) -> bool:
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0"):
            return True
    return False
