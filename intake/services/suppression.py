"""Small-cell suppression with complementary suppression, for tables of counts with totals.

A published table is its cells, its row totals, its column totals and its grand total. Any of
those with a value from 1 to 4 is suppressed (primary). Then, as long as some suppressed value
could be worked out exactly from what is still published (a total minus the other cells, or a
longer chain through rows and columns), one more value is suppressed beside it: the smallest
non-zero value sharing a row or column with it (complementary). Zeros are published: a zero
says nothing about a person.

"Could be worked out" is decided exactly: the published values fix a suppressed value when it
is the same in every table that agrees with them, which for these sum constraints means its
coordinate is zero across the null space of the constraint matrix restricted to the suppressed
values. Complements are non-zero, so a suppressed value can move by one in both directions
along a cycle of suppressed values without any count going negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Published:
    """A table as published: None where a value is suppressed."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]  # empty for a one-column table (its cells are its rows)
    column_totals: tuple[int | None, ...]
    total: int | None

    def values(self) -> list[int | None]:
        flat: list[int | None] = [v for row in self.cells for v in row]
        return [*flat, *self.row_totals, *self.column_totals, self.total]


def _layout(rows: int, cols: int) -> tuple[int, list[list[int]]]:
    """Variables (cells, row totals, column totals, grand total) and the sum equations between
    them, each as a list of (+1 variables ..., -1 variable last)."""
    cell = [[r * cols + c for c in range(cols)] for r in range(rows)]
    n = rows * cols
    row_total = list(range(n, n + rows)) if cols > 1 else []
    n += len(row_total)
    col_total = list(range(n, n + cols))
    n += cols
    grand = n
    n += 1
    equations: list[list[int]] = []
    for r in range(rows):
        if cols > 1:
            equations.append([*cell[r], row_total[r]])
    for c in range(cols):
        equations.append([*(cell[r][c] for r in range(rows)), col_total[c]])
    equations.append([*col_total, grand])
    if cols > 1:
        equations.append([*row_total, grand])
    return n, equations


def _matrix(n: int, equations: list[list[int]]) -> np.ndarray:
    a = np.zeros((len(equations), n))
    for i, eq in enumerate(equations):
        for v in eq[:-1]:
            a[i, v] = 1.0
        a[i, eq[-1]] = -1.0
    return a


def determined(a: np.ndarray, suppressed: Sequence[int]) -> list[int]:
    """The suppressed variables whose value the published ones fix."""
    if not suppressed:
        return []
    sub = a[:, list(suppressed)]
    _, s, vt = np.linalg.svd(sub)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return list(suppressed)
    return [v for v, col in zip(suppressed, null.T, strict=True) if np.abs(col).max() < 1e-9]


def suppress(
    cells: Sequence[Sequence[int]], *, keep_total: bool = False, hide_total: bool = False
) -> Published:
    """The table as it may be published.

    A table is often one of several of the same people (a report's tables by month, by province,
    by role...), which share their grand total and nothing else. `keep_total`: the grand total
    is published by the others, so it is never chosen as a complement here (the table protects
    its small counts with its own cells and margins, knowing the total is known). `hide_total`:
    the others hide it, so it is hidden here too. Either way every table of the group treats the
    total alike, which is what keeps a count hidden in one table from being worked out with the
    total another table publishes (docs/reports.md, "Across the tables of one report")."""
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if rows == 0 or cols == 0:
        return Published((), (), (), None if hide_total else 0)
    n, equations = _layout(rows, cols)
    values = [v for row in cells for v in row]
    if cols > 1:
        values.extend(sum(row) for row in cells)
    values.extend(sum(cells[r][c] for r in range(rows)) for c in range(cols))
    values.append(sum(values[: rows * cols]))
    a = _matrix(n, equations)
    # The grand total, and a one-column table's column total (the same number).
    totals = {n - 1} | ({n - 2} if cols == 1 else set())
    hidden = {v for v in range(n) if 0 < values[v] < SMALLEST_SHOWN}
    if hide_total:
        hidden |= totals
    kept = totals if keep_total else set()
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for eq in equations:
        for v in eq:
            neighbours[v].update(eq)
    while exposed := determined(a, sorted(hidden)):
        near = set().union(*(neighbours[v] for v in exposed))
        pool = [v for v in near if v not in hidden | kept and values[v] > 0]
        if not pool:
            pool = [v for v in range(n) if v not in hidden | kept and values[v] > 0]
        if not pool:
            pool = [v for v in range(n) if v not in hidden | kept]
        if not pool:  # only the total is left to hide: the caller hides it in the others too
            pool = [v for v in range(n) if v not in hidden]
        if not pool:  # everything hidden already: nothing is exposed by construction
            break

        def closes(v: int) -> int:
            """Hidden values already beside `v`: hiding it tends to close a cycle of hidden
            values (a rectangle) instead of starting a new chain across the table."""
            return len((neighbours[v] - {v}) & hidden)

        # A cell before a total (totals are what sponsors read first), then one that closes a
        # cycle, then the smallest.
        hidden.add(min(pool, key=lambda v: (v >= rows * cols, -closes(v), values[v], v)))
    shown: list[int | None] = [None if v in hidden else values[v] for v in range(n)]
    grid = tuple(tuple(shown[r * cols + c] for c in range(cols)) for r in range(rows))
    at = rows * cols
    row_totals = tuple(shown[at : at + rows]) if cols > 1 else ()
    at += len(row_totals)
    return Published(grid, row_totals, tuple(shown[at : at + cols]), shown[at + cols])


def suppress_statistic(value: float | None, count: int) -> float | None:
    """A median or an average over fewer than five answers is not published."""
    return value if count >= SMALLEST_SHOWN else None
