"""The ``Plan`` of a solved model: assignments with their reasons, what stayed unassigned and
why, loads, changes against the previous plan and broken links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from scheduler.solver import explain
from scheduler.solver.candidates import Candidate
from scheduler.solver.instance import Instance, Occurrence
from scheduler.solver.links import broken_links
from scheduler.solver.load import member_loads, week_loads
from scheduler.solver.plan import (
    Assignment,
    Change,
    CoverageProof,
    Plan,
    PlanMember,
    SolveStats,
    StageReport,
    Unassigned,
)
from scheduler.solver.plan_index import indexed
from scheduler.solver.rules import locks
from scheduler.solver.variables import AssignmentVars


def plan_of(
    instance: Instance,
    assignments: list[Assignment],
    unassigned: list[Unassigned],
    **more: Any,
) -> Plan:
    """A ``Plan`` of these assignments: household, members and loads (in all and per week)
    filled in from ``instance``; ``more`` adds changes, broken links or stats."""
    return Plan(
        household=instance.household,
        timezone=instance.timezone,
        start=instance.start,
        end=instance.end,
        members=[PlanMember(id=m.id, name=m.name, role=m.role) for m in instance.members],
        assignments=assignments,
        unassigned=unassigned,
        load=member_loads(instance, assignments),
        weeks=week_loads(instance, assignments),
        carried_from_plans=dict(instance.fairness.from_plans),
        **more,
    )


def assemble(
    instance: Instance,
    variables: AssignmentVars,
    chosen: Sequence[Candidate],
    reports: Sequence[StageReport],
    seconds: tuple[float, float],
    proofs: Sequence[CoverageProof] = (),
    work: float = 0.0,
) -> Plan:
    """The plan of the ``chosen`` candidates; ``seconds``: model build and solve time; ``proofs``
    what a re-plan of it need not prove again; ``work``: the solver's deterministic time."""
    build_seconds, solve_seconds = seconds
    occurrences = variables.occurrences
    previous = locks.previous_by_occurrence(instance)
    bare: list[Assignment] = []
    for c in chosen:
        occurrence = occurrences[c.occurrence]
        before = previous.get((occurrence.duty, occurrence.day))
        sequence = 0
        if before is not None:
            moved = before.member != c.member or before.start != c.start
            sequence = before.sequence + 1 if moved else before.sequence
        bare.append(
            Assignment(
                duty=occurrence.duty,
                name=instance.duty(occurrence.duty).name,
                day=occurrence.day,
                start=c.start,
                end=c.end,
                member=c.member,
                reason="",
                sequence=sequence,
            )
        )
    bare.sort(key=lambda a: (a.start, a.duty))
    by_key = {(a.duty, a.day): a for a in bare}
    # One index for every explanation: they look at who does what when, not at the reasons.
    drafted = indexed(instance, bare)
    assignments = [
        a.model_copy(
            update={
                "reason": explain.why_assigned(
                    instance, _occurrence(variables, a), a.member, a.start, drafted
                )
            }
        )
        for a in bare
    ]
    unassigned = []
    for occurrence in sorted(occurrences, key=lambda o: (o.earliest_start, o.duty)):
        if (occurrence.duty, occurrence.day) not in by_key:
            unassigned.append(
                Unassigned(
                    duty=occurrence.duty,
                    name=instance.duty(occurrence.duty).name,
                    day=occurrence.day,
                    start=occurrence.earliest_start,
                    end=occurrence.earliest_start + timedelta(minutes=occurrence.duration),
                    reason=explain.why_unassigned(instance, occurrence, drafted),
                )
            )
    return plan_of(
        instance,
        assignments,
        unassigned,
        changes=_changes(instance, variables, assignments),
        broken_links=broken_links(instance, drafted),
        stats=SolveStats(
            build_seconds=round(build_seconds, 4),
            solve_seconds=round(solve_seconds, 4),
            stages=list(reports),
            work=round(work, 4),
        ),
        proofs=sorted(proofs, key=lambda p: p.group),
    )


def _occurrence(variables: AssignmentVars, assignment: Assignment) -> Occurrence:
    index = variables.occurrence_index(assignment.duty, assignment.day)
    assert index is not None
    return variables.occurrences[index]


def _changes(
    instance: Instance, variables: AssignmentVars, assignments: Sequence[Assignment]
) -> list[Change]:
    """Occurrences that moved owner, became unassigned or got assigned since the previous plan."""
    if instance.previous is None:
        return []
    previous = locks.previous_by_occurrence(instance)
    now = {(a.duty, a.day): a for a in assignments}
    result: list[Change] = []
    for occurrence in variables.occurrences:
        key = (occurrence.duty, occurrence.day)
        before, after = previous.get(key), now.get(key)
        old = before.member if before is not None else None
        new = after.member if after is not None else None
        if old == new:
            continue
        start = (
            after.start
            if after is not None
            else (before.start if before is not None else occurrence.earliest_start)
        )
        if before is None:
            cause = "not in the previous plan"
        else:
            cause = explain.change_cause(instance, occurrence, before, new, start, assignments)
        result.append(
            Change(duty=occurrence.duty, start=start, **{"from": old}, to=new, cause=cause)
        )
    return sorted(result, key=lambda c: (c.start, c.duty))
