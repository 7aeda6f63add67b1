"""Nobody does two duties at once (travel buffers apply to calendars, not between duties)."""

from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import couple, duty, instance, occurrence


def test_one_member_does_back_to_back_duties() -> None:
    alex, sam = couple(alex_buffer_before=30, alex_buffer_after=30)
    household = instance(
        (alex, sam),
        (duty("cooking", ("alex",)), duty("dishes", ("alex",))),
        (occurrence("cooking", 0, "18:00", 60), occurrence("dishes", 0, "19:00", 30)),
    )
    plan = solve(household)
    assert [a.member for a in plan.assignments] == ["alex", "alex"]


def test_two_overlapping_duties_for_one_member_leave_one_unassigned() -> None:
    household = instance(
        couple(),
        (duty("bath", ("alex",)), duty("bedtime", ("alex",))),
        (occurrence("bath", 0, "19:00", 45), occurrence("bedtime", 0, "19:30", 30)),
    )
    plan = solve(household)
    assert len(plan.assignments) == 1
    [missing] = plan.unassigned
    assert "already doing" in missing.reason


def test_overlapping_duties_go_to_different_members() -> None:
    household = instance(
        couple(),
        (duty("bath"), duty("bedtime"), duty("dishes")),
        (
            occurrence("bath", 0, "19:00", 45),
            occurrence("bedtime", 0, "19:30", 30),
            occurrence("dishes", 0, "19:15", 30),
        ),
    )
    plan = solve(household)
    assert len(plan.assignments) == 2 and len(plan.unassigned) == 1
    assert violations(household, plan) == []
    assert len({a.member for a in plan.assignments}) == 2
