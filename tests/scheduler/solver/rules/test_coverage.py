"""Each occurrence goes to at most one member, once; nobody free leaves it unassigned, explained."""

from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import busy, couple, duty, instance, occurrence


def test_a_free_occurrence_is_assigned_once() -> None:
    household = instance(couple(), (duty("dinner"),), (occurrence("dinner", 0, "18:00", 60),))
    plan = solve(household)
    assert [(a.duty, a.member in ("alex", "sam")) for a in plan.assignments] == [("dinner", True)]
    assert violations(household, plan) == []


def test_an_occurrence_nobody_can_take_is_unassigned_with_a_reason() -> None:
    alex, sam = couple(
        alex_busy=(busy(0, "17:00", "20:00", "Late shift"),),
        sam_busy=(busy(0, "18:30", "19:00", "Parents evening"),),
    )
    plan = solve(instance((alex, sam), (duty("dinner"),), (occurrence("dinner", 0, "18:00", 60),)))
    assert plan.assignments == []
    [missing] = plan.unassigned
    assert "Late shift" in missing.reason and "Parents evening" in missing.reason


def test_a_flexible_occurrence_gets_exactly_one_member_and_one_start() -> None:
    household = instance(
        couple(), (duty("laundry"),), (occurrence("laundry", 5, "09:00", 90, until="17:00"),)
    )
    plan = solve(household)
    assert len(plan.assignments) == 1 and plan.unassigned == []
    assert violations(household, plan) == []
