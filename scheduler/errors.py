"""The one error tree.

Every error a parent or an operator can cause is a ``FairshareError``: it carries a message they
can act on (what was wrong, where, and what to do), the HTTP status an endpoint answers with and the
CLI's exit code. Anything else escaping is a bug.
"""


class FairshareError(Exception):
    """Root of every user-facing error."""

    status_code = 400
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(FairshareError):
    """A command-line option or request field has a value we cannot use."""


class UnknownTimeZone(InputError):
    """An IANA time zone name that the tz database does not know."""


class CalendarSourceError(FairshareError):
    """A calendar file or URL could not be read (missing, unreadable, unreachable)."""


class CalendarFormatError(FairshareError):
    """A calendar was read but is not valid iCalendar."""


class HouseholdFileError(FairshareError):
    """The household file is missing, malformed or refers to things that do not exist."""


class ResourceNotFound(FairshareError):
    status_code = 404


class SettingsError(FairshareError):
    """An environment setting (``FAIRSHARE_*``) has a value we cannot use."""
