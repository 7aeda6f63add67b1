"""Links between duties on the same day: ``same_owner_as`` and ``different_owner_from``.

Both only bind when both occurrences are assigned (TEAM.md), so an unassigned partner occurrence
never makes the other one impossible.
"""

from __future__ import annotations

from scheduler.solver.decompose import linked_occurrences
from scheduler.solver.variables import AssignmentVars


def add(variables: AssignmentVars) -> None:
    model = variables.model
    for a, b, same in linked_occurrences(variables.instance, variables.occurrences):
        members = sorted(set(variables.members_for(a)) | set(variables.members_for(b)))
        for member in members:
            if same:
                # a done by member and b assigned => b done by member (and symmetrically).
                model.add(
                    variables.done_by(a, member)
                    + variables.assigned(b)
                    - variables.done_by(b, member)
                    <= 1
                )
            else:
                model.add(variables.done_by(a, member) + variables.done_by(b, member) <= 1)
