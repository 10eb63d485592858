"""The reports' counts recounted from the rows themselves, the way `report_data.read` did
before the store kept them (issue 17, round 4): the tests compare the kept counts with this
recount, and the benchmark times both in one run."""

from __future__ import annotations

import json
from collections import Counter

from intake.storage.db import Store
from intake.storage.report_data import Period, ReportData

# Last round's covering indexes for this read (migration 12, dropped by 13 once the report
# stopped reading the rows): the benchmark puts them back so the old read runs as it did.
OLD_INDEXES = (
    "CREATE INDEX IF NOT EXISTS contacts_report ON contacts "
    "(started_at, channel, province, caller_language, role, outcome)",
    "CREATE INDEX IF NOT EXISTS contacts_report_referrals ON contacts (started_at, referrals) "
    "WHERE referrals <> '[]'",
)


def read_rows(store: Store, period: Period, now_iso: str) -> ReportData:
    """Last round's `intake.storage.report_data.read`, unchanged: every row of the period read
    and grouped (in SQL and in Python)."""
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
        # (this round's shape: each match's days, counted; the wait is counted in days)
        [(*r[:3], r[3][:10], None if r[4] is None else r[4][:10], 1) for r in matches],
        [tuple(r) for r in survey],
        [tuple(r) for r in feedback],
    )
