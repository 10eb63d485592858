"""The counts the sponsors' reports are built from: grouped in SQL, coded values only.

No query here reads a name, a number, a note or any other free text: the columns read are
coded answers, dates cut to the month or day, and counts. A report over a period is a handful
of grouped scans of the period's rows (the contacts' date index bounds each one).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from intake.storage.db import Store


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
    matches: list[tuple[Any, ...]]  # month, wants_outside, province, accepted_at, first_contact_at
    survey: list[tuple[Any, ...]]  # channel, helpful, recommend, count
    feedback: list[tuple[Any, ...]]  # channel, rating, found, count (the kiosk's and calls')


def read(store: Store, period: Period, now_iso: str) -> ReportData:
    start, stop = period.bounds()
    # Read in index order (the covering index of migration 11) and counted here: sorting the
    # year's rows for a GROUP BY in SQL cost more than counting them (measured, 20,000 rows).
    counted = Counter(
        store.query(
            "SELECT substr(started_at, 1, 7), channel, province, caller_language, role, outcome "
            "FROM contacts "
            # A call abandoned as started by mistake was never a contact with anyone.
            "WHERE started_at >= ? AND started_at < ? AND outcome IS NOT 'abandoned'",
            (start, stop),
        )
    )
    contacts = [
        (month, channel, province or "?", language, role or "?", outcome or "?", n)
        for (month, channel, province, language, role, outcome), n in counted.items()
    ]
    # Grouped by the referrals' text, decoded once per distinct list below: many contacts were
    # offered the same programs, and expanding every row's JSON in SQL was a fifth of the report.
    referral_lists = store.query(
        "SELECT referrals, count(*) FROM contacts "
        "WHERE started_at >= ? AND started_at < ? AND referrals <> '[]' GROUP BY 1",
        (start, stop),
    )
    offered: Counter[str] = Counter()
    for text, times in referral_lists:
        for item in json.loads(text):
            if isinstance(item, dict) and item.get("offered") and item.get("program"):
                offered[str(item["program"])] += int(times)
    followups = store.query(
        "SELECT CASE WHEN f.status = 'open' AND f.due_at < ? THEN 'overdue' ELSE f.status END, "
        # The follow-ups first (far fewer than contacts), each one's contact by its key.
        "count(*) FROM followups AS f CROSS JOIN contacts AS c ON c.id = f.contact_id "
        "WHERE c.started_at >= ? AND c.started_at < ? GROUP BY 1",
        (now_iso, start, stop),
    )
    requests = store.query(
        "SELECT substr(created_at, 1, 7), source, province, site, language, coalesce(role, '?'), "
        "wants_outside, status, coalesce(outcome, '?'), count(*) FROM match_requests "
        "WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
        (start, stop),
    )
    matches = store.query(
        "SELECT substr(r.created_at, 1, 7), r.wants_outside, r.province, m.answered_at, "
        "m.first_contact_at FROM matches AS m JOIN match_requests AS r ON r.id = m.request_id "
        "WHERE m.answer = 'accepted' AND r.created_at >= ? AND r.created_at < ?",
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
        contacts,
        sorted(offered.items()),
        [(str(r[0]), int(r[1])) for r in followups],
        [tuple(r) for r in requests],
        [tuple(r) for r in matches],
        [tuple(r) for r in survey],
        [tuple(r) for r in feedback],
    )
