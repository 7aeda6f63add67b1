"""Reading the files of the calendar corpus in ``tests/calendars/`` the way a person checks them.

``spans`` turns a reading into ("Tue 24 Nov 09:00", "09:30", summary) rows in the household's
zone, so each test states the busy time exactly as someone looking at their calendar would.
"""

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.calendars.busy import BusyReading, busy_intervals_from_ics

CORPUS = Path(__file__).resolve().parents[2] / "calendars"
BERLIN = ZoneInfo("Europe/Berlin")


def read_corpus(
    name: str,
    *,
    start: str = "2026-11-23",
    end: str = "2026-12-07",
    tz: ZoneInfo = BERLIN,
    email: str | None = None,
) -> BusyReading:
    return busy_intervals_from_ics(
        (CORPUS / name).read_text(encoding="utf-8"),
        window_start=local_midnight(start, tz),
        window_end=local_midnight(end, tz),
        default_tz=tz,
        email=email,
        source=name,
    )


def local_midnight(day: str, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(), tz)


def spans(reading: BusyReading, tz: ZoneInfo = BERLIN) -> list[tuple[str, str, str]]:
    """Busy intervals as local (start, end, summary); the end shows its day only if it differs."""
    rows = []
    for interval in reading.intervals:
        start, end = interval.start.astimezone(tz), interval.end.astimezone(tz)
        end_text = end.strftime("%H:%M" if end.date() == start.date() else "%a %d %b %H:%M")
        rows.append((start.strftime("%a %d %b %H:%M"), end_text, interval.summary))
    return rows
