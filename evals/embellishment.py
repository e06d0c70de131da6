"""Embellishment: a superlative or a "record" that no source gives to what the claim is about.

"It was the largest protest in the town's history" may have every name and number right and
still say what no source says. A claim with such a word is supported only where a source
sentence about the same thing (with the next sentence, sharing at least two content words with
the claim) has the
same word, or one of its kin ("record" for "highest since records began").
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from evals.anchors import token_forms, word_tokens
from evals.source_index import SourceIndex

# Each marker, and the source words that support it.
_KIN: dict[str, tuple[str, ...]] = {
    "largest": ("largest", "biggest", "record"), "biggest": ("largest", "biggest", "record"),
    "worst": ("worst", "deadliest", "record"), "deadliest": ("deadliest", "worst", "record"),
    "highest": ("highest", "record", "maximum", "peak"), "lowest": ("lowest", "record", "fewest"),
    "record": ("record", "records", "highest", "largest", "biggest", "lowest", "fastest", "best", "history"),
    "unprecedented": ("unprecedented", "first", "never"), "ever": ("ever", "record", "never", "first"),
    "first-ever": ("first", "never", "maiden", "debut", "inaugural"),
    "first time": ("first", "never", "maiden", "debut", "inaugural"),
    "fastest": ("fastest", "record", "quickest"), "historic": ("historic", "history", "first", "record"),
}
_MARKER = re.compile(r"\b(" + "|".join(_KIN) + r")\b", re.IGNORECASE)
# "first" and "only" are too ordinary alone ("first said", "only 98 mm"): "first-ever" and
# "for the first time" claim something; "ever" only after a superlative or "first".
# "worst-hit villages", "took the worst of it": which part suffered most, not a claim about the event.
_ORDINARY = re.compile(r"\b(?:never|hardly|than|if|whatever|however|for)\s+ever\b|\bever\s+(?:since|so|more)\b"
                       r"|\b(?:worst|biggest|largest)(?:[- ](?:hit|affected|damaged|struck)\b|\s+of\s+it\b)",
                       re.IGNORECASE)
_MIN_SHARED = 2
# "record" as a superlative ("a record 38", "on record", "since records began", "record high"),
# not the noun of "its safety record" or "the court record".
_RECORD_CLAIM = re.compile(r"\b(?:a|new|all-time|on|on the)\s+record\b|\brecords?\s+(?:began|were|show)\b"
                           r"|\brecord[- ](?:high|low|level|number|breaking|setting|year|time|turnout|crowd)",
                           re.IGNORECASE)


def _kin_tokens(tokens: set[str], text: str) -> set[str]:
    """A sentence's word forms, less "record" where it is not said as a superlative."""
    if "record" in tokens or "records" in tokens:
        if not _RECORD_CLAIM.search(text):
            return tokens - {"record", "records"}
    return tokens


def _content(tokens: list[str] | set[str]) -> set[str]:
    return {t for t in tokens if len(t) > 3 and t not in ENGLISH_STOP_WORDS and not t.isdigit()}


def embellishment_reasons(text: str, index: SourceIndex, scope: list[str] | None = None) -> list[str]:
    """A reason for each superlative the claim makes that no source sentence about it makes
    (any on-topic source: a citation that misses the superlative is the citation's problem)."""
    scope = index.source_ids if scope is None else scope
    reasons: list[str] = []
    ordinary = {m.end() - 4 for m in _ORDINARY.finditer(text)} | {m.start() + 0 for m in _ORDINARY.finditer(text)}
    markers = [m for m in _MARKER.finditer(text) if m.start() not in ordinary]
    if not markers:
        return reasons
    claim = _content(word_tokens(text)) - set(_KIN)
    # A sentence and the next together: a split at "6 p.m." must not part a claim from its subject.
    windows = [_kin_tokens(token_forms([*sents[i].tokens, *(nxt.tokens if nxt else ())]),
                           sents[i].text + " " + (nxt.text if nxt else ""))
               for sid in scope for sents in [index.sentences.get(sid, [])] for i in range(len(sents))
               for nxt in [sents[i + 1] if i + 1 < len(sents) else None]]
    about = [w for w in windows if len(claim & _content(w)) >= _MIN_SHARED]
    for m in markers:
        word = m.group(1).lower()
        if not any(set(_KIN[word]) & tokens for tokens in about):
            reasons.append(f"'{m.group(1)}' is said of this in no source sentence")
    return list(dict.fromkeys(reasons))
