"""Text normalization shared by quote checks, gold matching and scoring.

Two strengths: `normalize_quote` forgives only whitespace and quote marks (a
quote must be verbatim), `normalize` also folds case, accents, dashes and
dotted abbreviations (for matching words, not for checking quotes).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})
_SPACE = re.compile(r"\s+")
# "U.S." -> "us", "a.m." -> "am": dotted abbreviations read as one word.
_DOTTED = re.compile(r"(?<!\w)((?:[^\W\d_]\.){2,})")  # letters only: "6.3." stays a number


def normalize_quote(text: str) -> str:
    """Unify quote marks and whitespace only (NFKC first)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


@lru_cache(maxsize=131072)
def normalize(text: str) -> str:
    """NFKC, case-folded, accents stripped, quotes, dashes and whitespace unified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = strip_accents(text).translate(_QUOTES).translate(_DASHES)
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    return _SPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """A verbatim quote, forgiving only whitespace and quote-mark differences."""
    q = normalize_quote(quote).strip(" \"'")
    return bool(q) and q in normalize_quote(text)
