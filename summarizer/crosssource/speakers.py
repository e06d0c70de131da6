"""Who a statement is attributed to, so that the same words given to two people can be caught.

A statement is a quotation or a reported clause with its speaker: `"...," said
Butler`, `the judge said "..."`, `according to police, ...`. Two speakers differ
only when both are named (different names) or both are roles (different
roles): "Butler" and "Milley's spokesman" may be one person, so they are not
compared. Pronouns ("he said") name no one.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from summarizer.crosssource.names import shares_name
from summarizer.text import normalize

_VERBS = (r"said|says|say|told|tells|wrote|writes|added|adds|stated|states|noted|notes|argued|argues|claimed|claims"
          r"|insisted|insists|explained|explains|announced|announces|declared|warned|warns|tweeted|posted|testified"
          r"|confirmed|confirms|alleged|alleges|recalled|recalls|called|calls|described|describes")
_SPK = r"(?P<spk>(?:[\w'\u2019.-]+\s){0,5}?[\w'\u2019.-]+)"
# ", a retired teacher," / ", Rosa Delgado-Park,": an apposition between the speaker and the verb.
_APPOS = r"(?:,\s(?P<appos>[^,\u201c\u201d\"]{2,50}),)?"
_VERB = r"(?:" + _VERBS + r")"
_QUOTE = re.compile(r"[\u201c\"](?P<q>[^\u201c\u201d\"]{3,})[\u201d\"]")
_AFTER_QUOTE_VERB_FIRST = re.compile(r"^\s*[,.!?]?\s*" + _VERB + r"\s+" + _SPK + _APPOS + r"\s*(?:[.,;!?]|$)")
_AFTER_QUOTE_SPEAKER_FIRST = re.compile(r"^\s*[,.!?]?\s*" + _SPK + _APPOS + r"\s+" + _VERB + r"\b")
_BEFORE_QUOTE = re.compile(_SPK + _APPOS + r"\s+" + _VERB + r"(?:\s+[^\u201c\"]{1,120}?)?\s*[,:]?\s*$")
_REPORTED = re.compile(r"(?:^|[,;:\u2014\u2013]\s|\band\s)" + _SPK + _APPOS + r"\s+" + _VERB
                       + r"(?:\s+(?!that\b)[\w,]+){0,4}?\s+that\s+(?P<clause>[^\u201c\"]{12,})")
_INVERTED = re.compile(r"^(?P<clause>[^\u201c\"]{12,}),\s+" + _SPK + _APPOS + r"\s+" + _VERB
                       + r"(?:\s+[\w,]+){0,4}\s*[.!]?$")
_ACCORDING = re.compile(r"\baccording to\s+(?P<spk>[^,.;\u201c\"]{2,60})")
_PRONOUNS = frozenset("he she they it we i you who which this that officials official someone".split())
_TITLES = frozenset(
    "gen gen. general col col. colonel lt lt. lieutenant maj maj. major capt capt. captain sgt sgt. sergeant adm "
    "adm. admiral mr mr. mrs mrs. ms ms. dr dr. prof prof. sen sen. senator rep rep. gov gov. army air force navy "
    "u.s. us the a an his her their its also later earlier then kc qc mp jr jr. sr sr.".split()
)
# Capitalized before a name, but a role: "Judge Helen Marsh", "President Linda Farrow".
_ROLE_TITLES = frozenset("judge president prosecutor mayor minister chairman chairwoman chair director governor "
                         "commissioner sheriff inspector superintendent secretary spokesman spokeswoman spokesperson "
                         "chancellor premier senator councillor cllr coach captain".split())
# Modifiers that do not tell two roles apart ("lead lawyer" / "lead plaintiff").
_MODIFIERS = frozenset("lead senior chief former top deputy acting interim new retired local state federal county "
                       "city district assistant executive general head".split())
_BREAKERS = frozenset("in on at for with to from after before when while and but that which as if because "
                      "monday tuesday wednesday thursday friday saturday sunday speaking".split())
_STOP = frozenset("the a an of and or to in on at for with was were is are be been has have had that this it its "
                  "by as from he she they we i you our their his her".split())


class Speaker(BaseModel):
    """Who is said to have said something: the names and the role words used."""

    text: str
    names: list[str]
    roles: list[str]

    @property
    def known(self) -> bool:
        return bool(self.names or self.roles)


class Statement(BaseModel):
    """Words attributed to a speaker in one sentence."""

    speaker: Speaker
    words: list[str]
    quoted: bool


def parse_speaker(phrase: str, apposition: str | None = None) -> Speaker:
    """Names (capitalized words) and roles (other words) of a speaker phrase and its apposition;
    a possessive's owner is dropped ("Milley's spokesman" is the spokesman)."""
    if apposition:
        inner = parse_speaker(apposition)
        outer = parse_speaker(phrase)
        return Speaker(text=f"{outer.text}, {inner.text}", names=outer.names + inner.names,
                       roles=outer.roles + inner.roles)
    tokens = phrase.strip(" ,.;:").split()
    # The speaker is the noun phrase right before the verb: "In court on Monday the judge" -> "the judge".
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].lower() in _BREAKERS or tokens[i].endswith((",", ";", ":")):
            tokens = tokens[i + 1:]
            break
    if not tokens:
        return Speaker(text=phrase.strip(), names=[], roles=[])
    owner = max((i for i, t in enumerate(tokens) if re.search(r"['\u2019]s$", t)), default=-1)
    tokens = tokens[owner + 1:]
    if len(tokens) == 1 and tokens[0].lower() in _PRONOUNS:
        return Speaker(text=phrase.strip(), names=[], roles=[])
    names = [t.strip(",.") for t in tokens if t[:1].isupper() and t.lower() not in _TITLES
             and t.lower().strip(",.") not in _ROLE_TITLES]
    roles = [t.lower().strip(",.") for t in tokens if (t[:1].islower() or t.lower().strip(",.") in _ROLE_TITLES)
             and t.lower() not in _TITLES
             and t.lower() not in _PRONOUNS and t.lower() not in _STOP and t.lower() not in _MODIFIERS]
    return Speaker(text=" ".join(tokens), names=names, roles=roles)


def content_words(text: str) -> list[str]:
    """Stemmed content words (to compare what two statements say)."""
    return [w[:6] for w in re.findall(r"[a-z0-9]+", normalize(text)) if w not in _STOP and len(w) > 2]


def _speaker(m: re.Match[str]) -> Speaker:
    appos = m.groupdict().get("appos")
    return parse_speaker(m.group("spk"), appos)


def extract_statements(sentence: str) -> list[Statement]:
    """Quotations and reported clauses with a speaker in this sentence."""
    out: list[Statement] = []
    quotes = list(_QUOTE.finditer(sentence))
    if quotes:
        words = content_words(" ".join(q.group("q") for q in quotes))
        first, last = quotes[0], quotes[-1]
        after, before = sentence[last.end():], sentence[:first.start()]
        m = (_AFTER_QUOTE_VERB_FIRST.match(after) or _AFTER_QUOTE_SPEAKER_FIRST.match(after)
             or _BEFORE_QUOTE.search(before) or _ACCORDING.search(sentence))
        if m is not None and words:
            speaker = _speaker(m)
            if speaker.known:
                out.append(Statement(speaker=speaker, words=words, quoted=True))
        return out
    for pattern in (_REPORTED, _INVERTED):
        for m in pattern.finditer(sentence):
            speaker = _speaker(m)
            if speaker.known:
                out.append(Statement(speaker=speaker, words=content_words(m.group("clause")), quoted=False))
    m = _ACCORDING.search(sentence)
    if m is not None:
        speaker = parse_speaker(m.group("spk"))
        rest = sentence[:m.start()] + sentence[m.end():]
        if speaker.known:
            out.append(Statement(speaker=speaker, words=content_words(rest), quoted=False))
    return out


def same_statement(a: Statement, b: Statement, common: frozenset[str] | None = None) -> bool:
    """Whether two statements say the same thing: most content words shared; a short quotation
    ("a vindication") counts when all its words are in the other and none is common in the case."""
    sa, sb = set(a.words), set(b.words)
    if not sa or not sb:
        return False
    overlap = len(sa & sb)
    shorter = min(len(sa), len(sb))
    if shorter < 4:
        small = sa if len(sa) <= len(sb) else sb
        return bool(a.quoted and b.quoted and small <= (sa & sb) and common is not None and not small & common)
    if a.quoted and b.quoted:
        return overlap / len(sa | sb) >= 0.5 or overlap / shorter >= 0.8
    return overlap >= 4 and overlap / shorter >= 0.6


_VAGUE = frozenset("official officials authorities authority sources source police witnesses witness people residents "
                   "experts analysts observers statement spokesperson spokesman spokeswoman".split())


def speakers_differ(a: Speaker, b: Speaker) -> bool:
    """Definitely different people: two different names, or two different roles and no names
    (vague ones such as "officials" or "a spokesman" may be anyone)."""
    if not a.names and not b.names and (set(a.roles) & _VAGUE or set(b.roles) & _VAGUE):
        return False
    if a.names and b.names:
        return not shares_name(a.names, b.names) and not set(a.roles) & set(b.roles)
    if not a.names and not b.names and a.roles and b.roles:
        return not set(a.roles) & set(b.roles)
    return False


def same_speaker(a: Speaker, b: Speaker) -> bool:
    return shares_name(a.names, b.names) or bool(set(a.roles) & set(b.roles))
