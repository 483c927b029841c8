"""English and Chinese (简体中文): gettext catalogs, language choice, numbers and dates per locale.

Used by every outer layer alike (web pages and API, the CLI, reports), so that a
message has one translation wherever a person reads it.

The catalogs are ``.po`` files under ``i18n/locale/<locale>/LC_MESSAGES/``
(English is the source language): ``messages.po`` for the web application and
one file per feature beside it (``cultivation.po``, ``exchange.po``, …). All
files of a language are merged and compiled in memory with Babel on first use,
so a fresh checkout needs no build step and no ``.mo`` file is written anywhere.
A message id in two files must have the same translation (tests/i18n checks it).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("en", "zh")
#: the Babel locale of each interface language (Babel is imported on the first number, date or catalog:
#: a command in English that formats neither starts without it)
LOCALE_IDS = {"en": "en_GB", "zh": "zh_Hans_CN"}
#: gettext catalog directory of each language (English is the source text)
CATALOGS = {"zh": "zh_CN"}
LANG_NAMES = {"en": "English", "zh": "简体中文"}


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext translations of a language (compiled from its .po file on first use)."""
    folder = CATALOGS.get(lang)
    if folder is None:
        return gettext.NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Catalog(locale=folder)
    for po in catalog_files(lang):
        with po.open("rb") as f:
            part = read_po(f, locale=folder)
        for message in part:
            if message.id:
                merged[message.id] = message
    buf = io.BytesIO()
    write_mo(buf, merged)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@lru_cache(maxsize=None)
def locale(lang: str) -> Locale:
    """The Babel locale of an interface language."""
    from babel import Locale

    return Locale.parse(LOCALE_IDS[lang])


def catalog_files(lang: str) -> list[Path]:
    """The .po files of a language, in a stable order (messages.po first, then by name)."""
    folder = CATALOGS.get(lang)
    if folder is None:
        return []
    files = sorted((LOCALE_DIR / folder / "LC_MESSAGES").glob("*.po"))
    return sorted(files, key=lambda p: (p.name != "messages.po", p.name))


def negotiate(accept_language: str | None, default: str = "en") -> str:
    """The interface language from an Accept-Language header ('zh-CN,zh;q=0.9,en;q=0.8' -> 'zh')."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for pos, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, pos, tag.strip().lower()))
    for neg_q, _pos, tag in sorted(ranked):
        if neg_q >= 0:
            continue
        base = tag.split("-")[0]
        if base in LANGS:
            return base
    return default


def fmt_number(value: float | None, decimals: int, lang: str) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    from babel.numbers import format_decimal

    return format_decimal(value, format=pattern, locale=locale(lang))


def fmt_plain(value: float | None, lang: str) -> str:
    """A stored value as it is, up to six decimals, with the locale's separators."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.######", locale=locale(lang))


def fmt_percent(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_percent

    return format_percent(value, locale=locale(lang))


def fmt_datetime(value: datetime | None, lang: str) -> str:
    if value is None:
        return ""
    from babel.dates import format_datetime

    return format_datetime(value, format="medium", locale=locale(lang))


#: ASCII comparators as a person writes them
SYMBOLS = {">=": "≥", "<=": "≤", "!=": "≠"}


def tr(text: object, lang: str) -> str:
    """A text in the language: a message with parameters (``scicity.assess.text.Msg`` or anything with
    ``msg_id`` and ``msg_args``) is looked up and filled in, its parameters translated the same way;
    a plain string is looked up as a message id. ASCII comparators become ≥, ≤ (in every language)."""
    gettext = translations(lang).gettext
    return _tr(text, gettext, lang)


def _tr(text: object, gettext: Callable[[str], str], lang: str = "en") -> str:
    by_lang = getattr(text, "by_lang", None)
    if by_lang is not None:  # a plan's own words (scicity.domain.message.Words)
        return by_lang.get(lang) or str(text)
    template = getattr(text, "msg_id", None)
    if template is None:
        if not isinstance(text, str) or not text:
            return "" if text is None else str(text)
        return SYMBOLS.get(text) or gettext(text)
    args = {k: (_tr(v, gettext, lang) if getattr(v, "msg_id", None) is not None or getattr(v, "by_lang", None) is not None
                else SYMBOLS.get(v, v) if isinstance(v, str) else v)
            for k, v in getattr(text, "msg_args", {}).items()}
    translated = gettext(template) if template else template
    try:
        return translated.format(**args)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong field: fall back to the English
        return template.format(**args)


def tr_all(texts: Iterable[object], lang: str) -> list[str]:
    return [tr(t, lang) for t in texts]
