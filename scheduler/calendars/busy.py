"""ICS text -> busy intervals: when is a member busy according to their work calendar?  [pure]

Recurrence and time zones are the libraries' job, never ours (issue 3):

- ``icalendar`` parses the text and resolves TZIDs, including Outlook's Windows zone names
  ("W. Europe Standard Time") and custom zones defined by the calendar's own VTIMEZONE blocks;
- ``x-wr-timezone`` rewrites Google exports, whose UTC and floating times mean the calendar's
  ``X-WR-TIMEZONE``, into RFC 5545 form, so a weekly meeting keeps its local time across DST;
- ``recurring-ical-events`` expands RRULE (COUNT/UNTIL), RDATE, EXDATE and RECURRENCE-ID overrides.

What remains here is the household's reading of an event. Free, not busy: STATUS:CANCELLED;
TRANSP:TRANSPARENT; Outlook's ``X-MICROSOFT-CDO-BUSYSTATUS`` FREE or WORKINGELSEWHERE (when present
that property decides, over TRANSP); an invitation the member declined. Everything else is busy.
Floating times (no zone, no X-WR-TIMEZONE) and all-day events are read in the household's zone,
``default_tz``: an all-day event blocks whole local days there.

A calendar with one broken event still yields the rest; the broken event is skipped with a warning
naming it, because one bad meeting in someone's export must not hide all their other busy time.

Parsing is the slow part, so the text is first cut to what can matter in the window
(``prefilter.py``); the reading is the same either way.
"""

from __future__ import annotations

import warnings as python_warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import recurring_ical_events
import x_wr_timezone
from icalendar import Calendar, Component, Event, vCalAddress

from scheduler.calendars.prefilter import lines_that_can_be_busy
from scheduler.errors import CalendarFormatError, UnknownTimeZone
from scheduler.intervals import BusyInterval
from scheduler.timezones import zone

# Properties that decide when an event happens; if icalendar could not parse one of them, the
# event (or the one override carrying it) cannot be placed in time and is skipped.
_TIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE"})
_TIME_PROPERTIES_OF_OVERRIDES = _TIME_PROPERTIES | {"RECURRENCE-ID"}
_RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXRULE", "RECURRENCE-ID")

# Outlook's free/busy status; when present it decides over TRANSP.
_CDO_BUSYSTATUS = "X-MICROSOFT-CDO-BUSYSTATUS"
_CDO_FREE = frozenset({"FREE", "WORKINGELSEWHERE"})
_CDO_BUSY = frozenset({"BUSY", "TENTATIVE", "OOF"})

# The library is asked for a window one day wider on each side: floating and all-day events are
# compared by the library before they get the household's zone, which can shift them by up to
# 14 hours; everything is clipped to the real window afterwards.
_QUERY_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class BusyReading:
    """What a calendar says about a member's busy time in a window.

    ``intervals`` are sorted by (start, end), clipped to the window and not merged, so each keeps
    the summary of the event it came from (explanations quote it). ``warnings`` name each event
    that was skipped and why, prefixed with the calendar's source.
    """

    intervals: list[BusyInterval]
    warnings: list[str]


def busy_intervals_from_ics(
    ics: str | bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    default_tz: ZoneInfo,
    email: str | None = None,
    source: str = "calendar",
) -> BusyReading:
    """Read the busy time in ``[window_start, window_end)`` from iCalendar text.

    ``default_tz`` is the household's zone (floating times without X-WR-TIMEZONE, all-day
    events); ``email`` is the member's own address, to recognise invitations they declined;
    ``source`` names the calendar in errors and warnings. Intervals are returned in
    ``default_tz``. Raises ``CalendarFormatError`` when the text is not iCalendar at all.
    """
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("window_start and window_end must be timezone-aware")
    text = _checked_text(ics, source)
    relevant = lines_that_can_be_busy(
        text, window_start=window_start, window_end=window_end, email=email
    )
    return _read(relevant, window_start, window_end, default_tz, email, source)


def _read(
    text: str,
    window_start: datetime,
    window_end: datetime,
    default_tz: ZoneInfo,
    email: str | None,
    source: str,
) -> BusyReading:
    warnings: list[str] = []
    intervals: list[BusyInterval] = []
    me = _address(email) if email else None
    for calendar in _parse_calendars(text, source, warnings):
        calendar = _in_rfc5545_form(calendar, source, warnings)
        usable = _without_broken_events(calendar, source, warnings)
        for occurrence in _occurrences(
            usable, window_start - _QUERY_MARGIN, window_end + _QUERY_MARGIN, source, warnings
        ):
            if not _is_busy(occurrence, me):
                continue
            interval = _interval(occurrence, default_tz, source, warnings)
            if interval is None:
                continue
            clipped = _clip(interval, window_start, window_end, default_tz)
            if clipped is not None:
                intervals.append(clipped)
    intervals.sort()
    return BusyReading(intervals=intervals, warnings=warnings)


_WHAT_TO_DO = "export the calendar again as an .ics file (it starts with BEGIN:VCALENDAR)"


def _checked_text(ics: str | bytes, source: str) -> str:
    text = ics.decode("utf-8-sig", errors="replace") if isinstance(ics, bytes) else ics
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CalendarFormatError(f"{source}: the calendar is empty; {_WHAT_TO_DO}")
    if "BEGIN:VCALENDAR" not in text.upper():
        first_line = text.strip().splitlines()[0][:60]
        raise CalendarFormatError(
            f"{source}: not an iCalendar file (it starts with {first_line!r}); {_WHAT_TO_DO}"
        )
    return text


def _parse_calendars(text: str, source: str, warnings: list[str]) -> list[Calendar]:
    try:
        with python_warnings.catch_warnings(record=True) as caught:
            python_warnings.simplefilter("always")
            components = Calendar.from_ical(text, multiple=True)
    except ValueError as error:
        raise CalendarFormatError(
            f"{source}: not valid iCalendar ({_first_line(error)}); {_WHAT_TO_DO}"
        ) from None
    # icalendar warns about guesses it made (e.g. a vendor-prefixed TZID); they concern this
    # calendar, unlike deprecation notices, which are for us.
    warnings.extend(
        f"{source}: {warning.message}"
        for warning in caught
        if issubclass(warning.category, UserWarning)
    )
    calendars = [component for component in components if isinstance(component, Calendar)]
    if not calendars:
        raise CalendarFormatError(
            f"{source}: the calendar is incomplete (no END:VCALENDAR), probably cut off; "
            f"{_WHAT_TO_DO}"
        )
    return calendars


def _in_rfc5545_form(calendar: Calendar, source: str, warnings: list[str]) -> Calendar:
    """Apply Google's X-WR-TIMEZONE (if any) to the calendar's UTC and floating times."""
    name = calendar.get("X-WR-TIMEZONE")
    if name is None:
        return calendar
    try:
        calendar_zone = zone(str(name).strip(), where="X-WR-TIMEZONE")
    except UnknownTimeZone:
        warnings.append(
            f"{source}: ignored unknown X-WR-TIMEZONE {str(name)!r}; "
            "times without a zone are read in the household's zone"
        )
        return calendar
    converted: Calendar = x_wr_timezone.to_standard(calendar, timezone=calendar_zone)
    return converted


def _without_broken_events(calendar: Calendar, source: str, warnings: list[str]) -> Calendar:
    """Return the calendar without the events that cannot be placed in time, warning for each."""
    kept: list[Component] = []
    for component in calendar.subcomponents:
        if isinstance(component, Event):
            problem = _why_unplaceable(component)
            if problem is not None:
                warnings.append(f"{source}: skipped {_describe(component)}: {problem}")
                continue
        kept.append(component)
    if len(kept) == len(calendar.subcomponents):
        return calendar
    usable = Calendar()
    usable.update(calendar)
    usable.subcomponents = kept
    return usable


def _why_unplaceable(event: Event) -> str | None:
    relevant = _TIME_PROPERTIES_OF_OVERRIDES if "RECURRENCE-ID" in event else _TIME_PROPERTIES
    for name, message in event.errors:
        if name in relevant:
            return f"{name} cannot be read ({message})"
    if "DTSTART" not in event:
        return "it has no DTSTART"
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if any(int(interval) < 1 for interval in rule.get("INTERVAL", [])):
            # dateutil never returns from expanding INTERVAL=0
            return f"RRULE INTERVAL must be at least 1 (got {rule.to_ical().decode()!r})"
    try:
        start, end = event.start, event.end
    except Exception as error:  # icalendar raises several kinds for inconsistent times
        return _first_line(error)
    if end < start:
        return f"it ends ({end}) before it starts ({start})"
    return None


def _occurrences(
    calendar: Calendar, start: datetime, end: datetime, source: str, warnings: list[str]
) -> list[Event]:
    """The events happening around the window: recurring series expanded by the library.

    A one-off event (no recurrence, its UID used once) is its own occurrence; handing it to
    recurring-ical-events only copies it, which cost a third of the benchmark's time.
    """
    lone, series = _lone_events_and_series(calendar)
    if not any(isinstance(component, Event) for component in series.subcomponents):
        return lone
    return lone + _expanded(series, start, end, source, warnings)


def _lone_events_and_series(calendar: Calendar) -> tuple[list[Event], Calendar]:
    events = [component for component in calendar.subcomponents if isinstance(component, Event)]
    uses = Counter(str(event.get("UID", "")) for event in events)
    lone = [
        event
        for event in events
        if "UID" in event
        and uses[str(event["UID"])] == 1
        and not any(name in event for name in _RECURRENCE_PROPERTIES)
    ]
    lone_ids = {id(event) for event in lone}
    series = Calendar()
    series.update(calendar)
    series.subcomponents = [c for c in calendar.subcomponents if id(c) not in lone_ids]
    return lone, series


def _expanded(
    calendar: Calendar, start: datetime, end: datetime, source: str, warnings: list[str]
) -> list[Event]:
    """Expand recurrences; if one series still breaks the library, skip that series only."""
    try:
        return list(recurring_ical_events.of(calendar).between(start, end))
    except Exception:  # the library raises many kinds for one bad series; isolate it below
        pass
    occurrences: list[Event] = []
    for series in _series(calendar):
        try:
            occurrences.extend(recurring_ical_events.of(series).between(start, end))
        except Exception as error:  # one bad series must not hide the others
            first_event = next(c for c in series.subcomponents if isinstance(c, Event))
            warnings.append(f"{source}: skipped {_describe(first_event)}: {_first_line(error)}")
    return occurrences


def _series(calendar: Calendar) -> Iterator[Calendar]:
    """One calendar per UID, each with all of the calendar's time zones."""
    zones = [component for component in calendar.subcomponents if component.name == "VTIMEZONE"]
    by_uid: dict[str, list[Component]] = {}
    for component in calendar.subcomponents:
        if isinstance(component, Event):
            by_uid.setdefault(str(component.get("UID", id(component))), []).append(component)
    for events in by_uid.values():
        series = Calendar()
        series.update(calendar)
        series.subcomponents = [*zones, *events]
        yield series


def _is_busy(event: Event, me: str | None) -> bool:
    if "CANCELLED" in _values(event, "STATUS"):
        return False
    busy_status = _values(event, _CDO_BUSYSTATUS)
    if _CDO_FREE.intersection(busy_status):
        return False
    if not _CDO_BUSY.intersection(busy_status) and "TRANSPARENT" in _values(event, "TRANSP"):
        return False
    return not (me is not None and _declined_by(event, me))


def _values(event: Event, name: str) -> list[str]:
    """A property's values, upper-cased; some exports repeat a property, and any copy counts."""
    value = event.get(name)
    if value is None:
        return []
    return [str(item).strip().upper() for item in (value if isinstance(value, list) else [value])]


def _declined_by(event: Event, me: str) -> bool:
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return any(
        _address(str(attendee)) == me
        and str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
        for attendee in attendees
        if isinstance(attendee, vCalAddress | str)
    )


def _address(value: str) -> str:
    address = value.strip().lower()
    return address.removeprefix("mailto:").strip()


def _interval(
    event: Event, default_tz: ZoneInfo, source: str, warnings: list[str]
) -> BusyInterval | None:
    summary = str(event.get("SUMMARY", "")).strip()
    try:
        start, end = _aware(event.start, default_tz), _aware(event.end, default_tz)
    except Exception as error:  # an occurrence the library produced but cannot place
        warnings.append(f"{source}: skipped {_describe(event)}: {_first_line(error)}")
        return None
    if end <= start:
        return None  # a zero-length event (a reminder, a deadline) blocks no time
    return BusyInterval(start, end, summary)


def _aware(value: date | datetime, default_tz: tzinfo) -> datetime:
    """A date means local midnight in the household's zone; a floating time is local there too."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=default_tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=default_tz)
    return value


def _clip(
    interval: BusyInterval, window_start: datetime, window_end: datetime, default_tz: ZoneInfo
) -> BusyInterval | None:
    start = max(interval.start, window_start)
    end = min(interval.end, window_end)
    if end <= start:
        return None
    return BusyInterval(start.astimezone(default_tz), end.astimezone(default_tz), interval.summary)


def _describe(event: Event) -> str:
    summary = str(event.get("SUMMARY", "")).strip() or "(no title)"
    uid = str(event.get("UID", "")).strip() or "none"
    description = f"event {summary!r} (UID {uid}"
    recurrence_id = event.get("RECURRENCE-ID")
    if recurrence_id is not None:
        try:
            description += f", instance {recurrence_id.dt}"
        except (AttributeError, ValueError):  # a broken RECURRENCE-ID is what the warning reports
            description += ", one instance"
    return description + ")"


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
