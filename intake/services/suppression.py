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

Two tables whose rows are nested (the match requests by site and by province: a province's
requests are the sum of its sites') are suppressed together as one system, the sums linking
them included (`suppress_nested`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    import numpy as np  # noqa: PLC0415 - on the report's worker, not at the screen's opening

    a = np.zeros((len(equations), n))
    for i, eq in enumerate(equations):
        for v in eq[:-1]:
            a[i, v] = 1.0
        a[i, eq[-1]] = -1.0
    return a


def determined(a: np.ndarray, suppressed: Sequence[int]) -> list[int]:
    """The suppressed variables whose value the published ones fix."""
    import numpy as np  # noqa: PLC0415 - on the report's worker, not at the screen's opening

    if not suppressed:
        return []
    sub = a[:, list(suppressed)]
    _, s, vt = np.linalg.svd(sub)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return list(suppressed)
    return [v for v, col in zip(suppressed, null.T, strict=True) if np.abs(col).max() < 1e-9]


def _values(cells: Sequence[Sequence[int]]) -> list[int]:
    """A table's values in the order of `_layout`."""
    rows, cols = len(cells), len(cells[0])
    values = [v for row in cells for v in row]
    if cols > 1:
        values.extend(sum(row) for row in cells)
    values.extend(sum(cells[r][c] for r in range(rows)) for c in range(cols))
    values.append(sum(values[: rows * cols]))
    return values


def _totals(n: int, cols: int) -> set[int]:
    """The grand total, and a one-column table's column total (the same number)."""
    return {n - 1} | ({n - 2} if cols == 1 else set())


def _complete(
    a: np.ndarray,
    groups: list[list[int]],
    values: list[int],
    *,
    hidden: set[int],
    kept: set[int],
    is_cell: Callable[[int], bool],
    unobserved: frozenset[int] = frozenset(),
) -> set[int]:
    """Complementary suppression: while some hidden value is fixed by what is published, hide
    one more beside it. `unobserved` values are never published (hidden from the start) and
    never count as exposed: they only link tables (what a province's merged sites hold)."""
    n = len(values)
    hidden = hidden | unobserved
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for group in groups:
        for v in group:
            neighbours[v].update(group)
    while exposed := [v for v in determined(a, sorted(hidden)) if v not in unobserved]:
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
        hidden.add(min(pool, key=lambda v: (not is_cell(v), -closes(v), values[v], v)))
    return hidden - unobserved


def _published(rows: int, cols: int, shown: Sequence[int | None]) -> Published:
    grid = tuple(tuple(shown[r * cols + c] for c in range(cols)) for r in range(rows))
    at = rows * cols
    row_totals = tuple(shown[at : at + rows]) if cols > 1 else ()
    at += len(row_totals)
    return Published(grid, row_totals, tuple(shown[at : at + cols]), shown[at + cols])


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
    values = _values(cells)
    totals = _totals(n, cols)
    hidden = {v for v in range(n) if 0 < values[v] < SMALLEST_SHOWN}
    if hide_total:
        hidden |= totals
    kept = totals if keep_total else set()
    hidden = _complete(
        _matrix(n, equations),
        equations,
        values,
        hidden=hidden,
        kept=kept,
        is_cell=lambda v: v < rows * cols,
    )
    return _published(rows, cols, [None if v in hidden else values[v] for v in range(n)])


def suppress_nested(
    parts: Sequence[Sequence[int]],
    wholes: Sequence[Sequence[int]],
    whole_of: Sequence[int | None],
    *,
    keep_total: bool = False,
    hide_total: bool = False,
) -> tuple[Published, Published]:
    """Two tables of the same people whose rows are nested: each row of `parts` (a site) lies in
    the row `whole_of[r]` of `wholes` (its province), or, for a row merging small parts of any
    whole, None. A whole's row total is then the sum of its parts' row totals (plus what the
    merged row holds of it, unknown to the reader), so a part's hidden row total could be worked
    out as its whole's total minus its other parts. Both tables are suppressed as one system of
    sums, those links included: nothing hidden in either is fixed by what both publish.
    `keep_total` and `hide_total` as for `suppress`, for both tables' grand total."""
    if not parts or not parts[0] or not wholes or not wholes[0]:
        return (
            suppress(parts, keep_total=keep_total, hide_total=hide_total),
            suppress(wholes, keep_total=keep_total, hide_total=hide_total),
        )
    p_rows, p_cols = len(parts), len(parts[0])
    w_rows, w_cols = len(wholes), len(wholes[0])
    n1, eq1 = _layout(p_rows, p_cols)
    n2, eq2 = _layout(w_rows, w_cols)
    eq2 = [[v + n1 for v in eq] for eq in eq2]
    import numpy as np  # noqa: PLC0415 - on the report's worker, not at the screen's opening

    values = _values(parts) + _values(wholes)
    a = np.vstack([_matrix(n1 + n2, eq1), _matrix(n1 + n2, eq2)])

    def part_row(r: int) -> int:
        return p_rows * p_cols + r if p_cols > 1 else r

    def whole_row(r: int) -> int:
        return n1 + (w_rows * w_cols + r if w_cols > 1 else r)

    merged = [part_row(r) for r, w in enumerate(whole_of) if w is None]
    # What the merged row holds of each whole: an unobserved value for each whole that has some
    # of it. A reader who knows which sites exist may know that a whole has none there, so a
    # whole without any is linked to its listed parts alone (the cautious assumption).
    inside = [[part_row(r) for r, of in enumerate(whole_of) if of == w] for w in range(w_rows)]
    rest = [values[whole_row(w)] - sum(values[v] for v in inside[w]) for w in range(w_rows)]
    share: dict[int, int] = {}
    for w in range(w_rows):
        if merged and rest[w] != 0:
            share[w] = n1 + n2 + len(share)
            values.append(rest[w])
    n = n1 + n2 + len(share)
    links: list[tuple[list[int], list[int]]] = []  # (plus, minus): sum(plus) = sum(minus)
    for w in range(w_rows):
        links.append(([*inside[w], *([share[w]] if w in share else [])], [whole_row(w)]))
    if merged:
        links.append((list(share.values()), merged))
    extra = np.zeros((len(links), n))
    for i, (plus, minus) in enumerate(links):
        extra[i, plus] = 1.0
        extra[i, minus] = -1.0
    a = np.hstack([a, np.zeros((a.shape[0], len(share)))])
    a = np.vstack([a, extra])
    groups = [*eq1, *eq2, *(plus + minus for plus, minus in links)]
    totals = _totals(n1, p_cols) | {n1 + v for v in _totals(n2, w_cols)}
    hidden = {v for v in range(n1 + n2) if 0 < values[v] < SMALLEST_SHOWN}
    if hide_total:
        hidden |= totals
    kept = totals if keep_total else set()

    def is_cell(v: int) -> bool:
        return v < p_rows * p_cols or n1 <= v < n1 + w_rows * w_cols

    hidden = _complete(
        a,
        groups,
        values,
        hidden=hidden,
        kept=kept,
        is_cell=is_cell,
        unobserved=frozenset(share.values()),
    )
    shown = [None if v in hidden else values[v] for v in range(n1 + n2)]
    return _published(p_rows, p_cols, shown[:n1]), _published(w_rows, w_cols, shown[n1:])


def suppress_statistic(value: float | None, count: int) -> float | None:
    """A median or an average over fewer than five answers is not published."""
    return value if count >= SMALLEST_SHOWN else None
