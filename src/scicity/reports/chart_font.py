"""A small subset of the CJK font for vl-convert, made per set of charts: their labels are measured 40 % faster.

vl-convert measures every label of a chart with the font the spec names
(Noto Sans CJK SC, 19 MB, 65,000 glyphs); most of a chart's time goes there,
and it grows with the size of the font. So before a batch of charts is drawn,
the characters their specs can show (every string in the specs, ASCII and
what Vega's number format adds) are cut out of the same font file, regular
and bold, with HarfBuzz's subsetter (``libharfbuzz-subset``, which WeasyPrint
needs already), under a family name of their own (``Scicity Chart x<hash>``).
The specs name that family first; vl-convert measures and lays out with it;
the SVG then names the original family again. The glyphs and their advances
are the font's own, so the SVG is the same as with the full font — checked
by ``tests/reports/test_chart_font.py``.

Licence: Noto Sans CJK is under the SIL Open Font License 1.1, which allows
subsetting and renaming; its Reserved Font Name is "Source" (from Source Han
Sans), which the subset's name does not use. The subset is made on the
machine from the installed font and kept in the cache directory (never
shipped). Without the font, fontconfig or HarfBuzz, charts are drawn with the
full font as before.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

LOG = logging.getLogger(__name__)
SOURCE_FAMILY = "Noto Sans CJK SC"
PREFIX = "Scicity Chart"
#: bumped when the way a subset is made changes
VERSION = 2
#: what Vega may draw beyond the specs' own strings: ASCII, its minus sign, ellipsis, spaces
EXTRA = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u2212\u2026\u00a0\u2009\u00b7\u2014\u2013%‰"
_FAMILY_RE = re.compile(re.escape(PREFIX) + r" x[0-9a-f]{12}, ")


@lru_cache(maxsize=1)
def source_faces() -> dict[str, tuple[str, int]] | None:
    """The file and face index of the regular and the bold Noto Sans CJK SC, as fontconfig finds them (None: not installed)."""
    out: dict[str, tuple[str, int]] = {}
    for weight, pattern in (("Regular", f"{SOURCE_FAMILY}:style=Regular"), ("Bold", f"{SOURCE_FAMILY}:weight=bold")):
        try:
            done = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}|%{weight}", pattern],
                                  capture_output=True, text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        path, index, families, weight_value = (done.stdout.split("|") + ["", "", "", ""])[:4]
        if SOURCE_FAMILY not in families.split(",") or not Path(path).is_file():
            return None  # fontconfig substituted another font: no subset, the full font as before
        if weight == "Bold" and int(weight_value or 0) < 200:
            continue  # no bold face installed: bold labels fall back to the regular subset
        out[weight] = (path, int(index or 0))
    return out or None


@lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    try:
        from cffi import FFI

        ffi = FFI()
        ffi.cdef("""
            typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
            typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
            hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
            void hb_blob_destroy(hb_blob_t *blob);
            const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
            hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
            hb_blob_t *hb_face_reference_blob(hb_face_t *face);
            void hb_face_destroy(hb_face_t *face);
            void hb_set_add(hb_set_t *set, uint32_t codepoint);

            hb_subset_input_t *hb_subset_input_create_or_fail(void);
            hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
            void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
            void hb_subset_input_destroy(hb_subset_input_t *input);
            hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
        """)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError) as exc:
        LOG.info("no HarfBuzz subsetter (%s): charts measured with the full font", exc)
        return None


def _subset(path: str, index: int, text: str) -> bytes | None:
    """The face's glyphs for ``text`` (and what its layout tables reach from them) as an OpenType font."""
    lib = _harfbuzz()
    if lib is None:
        return None
    ffi, hb, hbs = lib
    blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(path))
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    hb.hb_blob_destroy(blob)
    spec = hbs.hb_subset_input_create_or_fail()
    try:
        unicodes = hbs.hb_subset_input_unicode_set(spec)
        for char in sorted(set(text)):
            hb.hb_set_add(unicodes, ord(char))
        hbs.hb_subset_input_set_flags(spec, 0x1)  # no hinting: vl-convert measures advances, it does not rasterise
        result = hbs.hb_subset_or_fail(face, spec)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(hb.hb_blob_get_data(out, length), length[0])[:]
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return data or None
    finally:
        hbs.hb_subset_input_destroy(spec)
        hb.hb_face_destroy(face)


def _rename(data: bytes, family: str, weight: str) -> bytes:
    """The subset under its own family name, so it can never be taken for the installed font."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    font = TTFont(io.BytesIO(data))
    name = font["name"]
    postscript = f"{family.replace(' ', '')}-{weight}"
    for rec in list(name.names):
        if rec.nameID in (16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for name_id, value in ((1, family), (2, weight), (3, postscript), (4, f"{family} {weight}"), (6, postscript)):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def characters(specs: Iterable[Any]) -> str:
    """Every character a chart of these specs can show: all their strings (keys too) and :data:`EXTRA`."""
    chars: set[str] = set(EXTRA)
    stack = list(specs)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            chars.update(item)
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif item is not None and not isinstance(item, bool):
            chars.update(str(item))
    return "".join(sorted(chars))


def subset_font(chars: str, cache_dir: Path) -> tuple[str, Path] | None:
    """(family, directory) of the subset for ``chars`` under ``cache_dir`` (made once, then reused); None: no subset."""
    faces = source_faces()
    if faces is None:
        return None
    identity = [VERSION, chars] + [(p, i, os.stat(p).st_size, os.stat(p).st_mtime_ns) for p, i in faces.values()]
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()[:12]
    # a word of the unquoted CSS font-family list must not start with a digit ("Scicity Chart 4986…" is no family:
    # the labels were measured with a fallback font), hence the letter before the digest
    family = f"{PREFIX} x{digest}"
    directory = Path(cache_dir) / digest
    if all((directory / f"{weight}.otf").is_file() for weight in faces):
        return family, directory
    tmp = Path(cache_dir) / f".{digest}.{os.getpid()}.tmp"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for weight, (path, index) in faces.items():
            data = _subset(path, index, chars)
            if data is None:
                return None
            (tmp / f"{weight}.otf").write_bytes(_rename(data, family, weight))
        try:
            tmp.replace(directory)  # atomic: another process sees all of it or none
        except OSError:
            if not directory.is_dir():
                raise
    except Exception as exc:  # noqa: BLE001 - a font that cannot be cut costs speed, never the report
        LOG.warning("chart font subset not made (%s): charts measured with the full font", exc)
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return family, directory


def with_family(spec: Any, family: str) -> Any:
    """The spec with ``family`` first wherever it names the CJK font."""
    if isinstance(spec, str):
        return f"{family}, {spec}" if SOURCE_FAMILY in spec else spec
    if isinstance(spec, Mapping):
        return {k: (with_family(v, family) if k.endswith(("font", "Font")) or isinstance(v, Mapping | list) else v)
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [with_family(v, family) for v in spec]
    return spec


def original_family(svg: str) -> str:
    """The SVG naming the installed font again (the subset's family removed from every font-family)."""
    return _FAMILY_RE.sub("", svg)
