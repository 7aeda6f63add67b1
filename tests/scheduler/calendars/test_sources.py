"""Reading a calendar from a file or an http(s) URL, against a real local HTTP server."""

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scheduler.calendars.sources import read_calendar_text, source_label
from scheduler.errors import CalendarSourceError
from tests.scheduler.calendars.corpus import CORPUS

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Büro\r\nEND:VCALENDAR\r\n"
LIMITS = {"timeout": 2.0, "max_bytes": 1_000_000}


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    yield port


def test_relative_file_path_is_read_from_the_household_files_folder(tmp_path: Path) -> None:
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "work.ics").write_bytes(b"\xef\xbb\xbf" + CALENDAR.encode())

    text = read_calendar_text("calendars/work.ics", base_dir=tmp_path, **LIMITS)

    assert text == CALENDAR  # UTF-8 with the byte-order mark some exporters write dropped


def test_absolute_file_path_ignores_the_base_folder(tmp_path: Path) -> None:
    source = str(CORPUS / "utc_times.ics")

    assert "Release call" in read_calendar_text(source, base_dir=tmp_path, **LIMITS)


def test_missing_file_names_the_path_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text("work.ics", base_dir=tmp_path, **LIMITS)

    assert str(raised.value) == (
        f"work.ics ({tmp_path / 'work.ics'}): no such calendar file; check the path or export "
        "the calendar again"
    )


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarSourceError, match="is a folder, not a calendar file"):
        read_calendar_text(str(tmp_path), **LIMITS)


def test_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    path.write_text(CALENDAR * 10)

    with pytest.raises(CalendarSourceError, match=r"huge\.ics: .*larger than 100 bytes"):
        read_calendar_text(str(path), timeout=1.0, max_bytes=100)


def test_calendar_url_is_fetched_and_decoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/alex/basic.ics").respond_with_data(
        CALENDAR.encode(), content_type="text/calendar; charset=utf-8"
    )

    text = read_calendar_text(httpserver.url_for("/alex/basic.ics"), **LIMITS)

    assert text == CALENDAR


def test_redirected_calendar_url_is_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old.ics").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.ics")}
    )
    httpserver.expect_request("/new.ics").respond_with_data(CALENDAR)

    assert read_calendar_text(httpserver.url_for("/old.ics"), **LIMITS) == CALENDAR


def test_http_error_names_the_url_and_the_status(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/expired.ics").respond_with_data("gone", status=404)
    url = httpserver.url_for("/expired.ics")

    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text(url, **LIMITS)

    assert str(raised.value).startswith(f"{url}: the server answered HTTP 404 NOT FOUND; check")


def test_unreachable_url_is_a_clear_error(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/work.ics"

    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text(url, **LIMITS)

    message = str(raised.value)
    assert message.startswith(f"{url}: cannot fetch the calendar (")
    assert message.endswith("check the link and your network connection")


def test_password_in_a_url_is_not_repeated_in_the_error(closed_port: int) -> None:
    url = f"http://alex:s3cret@127.0.0.1:{closed_port}/work.ics"

    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text(url, **LIMITS)

    assert "s3cret" not in str(raised.value)
    assert str(raised.value).startswith(f"http://alex:***@127.0.0.1:{closed_port}/work.ics: ")


def test_secret_calendar_links_are_not_repeated_in_the_error(closed_port: int) -> None:
    google_secret = (
        f"http://127.0.0.1:{closed_port}/calendar/ical/alex%40example.com/"
        "private-7f3a9c2e1b/basic.ics"
    )
    outlook_token = f"http://127.0.0.1:{closed_port}/owa/calendar.ics?token=7f3a9c2e1b"

    for url in (google_secret, outlook_token):
        with pytest.raises(CalendarSourceError) as raised:
            read_calendar_text(url, **LIMITS)
        assert "7f3a9c2e1b" not in str(raised.value)
    assert source_label(google_secret) == f"http://127.0.0.1:{closed_port}/.../basic.ics"
    assert source_label(outlook_token) == f"http://127.0.0.1:{closed_port}/.../calendar.ics?..."


def test_slow_server_times_out_with_a_clear_error(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(CALENDAR)

    httpserver.expect_request("/slow.ics").respond_with_handler(slow)
    url = httpserver.url_for("/slow.ics")

    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text(url, timeout=0.2, max_bytes=1_000_000)

    assert str(raised.value) == (
        f"{url}: no answer within 0.2 s; check the link and your network, or raise "
        "FAIRSHARE_CALENDAR_FETCH_TIMEOUT"
    )


def test_url_answering_more_than_the_limit_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/video.ics").respond_with_data(b"x" * 5000)

    with pytest.raises(CalendarSourceError, match="larger than 1000 bytes"):
        read_calendar_text(httpserver.url_for("/video.ics"), timeout=2.0, max_bytes=1000)


def test_webcal_link_is_fetched_over_https(closed_port: int) -> None:
    # Apple and Google share subscription links as webcal://, https underneath. The local test
    # server speaks no https, but a refused connection shows the link was fetched, not refused.
    url = f"webcal://127.0.0.1:{closed_port}/work.ics"

    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text(url, **LIMITS)

    assert str(raised.value).startswith(f"{url}: cannot fetch the calendar (")
    assert "refused" in str(raised.value)  # it tried to connect: the scheme was understood


def test_other_kinds_of_link_are_refused_with_what_to_do() -> None:
    with pytest.raises(CalendarSourceError) as raised:
        read_calendar_text("ftp://files.example.com/work.ics", **LIMITS)

    assert str(raised.value) == (
        "ftp://files.example.com/work.ics: only http(s) and webcal links can be fetched; "
        "download the calendar and give the path of the .ics file"
    )
