"""The case as sentences, and how alike any two of them are.

Similarity is the mean of two TF-IDF cosines fitted on the case's own
sentences: word unigrams+bigrams (what is said) and character 3-5-grams within
words (robust to inflection and transliteration: "Zaluzhnyi"/"Zaluznyi",
"meet"/"meeting"). Fitting on the case makes names that every sentence
repeats count for little, and the words that tell facts apart count for much.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from sklearn.feature_extraction.text import TfidfVectorizer
from scipy import sparse
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import normalize as sk_normalize

from summarizer.cleaning import clean_text, dateline_length
from summarizer.crosssource.injection import is_injection
from summarizer.language import language_of, main_language
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


class Similarity:
    """Sparse pairwise similarity: only pairs at least FLOOR alike, at most TOP_K per sentence, are kept.

    `sim[i, j]` reads like a dense matrix (0.0 for a pair not kept); `neighbours(i)` lists the kept
    pairs of sentence i. Memory grows with the number of sentences, not with its square.
    """

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        self.matrix = matrix
        self.shape = matrix.shape

    def __getitem__(self, ij: tuple[int, int]) -> float:
        i, j = ij
        row = slice(self.matrix.indptr[i], self.matrix.indptr[i + 1])
        cols = self.matrix.indices[row]
        k = np.searchsorted(cols, j)
        return float(self.matrix.data[row][k]) if k < len(cols) and cols[k] == j else 0.0

    def neighbours(self, i: int) -> dict[int, float]:
        row = slice(self.matrix.indptr[i], self.matrix.indptr[i + 1])
        return dict(zip(self.matrix.indices[row].tolist(), self.matrix.data[row].tolist()))


# Pairs less alike than this are stored as 0. Any positive floor changed briefs on the newsroom suite
# (fact redundancy reads small similarities), so every nonzero pair is kept, up to TOP_K per sentence.
SIMILARITY_FLOOR = 1e-12
# At most this many neighbours per sentence (the most alike), so memory stays linear in the input; cases
# of up to TOP_K sentences are compared exactly as a dense matrix would.
TOP_K = 500
# Rows compared at once: bounds the temporary n-wide block.
_CHUNK = 256


class CaseText(BaseModel):
    """Every news sentence of a case, in source order, with pairwise similarity."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    source_ids: list[str]
    sentences: list[NewsSentence]
    heading: list[bool]
    similarity: Similarity
    outliers: list[str] = []
    ignored: list[bool] = []
    # Sentences addressed to models or automated tools, and the rest of their paragraph (the payload).
    injected: list[bool] = []
    # Each source's language (py3langid on its news text) and the case's main one, the briefing's.
    languages: dict[str, str | None] = {}
    language: str = "en"

    def foreign(self, i: int) -> bool:
        """A sentence of a source in another language than the case's: it corroborates, it never leads."""
        code = self.languages.get(self.sentences[i].source_id)
        return code is not None and code != self.language

    def usable(self, i: int) -> bool:
        """A sentence the summary may use: not from an off-topic source, not addressed to a machine."""
        return not self.ignored[i]

    def model_post_init(self, __context: Any) -> None:
        # Indexes, so per-sentence questions cost O(sentences of one source), not O(case).
        by_source: dict[str, list[int]] = {}
        position: list[int] = []
        for i, s in enumerate(self.sentences):
            own = by_source.setdefault(s.source_id, [])
            position.append(sum(1 for j in own if not self.heading[j]))
            own.append(i)
        object.__setattr__(self, "_by_source", by_source)
        object.__setattr__(self, "_position", position)

    def of_source(self, source_id: str) -> list[int]:
        return list(self._by_source.get(source_id, []))

    def source_position(self, i: int) -> int:
        """The sentence's rank among its source's non-heading sentences (0 = the lead)."""
        return self._position[i]

    def best_match(self, i: int, source_id: str, threshold: float = ALIGN_THRESHOLD) -> int | None:
        """The sentence of `source_id` most like sentence i, if it is alike enough."""
        near = self.similarity.neighbours(i)
        own = self._by_source.get(source_id, [])
        candidates = [j for j in near if self.sentences[j].source_id == source_id and not self.heading[j]
                      and self.usable(j)]
        if not candidates:
            # No kept neighbour: every candidate reads 0.0, and the first usable one wins the tie as before.
            candidates = [j for j in own if not self.heading[j] and self.usable(j)][:1]
            if not candidates:
                return None
        j = max(candidates, key=lambda c: (near.get(c, 0.0), -c))
        return j if near.get(j, 0.0) >= threshold else None

    def aligned(self, i: int, threshold: float = ALIGN_THRESHOLD) -> list[int]:
        """Sentences of other sources at least `threshold` alike to sentence i, most alike first."""
        sid = self.sentences[i].source_id
        near = self.similarity.neighbours(i)
        out = [j for j, v in near.items() if self.sentences[j].source_id != sid and v >= threshold and self.usable(j)]
        return sorted(out, key=lambda j: (-near[j], j))


def strip_dateline(text: str) -> str:
    """The sentence without a leading dateline or wire flash tag ("UPDATE 2-")."""
    return text[dateline_length(text):]


def _is_heading(sentence: NewsSentence, paragraph_text: str) -> bool:
    """A title or subheading: a whole short line without a sentence end."""
    words = sentence.text.split()
    return (sentence.text.strip() == paragraph_text.strip() and len(words) <= _HEADING_MAX_WORDS
            and not _SENTENCE_END.search(sentence.text.strip()))


def _tfidf(norm: list[str], **kwargs: Any) -> sparse.csr_matrix | None:
    try:
        # normalize() again, as sklearn's cosine_similarity does, so every value is the same to the last bit.
        return sk_normalize(TfidfVectorizer(sublinear_tf=True, **kwargs).fit_transform(norm)).tocsr()
    except ValueError:  # only stop words in the whole case
        return None


def similarity_matrix(texts: list[str]) -> Similarity:
    """Mean of word and character TF-IDF cosine similarity between every two texts, kept sparse.

    TfidfVectorizer rows are L2-normalized, so a dot product is the cosine. Rows are compared in
    chunks and each chunk is thresholded at once, so no n x n block is ever held in memory.
    """
    n = len(texts)
    if not n:
        return Similarity(sparse.csr_matrix((0, 0)))
    norm = [normalize(t) for t in texts]
    words = _tfidf(norm, stop_words="english", ngram_range=(1, 2))
    chars = _tfidf(norm, analyzer="char_wb", ngram_range=(3, 5))
    rows, cols, vals = [], [], []
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        block = (chars[start:stop] @ chars.T).toarray()
        if words is not None:
            block += (words[start:stop] @ words.T).toarray()
        block /= 2
        for r in range(stop - start):
            row = block[r]
            keep = np.flatnonzero(row >= SIMILARITY_FLOOR)
            if len(keep) > TOP_K:
                keep = np.sort(keep[np.argsort(-row[keep], kind="stable")[:TOP_K]])
            rows.append(np.full(len(keep), start + r))
            cols.append(keep)
            vals.append(row[keep])
    matrix = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    matrix.sort_indices()
    return Similarity(matrix)


def build_case_text(case: CaseSources) -> CaseText:
    """Clean every source, split its news paragraphs into sentences, and compare all of them."""
    sentences: list[NewsSentence] = []
    heading: list[bool] = []
    languages: dict[str, str | None] = {}
    for source in case.sources:
        clean = clean_text(source, strict=True)  # no byline, timestamp line or dateline is ever a fact
        kept = clean.kept
        languages[source.id] = language_of(clean.text)
        for s in source_sentences(clean):
            sentences.append(s)
            heading.append(_is_heading(s, kept[s.paragraph].text))
    sim = similarity_matrix([s.text for s in sentences])
    ids = [s.id for s in case.sources]
    outliers = off_topic_sources(ids, [" ".join(s.text for s in sentences if s.source_id == sid) for sid in ids])
    # Capitalized words tell events apart only in the main language (German capitalizes every noun).
    main = main_language(languages)
    outliers = [sid for sid in outliers if languages.get(sid) in (None, main)]
    flagged = {(s.source_id, s.paragraph) for s in sentences
               if _ADDRESSED_TO_MACHINES.search(s.text) or is_injection(s.text)}
    injected = [(s.source_id, s.paragraph) in flagged for s in sentences]
    ignored = [s.source_id in outliers or inj for s, inj in zip(sentences, injected)]
    return CaseText(source_ids=ids, sentences=sentences, heading=heading, similarity=sim, outliers=outliers,
                    ignored=ignored, injected=injected, languages=languages, language=main)


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
