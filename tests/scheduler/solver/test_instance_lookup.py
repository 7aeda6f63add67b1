"""Members and duties by id: fast look-ups that never go stale on a copied instance."""

from __future__ import annotations

from tests.scheduler.solver.hand_built import family


def test_a_copy_with_other_members_or_duties_looks_up_its_own() -> None:
    instance = family()
    assert instance.member("alex").name == "Alex"
    renamed = tuple(
        m.model_copy(update={"name": "Alexandra"}) if m.id == "alex" else m
        for m in instance.members
    )
    copy = instance.model_copy(update={"members": renamed})
    assert copy.member("alex").name == "Alexandra"
    assert instance.member("alex").name == "Alex"
    assert instance.duty("dropoff").name == "School drop-off"


def test_looking_up_leaves_instances_equal_by_their_fields() -> None:
    looked_up = family()
    looked_up.member("sam")
    assert looked_up == family()
