"""The one redaction of secrets, used by every error message, record, manifest, log line and report.

URLs lose their user:password and query (where tokens hide); API keys, bearer tokens and
`key=value` secrets are masked wherever they appear in free text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "[REDACTED]"
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
_SECRETS = [
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),  # OpenAI-style keys
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    # key=value secrets, prefixed or not: api_key, api_token, access_token, x-api-key, password
    re.compile(r"(?i)\b((?:[a-z0-9]+[_-])*(?:key|token|secret|password|passwd|pwd|authorization|auth)"
               r"[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&]+"),
]


def redact_url(url: str) -> str:
    """A URL without user, password, query or fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def redact(text: str) -> str:
    """Free text with every URL redacted and every recognizable secret masked."""
    if not text:
        return text
    text = _URL.sub(lambda m: redact_url(m.group(0)), text)
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: (m.group(1) + (" " if m.re is _SECRETS[1] else "") if m.groups() else "") + MASK,
                           text)
    return text
