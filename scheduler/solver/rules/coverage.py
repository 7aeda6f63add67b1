"""Each occurrence goes to at most one member at one start.

"At most" rather than "exactly": an occurrence nobody can take stays unassigned (and explained);
covering as many as possible is the first objective, not a hard constraint, so an infeasible week
is a plan with reasons instead of a solver failure.
"""

from __future__ import annotations

from scheduler.solver.variables import AssignmentVars


def add(variables: AssignmentVars) -> None:
    for index in variables.with_options():
        literals = [variables.var(c) for c in variables.of_occurrence(index)]
        if len(literals) > 1:
            variables.model.add_at_most_one(literals)
