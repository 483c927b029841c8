"""Words of the CLI's tables whose English is a bare word (a column, a value) with another sense elsewhere.

``word("hit", lang, "backtest column")`` is the English word itself in English and, in another language,
the catalog's translation of ``"backtest column: hit"``: the context keeps a column named *level* apart
from the target kind *level*, which the catalogue translates otherwise.
"""

from __future__ import annotations


def word(english: str, lang: str, context: str | None = None) -> str:
    """A table word in the language (the catalog entry ``"<context>: <english>"``, or ``english`` without context);
    a word the catalog does not hold (a plan's own kind of unit) is shown as written."""
    if lang == "en":
        return english
    from scicity.i18n import translations

    msg_id = f"{context}: {english}" if context else english
    said = translations(lang).gettext(msg_id)
    return english if said == msg_id else said
