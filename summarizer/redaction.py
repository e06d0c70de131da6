"""One redaction of secrets for every message, log line, record and report.

A URL loses its userinfo (user:password@) and its query and fragment (?api_token=...);
free text loses anything that looks like an API key, bearer token or password.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.I)
_SECRETS = [
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),  # OpenAI-style keys
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"(?i)\b((?:api[_-]?)?(?:key|token|secret|password|passwd|pwd)s?\b[\"']?\s*[:=]\s*[\"']?)[^\s&'\",;]+"),
]


def redact_url(url: str) -> str:
    """The URL without userinfo, query or fragment: http://u:p@host/v1?api_token=x -> http://host/v1."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return MASK
    if not parts.scheme:
        return url.split("?", 1)[0].split("#", 1)[0]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def redact(text: str) -> str:
    """The text with every URL redacted and API keys, tokens and passwords masked."""
    text = _URL.sub(lambda m: redact_url(m.group(0)), text)
    text = _SECRETS[0].sub(MASK, text)
    text = _SECRETS[1].sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _SECRETS[2].sub(lambda m: f"{m.group(1)}{MASK}", text)
