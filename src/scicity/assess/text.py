"""The sentences of explanations (messages with parameters, :mod:`scicity.domain.message`) and the words of flags and labels."""

from __future__ import annotations

from scicity.domain.message import FLAG_TEXT, LABEL_TEXT, Msg, flag_text, join, label_text

__all__ = ["FLAG_TEXT", "LABEL_TEXT", "Msg", "flag_text", "join", "label_text"]
