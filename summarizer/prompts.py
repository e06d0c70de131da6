"""Versioned prompt files: `prompts/NAME@VERSION.md`, a TOML header and a Jinja2 body.

    +++
    name = "summarize"
    version = "v2"
    description = "one line"
    task = "grounded"              # which response shape the pipeline asks for
    max_facts = 6
    max_conflicts = 2
    [settings]                     # model settings; the command line can override each
    temperature = 0.2
    seed = 7
    max_tokens = 700
    max_retries = 2
    +++
    {% block system %}...{% endblock %}
    {% block user %}...{% endblock %}

A prompt's identity is the hash of its file's bytes: any edit is a new identity,
recorded with every summary it produces.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import EventsumError, InputError

PROMPTS_ENV = "EVENTSUM_PROMPTS_DIR"
SUFFIX = ".md"
_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*\r?\n(.*)\Z", re.S)
_REF = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)@(?P<version>[a-z0-9][a-z0-9._-]*)$")
MESSAGE_BLOCKS = ("system", "user")


_FENCE_TAG = re.compile(r"<(/?)(source|sources|system|user|assistant|instructions?|data)\b", re.I)


def neutralize_fences(value: Any) -> Any:
    """A fence tag inside a value (`</source>`, `<source id=...>`) made inert: `<` becomes `&lt;`."""
    if isinstance(value, str):
        return _FENCE_TAG.sub(lambda m: f"&lt;{m.group(1)}{m.group(2)}", value)
    return value


def attribute_value(value: Any) -> str:
    """A value safe inside a double-quoted attribute: & < > " ' and line breaks escaped."""
    text = html.escape(str(value), quote=True)
    return text.replace("\r", "&#13;").replace("\n", "&#10;")


class PromptSettings(BaseModel):
    """Model settings a prompt was written for."""

    model_config = ConfigDict(extra="forbid")

    temperature: float = Field(0.2, ge=0.0, le=2.0)
    seed: int | None = 7
    max_tokens: int = Field(700, gt=0)
    repeat_penalty: float = Field(1.0, ge=0.5, le=2.0)
    n_ctx: int | None = Field(None, gt=0)
    max_retries: int = Field(2, ge=0, description="re-asks after an invalid answer")


class PromptHeader(BaseModel):
    """The front matter of a prompt file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    description: str
    task: str = Field(description="the response shape: 'abstractive' or 'grounded'")
    max_facts: int = Field(6, ge=1, le=20)
    max_conflicts: int = Field(2, ge=0, le=6)
    settings: PromptSettings = Field(default_factory=PromptSettings)


class PromptFile(BaseModel):
    """A loaded prompt: header, Jinja2 body, and the hash of the file it came from."""

    header: PromptHeader
    body: str
    path: str
    hash: str

    @property
    def ref(self) -> str:
        return f"{self.header.name}@{self.header.version}"

    @cached_property
    def template(self) -> jinja2.Template:
        # Every interpolated value passes `finalize`, so no field (today's or a future one) can open or
        # close a fence; values inside an attribute also go through `attr`.
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=False, finalize=neutralize_fences)
        env.filters["attr"] = attribute_value
        return env.from_string(self.body)

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages: the `system` block, then the `user` block, rendered with `variables`."""
        template = self.template
        context = template.new_context(variables)
        try:
            return [{"role": block, "content": "".join(template.blocks[block](context)).strip()}
                    for block in MESSAGE_BLOCKS]
        except jinja2.UndefinedError as err:
            raise InputError(self.path, f"template error: {err.message}") from err


BUILTIN_DIR = Path(__file__).resolve().parents[1] / "prompts"
_log = logging.getLogger(__name__)
_noted: set[str] = set()


def prompts_dir() -> Path:
    """The folder where your own prompts go: `$EVENTSUM_PROMPTS_DIR`, else the built-in prompts/ folder."""
    env = os.environ.get(PROMPTS_ENV)
    return Path(env) if env else BUILTIN_DIR


def prompt_dirs() -> list[Path]:
    """Where prompts are looked up, later folders winning: the built-in prompts/, then `$EVENTSUM_PROMPTS_DIR`."""
    user = prompts_dir()
    if user == BUILTIN_DIR:
        return [BUILTIN_DIR]
    if not user.is_dir():  # a typo must not silently leave only the built-in prompts
        raise InputError(user, f"no such folder (named by {PROMPTS_ENV})")
    return [BUILTIN_DIR] if user.resolve() == BUILTIN_DIR else [BUILTIN_DIR, user]


def _prompt_files(folders: list[Path]) -> dict[str, Path]:
    """NAME@VERSION -> file; a file in a later folder replaces a built-in one of the same name, with a note."""
    files: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*@*{SUFFIX}")):
            if not path.is_file():
                continue
            ref = path.name[: -len(SUFFIX)]
            if ref in files and ref not in _noted:
                _noted.add(ref)
                # logging's last-resort handler prints a WARNING on stderr as the bare message: one line.
                _log.warning("note: %s replaces the built-in %s (%s)", path, ref, files[ref])
            files[ref] = path
    return files


def parse_prompt(path: Path) -> PromptFile:
    """Read and check one prompt file; errors name the file and the field."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 text (byte {err.start})") from None
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise InputError(path, "expected a TOML header between '+++' lines at the top of the file")
    try:
        data = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, f"header is not valid TOML: {err}") from None
    try:
        header = PromptHeader.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        raise InputError(path, first["msg"], field=".".join(str(p) for p in first["loc"])) from None
    if path.name != f"{header.name}@{header.version}{SUFFIX}":
        raise InputError(path, f"the file must be named {header.name}@{header.version}{SUFFIX} (its name and version)")
    prompt = PromptFile(header=header, body=match.group(2), path=str(path),
                        hash=hashlib.sha256(raw).hexdigest()[:12])
    try:
        blocks = prompt.template.blocks
    except jinja2.TemplateSyntaxError as err:
        raise InputError(path, f"Jinja2 syntax error: {err.message}", field=f"line {err.lineno}") from None
    missing = [b for b in MESSAGE_BLOCKS if b not in blocks]
    if missing:
        raise InputError(path, f"missing {{% block %}} for: {', '.join(missing)}")
    return prompt


def list_prompts(folder: Path | None = None) -> list[PromptFile]:
    """Every prompt, by name then version: the built-in ones and yours (or only those in `folder`)."""
    files = _prompt_files([folder] if folder else prompt_dirs())
    prompts = [parse_prompt(p) for p in files.values()]
    return sorted(prompts, key=lambda p: (p.header.name, p.header.version))


def is_prompt_ref(spec: str) -> bool:
    return _REF.match(spec) is not None


def load_prompt(ref: str, folder: Path | None = None) -> PromptFile:
    """The prompt NAME@VERSION (yours first, then the built-in one); an unknown one is an error listing what exists."""
    if not is_prompt_ref(ref):
        raise EventsumError(f"{ref!r} is not a prompt reference: expected NAME@VERSION, e.g. summarize@v2")
    folders = [folder] if folder else prompt_dirs()
    files = _prompt_files(folders)
    if ref not in files:
        known = ", ".join(sorted(files)) or "none"
        raise EventsumError(f"no prompt {ref!r} in {' or '.join(map(str, folders))} (known: {known})")
    return parse_prompt(files[ref])
