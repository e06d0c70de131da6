"""The one place where exceptions become what a user reads, at the CLI boundary.

A user error (a path that does not exist or cannot be read or written, a file that is not UTF-8,
bad input that eventsum reports as `EventsumError`) is one line on stderr naming the thing, and
exit code 2. Anything else is a bug in eventsum: its traceback, then a line asking for a report.
"""

from __future__ import annotations

import errno
import sys
import traceback
from typing import Any

import typer
from rich.text import Text
from typer.core import TyperArgument, TyperGroup, TyperOption

from eventsum.commands.console import err
from summarizer.errors import EventsumError
from summarizer.redaction import redact

USER_ERROR_EXIT = 2
BUG_EXIT = 1
BUG_NOTE = ("This is a bug in eventsum, not a problem with your input. Please report it with the command you "
            "ran and the traceback above.")


def user_message(exc: BaseException) -> str | None:
    """The one-line message for a user error, or None when `exc` is a bug."""
    if isinstance(exc, EventsumError):
        return str(exc)
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc) or type(exc).__name__
        if exc.filename is None:
            return what
        where = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else str(exc.filename)
        return f"{where}: {what}"
    if isinstance(exc, UnicodeDecodeError):
        return f"a file is not UTF-8 text ({exc.reason} at byte {exc.start})"
    return None


def print_error(message: str) -> None:
    """`error MESSAGE` on stderr, one line: no markup is read from the message, nothing is wrapped."""
    err.print(Text.assemble(("error", "red"), " ", redact(" ".join(message.split()))), soft_wrap=True)


def _report(exc: Exception) -> int:
    message = user_message(exc)
    if message is not None:
        print_error(message)
        return USER_ERROR_EXIT
    traceback.print_exception(exc, file=sys.stderr)
    print(BUG_NOTE, file=sys.stderr)
    return BUG_EXIT


def _usage_name(param: TyperArgument) -> str:
    name = param.display_name_raw
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def _plain_help(command: Any) -> None:
    """Help that reads as usual: SUITE, not {suite}; a flag shows no `<bool>` type."""
    help_option = command.get_help_option(typer.Context(command))  # created here so that it is plain too
    for param in [*getattr(command, "params", []), *([help_option] if help_option else [])]:
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = (param.name or "").upper()
            param._usage_display_name = lambda p=param: _usage_name(p)  # type: ignore[method-assign]
        elif isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class EventsumGroup(TyperGroup):
    """The root command group: every command runs inside its `invoke`, so its errors pass here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_help(self)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException as exc:  # a bad option or argument: one line too, not a boxed panel
            if type(exc).__name__ == "NoArgsIsHelpError":  # the help text, which typer prints itself
                raise
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            print_error(exc.format_message() + hint)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # a closed pipe (`| head`): typer exits quietly
            raise typer.Exit(_report(exc)) from None
        except Exception as exc:  # noqa: BLE001 - the boundary: every exception ends here, said once
            raise typer.Exit(_report(exc)) from None
