"""Ramp-up ("start small"): a member with ``ramp_up = N`` takes on at most N duty series they
don't already own in each week.

Per week, not N*(w+1) by the end of week w: a budget left unused in a week does not carry over,
because a plan rolled forward a week (``--previous``) no longer sees that week, and would have to
take back a series the first plan gave someone on the strength of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from ortools.sat.python import cp_model

from scheduler.solver.blockers import taken_on_weeks
from scheduler.solver.candidates import Candidate
from scheduler.solver.variables import AssignmentVars


def add(variables: AssignmentVars) -> None:
    model = variables.model
    last_week = max(variables.weeks, default=-1)
    for member in variables.instance.members:
        if member.ramp_up is None:
            continue
        # occurrences of each new series this member could take, per week
        by_series: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for c in variables.of_member(member.id):
            duty = variables.occurrences[c.occurrence].duty
            if duty not in member.owns:
                week_list = by_series[duty][variables.weeks[c.occurrence]]
                if not week_list or week_list[-1] != c.occurrence:
                    week_list.append(c.occurrence)
        if len(by_series) <= member.ramp_up:
            continue  # can never exceed the limit
        # started[s][w]: the member did series s at least once in weeks 0..w
        started: dict[str, list[cp_model.IntVar]] = {}
        for series in sorted(by_series):
            flags: list[cp_model.IntVar] = []
            before = None
            for week in range(last_week + 1):
                flag = model.new_bool_var(f"ramp[{member.id},{series},{week}]")
                if before is not None:
                    model.add_implication(before, flag)
                done = [variables.done_by(i, member.id) for i in by_series[series].get(week, [])]
                for done_it in done:
                    model.add(done_it <= flag)
                # ... and only from a week it is done in: no slot is taken in a week for later.
                model.add(flag <= (before if before is not None else 0) + sum(done))
                flags.append(flag)
                before = flag
            started[series] = flags
            variables.ramp_started[(member.id, series)] = flags
        for week in range(last_week + 1):
            taken_on = sum(
                started[s][week] - (started[s][week - 1] if week else 0) for s in sorted(started)
            )
            model.add(taken_on <= member.ramp_up)


def hints(variables: AssignmentVars, taken: Iterable[Candidate]) -> Iterator[tuple[int, int]]:
    """(variable index, value) of this rule's "started by week w" flags in the plan ``taken``: a
    complete hint needs them, and no upper bound satisfies them."""
    first_week = taken_on_weeks(
        ((c.member, variables.occurrences[c.occurrence].duty), variables.weeks[c.occurrence])
        for c in taken
    )
    for started, flags in variables.ramp_started.items():
        since = first_week.get(started, len(flags))
        for week, flag in enumerate(flags):
            yield flag.index, int(week >= since)
