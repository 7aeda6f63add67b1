"""Busy time, the value shared by calendar ingestion, the solver and its explanations."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, order=True)
class BusyInterval:
    """A half-open span ``[start, end)`` in which a member cannot take a duty.

    ``start`` and ``end`` are timezone-aware. ``summary`` is the calendar event's title, shown to
    the family when it explains why a duty moved ("Alex: 'Board prep' 07:00-08:30").
    """

    start: datetime
    end: datetime
    summary: str = ""

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end
