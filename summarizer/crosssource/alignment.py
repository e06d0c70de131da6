"""The case as sentences, and how alike any two of them are.

Similarity is the mean of two TF-IDF cosines fitted on the case's own
sentences: word unigrams+bigrams (what is said) and character 3-5-grams within
words (robust to inflection and transliteration: "Zaluzhnyi"/"Zaluznyi",
"meet"/"meeting"). Fitting on the case makes names that every sentence
repeats count for little, and the words that tell facts apart count for much.
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, ConfigDict
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from summarizer.cleaning import clean_text
from summarizer.sentences import NewsSentence, source_sentences
from summarizer.sources import CaseSources
from summarizer.text import normalize

# Sentences that align above this are taken to report the same thing.
ALIGN_THRESHOLD = 0.25
# Text addressed to a summarizer is an instruction smuggled into the article, never news.
_ADDRESSED_TO_MACHINES = re.compile(r"\b(?:AI|artificial intelligence|language model|LLM|chatbot|automated summar\w*|"
                                    r"summari[sz]er|assistant)s?\b.*\b(?:must|should|instruct\w*|ignore|report that|"
                                    r"do not mention|when you summari[sz]e)\b|\bignore (?:all |any )?(?:previous|prior|above) "
                                    r"instructions\b", re.I)
# A source whose text is this much less like the others than they are like each other reports another event.
OUTLIER_RATIO = 0.4
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)]*$")
_HEADING_MAX_WORDS = 20


class CaseText(BaseModel):
    """Every news sentence of a case, in source order, with pairwise similarity."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    source_ids: list[str]
    sentences: list[NewsSentence]
    heading: list[bool]
    similarity: np.ndarray
    outliers: list[str] = []
    ignored: list[bool] = []

    def usable(self, i: int) -> bool:
        """A sentence the summary may use: not from an off-topic source, not addressed to a machine."""
        return not self.ignored[i]

    def of_source(self, source_id: str) -> list[int]:
        return [i for i, s in enumerate(self.sentences) if s.source_id == source_id]

    def source_position(self, i: int) -> int:
        """The sentence's rank among its source's non-heading sentences (0 = the lead)."""
        s = self.sentences[i]
        return sum(1 for j in self.of_source(s.source_id) if j < i and not self.heading[j])

    def best_match(self, i: int, source_id: str, threshold: float = ALIGN_THRESHOLD) -> int | None:
        """The sentence of `source_id` most like sentence i, if it is alike enough."""
        candidates = [j for j in self.of_source(source_id) if not self.heading[j] and self.usable(j)]
        if not candidates:
            return None
        j = max(candidates, key=lambda c: (self.similarity[i, c], -c))
        return j if self.similarity[i, j] >= threshold else None

    def aligned(self, i: int, threshold: float = ALIGN_THRESHOLD) -> list[int]:
        """Sentences of other sources at least `threshold` alike to sentence i, most alike first."""
        sid = self.sentences[i].source_id
        out = [j for j in range(len(self.sentences)) if self.sentences[j].source_id != sid
               and self.similarity[i, j] >= threshold and self.usable(j)]
        return sorted(out, key=lambda j: (-self.similarity[i, j], j))


# "KELSFORD, England, March 8 (Northline) - ", "CARVER MILLS — ": a dateline is not part of the news.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,}(?:,[^()\u2014\u2013]{0,40})?(?:\s*\([^)]{0,40}\))?\s*[-\u2014\u2013]+\s+")
_FLASH = re.compile(r"^(?:BREAKING|UPDATE(?:\s*\d+)?|EXCLUSIVE|WATCH|LIVE|ANALYSIS)\s*[:\-\u2014]\s*", re.I)


def strip_dateline(text: str) -> str:
    """The sentence without a leading dateline or wire flash tag ("UPDATE 2-")."""
    return _FLASH.sub("", _DATELINE.sub("", text, count=1), count=1)


def _is_heading(sentence: NewsSentence, paragraph_text: str) -> bool:
    """A title or subheading: a whole short line without a sentence end."""
    words = sentence.text.split()
    return (sentence.text.strip() == paragraph_text.strip() and len(words) <= _HEADING_MAX_WORDS
            and not _SENTENCE_END.search(sentence.text.strip()))


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Mean of word and character TF-IDF cosine similarity between every two texts."""
    if not texts:
        return np.zeros((0, 0))
    norm = [normalize(t) for t in texts]
    try:
        words = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2)).fit_transform(norm)
        word_sim = cosine_similarity(words)
    except ValueError:  # only stop words in the whole case
        word_sim = np.zeros((len(texts), len(texts)))
    chars = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5)).fit_transform(norm)
    return (word_sim + cosine_similarity(chars)) / 2


def build_case_text(case: CaseSources) -> CaseText:
    """Clean every source, split its news paragraphs into sentences, and compare all of them."""
    sentences: list[NewsSentence] = []
    heading: list[bool] = []
    for source in case.sources:
        clean = clean_text(source)
        kept = clean.kept
        for s in source_sentences(clean):
            sentences.append(s)
            heading.append(_is_heading(s, kept[s.paragraph].text))
    sim = similarity_matrix([s.text for s in sentences])
    ids = [s.id for s in case.sources]
    outliers = off_topic_sources(ids, [" ".join(s.text for s in sentences if s.source_id == sid) for sid in ids])
    ignored = [s.source_id in outliers or bool(_ADDRESSED_TO_MACHINES.search(s.text)) for s in sentences]
    return CaseText(source_ids=ids, sentences=sentences, heading=heading, similarity=sim, outliers=outliers,
                    ignored=ignored)


def off_topic_sources(ids: list[str], texts: list[str]) -> list[str]:
    """Sources that report a different event: much less like the rest than the rest are like each other."""
    if len(ids) < 3:
        return []
    # Names tell events apart best: two fires share "fire", "smoke" and "crews", not the plant's name.
    names = TfidfVectorizer(sublinear_tf=True, lowercase=False, token_pattern=r"(?u)\b[A-Z][A-Za-z]+\b")
    try:
        sim = cosine_similarity(names.fit_transform(texts))
    except ValueError:  # no capitalized word anywhere
        return []
    np.fill_diagonal(sim, np.nan)
    mean = np.nanmean(sim, axis=1)
    out = []
    for k, sid in enumerate(ids):
        others = np.delete(mean, k)
        if mean[k] < OUTLIER_RATIO * float(np.median(others)):
            out.append(sid)
    return out if len(out) < len(ids) / 2 else []
