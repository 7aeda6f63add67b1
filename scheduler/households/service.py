"""Plan a household: the thin I/O shell around reading, building the instance and solving.

It reads the household file, each member's calendars (paths relative to the household file's
folder) and the previous plan, reads the clock and the settings, then hands plain values to the pure
``build_instance`` and ``solve``. The CLI, and later the service and the workers, call
``plan_household``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from scheduler.calendars.service import busy_from_source
from scheduler.config import get_settings
from scheduler.errors import FairshareError, InputError
from scheduler.households.file import load_household
from scheduler.households.instance import build_instance, horizon
from scheduler.households.lived import lived_part, lived_weeks
from scheduler.households.schemas import HouseholdFile
from scheduler.intervals import BusyInterval
from scheduler.solver.model import Progress, no_progress, solve
from scheduler.solver.plan import Plan

# Busy time just outside the horizon still matters: a buffer before a 00:15 duty reaches back into
# the previous day, and an overnight flight ends on the first planned day.
_BUSY_MARGIN = timedelta(days=1)
DEFAULT_WEEKS = 4  # planned when neither --weeks nor a previous plan says how many


def plan_household(
    path: Path,
    *,
    start: date | None = None,
    weeks: int | None = None,
    previous: Path | None = None,
    freeze_minutes: int = 120,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> tuple[Plan, list[str]]:
    """The plan for ``weeks`` weeks from ``start`` and the warnings met on the way.

    ``previous`` is a plan written by ``fairshare plan --json`` to re-plan against; ``now``
    (default: the clock) is the moment of re-planning, read in the household's zone when it has
    no offset. Without ``start`` and ``weeks``: the previous plan's weeks (a re-plan after a new
    meeting), or else ``DEFAULT_WEEKS`` from today in the household's zone. ``progress`` hears
    what is being done ("reading calendars", then the solver's goals).
    """
    if weeks is not None and weeks < 1:
        raise InputError(f"--weeks: {weeks} is not a number of weeks; give 1 or more, e.g. 4")
    settings = get_settings()  # first: a bad setting is not the household file's fault
    household = load_household(path)
    tz = ZoneInfo(household.timezone)
    previous_plan = None if previous is None else read_plan(previous)
    same_weeks = start is None
    start, weeks = _weeks_to_plan(start, weeks, previous_plan, tz)
    progress("reading calendars")
    busy, warnings = _read_busy(household, path, tz, start, weeks)
    if previous_plan is not None and previous_plan.household != household.household:
        warnings.append(
            f"--previous: {previous} is a plan of {previous_plan.household!r}, not of "
            f"{household.household!r}; only duties and members with the same ids carry over, "
            "so pass this household's own plan unless the household was renamed"
        )
    if now is not None and previous_plan is None:
        warnings.append("--now: ignored without --previous (it is the moment of re-planning)")
    moment = None
    if now is not None:
        moment = now if now.tzinfo is not None else now.replace(tzinfo=tz)
    elif previous_plan is not None:
        moment = datetime.now(UTC)
    if same_weeks and previous_plan is not None and moment and previous_plan.end <= moment:
        warnings.append(
            "--previous: that plan's weeks are all over, and re-planning them keeps what was "
            f"done; give --start (e.g. --start {moment.astimezone(tz).date()}) to plan the next "
            "weeks, counting those"
        )
    instance, instance_warnings = build_instance(
        household,
        busy=busy,
        start=start,
        weeks=weeks,
        previous=previous_plan,
        now=moment,
        freeze_minutes=freeze_minutes,
        time_limit_seconds=settings.solver_time_limit,
    )
    plan = solve(instance, progress)
    if previous_plan is not None:
        done, missed = lived_part(previous_plan, instance.start, {d.id for d in household.duties})
        lived = lived_weeks(previous_plan, done, missed, plan)
        if lived is not None:
            plan = plan.model_copy(update={"lived": lived})
    return plan, warnings + instance_warnings


def _weeks_to_plan(
    start: date | None, weeks: int | None, previous: Plan | None, tz: ZoneInfo
) -> tuple[date, int]:
    """``start`` and ``weeks``, each defaulting to the previous plan's, or else to today (in the
    household's zone) and ``DEFAULT_WEEKS``."""
    if previous is not None:
        first = previous.start.astimezone(tz).date()
        # The day after the last planned day, a whole number of weeks after the first.
        after = previous.end.astimezone(tz).date()
        return start or first, weeks or max(1, round((after - first).days / 7))
    return start or datetime.now(tz).date(), weeks or DEFAULT_WEEKS


def read_plan(path: Path) -> Plan:
    """A plan written by ``fairshare plan --json``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"--previous: cannot read {str(path)!r} ({error}); pass the JSON file written by "
            "`fairshare plan ... --json`"
        ) from None
    try:
        return Plan.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(
            f"--previous: {str(path)!r} is not a fairshare plan ({where or 'top level'}: "
            f"{first['msg']}); pass the JSON file written by `fairshare plan ... --json`"
        ) from None


def _read_busy(
    household: HouseholdFile, path: Path, tz: ZoneInfo, start: date, weeks: int
) -> tuple[dict[str, list[BusyInterval]], list[str]]:
    """Each member's busy time over the horizon; a calendar error names its place in the file."""
    begin, end = horizon(household, start, weeks)
    busy: dict[str, list[BusyInterval]] = {}
    warnings: list[str] = []
    for member_id, member in household.members.items():
        intervals: list[BusyInterval] = []
        for index, source in enumerate(member.calendars):
            try:
                reading = busy_from_source(
                    source,
                    window_start=begin - _BUSY_MARGIN,
                    window_end=end + _BUSY_MARGIN,
                    default_tz=tz,
                    email=member.email,
                    base_dir=path.parent,
                )
            except FairshareError as error:
                raise type(error)(
                    f"{path}: members.{member_id}.calendars[{index}]: {error.message}"
                ) from None
            intervals.extend(reading.intervals)
            warnings.extend(reading.warnings)
        busy[member_id] = sorted(intervals)
    return busy, warnings
