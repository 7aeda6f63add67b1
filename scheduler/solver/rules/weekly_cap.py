"""A member's duty minutes in one week stay within their ``weekly_cap``."""

from __future__ import annotations

from collections import defaultdict

from scheduler.solver.candidates import Candidate
from scheduler.solver.variables import AssignmentVars


def add(variables: AssignmentVars) -> None:
    for member in variables.instance.members:
        if member.weekly_cap is None:
            continue
        per_week: dict[int, list[Candidate]] = defaultdict(list)
        for c in variables.of_member(member.id):
            per_week[variables.weeks[c.occurrence]].append(c)
        for week in sorted(per_week):
            candidates = per_week[week]
            minutes = {
                c.occurrence: variables.occurrences[c.occurrence].duration for c in candidates
            }
            if sum(minutes.values()) <= member.weekly_cap:
                continue  # even doing everything possible fits
            variables.model.add(
                variables.weighted_sum([(c, minutes[c.occurrence]) for c in candidates])
                <= member.weekly_cap
            )
