"""Each partner's target share of the load, shared by the validator, the explanations, the property
tests and the benchmarks. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from scheduler.solver.instance import Instance, Member


def target_shares(instance: Instance) -> dict[str, float]:
    """Each partner's target share of the partners' weighted load, as a fraction."""
    partners = [m for m in instance.members if m.role == "partner"]
    if not partners:
        return {}
    if instance.fairness.target == "free_time":
        free = {m.id: free_minutes(instance, m) for m in partners}
        total = sum(free.values())
        if total > 0:
            return {m: f / total for m, f in free.items()}
    return {m.id: 1 / len(partners) for m in partners}


def shares(load: Mapping[str, int], targets: Mapping[str, float]) -> dict[str, float] | None:
    """Each partner's share of the partners' ``load`` (weighted minutes); None when they carry
    nothing."""
    total = sum(load.get(p, 0) for p in targets)
    return {p: load.get(p, 0) / total for p in targets} if total else None


def percent_shares(load: Mapping[str, int], targets: Mapping[str, float]) -> dict[str, float]:
    """``shares`` in per cent, to two decimals, as plans show them; empty when the partners carry
    nothing."""
    split = shares(load, targets)
    return {} if split is None else {p: round(100 * s, 2) for p, s in split.items()}


def off_target(split: Mapping[str, float], targets: Mapping[str, float]) -> float:
    """How far a split (``shares``) is from the targets: the furthest partner's distance."""
    return max(abs(split[p] - t) for p, t in targets.items())


def free_minutes(instance: Instance, member: Member) -> int:
    """Horizon minutes minus the member's merged busy minutes inside the horizon."""
    total = int((instance.end - instance.start).total_seconds() // 60)
    clipped = sorted(
        (max(b.start, instance.start), min(b.end, instance.end))
        for b in member.busy
        if b.start < instance.end and instance.start < b.end
    )
    busy, cursor = 0.0, instance.start
    for start, end in clipped:
        start = max(start, cursor)
        if end > start:
            busy += (end - start).total_seconds() / 60
            cursor = end
    return total - int(busy)
