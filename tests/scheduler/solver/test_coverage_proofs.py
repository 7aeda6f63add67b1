"""Proofs a plan carries for its re-plans: the groups (see ``decompose``) in which it leaves a
duty undone are proven to need it, and a re-plan takes the proof of a group the new calendars left
as it was instead of proving it again."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.first_goals import cover_groups
from scheduler.solver.instance import Decline, Instance, Lock, PreviousAssignment
from scheduler.solver.model import solve
from scheduler.solver.plan import Plan
from scheduler.solver.search import Clock
from scheduler.solver.variables import AssignmentVars
from tests.scheduler.solver.family import (
    at,
    busy,
    couple,
    daily,
    duty,
    helper,
    instance,
    previous,
)


def _walks(cap: int = 90, **nana: object) -> Instance:
    """Two weeks of daily dog walks only Nana may do, 30 min each under a weekly cap: with 90 min
    she does three a week and four stay undone, which is one decision per week."""
    return instance(
        (helper(weekly_cap=cap, **nana),),
        (duty("walk", ("nana",)),),
        daily("walk", range(14), "10:00", 30),
        weeks=2,
    )


WEEK_2 = at(7, "00:00").date()


def _groups(plan: Plan) -> set[str]:
    return {p.group for p in plan.proofs}


def test_a_plan_proves_each_group_it_leaves_a_duty_undone_in() -> None:
    plan = solve(_walks())
    assert len(plan.unassigned) == 8
    assert [(p.coverage, p.broken_links) for p in plan.proofs] == [(4, 0), (4, 0)]
    assert len(_groups(plan)) == 2
    assert solve(_walks(cap=600)).proofs == [], "nothing undone, nothing to prove"


def test_a_proof_holds_only_for_the_very_same_group() -> None:
    base = _groups(solve(_walks()))
    assert _groups(solve(_walks())) == base
    dentist = _groups(solve(_walks(busy=(busy(9, "09:00", "11:00", "Dentist"),))))
    assert len(dentist & base) == 1, "a meeting in week 2 leaves week 1's proof as it was"
    assert not _groups(solve(_walks(cap=60))) & base, "another cap, other groups"
    household = _walks()
    locked = household.model_copy(
        update={"locks": (Lock(duty="walk", day=at(5, "10:00").date(), member="nana"),)}
    )
    assert len(_groups(solve(locked)) & base) == 1, "a lock in week 1 leaves week 2's proof"
    declined = household.model_copy(
        update={"declines": (Decline(duty="walk", day=WEEK_2, member="nana"),)}
    )
    assert len(_groups(solve(declined)) & base) == 1, "a decline in week 2 leaves week 1's proof"


def test_a_replan_takes_the_unchanged_groups_proofs_and_plans_as_without_them() -> None:
    household = _walks()
    plan = solve(household)
    again = household.model_copy(
        update={
            "members": (helper(weekly_cap=90, busy=(busy(9, "09:00", "11:00", "Dentist"),)),),
            "previous": previous(plan),
            "previous_proofs": tuple(plan.proofs),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(again)
    unproven = solve(again.model_copy(update={"previous_proofs": ()}))
    assert replanned.assignments == unproven.assignments
    assert replanned.stats is not None
    assert all(s.optimal for s in replanned.stats.stages)
    assert len(replanned.unassigned) == 8
    assert len(_groups(replanned) & _groups(plan)) == 1
    assert _groups(replanned) == _groups(unproven)


def test_a_group_with_a_proof_is_not_searched_again() -> None:
    household = _walks()
    frame = AssignmentVars(cp_model.CpModel(), household)
    cover = cover_groups(frame, frame.candidates, [], set(), Clock(5.0))
    assert (cover.value, len(cover.chosen)) == (8, 6)
    # A proof with week 1's fingerprint (groups come in time order) and another value: taken
    # as it is, and nothing chosen in week 1.
    told = cover.proofs[0].model_copy(update={"coverage": 5})
    again = cover_groups(frame, frame.candidates, [], set(), Clock(5.0), proven=[told])
    assert again.value == 5 + 4
    assert again.chosen == [
        c for c in cover.chosen if frame.occurrences[c.occurrence].day >= WEEK_2
    ]
    assert again.proofs == [told, cover.proofs[1]]


def test_a_cancelled_meeting_is_seen_although_the_old_plan_proved_its_group() -> None:
    """Nana may walk the dog once a week (cap 30 min), Monday or Tuesday; Alex could take
    Monday's walk but is in a meeting, so one walk stays undone, and the plan proves it. The
    plan the family follows has Nana on Monday. The meeting is cancelled: the local re-plan
    alone (Monday kept with Nana) would still leave Tuesday undone, so the changed group is
    proved again and Alex takes Monday."""
    nana = helper(weekly_cap=30)
    alex, sam = couple(alex_busy=(busy(0, "09:00", "11:00", "Board meeting"),))
    duties = (duty("walk_mon", ("alex", "nana")), duty("walk_tue", ("nana",)))
    occurrences = daily("walk_mon", range(1), "10:00") + daily("walk_tue", range(1, 2), "10:00")
    household = instance((alex, sam, nana), duties, occurrences)
    plan = solve(household)
    assert len(plan.unassigned) == 1
    assert [(p.coverage, p.broken_links) for p in plan.proofs] == [(1, 0)]
    followed = (
        PreviousAssignment(
            duty="walk_mon", day=at(0, "10:00").date(), member="nana", start=at(0, "10:00")
        ),
    )
    cancelled = household.model_copy(
        update={
            "members": (alex.model_copy(update={"busy": ()}), sam, nana),
            "previous": followed,
            "previous_proofs": tuple(plan.proofs),
            "now": at(0, "06:00"),
        }
    )
    replanned = solve(cancelled)
    assert replanned.unassigned == []
    assert {a.duty: a.member for a in replanned.assignments} == {
        "walk_mon": "alex",
        "walk_tue": "nana",
    }
    assert replanned.proofs == []
