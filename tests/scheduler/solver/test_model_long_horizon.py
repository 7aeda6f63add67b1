"""A two-month plan: still valid, complete, fair and proven, with one owner per duty where the
calendars allow."""

from __future__ import annotations

from collections import Counter

from scheduler.solver.instance import Duty, Fairness, Instance
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.hand_built import ALEX, SAM, at, busy, fixed

WEEKS = 8


def _two_months() -> Instance:
    days = range(7 * WEEKS)
    weekdays = [d for d in days if d % 7 < 5]
    standups = tuple(busy(d, (7, 0), (8, 0), "Standup") for d in days if d % 7 == 1)
    return Instance(
        household="The Long Run",
        timezone="Europe/Berlin",
        start=at(0, 0),
        end=at(7 * WEEKS, 0),
        members=(ALEX.model_copy(update={"busy": standups}), SAM),
        duties=(
            Duty(id="dropoff", name="School drop-off", effort=2, eligible=("alex", "sam")),
            Duty(id="pickup", name="School pick-up", eligible=("alex", "sam")),
            Duty(id="dinner", name="Dinner", eligible=("alex", "sam")),
        ),
        occurrences=(
            *(fixed("dropoff", d, 7, 30, 30) for d in weekdays),
            *(fixed("pickup", d, 15, 30, 30) for d in weekdays),
            *(fixed("dinner", d, 18, 0, 60) for d in days),
        ),
        fairness=Fairness(target="equal"),
    )


def test_a_two_month_plan_is_complete_valid_fair_and_proven() -> None:
    instance = _two_months()
    plan = solve(instance)
    assert violations(instance, plan) == []
    assert plan.unassigned == []
    shares = [plan.load[p].share for p in ("alex", "sam")]
    assert all(abs(share - 50) <= 1 for share in shares), shares
    stats = plan.stats
    assert stats is not None
    assert all(s.optimal for s in stats.stages), stats.stages


def test_one_owner_per_duty_with_only_the_exceptions_fairness_needs() -> None:
    plan = solve(_two_months())
    owners = {
        duty: Counter(a.member for a in plan.assignments if a.duty == duty).most_common(1)[0][0]
        for duty in ("dropoff", "pickup", "dinner")
    }
    exceptions = [a for a in plan.assignments if a.member != owners[a.duty]]
    # Sam owns the school runs (Alex's Tuesday standup rules Alex out of drop-off), Alex owns
    # dinner: 3,600 against 3,360 weighted minutes. Two school runs to Alex (a drop-off weighs
    # 60, a pick-up 30) bring both within half a point of 50 %; one is not enough (even a
    # drop-off leaves Alex at 51 %).
    assert owners == {"dropoff": "sam", "pickup": "sam", "dinner": "alex"}
    assert len(exceptions) == 2
    assert {a.member for a in exceptions} == {"alex"}
    assert not any(a.duty == "dropoff" and a.day.weekday() == 1 for a in exceptions)
