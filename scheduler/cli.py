"""The ``fairshare`` command: parse options, call one service, print, map errors to exit code 2.

Each command is a thin shell. Errors a user can fix are ``FairshareError``s and print as one line
on stderr; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.status import Status
from rich.table import Table
from rich.text import Text

from scheduler.calendars.service import busy_from_source
from scheduler.errors import FairshareError, InputError
from scheduler.feeds.render import write_feeds
from scheduler.households.report import plan_report
from scheduler.households.service import DEFAULT_WEEKS, plan_household
from scheduler.intervals import BusyInterval
from scheduler.solver.plan import Plan
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


BUSY_DAYS = 14  # what `busy` shows without --to


@app.command()
@user_errors
def busy(
    source: str = typer.Argument(..., help="Work calendar: an .ics file path or an http(s) URL."),
    from_day: str | None = typer.Option(
        None,
        "--from",
        help="First day shown, inclusive (YYYY-MM-DD, from local midnight in --tz). Default: "
        "today.",
    ),
    to_day: str | None = typer.Option(
        None,
        "--to",
        help="Day the window ends, exclusive (YYYY-MM-DD, local midnight in --tz). Default: "
        f"{BUSY_DAYS} days after --from.",
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
    first_day = (
        datetime.now(household_tz).date() if from_day is None else _day_option(from_day, "--from")
    )
    end_day = (
        first_day + timedelta(days=BUSY_DAYS) if to_day is None else _day_option(to_day, "--to")
    )
    if end_day <= first_day:
        raise InputError(
            f"--to: {end_day} is not after --from {first_day}; --to is exclusive, so give a later "
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
    _print_busy_table(reading.intervals, f"Busy time in {source} ({tz}), {first_day} to {end_day}")


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


# The example household and the fixed month its calendars cover: the demo has no clock surprises.
EXAMPLE_HOUSEHOLD = Path(__file__).resolve().parent.parent / "examples" / "household.yaml"
DEMO_START = date(2026, 11, 23)
DEMO_WEEKS = 4


@app.command()
@user_errors
def plan(
    household_file: Path = typer.Argument(
        ..., help="The household file (YAML), e.g. examples/household.yaml."
    ),
    start: str | None = typer.Option(
        None,
        "--start",
        help="First planned day (YYYY-MM-DD), from local midnight. Default: the --previous "
        "plan's, or today.",
    ),
    weeks: int | None = typer.Option(
        None,
        "--weeks",
        help=f"How many weeks to plan. Default: as many as the --previous plan, or "
        f"{DEFAULT_WEEKS}.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the plan as JSON (assignments, unassigned, load, changes)."
    ),
    ics: Path | None = typer.Option(
        None, "--ics", help="Write one ICS feed per member and household.ics into this folder."
    ),
    previous: Path | None = typer.Option(
        None,
        "--previous",
        help="Re-plan against this earlier `plan --json` output: owners change only where "
        "calendars force it or fairness needs it. With a later --start it rolls the plan "
        "forward, counting the weeks lived and saying what went well in them.",
    ),
    freeze: int = typer.Option(
        120, "--freeze", help="With --previous: minutes from --now in which nothing changes."
    ),
    explain: bool = typer.Option(False, "--explain", help="Show why each duty went to whom."),
    now: str | None = typer.Option(
        None,
        "--now",
        help="With --previous: the moment of re-planning (ISO 8601, e.g. 2026-11-24T06:00); "
        "default: now.",
    ),
) -> None:
    """Plan who does which duty when, week by week, around everyone's calendars."""
    if freeze < 0:
        raise InputError(f"--freeze: {freeze} is negative; give minutes >= 0, e.g. --freeze 120")
    if ics is not None:
        _check_feed_folder(ics, "--ics")  # before planning, which can take a while
    with err_console.status("Reading the household...", spinner="dots") as status:
        result, warnings = plan_household(
            household_file,
            start=None if start is None else _day_option(start, "--start"),
            weeks=weeks,
            previous=previous,
            freeze_minutes=freeze,
            now=_moment_option(now, "--now"),
            progress=_on(status),
        )
    _print_warnings(warnings)
    if as_json:
        typer.echo(result.to_json())
    else:
        console.print(plan_report(result, explain=explain))
    if ics is not None:
        _write_feeds(result, ics, to=err_console if as_json else console)


@app.command()
@user_errors
def demo(
    out: Path = typer.Option(
        Path("out/demo"), "--out", help="Folder the example household's feeds are written to."
    ),
) -> None:
    """Plan the example household (examples/) for 4 weeks from Mon 23 Nov 2026; write its feeds."""
    _check_feed_folder(out, "--out")
    with err_console.status(f"Planning {EXAMPLE_HOUSEHOLD.name}...", spinner="dots") as status:
        result, warnings = plan_household(
            EXAMPLE_HOUSEHOLD, start=DEMO_START, weeks=DEMO_WEEKS, progress=_on(status)
        )
    _print_warnings(warnings)
    console.print(plan_report(result))
    _write_feeds(result, out, to=console)
    console.print(
        f"Planned from {EXAMPLE_HOUSEHOLD}. Try `{_program()} plan {EXAMPLE_HOUSEHOLD} "
        f"--start {DEMO_START} --weeks {DEMO_WEEKS} --explain`.",
        highlight=False,
        soft_wrap=True,
    )


def _on(status: Status) -> Callable[[str], None]:
    """Progress shown on the spinner's line: "Giving each duty one owner..."."""

    def show(doing: str) -> None:
        status.update(f"{doing[:1].upper()}{doing[1:]}...")

    return show


def _moment_option(value: str | None, option: str) -> datetime | None:
    """Parse an ISO 8601 date-time option; without an offset it is read in the household's zone."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{option}: {value!r} is not a date and time; write it as ISO 8601, e.g. "
            "2026-11-24T06:00 or 2026-11-24T06:00+01:00"
        ) from None


def _check_feed_folder(directory: Path, option: str) -> None:
    """Refuse a feed folder that cannot be written: a file, or under a folder we may not write."""
    if directory.exists() and not directory.is_dir():
        raise InputError(
            f"{option}: {directory} is a file, not a folder; give a folder for the feeds (it is "
            "created if it does not exist)"
        )
    existing = next(p for p in (directory, *directory.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{option}: cannot write to {existing}; choose a folder you can write to")


def _write_feeds(result: Plan, directory: Path, *, to: Console) -> None:
    try:
        paths = write_feeds(result, directory, generated_at=datetime.now(UTC))
    except OSError as error:
        raise InputError(
            f"{directory}: cannot write the feeds ({error.strerror or error}); choose a folder "
            "you can write to"
        ) from None
    to.print(f"Feeds written to {directory}:", highlight=False, soft_wrap=True)
    for path in paths:
        to.print(f"  {path}", highlight=False, soft_wrap=True)


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        err_console.print(
            Text.assemble(("warning: ", "bold yellow"), warning), highlight=False, soft_wrap=True
        )


def main() -> None:
    app()


def _program() -> str:
    """How to call fairshare again: as it was called, relative to the current folder when it
    lives below it (``.venv/bin/fairshare`` after ``make demo``), else by name."""
    called = Path(sys.argv[0])
    if called.name != "fairshare":
        return "fairshare"
    try:
        return str(called.resolve().relative_to(Path.cwd()))
    except ValueError:
        return "fairshare" if shutil.which("fairshare") else str(called.resolve())
