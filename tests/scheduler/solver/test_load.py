"""``Plan.load`` and ``Plan.weeks``: who carried how much, in all and week by week."""

from __future__ import annotations

from datetime import timedelta

from scheduler.solver.assemble import plan_of
from scheduler.solver.instance import Fairness
from scheduler.solver.plan import Assignment
from tests.scheduler.solver.family import MONDAY, at, couple, duty, helper, instance, occurrence

DINNERS = tuple(occurrence("dinner", day, "18:00", 60) for day in range(14))


def _dinners(cooks: str) -> list[Assignment]:
    """One dinner a day, cooked by ``cooks[day]`` ("a", "s" or "n" for Nana)."""
    who = {"a": "alex", "s": "sam", "n": "nana"}
    return [
        Assignment(
            duty="dinner",
            name="Dinner",
            day=MONDAY + timedelta(days=day),
            start=at(day, "18:00"),
            end=at(day, "19:00"),
            member=who[cook],
            reason="test",
        )
        for day, cook in enumerate(cooks)
    ]


def test_each_week_shows_its_own_split_and_the_split_so_far_with_carried_load() -> None:
    household = instance(
        (*couple(), helper()),
        (duty("dinner", eligible=("alex", "sam", "nana"), effort=2),),
        DINNERS,
        weeks=2,
        fairness=Fairness(carried_load={"sam": 240}),
    )
    # Week 1: Alex 4 dinners, Sam 3; week 2: Alex 5, Sam 1, Nana 1.
    plan = plan_of(household, _dinners("aaaasss" + "aaaaasn"), [])

    first, second = plan.weeks
    assert (first.start, second.start) == (MONDAY, MONDAY + timedelta(days=7))
    assert first.weighted == {"alex": 480, "sam": 360, "nana": 0}
    assert first.share == {"alex": 57.14, "sam": 42.86}
    # Sam's 240 carried over: 600 of 1080 so far.
    assert first.share_so_far == {"alex": 44.44, "sam": 55.56}
    assert second.weighted == {"alex": 600, "sam": 120, "nana": 120}
    assert second.share == {"alex": 83.33, "sam": 16.67}
    # Alex 1080, Sam 720 of 1800: the horizon's split, as the member loads say.
    assert second.share_so_far == {"alex": 60.0, "sam": 40.0}
    assert second.share_so_far == {p: plan.load[p].share for p in ("alex", "sam")}


def test_a_short_last_week_and_a_week_without_partner_duties_are_shown_too() -> None:
    household = instance(couple(), (duty("dinner"),), DINNERS[:3], weeks=2)
    short = household.model_copy(update={"end": household.end - timedelta(days=4)})
    plan = plan_of(short, _dinners("asa"), [])

    assert [w.start for w in plan.weeks] == [MONDAY, MONDAY + timedelta(days=7)]
    assert plan.weeks[1].share == {}
    assert plan.weeks[1].share_so_far == plan.weeks[0].share_so_far == {"alex": 66.67, "sam": 33.33}
