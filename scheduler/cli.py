"""The ``fairshare`` command: parse options, call one service, print, map errors to exit code 2.

Each command is a thin shell. Errors a user can fix are ``FairshareError``s and print as one line
on stderr; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scheduler.calendars.service import busy_from_source
from scheduler.errors import FairshareError, InputError
from scheduler.intervals import BusyInterval
from scheduler.timezones import zone

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


@app.callback()
def _commands() -> None:
    # fairshare is always a group of commands (`fairshare busy ...`), even while only one exists.
    pass


@app.command()
@user_errors
def busy(
    source: str = typer.Argument(..., help="Work calendar: an .ics file path or an http(s) URL."),
    from_day: str = typer.Option(
        ..., "--from", help="First day shown, inclusive (YYYY-MM-DD, from local midnight in --tz)."
    ),
    to_day: str = typer.Option(
        ..., "--to", help="Day the window ends, exclusive (YYYY-MM-DD, local midnight in --tz)."
    ),
    tz: str = typer.Option(
        ...,
        "--tz",
        help="The household's IANA time zone, e.g. Europe/Berlin: the window, all-day events "
        "and times without a zone are read in it, and times are shown in it.",
    ),
    email: str | None = typer.Option(
        None, "--email", help="Your own e-mail address: invitations you declined are free time."
    ),
    as_json: bool = typer.Option(
        False, "--json", help='Print {"busy": [{"start", "end", "summary"}, ...]} instead.'
    ),
) -> None:
    """Show the busy time fairshare reads from a work calendar ("why does it think I'm busy?")."""
    household_tz = zone(tz, where="--tz")
    first_day, end_day = _day_option(from_day, "--from"), _day_option(to_day, "--to")
    if end_day <= first_day:
        raise InputError(
            f"--to: {to_day} is not after --from {from_day}; --to is exclusive, so give a later "
            f"day, e.g. --to {first_day + timedelta(days=7)}"
        )
    window_start = datetime.combine(first_day, time(), household_tz)
    window_end = datetime.combine(end_day, time(), household_tz)
    reading = busy_from_source(
        source,
        window_start=window_start,
        window_end=window_end,
        default_tz=household_tz,
        email=email,
    )
    for warning in reading.warnings:
        err_console.print(
            Text.assemble(("warning: ", "bold yellow"), warning), highlight=False, soft_wrap=True
        )
    if as_json:
        busy_json = [
            {
                "start": interval.start.astimezone(household_tz).isoformat(),
                "end": interval.end.astimezone(household_tz).isoformat(),
                "summary": interval.summary,
            }
            for interval in reading.intervals
        ]
        typer.echo(json.dumps({"busy": busy_json}, indent=2, ensure_ascii=False))
        return
    _print_busy_table(reading.intervals, f"Busy time in {source} ({tz}), {from_day} to {to_day}")


def _day_option(value: str, option: str) -> date:
    """Parse a YYYY-MM-DD option, or say which option is wrong and how to write it."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{option}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23"
        ) from None


def _print_busy_table(intervals: list[BusyInterval], title: str) -> None:
    """One section per local day, so a parent finds "why am I busy on Tuesday?" at a glance."""
    if not intervals:
        console.print(f"{title}: no busy time.", highlight=False)
        return
    table = Table(title=title, title_justify="left")
    table.add_column("Day")
    table.add_column("From")
    table.add_column("To")
    table.add_column("Event")
    previous_day = None
    for interval in intervals:
        day = interval.start.date()
        if previous_day is not None and day != previous_day:
            table.add_section()
        to = interval.end.strftime("%H:%M")
        if interval.end.date() != day:
            to = interval.end.strftime("%a %d %b %H:%M")
        table.add_row(
            day.strftime("%a %d %b") if day != previous_day else "",
            interval.start.strftime("%H:%M"),
            to,
            interval.summary or "(no title)",
        )
        previous_day = day
    console.print(table)


def main() -> None:
    app()
