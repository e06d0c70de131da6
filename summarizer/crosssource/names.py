"""Are two spellings the same name? Transliterations and misspellings are not disagreements.

Zaluzhnyi/Zaluznyi, Valeriy/Valerii, Kyiv/Kiev, Odessa/Odesa, Kharkiv/Kharkov
all fold together; Lviv and Kyiv must not, so short names need an exact fold.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from summarizer.text import normalize

# Romanizations of the same sound: zh/z, kh/k, y/i, ie/i (Kiev/Kyiv), doubled letters.
_FOLDS = ((re.compile(r"([zkscgt])h"), r"\1"), (re.compile(r"[yj]"), "i"), (re.compile(r"ie"), "i"),
          (re.compile(r"ck"), "k"), (re.compile(r"ph"), "f"), (re.compile(r"w"), "v"))
_DOUBLED = re.compile(r"(\w)\1+")
_POSSESSIVE = re.compile(r"['\u2019]s$")


def name_key(word: str) -> str:
    """A spelling-insensitive key for one word of a name."""
    key = _POSSESSIVE.sub("", normalize(word)).strip(".,;:'\"()")
    for pattern, repl in _FOLDS:
        key = pattern.sub(repl, key)
    return _DOUBLED.sub(r"\1", key)


def same_name(a: str, b: str) -> bool:
    """Two words that spell one name (transliteration, a dropped letter), or adjective and noun."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter = min(len(ka), len(kb))
    # "Ukraine"/"Ukrainian", "Poland"/"Polish" is not caught, which only costs a missed match.
    if shorter >= 5 and ka[:5] == kb[:5] and (ka.startswith(kb) or kb.startswith(ka) or ka[:6] == kb[:6]):
        return True
    return shorter >= 6 and SequenceMatcher(None, ka, kb).ratio() >= 0.8


def shares_name(a: list[str], b: list[str]) -> bool:
    """Whether any word of one name is a spelling of any word of the other."""
    return any(same_name(x, y) for x in a for y in b)
