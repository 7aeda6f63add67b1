"""Time zone lookup by IANA name, with an error a parent can act on."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.errors import UnknownTimeZone


def zone(name: str, *, where: str = "--tz") -> ZoneInfo:
    """Return the zone called ``name``; ``where`` names the option or field it came from."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        raise UnknownTimeZone(
            f"{where}: unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin' "
            "or 'America/New_York'"
        ) from None
