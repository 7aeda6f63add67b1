"""Cut a calendar's text down to what can make a member busy in a window, before parsing.  [pure]

Parsing is the cost of reading a calendar: icalendar takes about a millisecond per event on our
2-core machine, and a year of a busy work calendar has well over a thousand events, each with
attendee lists, descriptions and conference boilerplate. A planning window needs a fraction of it
(issue 3's benchmark: under 0.5 s for 12 weeks of a year-long calendar). So, on the unfolded text,
with string search and regular expressions over whole events (a Python loop over every line costs
as much as the parsing it saves):

- inside events, properties busy.py never reads are dropped (DESCRIPTION, LOCATION, ORGANIZER,
  alarms, ...), and so are those that cannot change the reading: STATUS other than CANCELLED,
  TRANSP other than TRANSPARENT, ATTENDEE lines other than the member's own decline. Everything
  outside events (calendar properties, VTIMEZONE blocks) is kept as it is;
- a one-off event (no RRULE, RDATE or RECURRENCE-ID) whose dates lie clearly outside the window
  is dropped. Its dates are read from the DTSTART/DTEND text with two days of margin, more than
  any zone offset, so only events that cannot overlap the window go. Anything this module cannot
  read with certainty (no DTSTART, a DURATION, an odd value) is kept for the real parser, which
  then places it or warns about it.

Recurring series and their overrides are always kept: an override moved out of the window still
removes its original instance from it. The result reads exactly as the full text would
(a hypothesis test compares the two).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# The properties busy.py (and recurring-ical-events) read from an event...
_READ = "UID|SUMMARY|DTSTART|DTEND|DURATION|RRULE|RDATE|EXDATE|EXRULE|RECURRENCE-ID|SEQUENCE"
_READ_LINE = re.compile(rf"\n((?:{_READ}|X-MICROSOFT-CDO-BUSYSTATUS)[;:][^\r\n]*)", re.I)
# ...and those that only matter with one value (OPAQUE, CONFIRMED, ACCEPTED are the default).
_SOMETIMES_READ_LINE = re.compile(r"\n((STATUS|TRANSP|ATTENDEE)[;:][^\r\n]*)", re.I)
_MATTERS_WITH = {"STATUS": ("cancelled",), "TRANSP": ("transparent",)}
# An event that repeats, or whose end this module does not compute, is always kept. The patterns
# run on the upper-cased event and start with a literal newline: a `^` in MULTILINE mode is
# tried at every position and made this module slower than the parsing it saves.
_ALWAYS_KEPT = re.compile(r"\n(?:RRULE|RDATE|EXRULE|RECURRENCE-ID|DURATION)[;:]")
_START = re.compile(r"\nDTSTART[;:][^\n]*")
_END = re.compile(r"\nDTEND[;:][^\n]*")
# A DATE or DATE-TIME value at the end of a DTSTART/DTEND line.
_DATE_AT_END = re.compile(r":(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?\s*$")
_MARGIN = timedelta(days=2)
_BEGIN, _END_OF_EVENT = "BEGIN:VEVENT", "END:VEVENT"


def lines_that_can_be_busy(
    text: str, *, window_start: datetime, window_end: datetime, email: str | None
) -> str:
    """Return ``text`` without what cannot make ``email``'s owner busy in the window."""
    first_day = window_start.date() - _MARGIN
    last_day = window_end.date() + _MARGIN
    attendee = email.strip().lower().removeprefix("mailto:") if email else None
    unfolded = _unfolded(text)
    upper = unfolded.upper()
    pieces: list[str] = []
    copied_up_to = 0
    while (begin := upper.find(_BEGIN, copied_up_to)) != -1:
        end = upper.find(_END_OF_EVENT, begin)
        if end == -1:
            break  # cut off: the parser reports it
        end += len(_END_OF_EVENT)
        pieces.append(unfolded[copied_up_to:begin])
        copied_up_to = end
        event, event_upper = _without_alarms(unfolded[begin:end], upper[begin:end])
        if _can_be_in_window(event_upper, first_day, last_day):
            pieces.append(_read_lines(event, attendee))
    pieces.append(unfolded[copied_up_to:])
    return "".join(pieces)


def _unfolded(text: str) -> str:
    """RFC 5545 folding: a line break followed by one space or tab continues the line."""
    for fold in ("\r\n ", "\r\n\t", "\n ", "\n\t"):
        if fold in text:
            text = text.replace(fold, "")
    return text


def _without_alarms(event: str, upper: str) -> tuple[str, str]:
    while (begin := upper.find("BEGIN:VALARM")) != -1:
        end = upper.find("END:VALARM", begin)
        if end == -1:
            break
        end += len("END:VALARM")
        event, upper = event[:begin] + event[end:], upper[:begin] + upper[end:]
    return event, upper


def _can_be_in_window(event_upper: str, first_day: date, last_day: date) -> bool:
    if _ALWAYS_KEPT.search(event_upper):
        return True
    starts = [_date_at_end(line) for line in _START.findall(event_upper)]
    ends = [_date_at_end(line) for line in _END.findall(event_upper)]
    if len(starts) != 1 or starts[0] is None or len(ends) > 1 or None in ends:
        return True  # the parser decides (and warns) about events this cannot read
    start = starts[0]
    end = ends[0] if ends and ends[0] is not None else start + timedelta(days=1)
    return start <= last_day and end >= first_day


def _read_lines(event: str, attendee: str | None) -> str:
    """The event's BEGIN/END lines and the properties that are read, nothing else."""
    lines = [_BEGIN, *_READ_LINE.findall(event)]
    for line, name in _SOMETIMES_READ_LINE.findall(event):
        lowered = line.lower()
        if name.upper() == "ATTENDEE":
            if attendee is not None and attendee in lowered and "declined" in lowered:
                lines.append(line)
        elif any(value in lowered for value in _MATTERS_WITH[name.upper()]):
            lines.append(line)
    lines.append(_END_OF_EVENT)
    return "\r\n".join(lines)


def _date_at_end(line: str) -> date | None:
    match = _DATE_AT_END.search(line)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
