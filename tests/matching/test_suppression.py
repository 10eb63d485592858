"""Suppression: no suppressed value can be recovered from what is published (checked by
enumerating every table of counts that agrees with the published values, independently of the
linear algebra the suppression itself uses), and no small value is ever shown."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from intake.services.suppression import SMALLEST_SHOWN, Published, suppress


def _consistent_tables(published: Published, rows: int, cols: int) -> list[list[list[int]]]:
    """Every non-negative integer table whose published values match."""
    bound = published.total if published.total is not None else 60
    options: list[list[int]] = []
    for r in range(rows):
        for c in range(cols):
            v = published.cells[r][c]
            options.append([v] if v is not None else list(range(bound + 1)))
    size = 1
    for o in options:
        size *= len(o)
    assume(size <= 300_000)
    found = []
    for flat in itertools.product(*options):
        table = [list(flat[r * cols : (r + 1) * cols]) for r in range(rows)]
        grand = sum(flat)
        if published.total is not None and grand != published.total:
            continue
        if any(t is not None and sum(table[r]) != t for r, t in enumerate(published.row_totals)):
            continue
        if any(
            t is not None and sum(table[r][c] for r in range(rows)) != t
            for c, t in enumerate(published.column_totals)
        ):
            continue
        found.append(table)
    return found


tables = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 7), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(tables)
def test_no_suppressed_value_can_be_recovered_from_the_published_totals(
    cells: list[list[int]],
) -> None:
    published = suppress(cells)
    rows, cols = len(cells), len(cells[0])
    candidates = _consistent_tables(published, rows, cols)
    assert cells in candidates
    for r in range(rows):
        for c in range(cols):
            if published.cells[r][c] is None:
                assert len({t[r][c] for t in candidates}) > 1, (r, c, published)
    # A suppressed total cannot be recovered either.
    for r, t in enumerate(published.row_totals):
        if t is None:
            assert len({sum(table[r]) for table in candidates}) > 1
    for c, t in enumerate(published.column_totals):
        if t is None:
            assert len({sum(table[x][c] for x in range(rows)) for table in candidates}) > 1
    if published.total is None:
        assert len({sum(map(sum, table)) for table in candidates}) > 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=4, max_size=4), min_size=1, max_size=12))
def test_no_value_from_one_to_four_is_ever_published(cells: list[list[int]]) -> None:
    published = suppress(cells)
    for value in published.values():
        assert value is None or value == 0 or value >= SMALLEST_SHOWN
    # What is shown is the truth.
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            assert published.cells[r][c] in (None, value)


def test_a_single_small_cell_takes_a_neighbour_with_it() -> None:
    published = suppress([[3, 20], [12, 30]])
    # The 3 alone would be its row total minus 20: the four cells go together, the totals stay.
    assert published.cells == ((None, None), (None, None))
    assert published.row_totals == (23, 42)
    assert published.column_totals == (15, 50)
    assert published.total == 65


def test_a_one_column_table_hides_a_second_row_with_a_lone_small_one() -> None:
    published = suppress([[2], [9], [40]])
    assert published.cells == ((None,), (None,), (40,))
    assert published.column_totals == (51,)
    assert published.total == 51
