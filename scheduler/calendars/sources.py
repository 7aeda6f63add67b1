"""Where a calendar's text comes from: a file on disk or an http(s) URL.  [I/O]

Every failure is a ``CalendarSourceError`` that names the source and says what to do, because the
person reading it is a parent whose calendar link expired, not a developer. Size is capped so a
wrong URL (a video, a log file) cannot exhaust memory.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from scheduler.errors import CalendarSourceError

_URL_SCHEMES = ("http://", "https://")
# Apple and Google hand out subscription links as webcal://; they are plain https.
_WEBCAL = "webcal://"
_OTHER_URL = re.compile(r"[a-z][a-z0-9+.-]*://")


def read_calendar_text(
    source: str, *, base_dir: Path | None = None, timeout: float, max_bytes: int
) -> str:
    """Return the iCalendar text of ``source``, a file path or an http(s) (or webcal) URL.

    A relative path is resolved against ``base_dir`` (e.g. the household file's folder) when
    given, else against the working directory.
    """
    lowered = source.strip().lower()
    if lowered.startswith(_WEBCAL):
        return _fetch("https://" + source.strip()[len(_WEBCAL) :], source, timeout, max_bytes)
    if lowered.startswith(_URL_SCHEMES):
        return _fetch(source.strip(), source, timeout, max_bytes)
    if _OTHER_URL.match(lowered):
        raise CalendarSourceError(
            f"{source_label(source)}: only http(s) and webcal links can be fetched; "
            "download the calendar and give the path of the .ics file"
        )
    return _read_file(source, base_dir, max_bytes)


def _read_file(source: str, base_dir: Path | None, max_bytes: int) -> str:
    path = Path(source).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    where = source if str(path) == source else f"{source} ({path})"
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise CalendarSourceError(
            f"{where}: no such calendar file; check the path or export the calendar again"
        ) from None
    except IsADirectoryError:
        raise CalendarSourceError(
            f"{where}: is a folder, not a calendar file; give the path of the .ics file"
        ) from None
    except PermissionError:
        raise CalendarSourceError(
            f"{where}: permission denied; make the calendar file readable for this user"
        ) from None
    except OSError as error:
        raise CalendarSourceError(
            f"{where}: cannot read the calendar file ({error.strerror or error}); "
            "check the path and the disk"
        ) from None
    if len(data) > max_bytes:
        raise CalendarSourceError(
            f"{where}: the calendar file is larger than {max_bytes} bytes; check it is a work "
            "calendar export, or raise FAIRSHARE_CALENDAR_MAX_BYTES"
        )
    return _decode(data, charset=None)


def _fetch(url: str, source: str, timeout: float, max_bytes: int) -> str:
    where = source_label(source)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url, headers={"Accept": "text/calendar, */*"}) as response,
        ):
            if response.status_code >= 400:
                raise CalendarSourceError(
                    f"{where}: the server answered HTTP {response.status_code} "
                    f"{response.reason_phrase}; check the calendar link (private links can be "
                    "reset) and copy it again from the calendar's sharing settings"
                )
            data = bytearray()
            for chunk in response.iter_bytes():
                data.extend(chunk)
                if len(data) > max_bytes:
                    raise CalendarSourceError(
                        f"{where}: the calendar is larger than {max_bytes} bytes; check the link "
                        "points to a calendar, or raise FAIRSHARE_CALENDAR_MAX_BYTES"
                    )
            return _decode(bytes(data), charset=response.charset_encoding)
    except httpx.TimeoutException:
        raise CalendarSourceError(
            f"{where}: no answer within {timeout:g} s; check the link and your network, or "
            "raise FAIRSHARE_CALENDAR_FETCH_TIMEOUT"
        ) from None
    except httpx.HTTPError as error:
        raise CalendarSourceError(
            f"{where}: cannot fetch the calendar ({_reason(error)}); check the link and your "
            "network connection"
        ) from None


def _decode(data: bytes, *, charset: str | None) -> str:
    """Calendars are UTF-8 by RFC 5545; honour a server's declared charset, drop a BOM."""
    try:
        return data.decode(charset or "utf-8-sig", errors="replace").lstrip("\ufeff")
    except LookupError:  # a server declaring a charset Python does not know
        return data.decode("utf-8-sig", errors="replace")


def _reason(error: httpx.HTTPError) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def source_label(source: str) -> str:
    """How a calendar is named in messages and logs, without the secrets its link may carry.

    Private calendar links are credentials: Google's "secret address" hides its token in the
    path, Outlook's and others' in the query string, some in ``user:password@``. A label keeps the
    host and the file name, enough for a parent to recognise the link, and masks the rest.
    """
    parts = urlsplit(source.strip())
    if not parts.scheme or not parts.netloc:
        return source  # a file path
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    if parts.username is not None:
        host = f"{parts.username}:***@{host}" if parts.password is not None else f"***@{host}"
    segments = [segment for segment in parts.path.split("/") if segment]
    path = "/" + "/".join(segments) if len(segments) <= 1 else f"/.../{segments[-1]}"
    return urlunsplit((parts.scheme, host, path, "..." if parts.query else "", ""))
