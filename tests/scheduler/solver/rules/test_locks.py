"""Locked dates: the agreed member keeps the occurrence unless a hard rule now forbids it."""

from scheduler.solver.instance import Lock, PreviousAssignment
from scheduler.solver.model import solve
from tests.scheduler.solver.family import at, busy, couple, daily, duty, instance, occurrence


def test_a_locked_date_goes_to_the_agreed_member() -> None:
    household = instance(
        couple(),
        (duty("dinner"),),
        daily("dinner", range(2), "18:00", 60),
        locks=(Lock(duty="dinner", day=at(1, "00:00").date(), member="sam"),),
    )
    tuesday = next(a for a in solve(household).assignments if a.day == at(1, "00:00").date())
    assert tuesday.member == "sam"
    assert "locked" in tuesday.reason


def test_a_lock_the_calendar_now_forbids_is_ignored_and_says_so() -> None:
    alex, sam = couple(sam_busy=(busy(1, "17:00", "21:00", "Late meeting"),))
    household = instance(
        (alex, sam),
        (duty("dinner"),),
        daily("dinner", range(2), "18:00", 60),
        locks=(Lock(duty="dinner", day=at(1, "00:00").date(), member="sam"),),
    )
    tuesday = next(a for a in solve(household).assignments if a.day == at(1, "00:00").date())
    assert tuesday.member == "alex"
    assert "lock ignored" in tuesday.reason and "Late meeting" in tuesday.reason


def test_locks_win_over_fairness() -> None:
    household = instance(
        couple(),
        (duty("dinner"),),
        daily("dinner", range(4), "18:00", 60),
        locks=tuple(
            Lock(duty="dinner", day=at(d, "00:00").date(), member="alex") for d in range(4)
        ),
    )
    plan = solve(household)
    assert {a.member for a in plan.assignments} == {"alex"}
    assert plan.load["alex"].share == 100.0


def test_a_lock_holds_at_another_start_when_its_old_slot_is_now_blocked() -> None:
    saturday = at(5, "00:00").date()
    lock = Lock(duty="laundry", day=saturday, member="sam")
    household = instance(
        couple(), (duty("laundry"),), (occurrence("laundry", 5, "09:00", 90, until="16:30"),)
    )
    previous = (
        PreviousAssignment(duty="laundry", day=saturday, member="sam", start=at(5, "09:00")),
    )
    alex, sam = couple(sam_busy=(busy(5, "09:00", "10:30", "Football"),))
    replanned = solve(
        household.model_copy(
            update={"members": (alex, sam), "locks": (lock,), "previous": previous}
        )
    )
    (laundry,) = replanned.assignments
    assert laundry.member == "sam"
    assert laundry.start >= at(5, "10:30")
    assert laundry.reason == "locked: agreed date"
