"""Values computed once per object, for the look-ups explanations make thousands of times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

LIMIT = 256  # objects remembered per store before it starts afresh


def per_object(store: dict[int, tuple[Any, Any]], key: object, build: Callable[[], T]) -> T:
    """``build()``, remembered in ``store`` for this very object ``key``.

    Keyed by identity and checked against the object itself, so a copied instance with other
    members never sees a stale value, a recycled ``id`` never returns one, and the objects keep
    comparing by their fields (nothing is stored on them)."""
    cached = store.get(id(key))
    if cached is None or cached[0] is not key:
        if len(store) > LIMIT:
            store.clear()
        cached = (key, build())
        store[id(key)] = cached
    value: T = cached[1]
    return value
