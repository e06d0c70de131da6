"""Text addressed to a model or an automated tool: an instruction smuggled into an article, never news.

A sentence is read after NFKC, with zero-width, soft-hyphen and other format
characters removed, common Cyrillic/Greek look-alike letters mapped to Latin
and case folded, so "ig\u00adnore", "ｉｇｎｏｒｅ" and "іgnore" (Cyrillic і) read
as "ignore". The patterns are general shapes, not phrases: an imperative to
drop instructions or guidance, a directive to a summarizer or tool about what
to report, meta-talk about "your summary", and chat role prompts. A news
sentence about someone ignoring warnings is not an imperative, and is kept.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alike letters an attacker swaps in so a phrase filter misses the word.
_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ν": "v", "ο": "o", "ρ": "p", "α": "a", "ε": "e",
    "ι": "i", "κ": "k", "τ": "t", "ѵ": "v", "ԝ": "w", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
})


def detection_text(text: str) -> str:
    """The text as the detector reads it: NFKC, format characters removed, look-alikes mapped, case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.translate(_CONFUSABLES).casefold()
    return re.sub(r"\s+", " ", text).strip()


# Who an injection talks to: models, summarizers, automated tools.
_ADDRESSEE = (r"(?:ai|a\.i\.|artificial intelligence|language models?|llms?|chat ?bots?|bots?|gpts?|"
              r"(?:ai |virtual |automated )?assistants?|summari[sz](?:er|ing tool|ation tool|ation system|ing system)s?|"
              r"automated (?:tools?|systems?|summar\w*|readers?|agents?|software|programs?|services?|pipelines?)|"
              r"machines? reading|crawlers?|scrapers?|(?:ai |automated )?agents?|models? reading this)")
_DROP_VERB = r"(?:ignore|disregard|forget|discard|override|overrule|bypass|set aside|throw out|drop|abandon|skip)"
_RULES = (r"(?:instructions?|guidance|directions?|directives?|prompts?|rules?|guidelines?|commands?|orders|"
          r"context|programming|constraints?|system prompt|training|briefs?|task)")
_EARLIER = r"(?:previous|prior|earlier|above|preceding|original|initial|former|existing|old|other|all|any|every)"
# Optional lead-in before an imperative: "[", "Note to AI:", "Editor's note:", "IMPORTANT -", "please", "now".
_LEAD = (r"^[\W_]*(?:(?:[\w' ]{0,40}note|important|attention|update|notice|system|admin|override|instruction)"
         r"[^:\]]{0,60}[:\]\-]\s*)?(?:(?:please|now|kindly|simply|just|and|then|so|instead|also)[\s,]+)*")
_REPORT_VERB = (r"(?:report|state|say|write|mention|claim|conclude|describe|present|tell (?:the )?readers?|"
                r"summari[sz]e|output|respond|answer|include|omit|leave out|exclude|note|assert|print|list)")

_PATTERNS = [
    # "Ignore the previous instructions ...", "[Note: disregard all prior guidance]", "please forget your rules"
    re.compile(_LEAD + _DROP_VERB + r"\b[^.]{0,20}?\b(?:" + _EARLIER + r"|your|these|those|the)\b[^.]{0,30}?\b" + _RULES + r"\b"),
    # "... disregard your earlier guidance", "you must ignore any instructions" anywhere in a sentence
    re.compile(r"\b" + _DROP_VERB + r" (?:all |any |of )?(?:your|you'?ve been given|you were given)\b[^.]{0,30}?\b" + _RULES),
    re.compile(r"\byou (?:must|should|need to|have to|are to|will|shall|can) (?:now )?" + _DROP_VERB + r"\b"),
    re.compile(r"\b" + _DROP_VERB + r" (?:all |any |the )?(?:" + _EARLIER + r" )?" + _RULES + r" (?:above|before|so far|given|you)"),
    # A note addressed to machines: "Editor's note to automated tools", "Note for AI assistants"
    re.compile(r"\b(?:note|message|memo|instructions?|notice|reminder|directive|request|warning)s? (?:to|for) "
               r"(?:all |any |the |every )?(?:[\w-]+ ){0,2}?" + _ADDRESSEE + r"\b"),
    # "Summarizers must now report ...", "AI assistants should state ...", "automated tools are instructed to ..."
    re.compile(r"\b" + _ADDRESSEE + r"(?: and [\w ]{0,30}?)?(?:,? (?:reading|processing|summari[sz]ing|that read|which read)\b[\w ]{0,25}?)?,? "
               r"(?:must|should|shall|will|need to|have to|are (?:required|instructed|asked|told|directed|expected) to|"
               r"(?:is|are) to)\b(?: now| always| only| instead| also)* " + _REPORT_VERB + r"\b"),
    re.compile(r"\b(?:if|when|whenever|as|before|while) (?:you are |you're )?(?:an? )?" + _ADDRESSEE + r"\b[^.]{0,40}\byou\b"),
    re.compile(r"\b(?:if|when|whenever|before|while) (?:you|an? " + _ADDRESSEE + r") (?:are )?(?:summari[sz]\w*|"
               r"process\w*|read\w*|writ\w* (?:a|the|your) summar\w*)\b"),
    # Meta-talk about the summary being written: "in your summary", "the summary must say"
    re.compile(r"\b(?:your|this|the) (?:summary|summaries|output|response|answer|briefing|brief|report)"
               r"(?: of this (?:story|article|page))? (?:must|should|shall|needs? to|has to|is to)\b"),
    re.compile(r"\b(?:in|for|into) your (?:summary|summaries|output|response|answer|briefing|brief|reply)\b"),
    re.compile(r"\bdo(?: not|n't) (?:mention|reveal|repeat|include|disclose|quote|cite) (?:this|these|the) "
               r"(?:note|instructions?|message|paragraph|text|request|directive)\b"),
    re.compile(r"\bthis (?:note|paragraph|text|message|section|line|sentence) is (?:an? )?(?:editorial |hidden |system )?"
               r"(?:instruction|directive|command|prompt)"),
    re.compile(r"\b(?:new|updated|revised|real|actual|hidden|secret|override) (?:instructions?|directives?|system prompt|task)"
               r"\s*(?::|follow|are|is\b)"),
    # Role prompts and chat markup: "SYSTEM: ...", "<|im_start|>system", "### Instruction", "You are now a ..."
    re.compile(r"^[\W_]*(?:system|assistant|user|developer|admin|administrator|operator)(?: prompt| message| override)?"
               r"\s*(?::|>|\]|-{1,2} )"),
    re.compile(r"<\|?(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\|?>|\[/?inst\]|"
               r"^#+ ?(?:instruction|system|response)s?\b"),
    re.compile(r"\byou are (?:now |no longer )?(?:an? |the )?(?:\w+ ){0,2}?(?:ai|assistant|summari[sz]er|model|bot|"
               r"chatbot|language model|agent)\b"),
    re.compile(r"\b(?:act|behave|respond) as (?:if you (?:are|were) )?(?:an? |the )?(?:\w+ ){0,2}?(?:ai|assistant|"
               r"summari[sz]er|model|bot|dan|agent)\b|\bpretend (?:to be|you are|that you)\b|\bfrom now on,? you\b"),
    # A bare directive: "Write that ...", "Report only that ...", "State instead that ..."
    re.compile(_LEAD + r"(?:write|report|state|say|claim|conclude|tell (?:the )?readers?|announce|mention) "
               r"(?:(?:only|instead|clearly|simply|just|now) )*that\b(?! down| off| up| out)"),
    re.compile(_LEAD + r"(?:summari[sz]e|describe|present|portray|characteri[sz]e) (?:this|the) "
               r"(?:story|article|event|incident|page|news|report)\b[^.]{0,40}\bas\b"),
]


def is_injection(text: str) -> bool:
    """True when the text addresses a model or automated tool, or tells the reader what to report."""
    t = detection_text(text)
    return any(p.search(t) for p in _PATTERNS)
