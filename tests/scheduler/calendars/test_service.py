"""busy_from_source: the one call the planner and the CLI make for a member's busy time."""

import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scheduler.calendars.service import busy_from_source
from scheduler.config import get_settings
from scheduler.errors import CalendarSourceError
from tests.scheduler.calendars.corpus import BERLIN, CORPUS, local_midnight

WINDOW = {
    "window_start": local_midnight("2026-11-23"),
    "window_end": local_midnight("2026-12-07"),
    "default_tz": BERLIN,
}


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_file_next_to_the_household_file_is_read_with_the_members_email() -> None:
    reading = busy_from_source(
        "declined_invitation.ics", base_dir=CORPUS, email="alex@example.com", **WINDOW
    )

    assert [interval.summary for interval in reading.intervals] == [
        "Sprint planning",
        "Retro (not answered yet)",
    ]


def test_url_source_gives_the_same_busy_time_as_the_file(httpserver: HTTPServer) -> None:
    path = CORPUS / "recurrence_id_moved_and_cancelled.ics"
    httpserver.expect_request("/work.ics").respond_with_data(
        path.read_bytes(), content_type="text/calendar"
    )

    from_url = busy_from_source(httpserver.url_for("/work.ics"), **WINDOW)
    from_file = busy_from_source(str(path), **WINDOW)

    assert from_url.intervals == from_file.intervals != []


def test_fetch_timeout_comes_from_the_settings(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIRSHARE_CALENDAR_FETCH_TIMEOUT", "0.3")
    httpserver.expect_request("/work.ics").respond_with_handler(_slow_calendar)

    with pytest.raises(CalendarSourceError, match=r"no answer within 0\.3 s"):
        busy_from_source(httpserver.url_for("/work.ics"), **WINDOW)


def _slow_calendar(request: Request) -> Response:
    time.sleep(1.0)
    return Response("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
