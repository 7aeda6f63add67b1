"""The first two goals, coverage and links kept, group by group: also when the first solve, with
both goals in one objective, runs out of time (a crowded household) and coverage is proven on
its own before links are kept again."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler.solver import first_goals, search
from scheduler.solver.first_goals import Cover, cover_groups
from scheduler.solver.instance import Instance
from scheduler.solver.rules import locks
from scheduler.solver.variables import AssignmentVars
from tests.scheduler.solver.family import busy, couple, daily, duty, instance


def _evenings() -> Instance:
    """A week of dinners, dishes (not by the cook) and bath then bedtime (one person), with Alex
    out on Tuesday evening: Sam both cooks and washes up that day, the one link that must
    break; and on Thursday Sam's choir leaves Alex both bath and bedtime, which keeps theirs."""
    alex, sam = couple(
        alex_busy=(busy(1, "17:00", "22:00", "Board dinner"),),
        sam_busy=(busy(3, "19:00", "21:00", "Choir"),),
    )
    week = range(7)
    return instance(
        (alex, sam),
        (
            duty("dinner"),
            duty("dishes", different_owner_from=("dinner",)),
            duty("bath"),
            duty("bedtime", same_owner_as=("bath",)),
        ),
        (
            *daily("dinner", week, "17:30", 60),
            *daily("dishes", week, "19:00", 20),
            *daily("bath", week, "19:30", 30),
            *daily("bedtime", week, "20:00", 30),
        ),
    )


def _cover(household: Instance) -> Cover:
    variables = AssignmentVars(cp_model.CpModel(), household)
    keeps = locks.keeps(household, variables.occurrences)
    return cover_groups(variables, variables.candidates, keeps, set(), search.Clock(5.0))


def test_the_cover_is_proven_and_breaks_only_the_links_it_must() -> None:
    cover = _cover(_evenings())
    assert (cover.value, cover.links) == (0, 1)
    assert cover.optimal and cover.links_optimal


@pytest.mark.parametrize("cut", ["no solution", "first solution"])
def test_out_of_time_together_coverage_is_proven_alone_and_links_kept_after(
    monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    """The first solve stops before a solution or at its first one, unproven."""
    calls: list[float] = []

    def parameters(household: Instance, seconds: float, clock: search.Clock) -> cp_model.CpSolver:
        solver = search.parameters(household, seconds, clock)
        calls.append(seconds)
        if len(calls) == 1:
            if cut == "no solution":
                solver.parameters.max_time_in_seconds = 0.0
            else:
                solver.parameters.stop_after_first_solution = True
        return solver

    monkeypatch.setattr(first_goals, "parameters", parameters)
    cover = _cover(_evenings())
    assert len(calls) == 3  # together, coverage alone, links
    assert (cover.value, cover.links) == (0, 1)
    assert cover.optimal and cover.links_optimal


def test_a_group_with_as_many_options_as_occurrences_still_gives_each_one_doer() -> None:
    # Alex can't do the morning feed (busy) and must not do both; the walk is open to either:
    # two options, two occurrences, but not one each.
    alex, sam = couple(alex_busy=(busy(0, "08:30", "10:00"),))
    household = instance(
        (alex, sam),
        (duty("walk"), duty("feed", ("alex",), different_owner_from=("walk",))),
        (*daily("walk", range(1), "07:00"), *daily("feed", range(1), "09:00")),
    )
    cover = _cover(household)
    assert sorted(c.occurrence for c in cover.chosen) == [0]
    assert (cover.value, cover.links) == (1, 0)
