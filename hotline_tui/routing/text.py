"""Text as routing matches it: NFKC, lower case, no spaces, no control characters, bounded length."""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT = 4000  # a description's limit (domain.text.LIMITS)
_SPACE = re.compile(r"[\s\u3000]+")
_PUNCT = re.compile(r"[\s'’·•,，.。、/\\|()（）\[\]【】\-_—:：;；!?！？\"“”›>]+")


def normalize(text: object, limit: int = MAX_TEXT) -> str:
    """Matching form of free text; anything that is not text gives ""."""
    if not isinstance(text, str):
        return ""
    t = unicodedata.normalize("NFKC", text[: limit * 2]).lower()
    t = "".join(ch for ch in t if unicodedata.category(ch)[0] != "C")
    return _SPACE.sub("", t)[:limit]


def compact(text: object, limit: int = 64) -> str:
    """A type-ahead query: normalized and without punctuation."""
    return _PUNCT.sub("", normalize(text, limit * 2))[:limit]


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
