"""The stage shortcut: a starting plan already at the objective's floor needs no search."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.solver.search import hint_at_floor


def _model(hints: dict[str, int]) -> cp_model.CpModel:
    model = cp_model.CpModel()
    late = model.new_int_var(0, 5, "late")
    kept = model.new_bool_var("kept")
    model.minimize(2 * late - 3 * kept + 4)  # floor: late 0, kept 1 -> 1
    for var in (late, kept):
        if var.name in hints:
            model.add_hint(var, hints[var.name])
    return model


def test_a_hint_at_the_floor_is_its_value() -> None:
    assert hint_at_floor(_model({"late": 0, "kept": 1})) == 1


def test_a_hint_above_the_floor_or_incomplete_needs_the_search() -> None:
    assert hint_at_floor(_model({"late": 1, "kept": 1})) is None
    assert hint_at_floor(_model({"late": 0, "kept": 0})) is None
    assert hint_at_floor(_model({"late": 0})) is None


def test_a_negated_literal_in_the_objective_counts_as_its_negation() -> None:
    model = cp_model.CpModel()
    kept = model.new_bool_var("kept")
    model.minimize(5 * ~kept)
    model.add_hint(kept, True)
    assert hint_at_floor(model) == 0
