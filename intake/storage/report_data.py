"""The counts the sponsors' reports are built from: grouped in SQL, coded values only.

No query here reads a name, a number, a note or any other free text: the columns read are
coded answers, dates cut to the month or day, and counts. Contacts, referrals, follow-ups and
match requests are read from the counts the store keeps per month (migration 13); matches, the
survey and the feedback (far fewer rows) from their own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from intake.storage.db import Store

if TYPE_CHECKING:
    from intake.storage.interface import RecordStore


def _on_server(store: Store | RecordStore) -> Any:
    """The shared store's reports part (`intake.storage.pg.reports.PgReports`, which imports
    `ReportData` from here: named only as `Any`, so there is no import cycle), or None for the
    file."""
    from intake.storage.local import LocalRecords  # noqa: PLC0415

    if isinstance(store, (Store, LocalRecords)):
        return None
    return store


def _file(store: Store | RecordStore) -> Store:
    from intake.storage.local import LocalRecords  # noqa: PLC0415

    return store.store if isinstance(store, LocalRecords) else cast(Store, store)


def exported(store: Store | RecordStore, actor: str | None, detail: str) -> None:
    """Audit a report's export (its period and format, never its content) on either store."""
    if (server := _on_server(store)) is not None:
        server.report_exported(actor, detail)
        return
    from intake.storage import audit  # noqa: PLC0415

    with _file(store).transaction() as conn:
        audit.append(conn, actor, "export", None, detail)


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    def bounds(self) -> tuple[str, str]:
        """ISO text bounds for a column that starts with the local date."""
        return self.start.isoformat(), (self.end + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class ReportData:
    contacts: list[tuple[Any, ...]]  # month, channel, province, language, role, outcome, count
    referrals: list[tuple[str, int]]  # program, times offered
    followups: list[tuple[str, int]]  # done | open | overdue | cancelled, count
    requests: list[tuple[Any, ...]]  # month, source, province, site, language, role,
    #                                   wants_outside, status, outcome, count
    # month, wants_outside, province, day accepted, day of first contact (or None), count
    matches: list[tuple[Any, ...]]
    survey: list[tuple[Any, ...]]  # channel, helpful, recommend, count
    feedback: list[tuple[Any, ...]]  # channel, rating, found, count (the kiosk's and calls')


def read(store: Store | RecordStore, period: Period, now_iso: str) -> ReportData:
    """The period's counts from the counts the store keeps per month (migration 13: kept by
    triggers in the same transaction as every write, purges included), so a year's report reads
    a few thousand count rows instead of every contact of the year. A report covers whole
    months (docs/reports.md; the window and `intake report` ask for nothing else)."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        raise ValueError("a report covers whole months")
    first, last = period.start.isoformat()[:7], period.end.isoformat()[:7]
    if (server := _on_server(store)) is not None:
        # The shared server groups its own rows (no kept counts there): intake.storage.pg.reports
        return cast("ReportData", server.report_rows(first, last, *period.bounds(), now_iso))
    store = _file(store)
    contacts = store.query(
        "SELECT month, channel, province, language, role, outcome, n FROM report_contacts "
        # A call abandoned as started by mistake was never a contact with anyone.
        "WHERE month BETWEEN ? AND ? AND outcome <> 'abandoned'",
        (first, last),
    )
    offered = store.query(
        "SELECT program, sum(n) FROM report_referrals WHERE month BETWEEN ? AND ? "
        "GROUP BY program ORDER BY program",
        (first, last),
    )
    followups = store.query(
        "SELECT CASE WHEN status = 'open' AND due_at < ? THEN 'overdue' ELSE status END, "
        "sum(n) FROM report_followups WHERE month BETWEEN ? AND ? GROUP BY 1",
        (now_iso, first, last),
    )
    requests = store.query(
        "SELECT month, source, province, site, language, role, wants_outside, status, "
        "outcome, n FROM report_requests WHERE month BETWEEN ? AND ?",
        (first, last),
    )
    start, stop = period.bounds()
    # The day as written (the local date of its own offset), as the wait is counted in days.
    matches = store.query(
        "SELECT substr(r.created_at, 1, 7), r.wants_outside, r.province, "
        "substr(m.answered_at, 1, 10), substr(m.first_contact_at, 1, 10), count(*) "
        "FROM matches AS m JOIN match_requests AS r ON r.id = m.request_id "
        "WHERE m.answer = 'accepted' AND r.created_at >= ? AND r.created_at < ? "
        "GROUP BY 1, 2, 3, 4, 5",
        (start, stop),
    )
    survey = store.query(
        "SELECT channel, helpful, recommend, count(*) FROM survey "
        "WHERE day >= ? AND day < ? GROUP BY 1, 2, 3",
        (start, stop),
    )
    feedback = store.query(
        "SELECT channel, rating, found, count(*) FROM feedback "
        "WHERE day >= ? AND day < ? GROUP BY 1, 2, 3",
        (start, stop),
    )
    return ReportData(
        [tuple(r) for r in contacts],
        [(str(r[0]), int(r[1])) for r in offered],
        [(str(r[0]), int(r[1])) for r in followups],
        [tuple(r) for r in requests],
        [tuple(r) for r in matches],
        [tuple(r) for r in survey],
        [tuple(r) for r in feedback],
    )
