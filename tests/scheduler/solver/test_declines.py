"""A member says "I can't do this one" about one occurrence, and the plan goes around them."""

from __future__ import annotations

from scheduler.solver.instance import Decline, Instance
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import (
    at,
    busy,
    couple,
    daily,
    duty,
    instance,
    previous,
    school_fortnight,
)


def _morning_walks(sam_free_on: tuple[int, ...], decline: Decline) -> Instance:
    """Alex walks the dog every morning; Sam's office hours start early except on some days."""
    alex, sam = couple()
    early = tuple(
        busy(d, "06:30", "12:00", "Early shift") for d in range(7) if d not in sam_free_on
    )
    return instance(
        (alex, sam.model_copy(update={"busy": early})),
        (duty("walk"),),
        daily("walk", range(7), "07:00"),
        declines=(decline,),
    )


def test_a_declined_occurrence_goes_to_someone_else_and_says_why() -> None:
    day = at(3, "00:00").date()
    household = _morning_walks((3,), Decline(duty="walk", day=day, member="alex", note="back"))
    plan = solve(household)
    assert violations(household, plan) == []
    doers = {a.day: a for a in plan.assignments}
    assert doers[day].member == "sam"
    assert doers[day].reason == "Alex said they can't (back), so Sam"
    assert {a.member for other, a in doers.items() if other != day} == {"alex"}


def test_declining_one_occurrence_moves_that_occurrence_and_nothing_else() -> None:
    household = school_fortnight()
    plan = solve(household)
    hit = next(
        a for a in plan.assignments if a.duty == "dropoff" and a.day == at(8, "00:00").date()
    )
    again = household.model_copy(
        update={
            "declines": (Decline(duty="dropoff", day=hit.day, member=hit.member),),
            "previous": previous(plan),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(again)
    assert violations(again, replanned) == []
    [change] = replanned.changes
    assert (change.duty, change.start, change.from_) == ("dropoff", hit.start, hit.member)
    assert change.to not in (None, hit.member)
    assert change.cause == f"{again.member(hit.member).name}: said they can't"
    before = {(a.duty, a.day): a.member for a in plan.assignments}
    after = {(a.duty, a.day): a.member for a in replanned.assignments}
    assert {k for k in before if before[k] != after[k]} == {("dropoff", hit.day)}


def test_a_decline_outranks_a_frozen_assignment() -> None:
    """ "I can't" an hour before still moves it: nobody can be held to a duty they can't do."""
    household = school_fortnight()
    plan = solve(household)
    hit = next(a for a in plan.assignments if a.duty == "dinner" and a.day == at(2, "00:00").date())
    again = household.model_copy(
        update={
            "declines": (Decline(duty="dinner", day=hit.day, member=hit.member),),
            "previous": previous(plan),
            "now": at(2, "17:30"),  # inside the 2-hour freeze
        }
    )
    replanned = solve(again)
    assert violations(again, replanned) == []
    [now] = [a for a in replanned.assignments if (a.duty, a.day) == ("dinner", hit.day)]
    assert now.member != hit.member


def test_when_nobody_else_can_a_declined_duty_is_unassigned_with_every_reason() -> None:
    day = at(1, "00:00").date()
    household = _morning_walks((3,), Decline(duty="walk", day=day, member="alex", note="knee"))
    plan = solve(household)
    assert violations(household, plan) == []
    [missing] = plan.unassigned
    assert missing.day == day
    assert missing.reason == (
        "Tue 24 Nov 07:00 Walk: Alex said they can't (knee), Sam busy (Early shift 06:30-12:00)"
    )
