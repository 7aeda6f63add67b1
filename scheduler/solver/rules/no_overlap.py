"""A member never does two duties at once (buffers do not apply between two duties).

With one boolean per candidate start, "no overlap" is a set of cliques: for every moment a
candidate starts, at most one of the member's candidates covering that moment is true. Two
overlapping intervals always share the later one's start, so these cliques are exact; cliques
contained in the next one are dropped.
"""

from __future__ import annotations

from scheduler.solver.candidates import Candidate
from scheduler.solver.variables import AssignmentVars


def overlap_cliques(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Maximal sets of pairwise-overlapping candidates, for one member (sweep over starts)."""
    ordered = sorted(candidates, key=lambda c: (c.first_minute, c.last_minute, c.occurrence))
    cliques: list[list[Candidate]] = []
    active: list[Candidate] = []
    previous: list[Candidate] = []
    i = 0
    while i < len(ordered):
        moment = ordered[i].first_minute
        while i < len(ordered) and ordered[i].first_minute == moment:
            active.append(ordered[i])
            i += 1
        active = [c for c in active if c.last_minute > moment]
        if previous and not set(previous) <= set(active):
            cliques.append(previous)
        previous = list(active)
    if previous:
        cliques.append(previous)
    return [c for c in cliques if len({x.occurrence for x in c}) > 1]


def add(variables: AssignmentVars) -> None:
    for member in sorted(m.id for m in variables.instance.members):
        for clique in overlap_cliques(variables.of_member(member)):
            variables.model.add_at_most_one([variables.var(c) for c in clique])
