"""The busy-time index behind explanations finds exactly the intervals a linear scan finds."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler.intervals import BusyInterval
from scheduler.solver.static_blockers import BusyIndex
from tests.scheduler.solver.hand_built import at

spans = st.tuples(st.integers(0, 24 * 60), st.integers(1, 8 * 60))


def _busy(start: int, length: int, n: int) -> BusyInterval:
    begin = at(0, 0) + timedelta(minutes=start)
    return BusyInterval(begin, begin + timedelta(minutes=length), f"event {n}")


@given(st.lists(spans, max_size=30), spans)
def test_the_index_finds_what_a_scan_finds_in_the_members_order(
    events: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    busy = tuple(_busy(s, n, i) for i, (s, n) in enumerate(events))
    start = at(0, 0) + timedelta(minutes=query[0])
    end = start + timedelta(minutes=query[1])
    expected = [b for b in busy if b.overlaps(start, end)]
    assert BusyIndex.of(busy).overlapping(start, end) == expected
