"""Re-planning against a previous plan: keep what was agreed, move only what must move."""

from __future__ import annotations

from datetime import timedelta

from scheduler.intervals import BusyInterval
from scheduler.solver.instance import Fairness, Instance, Member, PreviousAssignment
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import (
    at,
    busy,
    couple,
    daily,
    duty,
    helper,
    instance,
    occurrence,
    previous,
    school_fortnight,
    window,
)


def _with_busy(household: Instance, member: str, extra: BusyInterval) -> tuple[Member, ...]:
    return tuple(
        m.model_copy(update={"busy": (*m.busy, extra)}) if m.id == member else m
        for m in household.members
    )


def test_one_new_meeting_on_a_duty_moves_that_occurrence_and_nothing_else() -> None:
    household = school_fortnight()
    plan = solve(household)
    hit = next(a for a in plan.assignments if a.duty == "dinner" and a.day == at(9, "00:00").date())
    meeting = busy(9, "17:30", "19:00", "Board prep")
    again = household.model_copy(
        update={
            "members": _with_busy(household, hit.member, meeting),
            "previous": previous(plan, sequence=3),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(again)
    assert violations(again, replanned) == []
    [change] = replanned.changes
    assert (change.duty, change.start, change.from_) == ("dinner", hit.start, hit.member)
    assert change.to not in (None, hit.member)
    assert "Board prep" in change.cause
    before = {(a.duty, a.day): (a.member, a.start) for a in plan.assignments}
    after = {(a.duty, a.day): (a.member, a.start) for a in replanned.assignments}
    assert {k for k in before if before[k] != after[k]} == {("dinner", hit.day)}
    sequences = {(a.duty, a.day): a.sequence for a in replanned.assignments}
    assert sequences[("dinner", hit.day)] == 4
    assert {s for k, s in sequences.items() if k != ("dinner", hit.day)} == {3}


def test_an_unchanged_household_replans_to_the_same_plan_without_changes() -> None:
    household = school_fortnight()
    plan = solve(household)
    again = solve(
        household.model_copy(update={"previous": previous(plan, sequence=3), "now": at(0, "06:00")})
    )
    assert again.changes == []
    assert [(a.duty, a.day, a.member, a.start) for a in again.assignments] == [
        (a.duty, a.day, a.member, a.start) for a in plan.assignments
    ]


def test_the_past_and_the_freeze_window_keep_their_owner_even_when_unfair() -> None:
    household = instance(couple(), (duty("dinner"),), daily("dinner", range(7), "18:00", 60))
    all_alex = tuple(
        PreviousAssignment(duty="dinner", day=o.day, member="alex", start=o.earliest_start)
        for o in household.occurrences
    )
    # Tuesday 17:00: Monday's dinner is past, Tuesday's starts within the 2-hour freeze.
    replanned = solve(household.model_copy(update={"previous": all_alex, "now": at(1, "17:00")}))
    owner = {a.day: a.member for a in replanned.assignments}
    assert owner[at(0, "18:00").date()] == "alex"
    assert owner[at(1, "18:00").date()] == "alex"
    alex = replanned.load["alex"].share
    assert abs(alex - 50) <= 10, "the fairness bound needs some dinners to move"
    assert 0 < len(replanned.changes) <= 3, "no more changes than the bound needs"
    assert {c.cause for c in replanned.changes} == {"fairness"}


def test_a_frozen_occurrence_moves_when_its_owner_is_now_busy() -> None:
    household = instance(couple(), (duty("dinner"),), daily("dinner", range(2), "18:00", 60))
    previous = tuple(
        PreviousAssignment(duty="dinner", day=o.day, member="alex", start=o.earliest_start)
        for o in household.occurrences
    )
    again = household.model_copy(
        update={
            "members": _with_busy(household, "alex", busy(0, "17:00", "20:00", "Flight delay")),
            "previous": previous,
            "now": at(0, "17:30"),
        }
    )
    replanned = solve(again)
    monday = next(a for a in replanned.assignments if a.day == at(0, "00:00").date())
    assert monday.member == "sam"
    assert any("Flight delay" in c.cause for c in replanned.changes)


def test_a_replan_reports_proven_optimal_stages() -> None:
    household = school_fortnight()
    plan = solve(household)
    moved = household.model_copy(
        update={
            "members": _with_busy(household, "sam", busy(3, "15:00", "16:30", "Dentist")),
            "previous": previous(plan, sequence=3),
            "now": at(0, "06:00") - timedelta(days=1),
        }
    )
    stats = solve(moved).stats
    assert stats is not None
    assert [s.name for s in stats.stages][:3] == ["coverage", "fairness_bound", "changes"]
    assert all(s.optimal for s in stats.stages)


def test_an_unchanged_crowded_week_is_not_moved_for_a_fairness_it_cannot_reach() -> None:
    # Sam's cap leaves one of his duties undone and Alex may take on one new series: no plan
    # is within the bound. Fairness points are linear in the load, so a plan that swaps Alex's
    # heavy gardening for light filing (and leaves more undone) looked fairer to a re-plan
    # than the fresh plan it was given, though its split is further off (28 % against 41 %).
    alex, sam = couple(
        alex_ramp_up=1,
        alex_prefers=frozenset({"garden"}),
        sam_weekly_cap=150,
        sam_busy=(
            busy(0, "06:00", "10:00"),
            busy(0, "10:30", "16:00"),
            busy(1, "06:00", "10:00"),
            busy(2, "06:00", "10:00"),
        ),
    )
    household = instance(
        (alex, sam),
        (
            duty("garden", ("alex",), effort=3),
            duty("report", ("sam",), same_owner_as=("garden",)),
            duty("filing", ("alex",)),
            duty("shopping", ("sam",), effort=3),
        ),
        (
            occurrence("garden", 0, "07:00", 90),
            *daily("report", range(3), "10:00", 15),
            occurrence("filing", 0, "13:00", 90),
            *daily("shopping", range(2), "16:00", 60),
        ),
        fairness=Fairness(target="free_time"),
    )
    plan = solve(household)
    again = solve(household.model_copy(update={"previous": previous(plan)}))
    assert again.changes == []
    assert [(a.duty, a.day, a.member) for a in again.assignments] == [
        (a.duty, a.day, a.member) for a in plan.assignments
    ]


def test_a_new_meeting_calls_the_on_call_helper_only_when_no_partner_is_free() -> None:
    """Alex cooks every evening (Sam works evenings), although that leaves him 60 % of the load:
    Bea, free every evening, is on call. A meeting on Wednesday's dinner moves just that
    dinner, to Bea, the only one who can, and the re-plan is proven."""
    alex, sam = couple(sam_busy=tuple(busy(d, "17:00", "22:00", "Evening shift") for d in range(7)))
    bea = helper("bea", availability=tuple(window(d, "17:00", "21:00") for d in range(7)))
    bea = bea.model_copy(update={"on_call": True})
    household = instance(
        (alex, sam, bea),
        (duty("dinner", ("alex", "sam", "bea")), duty("dropoff", ("sam",))),
        daily("dinner", range(7), "18:00", 90) + daily("dropoff", range(7), "07:30", 60),
    )
    plan = solve(household)
    assert {a.member for a in plan.assignments if a.duty == "dinner"} == {"alex"}

    again = household.model_copy(
        update={
            "members": _with_busy(household, "alex", busy(2, "17:30", "19:30", "Board prep")),
            "previous": previous(plan),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(again)

    [change] = replanned.changes
    assert (change.duty, change.from_, change.to) == ("dinner", "alex", "bea")
    assert change.start.date() == at(2, "18:00").date()
    assert "Board prep" in change.cause
    assert violations(again, replanned) == []
    assert replanned.stats is not None
    assert all(s.optimal for s in replanned.stats.stages)


def test_a_helper_put_on_call_keeps_what_the_plan_gave_her_and_the_replan_counts_it() -> None:
    """Bea cooks some dinners Alex is free for, to keep the split fair; then the family puts her
    on call and re-plans. Changes rank above her being on call (a re-plan moves nothing for it),
    and the goal still counts those dinners, as the full model would."""
    alex, sam = couple(sam_busy=tuple(busy(d, "17:00", "22:00", "Evening shift") for d in range(7)))
    bea = helper("bea", availability=tuple(window(d, "17:00", "21:00") for d in range(7)))
    household = instance(
        (alex, sam, bea),
        (duty("dinner", ("alex", "sam", "bea")), duty("dropoff", ("sam",))),
        daily("dinner", range(7), "18:00", 90) + daily("dropoff", range(7), "07:30", 60),
    )
    plan = solve(household)
    cooked = sum(a.member == "bea" for a in plan.assignments)
    assert cooked > 0

    on_call = bea.model_copy(update={"on_call": True})
    again = household.model_copy(
        update={
            "members": (alex, sam, on_call),
            "previous": previous(plan),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(again)

    assert replanned.changes == []
    assert replanned.stats is not None
    stages = {s.name: s for s in replanned.stats.stages}
    assert (stages["on_call"].value, stages["on_call"].optimal) == (cooked, True)
