"""Every table a command prints, in one of four formats: a rich table, JSON, TSV or Markdown.

Commands build a `Grid` (columns and string cells) and, for JSON, pass their data as it is;
this module decides how it looks. Outside a terminal a table is as wide as its ids and numbers
need: they are never cut, only text columns fold.
"""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from eventsum.commands.console import out
from summarizer.errors import InputError

_TEXT_MIN_WIDTH = 20
_UNBOUNDED = 100_000


class Format(str, Enum):
    table = "table"
    json = "json"
    tsv = "tsv"
    markdown = "markdown"


FORMAT_HELP = "table (for people), json, tsv (for scripts) or markdown (for a README)."


def pick_format(fmt: Format | None, json_flag: bool = False, markdown_flag: bool = False) -> Format:
    """--format wins; the older --json and --markdown flags are aliases of it."""
    if fmt is not None:
        return fmt
    if json_flag:
        return Format.json
    if markdown_flag:
        return Format.markdown
    return Format.table


Kind = Literal["id", "number", "text"]


class Column(BaseModel):
    header: str
    kind: Kind = Field("id", description="ids and numbers are never cut; text folds")


class Grid(BaseModel):
    """A table as data: what every format is made from."""

    title: str | None = None
    columns: list[Column]
    rows: list[list[str]] = Field(default_factory=list)
    total: list[str] | None = Field(None, description="a last row of totals, set apart")

    def add(self, *cells: Any) -> None:
        self.rows.append([str(c) for c in cells])

    def records(self) -> list[dict[str, str]]:
        rows = self.rows + ([self.total] if self.total else [])
        return [dict(zip((c.header for c in self.columns), row, strict=True)) for row in rows]


def grid(title: str | None, *columns: str | tuple[str, Kind]) -> Grid:
    """A Grid from column specs: "case" (an id) or ("coverage", "number")."""
    cols = [Column(header=c) if isinstance(c, str) else Column(header=c[0], kind=c[1]) for c in columns]
    return Grid(title=title, columns=cols)


def _cell(text: str) -> str:
    return " ".join(text.split())


def to_tsv(g: Grid) -> str:
    lines = [[c.header for c in g.columns], *g.rows, *([g.total] if g.total else [])]
    return "".join("\t".join(_cell(x) for x in line) + "\n" for line in lines)


def to_markdown(g: Grid) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(_cell(x).replace("|", "\\|") for x in cells) + " |\n"

    text = row([c.header for c in g.columns]) + "|" + "---|" * len(g.columns) + "\n"
    text += "".join(row(r) for r in g.rows)
    if g.total:
        text += row([f"**{g.total[0]}**", *g.total[1:]])
    return text


def to_rich(g: Grid) -> Table:
    table = Table(title=g.title)
    for i, c in enumerate(g.columns):
        cells = [c.header, *(r[i] for r in g.rows), *([g.total[i]] if g.total else [])]
        if c.kind == "text":
            table.add_column(c.header, overflow="fold", min_width=min(_TEXT_MIN_WIDTH, max(map(len, cells))))
        else:  # as wide as its longest cell, so a narrow console cannot cut it
            table.add_column(c.header, no_wrap=True, min_width=max(map(len, cells)),
                             justify="right" if c.kind == "number" else "left")
    for r in g.rows:
        table.add_row(*r)
    if g.total:
        table.add_section()
        table.add_row(*g.total, style="bold")
    return table


def print_table(table: Table, console: Console = out) -> None:
    """On a terminal as rich does it; elsewhere at least as wide as the table's ids and numbers need."""
    if console.is_terminal:
        console.print(table)
        return
    needed = Measurement.get(console, console.options.update_width(_UNBOUNDED), table).minimum
    if needed <= console.width:
        console.print(table)
        return
    # Console.print cannot print wider than its console: a console of the needed width, same file.
    Console(file=console.file, width=needed, highlight=False, color_system=None).print(table)


def emit(g: Grid, fmt: Format, data: Any = None, console: Console = out) -> None:
    """Print a grid in `fmt`; JSON prints `data` (the command's own model) or else the grid's rows."""
    if fmt is Format.json:
        payload = g.records() if data is None else data
        text = (payload.model_dump_json(indent=2) if isinstance(payload, BaseModel)
                else json.dumps(payload, indent=2, default=_json_default))
        console.file.write(text + "\n")
    elif fmt is Format.tsv:
        console.file.write(to_tsv(g))
    elif fmt is Format.markdown:
        console.file.write(to_markdown(g))
    else:
        print_table(to_rich(g), console)


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def check_writable(path: Path) -> None:
    """Refuse an output file whose folder is missing or read-only before any work is done."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(path, f"cannot write: there is no folder {folder}")
    if path.is_dir():
        raise InputError(path, "cannot write: it is a folder")
    if not os.access(folder, os.W_OK):
        raise InputError(path, f"cannot write: the folder {folder} is not writable")
