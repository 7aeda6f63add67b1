"""The one entry point for a member's busy time: source -> text -> busy reading.

The CLI, the planner and later the workers call ``busy_from_source``; it is the only place that
joins the I/O (``sources``) to the pure reading (``busy``) and reads the fetch settings.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.calendars.busy import BusyReading, busy_intervals_from_ics
from scheduler.calendars.sources import read_calendar_text, source_label
from scheduler.config import get_settings


def busy_from_source(
    source: str,
    *,
    window_start: datetime,
    window_end: datetime,
    default_tz: ZoneInfo,
    email: str | None = None,
    base_dir: Path | None = None,
) -> BusyReading:
    """Busy time of one calendar (file path or http(s) URL) in ``[window_start, window_end)``.

    Raises ``CalendarSourceError`` when the source cannot be read and ``CalendarFormatError`` when
    it is not iCalendar; a single broken event only adds a warning to the reading.
    """
    settings = get_settings()
    text = read_calendar_text(
        source,
        base_dir=base_dir,
        timeout=settings.calendar_fetch_timeout,
        max_bytes=settings.calendar_max_bytes,
    )
    return busy_intervals_from_ics(
        text,
        window_start=window_start,
        window_end=window_end,
        default_tz=default_tz,
        email=email,
        source=source_label(source),
    )
