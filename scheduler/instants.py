"""Moments in time: instants (UTC) inside, the household's zone at the edges.

Python compares, subtracts and adds two datetimes of one zone on the wall clock. Across a
daylight-saving change a 60-minute duty would then last 0 or 120 minutes, and the autumn night's
repeated hour would overlap itself. So the solver's input and output hold UTC, where every
minute is a minute; only what a family reads (tables, explanations, JSON, feeds) is shown in the
household's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    WrapSerializer,
)

ZONE = "timezone"  # the serialisation context's key for the zone to write instants in


def utc(moment: datetime) -> datetime:
    """``moment`` as UTC; a time without an offset is refused (it is no instant)."""
    if moment.utcoffset() is None:
        raise ValueError(
            f"{moment.isoformat()} has no time zone; write it with its offset, "
            "e.g. 2026-11-24T07:30:00+01:00"
        )
    return moment.astimezone(UTC)


def _in_zone(
    moment: datetime, write: SerializerFunctionWrapHandler, info: SerializationInfo
) -> Any:
    zone = (info.context or {}).get(ZONE)
    return write(moment.astimezone(ZoneInfo(zone)) if zone else moment)


Instant = Annotated[datetime, AfterValidator(utc), WrapSerializer(_in_zone)]
"""A datetime field that holds UTC, written in the zone a serialiser's context names
(``context={ZONE: "Europe/Berlin"}``)."""
