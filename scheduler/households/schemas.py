"""The household FILE as a parent writes it (YAML), validated strictly.

These models describe the file, not the solver's input: members are keyed by id (``members.sam``),
times are local wall-clock times in the household's zone, and recurrence is an RRULE, a list of
weekdays or a list of dates. ``scheduler.households.instance`` turns a validated file into the
solver's ``Instance``. Every model rejects unknown keys, so a typo ("efort") is an error naming the
key instead of a silently ignored setting. Cross-references (a duty naming an unknown member, ...)
are checked by ``reference_problems`` so each message can name the exact field path.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Annotated, Literal, NamedTuple
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from scheduler.errors import UnknownTimeZone
from scheduler.timezones import zone

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# A duty happens at most once a day (its identity is duty id + day), and its time of day comes from
# ``start`` or ``window``, so rules that pick hours or repeat within a day are refused.
_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
_TIME_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART"}


def _clock(value: object) -> object:
    """Read "07:30" or "7:30" as a time of day (not pydantic's seconds-since-midnight numbers)."""
    if isinstance(value, time):
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"expected a time of day like '07:30', got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


Clock = Annotated[time, BeforeValidator(_clock)]


def _rule_body(text: str) -> str:
    body = text.strip()
    return body[len("RRULE:") :] if body.upper().startswith("RRULE:") else body


def _rule(text: str, anchor: date) -> tuple[rrule, tzinfo | None]:
    """The dateutil rule for an RRULE value anchored (DTSTART) at midnight of ``anchor``, and the
    zone of that anchor.

    dateutil insists that a rule with ``UNTIL=...Z`` has an aware DTSTART and one with a floating
    UNTIL a naive one; only the rule's dates are used, so either anchor gives the same days.
    """
    midnight = datetime.combine(anchor, time())
    try:
        return rrulestr(_rule_body(text), dtstart=midnight), None  # type: ignore[return-value]
    except ValueError as naive_error:
        if "UNTIL" not in str(naive_error):
            raise
        aware = midnight.replace(tzinfo=UTC)
        return rrulestr(_rule_body(text), dtstart=aware), UTC  # type: ignore[return-value]


def rule_days(text: str, anchor: date, first: date, last: date) -> list[date]:
    """The days in ``[first, last)`` on which the RRULE ``text`` anchored at ``anchor`` happens."""
    rule, zone_of_anchor = _rule(text, anchor)
    begin, end = (datetime.combine(d, time(), tzinfo=zone_of_anchor) for d in (first, last))
    return sorted({moment.date() for moment in rule.between(begin, end, inc=True)} - {last})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Recurring(_Strict):
    """When something happens: exactly one of ``recurrence``, ``days`` or ``dates``."""

    recurrence: str | None = Field(
        default=None, description="RRULE, e.g. 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'"
    )
    days: list[Weekday] | None = Field(default=None, description="weekly on these days")
    dates: list[date] | None = Field(default=None, description="on these dates only")
    starts_on: date | None = Field(
        default=None,
        description="first day of the recurrence (RRULE DTSTART); default: the first planned day",
    )

    @field_validator("recurrence")
    @classmethod
    def _valid_rrule(cls, value: str | None) -> str | None:
        if value is None:
            return None
        example = "write one like 'FREQ=WEEKLY;BYDAY=MO,WE,FR' (RFC 5545 RRULE)"
        if "\n" in value.strip():
            raise ValueError(f"invalid RRULE {value!r}: give a single rule on one line; {example}")
        parts = {
            part.split("=", 1)[0].strip().upper(): part.partition("=")[2].strip().upper()
            for part in _rule_body(value).split(";")
            if part.strip()
        }
        if parts.get("FREQ") in _SUB_DAILY or _TIME_PARTS & parts.keys():
            raise ValueError(
                f"invalid RRULE {value!r}: a duty happens at most once a day and its time comes "
                f"from 'start' or 'window'; use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY without "
                f"BYHOUR/BYMINUTE/BYSECOND"
            )
        try:
            _rule(value, date(2026, 1, 1))
        except (ValueError, TypeError) as error:
            raise ValueError(f"invalid RRULE {value!r} ({error}); {example}") from None
        return value

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Recurring:
        given = [k for k in ("recurrence", "days", "dates") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "say when with exactly one of 'recurrence' (an RRULE), 'days' (e.g. [MO, WE]) "
                f"or 'dates' (e.g. [2026-12-02]); got {', '.join(given) or 'none'}"
            )
        return self

    def days_between(self, first: date, last: date, *, anchor: date | None = None) -> list[date]:
        """The days in ``[first, last)`` on which this happens, from ``starts_on`` on; a
        ``recurrence`` without it starts on ``anchor`` (default ``first``, the first planned
        day), which decides the weeks of an every-other-week rule."""
        if self.dates is not None:
            return sorted({d for d in self.dates if first <= d < last})
        if self.days is not None:
            weekdays = {WEEKDAYS.index(d) for d in self.days}
            begin = max(first, self.starts_on or first)
            span = range((last - begin).days)
            return [d for n in span if (d := begin + timedelta(days=n)).weekday() in weekdays]
        assert self.recurrence is not None  # exactly one of the three (``_exactly_one_kind``)
        return rule_days(self.recurrence, self.starts_on or anchor or first, first, last)


class TimeWindow(_Strict):
    """A span of local wall-clock time, e.g. ``{from: "09:00", to: "18:00"}``; a ``to`` earlier
    than ``from`` ends the next day (a night nanny's ``{from: "22:00", to: "06:00"}``)."""

    from_: Clock = Field(alias="from")
    to: Clock

    @model_validator(mode="after")
    def _not_empty(self) -> TimeWindow:
        if self.to == self.from_:
            raise ValueError(
                f"window starts and ends at {self.from_:%H:%M}, so it is empty; give 'to' a "
                "later time (or an earlier one for a window ending the next day)"
            )
        return self

    @property
    def overnight(self) -> bool:
        """Ends the next day."""
        return self.to < self.from_

    @property
    def minutes(self) -> int:
        """Wall-clock minutes from ``from`` to ``to``."""
        minutes = (self.to.hour * 60 + self.to.minute) - (self.from_.hour * 60 + self.from_.minute)
        return minutes % (24 * 60)

    def span(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The window on ``day`` (the day it starts) as moments in ``tz``."""
        end_day = day + timedelta(days=1) if self.overnight else day
        return local(day, self.from_, tz), local(end_day, self.to, tz)


def local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """``clock`` on ``day`` in ``tz``; a wall time skipped by DST moves forward by the gap."""
    naive = datetime.combine(day, clock, tzinfo=tz)
    return naive.astimezone(UTC).astimezone(tz)


class Availability(TimeWindow, Recurring):
    """When a helper can take duties, e.g. ``{days: [MO, WE], from: "15:00", to: "20:00"}``."""


class MemberFile(_Strict):
    name: str | None = Field(default=None, description="shown in plans; default: the id")
    role: Literal["partner", "helper"] = "partner"
    email: str | None = Field(default=None, description="to recognise declined invitations")
    calendars: list[str] = Field(default_factory=list, description="ICS file paths or URLs")
    buffer_before: int = Field(default=0, ge=0, description="minutes of travel before a duty")
    buffer_after: int = Field(default=0, ge=0, description="minutes of travel after a duty")
    weekly_cap: int | None = Field(default=None, ge=0, description="minutes of duties per week")
    prefers: list[str] = Field(default_factory=list)
    avoids: list[str] = Field(default_factory=list)
    availability: list[Availability] | None = Field(
        default=None, description="helpers: when they can take duties; default any time"
    )
    hourly_cost: float = Field(default=0.0, ge=0)
    on_call: bool = Field(
        default=False, description="helpers: called only for what no partner can take"
    )
    ramp_up: int | None = Field(default=None, ge=0)
    owns: list[str] = Field(default_factory=list)

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        # A typo here is silent otherwise: declined invitations would just stay busy.
        if value is not None and not _EMAIL.match(value.strip().removeprefix("mailto:")):
            raise ValueError(
                f"{value!r} is not an e-mail address; give the one your calendar invitations are "
                "sent to, e.g. alex@example.com"
            )
        return value


class DutyFile(Recurring):
    id: str
    name: str | None = Field(default=None, description="shown in plans; default: the id")
    start: Clock | None = Field(default=None, description="fixed local start time")
    window: TimeWindow | None = Field(default=None, description="the solver picks the start")
    duration: int = Field(gt=0, le=24 * 60, description="minutes, at most a day")
    effort: int = Field(default=1, ge=1, description="how draining: weight per minute")
    eligible: list[str] | None = Field(default=None, description="default: all partners")
    pinned_owner: str | None = None
    same_owner_as: list[str] = Field(default_factory=list)
    different_owner_from: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                f"invalid id {value!r}: use lower-case letters, digits, '-' and '_', "
                "e.g. 'school-dropoff'"
            )
        return value

    @field_validator("eligible")
    @classmethod
    def _somebody(cls, value: list[str] | None) -> list[str] | None:
        if value == []:
            raise ValueError(
                "empty, so nobody could ever take this duty; list the member ids who may, or "
                "leave 'eligible' out for all partners"
            )
        return value

    @model_validator(mode="after")
    def _fits_its_time(self) -> DutyFile:
        if (self.start is None) == (self.window is None):
            raise ValueError(
                "give either 'start' (a fixed time like '07:30') or 'window' "
                "(e.g. {from: '09:00', to: '18:00'}), not both or neither"
            )
        if self.window is not None and self.duration > self.window.minutes:
            raise ValueError(
                f"duration {self.duration} min is longer than its window "
                f"{self.window.from_:%H:%M}-{self.window.to:%H:%M} ({self.window.minutes} min); "
                "shorten the duration or widen the window"
            )
        return self


class LockFile(_Strict):
    """A date already agreed: this occurrence goes to this member."""

    duty: str
    day: date = Field(alias="date")
    member: str


class DeclineFile(_Strict):
    """A member's "I can't do this one": they do not take this occurrence."""

    member: str
    duty: str
    day: date = Field(alias="date")
    note: str = Field(default="", description="the member's reason, quoted in the plan")


class FairnessFile(_Strict):
    target: Literal["equal", "free_time"] = "equal"
    bound_percent: float = Field(default=10.0, ge=0, le=100)
    so_far_bound_percent: float | None = Field(default=None, ge=0, le=100)
    carried_load: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class HouseholdFile(_Strict):
    household: str = Field(description="the household's name")
    timezone: str = Field(description="IANA time zone of every time in the file")
    fairness: FairnessFile = FairnessFile()
    members: dict[str, MemberFile] = Field(min_length=1)
    duties: list[DutyFile] = Field(min_length=1)
    locks: list[LockFile] = Field(default_factory=list)
    declines: list[DeclineFile] = Field(default_factory=list)

    @field_validator("members", mode="before")
    @classmethod
    def _bare_member_is_empty(cls, value: object) -> object:
        """``sam:`` with nothing under it is a member with every default, not an error."""
        if isinstance(value, dict):
            return {key: {} if member is None else member for key, member in value.items()}
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zone(value, where="timezone")
        except UnknownTimeZone:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin' "
                "or 'America/New_York'"
            ) from None
        return value

    def partners(self) -> list[str]:
        return [i for i, m in self.members.items() if m.role == "partner"]

    def eligible(self, duty: DutyFile) -> list[str]:
        return list(duty.eligible) if duty.eligible is not None else self.partners()


class Problem(NamedTuple):
    """One mistake in the file: where (``duties[2] ('laundry').eligible[0]``) and what to do
    about it."""

    path: str
    message: str


def reference_problems(household: HouseholdFile) -> list[Problem]:
    """Ids that do not exist, are duplicated or are used where they cannot be, in file order."""
    problems: list[Problem] = []
    members = list(household.members)
    duty_ids = [d.id for d in household.duties]
    known_members = ", ".join(members)
    known_duties = ", ".join(dict.fromkeys(duty_ids))
    # A duplicate first: it also makes every reference to that id ambiguous.
    for index, duty_id in enumerate(duty_ids):
        if duty_ids.index(duty_id) != index:
            problems.append(
                Problem(
                    f"duties[{index}] ({duty_id!r}).id",
                    f"duplicate duty id {duty_id!r} (also duties[{duty_ids.index(duty_id)}]); "
                    "give each duty its own id",
                )
            )

    def member_ref(path: str, value: str) -> None:
        if value not in household.members:
            problems.append(
                Problem(
                    path,
                    f"unknown member {value!r}; use one of the ids under 'members': "
                    f"{known_members}",
                )
            )

    def duty_ref(path: str, value: str) -> None:
        if value not in duty_ids:
            problems.append(
                Problem(path, f"unknown duty {value!r}; use one of the duty ids: {known_duties}")
            )

    for member_id in members:
        if not _ID.match(member_id):
            problems.append(
                Problem(
                    f"members.{member_id}",
                    f"invalid member id {member_id!r}: use lower-case letters, digits, '-' and "
                    "'_', e.g. 'sam'",
                )
            )
    for index, duty in enumerate(household.duties):
        here = f"duties[{index}] ({duty.id!r})"
        for j, who in enumerate(duty.eligible or []):
            member_ref(f"{here}.eligible[{j}]", who)
        if duty.pinned_owner is not None:
            member_ref(f"{here}.pinned_owner", duty.pinned_owner)
            if duty.pinned_owner in members and duty.pinned_owner not in household.eligible(duty):
                problems.append(
                    Problem(
                        f"{here}.pinned_owner",
                        f"{duty.pinned_owner!r} is not eligible for {duty.id!r}; add them to "
                        f"{here}.eligible or pin someone who is",
                    )
                )
        for link in ("same_owner_as", "different_owner_from"):
            for j, other in enumerate(getattr(duty, link)):
                duty_ref(f"{here}.{link}[{j}]", other)
                if other == duty.id:
                    problems.append(
                        Problem(
                            f"{here}.{link}[{j}]",
                            f"duty {duty.id!r} links to itself; link it to another duty's id",
                        )
                    )
    for member_id, member in household.members.items():
        for field in ("prefers", "avoids", "owns"):
            for j, other in enumerate(getattr(member, field)):
                duty_ref(f"members.{member_id}.{field}[{j}]", other)

    def occurrence_ref(path: str, entry: LockFile | DeclineFile, advice: str) -> None:
        """A lock's or a decline's duty and member, who must be eligible for it."""
        duty_ref(f"{path}.duty", entry.duty)
        member_ref(f"{path}.member", entry.member)
        duty = next((d for d in household.duties if d.id == entry.duty), None)
        if (
            duty is not None
            and entry.member in members
            and entry.member not in household.eligible(duty)
        ):
            problems.append(
                Problem(
                    f"{path}.member",
                    f"{entry.member!r} is not eligible for {entry.duty!r}; {advice}",
                )
            )

    for index, lock in enumerate(household.locks):
        occurrence_ref(
            f"locks[{index}]",
            lock,
            "add them to that duty's 'eligible' or lock the occurrence to someone who is",
        )
    for index, decline in enumerate(household.declines):
        occurrence_ref(
            f"declines[{index}]",
            decline,
            "they are never given it anyway: remove this decline or fix its duty",
        )
        for j, lock in enumerate(household.locks):
            if (lock.duty, lock.day, lock.member) == (decline.duty, decline.day, decline.member):
                problems.append(
                    Problem(
                        f"declines[{index}]",
                        f"{decline.member!r} can't do {decline.duty!r} on {decline.day}, but "
                        f"locks[{j}] gives it to them; remove the lock or the decline",
                    )
                )
    for partner in household.fairness.carried_load:
        if household.members.get(partner, MemberFile(role="helper")).role != "partner":
            problems.append(
                Problem(
                    f"fairness.carried_load.{partner}",
                    f"{partner!r} is not a partner; carried load is counted for partners only "
                    f"({', '.join(household.partners())})",
                )
            )
    for member_id, member in household.members.items():
        if member.on_call and member.role != "helper":
            problems.append(
                Problem(
                    f"members.{member_id}.on_call",
                    "only a helper can be on call (called only for what no partner can take); "
                    "remove it, or give this member 'role: helper'",
                )
            )
    if not household.partners():
        problems.append(
            Problem(
                "members",
                "no member has role 'partner'; fairshare splits duties between "
                "partners, so mark at least one member 'role: partner'",
            )
        )
    return problems
