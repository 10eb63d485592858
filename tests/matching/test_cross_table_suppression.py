"""Suppression across the published tables of one report (issue 17): the contacts' four tables
(month x channel, province x language, role, outcome) are margins of one hidden table of the
same people. A hidden count must not be recoverable from ALL of them together: not from a
total in another table, nor from another table's published zeros (a zero says every person
of that row is elsewhere). Checked exactly with linear algebra over the hidden joint table:
a hidden count is recoverable when its indicator lies in the span of what is published."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.services.reports import Table, build
from intake.storage.report_data import Period, ReportData

PERIOD = Period(date(2026, 1, 1), date(2026, 3, 31))
MONTHS = ("2026-01", "2026-02", "2026-03")
CHANNELS = ("phone", "kiosk")
PROVINCES = ("BC", "QC")
LANGUAGES = ("en", "fr")
ROLES = ("physician", "resident")
OUTCOMES = ("referred", "information")
JOINT = [
    (m, c, p, lang, r, o)
    for m in MONTHS
    for c in CHANNELS
    for p in PROVINCES
    for lang in LANGUAGES
    for r in ROLES
    for o in OUTCOMES
]
UNIVERSE = (MONTHS, CHANNELS, PROVINCES, LANGUAGES, ROLES, OUTCOMES)
# Which joint coordinates each contacts table is a margin of.
AXES = {
    "contacts_month_channel": (0, 1),
    "contacts_province_language": (2, 3),
    "contacts_role": (4,),
    "contacts_outcome": (5,),
}


def _sets(table: Table) -> list[tuple[int | None, set[int]]]:
    """Each published or hidden value of a table, with the joint cells it sums."""
    axes = AXES[table.key]
    pub = table.published

    def cells(row: str | None, column: str | None) -> set[int]:
        found = set()
        for index, key in enumerate(JOINT):
            if row is not None and key[axes[0]] != row:
                continue
            if column is not None and len(axes) > 1 and key[axes[1]] != column:
                continue
            found.add(index)
        return found

    out: list[tuple[int | None, set[int]]] = []
    if not table.rows:  # nobody at all
        return [(pub.total, cells(None, None))]
    two_way = len(axes) > 1
    for r, row in enumerate(table.rows):
        if two_way:
            for c, column in enumerate(table.columns):
                out.append((pub.cells[r][c], cells(row, column)))
            out.append((pub.row_totals[r], cells(row, None)))
        else:
            out.append((pub.cells[r][0], cells(row, None)))
    if two_way:
        for c, column in enumerate(table.columns):
            out.append((pub.column_totals[c], cells(None, column)))
    elif pub.column_totals:
        out.append((pub.column_totals[0], cells(None, None)))
    out.append((pub.total, cells(None, None)))
    # A row not listed says that nobody is in it: a zero the reader knows.
    out.extend((0, cells(row, None)) for row in UNIVERSE[axes[0]] if row not in table.rows)
    return out


def _indicator(cells: set[int]) -> np.ndarray:
    vector = np.zeros(len(JOINT))
    vector[list(cells)] = 1.0
    return vector


def _recoverable(tables: list[Table]) -> list[tuple[str, set[int]]]:
    """Hidden values whose joint cells' sum is fixed by everything published together."""
    rows: list[np.ndarray] = []
    hidden: list[tuple[str, set[int]]] = []
    for table in tables:
        for value, cells in _sets(table):
            if value is None:
                hidden.append((table.key, cells))
            elif value == 0:
                rows.extend(_indicator({cell}) for cell in cells)  # every cell under a 0 is 0
            else:
                rows.append(_indicator(cells))
    if not rows:
        return []
    published = np.vstack(rows)
    rank = np.linalg.matrix_rank(published)
    return [
        (key, cells)
        for key, cells in hidden
        if np.linalg.matrix_rank(np.vstack([published, _indicator(cells)])) == rank
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=len(JOINT), max_size=len(JOINT)))
def test_no_hidden_count_is_recoverable_from_all_the_contacts_tables_together(
    counts: list[int],
) -> None:
    """Dense data (0 to 9 people in each combination): nothing hidden is recoverable from the
    four tables together."""
    data = ReportData(
        [(*key, n) for key, n in zip(JOINT, counts, strict=True) if n],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    report = build(data, PERIOD)
    tables = [t for t in report.tables if t.key in AXES]
    assert len(tables) == len(AXES)
    assert _recoverable(tables) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from((0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 6, 9, 15)),
        min_size=len(JOINT),
        max_size=len(JOINT),
    )
)
def test_no_hidden_count_is_recoverable_in_a_sparse_report_either(counts: list[int]) -> None:
    """Sparse data (most combinations empty, so every table publishes zeros): still nothing
    hidden is recoverable from the four tables together, zeros and totals included."""
    data = ReportData([(*k, n) for k, n in zip(JOINT, counts, strict=True) if n], *[[]] * 6)
    tables = [t for t in build(data, PERIOD).tables if t.key in AXES]
    assert _recoverable(tables) == []


def test_the_check_finds_a_count_the_other_values_give_away() -> None:
    """The checker is not blind: the month x channel table published with one small count
    hidden and everything else shown (no complement) is caught."""
    from dataclasses import replace

    from intake.services.suppression import Published

    counts = [0] * len(JOINT)
    counts[JOINT.index(("2026-01", "phone", "BC", "en", "physician", "referred"))] = 3
    counts[JOINT.index(("2026-02", "kiosk", "QC", "fr", "resident", "information"))] = 9
    data = ReportData([(*k, n) for k, n in zip(JOINT, counts, strict=True) if n], *[[]] * 6)
    tables = [t for t in build(data, PERIOD).tables if t.key in AXES]
    month = next(t for t in tables if t.key == "contacts_month_channel")
    real = [[3, 0], [0, 9], [0, 0]]
    naive = Published(
        ((None, 0), (0, 9), (0, 0)), (3, 9, 0), (3, 9), 12
    )  # only the 3 hidden: its row total says it
    exposed = _recoverable([replace(month, published=naive)])
    assert [key for key, _cells in exposed] == ["contacts_month_channel"]
    assert real[0][0] == 3


def test_a_sparse_report_does_not_give_away_hidden_counts_through_other_tables_zeros() -> None:
    """Two groups of people with nothing in common: 3 physicians in BC in January (English,
    by phone, referred) and 9 residents in Quebec in February. Each table hides the 3 with a
    complement; together, each table's zeros say the 3 are the only ones in their rows. (This
    leaked until round 4: the month table hid its grand total as the 3's complement while the
    role table published it, and 12 - 9 = 3.)"""
    counts = [0] * len(JOINT)
    counts[JOINT.index(("2026-01", "phone", "BC", "en", "physician", "referred"))] = 3
    counts[JOINT.index(("2026-02", "kiosk", "QC", "fr", "resident", "information"))] = 9
    data = ReportData([(*k, n) for k, n in zip(JOINT, counts, strict=True) if n], *[[]] * 6)
    tables = [t for t in build(data, PERIOD).tables if t.key in AXES]
    assert _recoverable(tables) == []
