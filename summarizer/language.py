"""Which language a source is written in, by py3langid (its model ships inside the package).

A briefing is written in the case's main language; a source in another language
corroborates facts and sides but never gives the headline or a W-field, and a
quote from it is marked with its language.
"""

from __future__ import annotations

from functools import lru_cache

import py3langid

# Names for the languages news clusters mix most often; any other code is shown as it is.
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ru": "Russian",
                  "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech",
                  "tr": "Turkish", "el": "Greek", "ro": "Romanian", "hu": "Hungarian", "ca": "Catalan"}
# Shorter texts are too little to tell a language by: they are taken to be in the main language.
MIN_CHARS = 40


@lru_cache(maxsize=4096)
def language_of(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    if len(text.strip()) < MIN_CHARS:
        return None
    code, _score = py3langid.classify(text)
    return str(code)


def language_name(code: str) -> str:
    """"French" for "fr"; an unknown code as it is."""
    return LANGUAGE_NAMES.get(code, code)


def main_language(languages: dict[str, str | None]) -> str:
    """The language most sources are written in (English on a tie or when none is known)."""
    counts: dict[str, int] = {}
    for code in languages.values():
        if code:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return "en"
    return max(sorted(counts), key=lambda c: (counts[c], c == "en"))
