"""Which starts the model gets: a start that overlaps more of a member's other duties than another
start of the same duty is left out, and the plans are as good as with every start."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.solver import candidates
from scheduler.solver.candidates import ordered_occurrences, static_candidates
from scheduler.solver.instance import Instance
from scheduler.solver.model import solve
from scheduler.solver.validate import violations
from tests.scheduler.solver.family import (
    at,
    busy,
    couple,
    duty,
    helper,
    instance,
    occurrence,
    partner,
    previous,
    window,
)


def _starts(household: Instance, member: str, duty_id: str) -> list[datetime]:
    occurrences = ordered_occurrences(household)
    return [
        c.start
        for c in static_candidates(household, occurrences, household.previous or ())
        if c.member == member and occurrences[c.occurrence].duty == duty_id
    ]


def _evening() -> Instance:
    """Laundry (90 min, starting 16:00-19:30) and dinner at 18:00 on Saturday."""
    return instance(
        couple(alex_busy=(busy(5, "16:00", "17:00"),)),
        (duty("laundry"), duty("dinner")),
        (
            occurrence("laundry", 5, "16:00", 90, until="19:30"),
            occurrence("dinner", 5, "18:00", 60),
        ),
    )


def test_only_the_earliest_of_starts_that_overlap_nothing_is_kept() -> None:
    # Sam is free all evening: 16:00 and 19:00 both clear dinner, and 16:00 comes first.
    assert _starts(_evening(), "sam", "laundry") == [at(5, "16:00")]
    # Alex is busy until 17:00; 17:00 to 18:30 overlap dinner, 19:00 doesn't.
    assert _starts(_evening(), "alex", "laundry") == [at(5, "19:00")]


def test_a_start_overlapping_less_stays_even_when_later() -> None:
    household = instance(
        couple(),
        (duty("laundry"), duty("dinner"), duty("bath")),
        (
            occurrence("laundry", 5, "17:00", 90, until="19:30"),
            occurrence("dinner", 5, "18:00", 60),
            occurrence("bath", 5, "19:30", 30),
        ),
    )
    # 17:00 to 18:00 overlap dinner, 18:30 dinner and bath, 19:00 and 19:30 bath: neither
    # dinner nor bath alone is worse than the other.
    assert _starts(household, "sam", "laundry") == [at(5, "17:00"), at(5, "19:00")]


def test_a_previous_plans_start_is_kept_so_a_replan_can_leave_it_there() -> None:
    household = _evening()
    plan = solve(household)
    laundry = next(a for a in plan.assignments if a.duty == "laundry")
    moved = laundry.model_copy(update={"start": at(5, "19:30")})
    old = plan.model_copy(
        update={"assignments": [moved if a is laundry else a for a in plan.assignments]}
    )
    replanning = household.model_copy(update={"previous": previous(old)})
    # 19:30 overlaps nothing, but neither does the earlier start the first plan took.
    assert at(5, "19:30") in _starts(replanning, laundry.member, "laundry")
    replanned = solve(replanning)
    again = next(a for a in replanned.assignments if a.duty == "laundry")
    assert (again.member, again.start) == (laundry.member, at(5, "19:30"))
    assert replanned.changes == []


_TIMES = ["17:00", "17:30", "18:00", "18:30", "19:00", "19:30", "20:00"]


@st.composite
def _crowded_evenings(draw: st.DrawFn) -> Instance:
    """Up to five duties in the same evening hours, fixed or flexible, some on two days: starts
    overlap one another everywhere. Alex (with random meetings and a preference) and two
    helpers: with one partner nothing is balanced, so every goal's value is the plan's own (a
    fairness point is a per cent of the first plan's load, which the starts can change)."""
    duties, occurrences = [], []
    for n in range(draw(st.integers(2, 5))):
        name = f"d{n}"
        duties.append(duty(name, ("alex", "nana", "kim"), effort=draw(st.integers(1, 3))))
        minutes = draw(st.sampled_from([30, 60, 90]))
        for day in sorted(draw(st.sets(st.integers(0, 1), min_size=1))):
            first = draw(st.sampled_from(_TIMES[:4]))
            until = draw(st.one_of(st.none(), st.sampled_from(_TIMES[4:])))
            occurrences.append(occurrence(name, day, first, minutes, until=until))
    meetings = tuple(
        busy(draw(st.integers(0, 1)), start, "21:00")
        for start in draw(st.lists(st.sampled_from(_TIMES), max_size=2))
    )
    alex = partner("alex", busy=meetings, prefers=frozenset({"d0"}))
    nana = helper(availability=(window(draw(st.integers(0, 1)), "17:00", "21:00"),))
    kim = helper("kim", hourly_cost=15.0, busy=(busy(draw(st.integers(0, 1)), "18:00", "19:00"),))
    return instance((alex, nana, kim), tuple(duties), tuple(occurrences))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_crowded_evenings())
def test_leaving_dominated_starts_out_gives_plans_as_good_as_every_start(
    household: Instance,
) -> None:
    plan = solve(household)
    with mock.patch.object(candidates, "_undominated", lambda found, _kept: found):
        every = solve(household)
    assume(all(s.optimal for s in plan.stats.stages + every.stats.stages))
    assert violations(household, plan) == []
    assert [(s.name, s.value) for s in plan.stats.stages] == [
        (s.name, s.value) for s in every.stats.stages
    ]
