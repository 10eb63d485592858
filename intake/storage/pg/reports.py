"""The sponsors' report counts on the shared store: the same `ReportData` the file's
`report_data.read` gives, grouped by the server over the coded columns it keeps in clear.

The file keeps monthly counts by triggers (its migration 13), because SQLite would otherwise
read every row of the year; the server groups the year's rows itself (measured in
tests/bench/bench_shared_reports.py). The one coded value the server cannot group is a request's
site, sealed as typed: those rows come with their site sealed and are counted here, on the
station, once it is opened. No name, number or note is read.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psycopg

from intake.storage.errors import NotAllowed
from intake.storage.report_data import ReportData

if TYPE_CHECKING:
    from intake.storage.pg.crypto import LineKeys
    from intake.storage.pg.writing import Writing as PgWriter


def _truthy(member: str) -> str:
    """A JSON member read as Python reads it for truth (as the file's counts do)."""
    at = f"e -> '{member}'"
    return (
        f"CASE jsonb_typeof({at}) WHEN 'boolean' THEN ({at})::boolean "
        f"WHEN 'number' THEN ({at})::numeric <> 0 "
        f"WHEN 'string' THEN ({at}) #>> '{{}}' <> '' "
        f"WHEN 'array' THEN jsonb_array_length({at}) > 0 "
        f"WHEN 'object' THEN ({at}) <> '{{}}'::jsonb ELSE false END"
    )


# A row's month (its text's first seven characters, as the file keys its counts) within the
# period's whole months: its ISO time from the first day (inclusive) to the day after the last
# (exclusive). The same rows as comparing the months, and a range the planner estimates from
# the column's statistics (an estimate from `substr(…)` was 50 rows of 10,000, and the grouping
# then sorted every row: 4x slower than hashing them).
_MONTH = "{c} >= %s AND {c} < %s"


def _flag(value: Any) -> int | None:
    return None if value is None else int(value)


class PgReports:
    """The reports part of `PgStore` (a mixin: it uses the store's keys and `query`)."""

    _keys: LineKeys

    writing: Callable[[], contextlib.AbstractContextManager[PgWriter]]  # PgStore's
    query: Callable[..., list[Any]]  # PgStore's

    def report_rows(self, first: str, last: str, start: str, stop: str, now_iso: str) -> ReportData:
        """The period's counts: months `first`..`last` (YYYY-MM), days `start` (inclusive) to
        `stop` (exclusive), follow-ups overdue as of `now_iso`. Under row-level security only
        the supervisors' group (supervisors and coordinators) may: others get NotAllowed."""
        try:
            return self._report_rows(first, last, start, stop, now_iso)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise NotAllowed() from exc

    def _report_rows(
        self, first: str, last: str, start: str, stop: str, now_iso: str
    ) -> ReportData:
        contacts = self.query(
            "SELECT substr(started_at, 1, 7), channel, coalesce(province, '?'), "
            "caller_language, coalesce(role, '?'), coalesce(outcome, '?'), count(*) "
            f"FROM contacts WHERE {_MONTH.format(c='started_at')} "
            "AND coalesce(outcome, '?') <> 'abandoned' GROUP BY 1, 2, 3, 4, 5, 6",
            (start, stop),
        )
        # Calls share a few lists of referrals: each distinct list is read as JSON once.
        offered = self.query(
            "SELECT e ->> 'program', sum(c.n) FROM (SELECT referrals::jsonb AS r, count(*) AS n "
            f"FROM contacts WHERE {_MONTH.format(c='started_at')} GROUP BY referrals) AS c, "
            "jsonb_array_elements(CASE jsonb_typeof(c.r) WHEN 'array' THEN c.r "
            "ELSE '[]'::jsonb END) AS e WHERE jsonb_typeof(e) = 'object' "
            f"AND {_truthy('offered')} AND {_truthy('program')} "
            "GROUP BY 1 ORDER BY 1",
            (start, stop),
        )
        followups = self.query(
            "SELECT CASE WHEN f.status = 'open' AND f.due_at < %s COLLATE \"C\" THEN 'overdue' "
            "ELSE f.status END, count(*) FROM followups f JOIN contacts c ON c.id = f.contact_id "
            f"WHERE {_MONTH.format(c='c.started_at')} GROUP BY 1",
            (now_iso, start, stop),
        )
        # Grouped here once each site is opened (sealed per row, it cannot be grouped there).
        by_site: Counter[tuple[Any, ...]] = Counter()
        for row in self.query(
            "SELECT id, site, substr(created_at, 1, 7), source, province, language, "
            "coalesce(role, '?'), wants_outside::int, status, coalesce(outcome, '?') "
            f"FROM match_requests WHERE {_MONTH.format(c='created_at')}",
            (start, stop),
        ):
            site = self._keys.open("match_requests", "site", row[0], bytes(row[1]))
            month, source, province, language, role, outside, status, outcome = row[2:]
            key = (month, source, province, site, language, role, outside, status, outcome)
            by_site[key] += 1
        matches = self.query(
            "SELECT substr(r.created_at, 1, 7), r.wants_outside::int, r.province, "
            "substr(m.answered_at, 1, 10), substr(m.first_contact_at, 1, 10), count(*) "
            "FROM matches AS m JOIN match_requests AS r ON r.id = m.request_id "
            "WHERE m.answer = 'accepted' AND r.created_at >= %s COLLATE \"C\" "
            'AND r.created_at < %s COLLATE "C" '
            "GROUP BY 1, 2, 3, 4, 5",
            (start, stop),
        )
        survey = self.query(
            "SELECT channel, helpful, recommend, count(*) FROM survey "
            'WHERE day >= %s COLLATE "C" AND day < %s COLLATE "C" GROUP BY 1, 2, 3',
            (start, stop),
        )
        feedback = self.query(
            "SELECT channel, rating, found, count(*) FROM feedback "
            'WHERE day >= %s COLLATE "C" AND day < %s COLLATE "C" GROUP BY 1, 2, 3',
            (start, stop),
        )
        return ReportData(
            [(*r[:6], int(r[6])) for r in contacts],
            [(str(r[0]), int(r[1])) for r in offered],
            [(str(r[0]), int(r[1])) for r in followups],
            [(*key, n) for key, n in by_site.items()],
            [(*r[:5], int(r[5])) for r in matches],
            [(r[0], r[1], _flag(r[2]), int(r[3])) for r in survey],
            [(r[0], r[1], _flag(r[2]), int(r[3])) for r in feedback],
        )

    def report_exported(self, actor: str | None, detail: str) -> None:
        with self.writing() as w:
            w.audit(actor, "export", None, detail)
