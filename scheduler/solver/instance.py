"""The validated input of the solver.

Everything here is plain data: the household layer (``scheduler.households``) reads the household
file and the work calendars and builds an ``Instance``; the solver never looks further. Validators
reject what would otherwise surface as a confusing solver failure (unknown ids, duplicate ids,
windows shorter than the duty) with a message naming the field and value. Times are held as
UTC instants (``scheduler.instants``), whatever zone they are given in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.instants import Instant, utc
from scheduler.intervals import BusyInterval
from scheduler.solver.memo import per_object
from scheduler.solver.plan import CoverageProof


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Window(_Frozen):
    """A span of time, e.g. one evening a babysitter is available."""

    start: Instant
    end: Instant


class Member(_Frozen):
    """A partner or a helper who can take duties."""

    id: str
    name: str
    role: Literal["partner", "helper"]
    busy: tuple[BusyInterval, ...] = ()
    # Helpers only work inside these windows; None means "any time they are not busy".
    availability: tuple[Window, ...] | None = None
    # Why the member is unavailable outside ``availability``: explanations put it after the
    # member's name ("only available Mon, Wed 14:00-19:00" -> "Nana only available Mon, Wed
    # 14:00-19:00"), so it does not contain the name; filled by the household layer.
    availability_text: str = ""
    buffer_before: int = Field(default=0, ge=0, description="minutes of travel before a duty")
    buffer_after: int = Field(default=0, ge=0, description="minutes of travel after a duty")
    weekly_cap: int | None = Field(default=None, ge=0, description="minutes of duties per week")
    prefers: frozenset[str] = frozenset()
    avoids: frozenset[str] = frozenset()
    hourly_cost: float = Field(default=0.0, ge=0)
    # A helper called only for what no partner can take (``objectives.on_call_helpers``).
    on_call: bool = False
    # Ramp-up ("start small"): at most this many duty series newly owned per week.
    ramp_up: int | None = Field(default=None, ge=0)
    # Series this member already owns when the horizon starts (not "new" for ramp-up).
    owns: frozenset[str] = frozenset()

    @field_validator("busy")
    @classmethod
    def _busy_in_utc(cls, busy: tuple[BusyInterval, ...]) -> tuple[BusyInterval, ...]:
        return tuple(sorted(BusyInterval(utc(b.start), utc(b.end), b.summary) for b in busy))


class Duty(_Frozen):
    """A recurring family duty (a series); its occurrences are listed separately."""

    id: str
    name: str
    effort: int = Field(default=1, ge=1, description="how draining: weight per minute")
    eligible: tuple[str, ...]
    pinned_owner: str | None = None
    same_owner_as: tuple[str, ...] = ()
    different_owner_from: tuple[str, ...] = ()


class Occurrence(_Frozen):
    """One occurrence of a duty: it starts somewhere in ``[earliest_start, latest_start]``.

    A fixed-time duty has ``earliest_start == latest_start``. ``day`` is the local date of the
    occurrence and, with the duty id, its identity across re-plans (and its feed UID).
    """

    duty: str
    day: date
    earliest_start: Instant
    latest_start: Instant
    duration: int = Field(gt=0, description="minutes")

    @property
    def key(self) -> str:
        return f"{self.duty}@{self.day.isoformat()}"

    @property
    def latest_end(self) -> datetime:
        return self.latest_start + timedelta(minutes=self.duration)


class Lock(_Frozen):
    """A date already agreed: this occurrence goes to this member, whatever else happens."""

    duty: str
    day: date
    member: str


class Decline(_Frozen):
    """A member's "I can't do this one": they do not take this occurrence, whatever else happens.
    ``note`` is their reason, quoted in explanations ("Alex said they can't (physio)")."""

    duty: str
    day: date
    member: str
    note: str = ""


class PreviousAssignment(_Frozen):
    """One assignment of the plan being re-planned."""

    duty: str
    day: date
    member: str
    start: Instant
    # Feed SEQUENCE of the previous version; bumped when the occurrence changes owner or time.
    sequence: int = 0


class Fairness(_Frozen):
    """How the partners' effort-weighted load should be split."""

    target: Literal["equal", "free_time"] = "equal"
    # The household's tolerance: each partner's share of the horizon's weighted load (carried load
    # included) should stay within this many percentage points of their target share.
    bound_percent: float = Field(default=10.0, ge=0, le=100)
    # Opt-in: at the end of every week, the split so far (carried load included) should stay
    # within this many points of the target, at the cost of owner exceptions (see
    # ``objectives.fairness_so_far``). None: only the horizon and each week alone count.
    so_far_bound_percent: float | None = Field(default=None, ge=0, le=100)
    # Effort-weighted load (minutes x effort) each partner carried in earlier weeks.
    carried_load: dict[str, int] = Field(default_factory=dict)
    # Of ``carried_load``, what earlier plans' weeks added (a plan rolled forward), written into
    # the plan so that the next roll adds to it.
    from_plans: dict[str, int] = Field(default_factory=dict)


class Instance(_Frozen):
    household: str
    timezone: str
    start: Instant  # local midnight of the first day
    end: Instant
    members: tuple[Member, ...]
    duties: tuple[Duty, ...]
    occurrences: tuple[Occurrence, ...]
    fairness: Fairness = Fairness()
    locks: tuple[Lock, ...] = ()
    declines: tuple[Decline, ...] = ()
    # Re-planning: the plan being replaced, the moment of re-planning and the freeze window.
    previous: tuple[PreviousAssignment, ...] | None = None
    previous_proofs: tuple[CoverageProof, ...] = ()  # the previous plan's (see ``replan``)
    now: Instant | None = None
    freeze_minutes: int = Field(default=120, ge=0)
    # Candidate starts for flexible duties lie on this grid (minutes from the window start).
    grid_minutes: int = Field(default=30, gt=0)
    seed: int = 0
    time_limit_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _references_exist(self) -> Instance:
        member_ids = [m.id for m in self.members]
        duty_ids = [d.id for d in self.duties]
        for kind, ids in (("member", member_ids), ("duty", duty_ids)):
            seen: set[str] = set()
            for i in ids:
                if i in seen:
                    raise ValueError(f"duplicate {kind} id {i!r}; give each {kind} its own id")
                seen.add(i)
        members, duties = set(member_ids), set(duty_ids)
        for d in self.duties:
            for who in (*d.eligible, *([d.pinned_owner] if d.pinned_owner else [])):
                if who not in members:
                    raise ValueError(f"duty {d.id!r}: unknown member {who!r}")
            for other in (*d.same_owner_as, *d.different_owner_from):
                if other not in duties:
                    raise ValueError(f"duty {d.id!r}: links to unknown duty {other!r}")
        for m in self.members:
            for other in (*m.prefers, *m.avoids, *m.owns):
                if other not in duties:
                    raise ValueError(f"member {m.id!r}: unknown duty {other!r}")
        for o in self.occurrences:
            if o.duty not in duties:
                raise ValueError(f"occurrence {o.key}: unknown duty {o.duty!r}")
            if o.latest_start < o.earliest_start:
                raise ValueError(f"occurrence {o.key}: window ends before it starts")
        for lock in self.locks:
            if lock.member not in members or lock.duty not in duties:
                raise ValueError(f"lock {lock.duty}@{lock.day}: unknown duty or member")
        locked = {(lock.duty, lock.day, lock.member) for lock in self.locks}
        for decline in self.declines:
            if decline.member not in members or decline.duty not in duties:
                raise ValueError(f"decline {decline.duty}@{decline.day}: unknown duty or member")
            if (decline.duty, decline.day, decline.member) in locked:
                raise ValueError(
                    f"decline {decline.duty}@{decline.day}: {decline.member!r} is also locked to "
                    "it; remove the lock or the decline"
                )
        for partner in self.fairness.carried_load:
            if partner not in members:
                raise ValueError(f"fairness.carried_load: unknown member {partner!r}")
        return self

    def member(self, member_id: str) -> Member:
        return _by_id(self.members)[member_id]

    def duty(self, duty_id: str) -> Duty:
        return _by_id(self.duties)[duty_id]

    def weighted_minutes(self, occurrence: Occurrence) -> int:
        """What ``occurrence`` weighs in the load: its minutes x its duty's effort."""
        return occurrence.duration * self.duty(occurrence.duty).effort

    def declined(self, member_id: str, duty_id: str, day: date) -> Decline | None:
        """The member's decline of this occurrence, if they said they can't do it."""
        by_key = per_object(
            _DECLINES, self.declines, lambda: {(d.member, d.duty, d.day): d for d in self.declines}
        )
        return by_key.get((member_id, duty_id, day))


_Item = TypeVar("_Item", Member, Duty)
_BY_ID: dict[int, tuple[Any, Any]] = {}
_DECLINES: dict[int, tuple[Any, Any]] = {}


def _by_id(items: tuple[_Item, ...]) -> dict[str, _Item]:
    """``items`` by id, built once per tuple (see ``memo.per_object``)."""
    return per_object(_BY_ID, items, lambda: {item.id: item for item in items})
