"""The solver's output: who does what and when, what nobody could do and why, and how fair it is."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler.instants import ZONE, Instant


class _Out(BaseModel):
    # JSON has no NaN: an unknown number (a goal's bound when its search ran out of time) is
    # written as null, which strict parsers (jq, JSON.parse) accept.
    model_config = ConfigDict(frozen=True, populate_by_name=True, ser_json_inf_nan="null")


class Assignment(_Out):
    duty: str
    name: str
    day: date
    start: Instant
    end: Instant
    member: str
    reason: str = Field(description="why this member: free, owner of the series, fairness, ...")
    # Feed SEQUENCE (RFC 5545): 0 when new, previous + 1 when a re-plan changed owner or time.
    sequence: int = 0


class Unassigned(_Out):
    duty: str
    name: str
    day: date
    start: Instant
    end: Instant
    reason: str = Field(description="each eligible member and what stops them")


class BrokenLink(_Out):
    """Two linked duties of one day whose link (``same_owner_as`` / ``different_owner_from``) gave
    way so that every duty could be covered."""

    day: date
    duties: list[str] = Field(description="the two duty ids, in time order")
    members: list[str] = Field(description="who does each of them, in the same order")
    rule: Literal["same_owner", "different_owner"]
    reason: str = Field(description="what kept everyone else from keeping the link")


class Change(_Out):
    duty: str
    start: Instant
    from_: str | None = Field(alias="from")
    to: str | None
    cause: str


class MemberLoad(_Out):
    minutes: int
    weighted: int = Field(description="minutes x effort")
    carried: int = Field(0, description="weighted load carried over from earlier weeks")
    share: float = Field(
        description="percent of the partners' weighted load, carried load included (partners only)"
    )
    target_share: float | None = None
    series_owned: list[str] = Field(default_factory=list)
    cost: float = 0.0


class WeekLoad(_Out):
    """One week of the horizon (seven days from its start): the load each member carried and,
    between the partners, how it was split that week and so far."""

    start: date = Field(description="the week's first day")
    weighted: dict[str, int] = Field(description="each member's weighted minutes this week")
    share: dict[str, float] = Field(
        description="each partner's percent of the partners' weighted load this week alone "
        "(empty: the partners have nothing this week)"
    )
    share_so_far: dict[str, float] = Field(
        description="each partner's percent of the partners' weighted load from the horizon's "
        "start to this week's end, carried load included: how fair it has been along the way"
    )


class StageReport(_Out):
    name: str
    value: float = Field(description="null: no plan was found for this goal in time")
    bound: float = Field(description="the best bound proven; null: unknown (out of time)")
    gap: float = Field(description="relative gap |value - bound| / max(1, |value|); null: unknown")
    optimal: bool
    seconds: float

    @field_validator("value", "bound", "gap", mode="before")
    @classmethod
    def _unknown(cls, number: float | None) -> float:
        """null in a plan read back (``--previous``) is the NaN it was written from."""
        return float("nan") if number is None else number


class SolveStats(_Out):
    build_seconds: float
    solve_seconds: float
    stages: list[StageReport]
    work: float = Field(
        default=0.0,
        description="what the solver did, in CP-SAT's deterministic time: the same on every "
        "machine for the same household, and what the time limit is counted in",
    )


class PlanMember(_Out):
    id: str
    name: str
    role: str


class CoverageProof(_Out):
    """A group of duties (see ``solver.decompose``) whose unassigned occurrences and broken links
    are proven the fewest possible. A re-plan whose group is unchanged (same ``group``
    fingerprint) takes the proof instead of proving it again."""

    group: str = Field(description="fingerprint of the group's candidates, rules and keeps")
    coverage: int = Field(description="unassigned occurrences, weighted as in the coverage goal")
    broken_links: int


class SeriesDone(_Out):
    duty: str
    name: str
    times: int


class MemberLived(_Out):
    duties: int = Field(description="occurrences done")
    minutes: int
    every_time: list[SeriesDone] = Field(
        default_factory=list,
        description="series this member did every time they came up (at least twice)",
    )


class Lived(_Out):
    """The weeks lived since the previous plan's start (a plan rolled forward with
    ``--previous``), as that plan had them: what went well, so that the family can say so."""

    first_day: date
    last_day: date
    members: dict[str, MemberLived] = Field(description="members who did anything")
    unassigned: int = Field(description="occurrences nobody could do")
    share_so_far: dict[str, float] = Field(
        description="each partner's percent of the partners' weighted load at its end, carried "
        "load included (empty: the partners have none)"
    )


class Plan(_Out):
    """Times are UTC instants (``scheduler.instants``); ``to_json`` writes them in the household's
    zone, as a family reads them."""

    household: str
    timezone: str
    start: Instant
    end: Instant
    members: list[PlanMember]
    assignments: list[Assignment]
    unassigned: list[Unassigned]
    load: dict[str, MemberLoad]
    weeks: list[WeekLoad] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    broken_links: list[BrokenLink] = Field(default_factory=list)
    stats: SolveStats | None = None
    proofs: list[CoverageProof] = Field(
        default_factory=list,
        description="what a re-plan need not prove again (groups with unassigned duties or "
        "broken links)",
    )
    carried_from_plans: dict[str, int] = Field(
        default_factory=dict,
        description="of each partner's carried load, what earlier plans' weeks before this "
        "plan's start added (rolled forward with --previous); the next roll adds to it",
    )
    lived: Lived | None = Field(
        default=None,
        description="rolled forward: the weeks lived since the previous plan's start",
    )

    def to_json(self) -> str:
        """What ``fairshare plan --json`` prints and ``--previous`` reads back: times in the
        household's zone."""
        return self.model_dump_json(by_alias=True, indent=2, context={ZONE: self.timezone})
