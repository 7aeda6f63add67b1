"""The ``fairshare`` command: parse options, call one service, print, map errors to exit code 2.

Each command is a thin shell. Errors a user can fix are ``FairshareError``s and print as one line
on stderr; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from scheduler.errors import FairshareError

app = typer.Typer(
    name="fairshare",
    help="Fair, calendar-aware duty plans for two-parent households.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``FairshareError`` into a one-line message and exit code 2, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except FairshareError as error:
            message = Text.assemble(("error: ", "bold red"), error.message)
            err_console.print(message, highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def main() -> None:
    app()
