"""Links between duties on the same day: ``same_owner_as`` and ``different_owner_from``.

Both only bind when both occurrences are assigned (TEAM.md), so an unassigned partner occurrence
never makes the other one impossible.
"""

from __future__ import annotations

from scheduler.solver.variables import AssignmentVars


def linked_pairs(variables: AssignmentVars) -> list[tuple[int, int, bool]]:
    """(occurrence a, occurrence b, same_owner) for every linked pair on the same day, sorted."""
    pairs: set[tuple[int, int, bool]] = set()
    for duty in variables.instance.duties:
        for other, same in [(o, True) for o in duty.same_owner_as] + [
            (o, False) for o in duty.different_owner_from
        ]:
            if other == duty.id:
                continue
            for index, occurrence in enumerate(variables.occurrences):
                if occurrence.duty != duty.id:
                    continue
                partner = variables.occurrence_index(other, occurrence.day)
                if partner is not None:
                    pairs.add((min(index, partner), max(index, partner), same))
    return sorted(pairs)


def add(variables: AssignmentVars) -> None:
    model = variables.model
    for a, b, same in linked_pairs(variables):
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
