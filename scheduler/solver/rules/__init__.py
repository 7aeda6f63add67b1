"""Hard constraints, one module per family; each exposes ``add(variables) -> None``.

Static limits (eligibility, pinned owner, busy time and buffers, availability) never reach the
model: ``scheduler.solver.candidates`` drops the variables they forbid.
"""
