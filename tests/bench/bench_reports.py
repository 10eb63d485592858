"""A year's report over 100,000 contacts and 10,000 match requests (goal: under one second).

    make bench   (or: .venv/bin/python tests/bench/bench_reports.py)

The report is built from a real encrypted store (grouped queries, suppression of every table,
statistics) and written as CSV. Side by side, alternating in the same run: a bare read of one
column of every contact and request in the period (what touching the period's rows costs), so
the ratio shows what grouping, suppression and the statistics add. A benchmark, not a test;
--quick uses 5,000 contacts and 500 requests (the test suite runs that).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from intake.pins import hash_pin
from intake.services.reports import make_report, to_csv
from intake.storage.account_store import insert_account
from intake.storage.db import create_store
from intake.storage.report_data import Period
from tests.matching.seed import seed

GOAL_MS = 1000.0


def main() -> None:
    quick = "--quick" in sys.argv
    contacts, requests, rounds = (5_000, 500, 3) if quick else (100_000, 10_000, 7)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    now = datetime(2027, 1, 5, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        ids: list[str] = []
        store = create_store(
            Path(folder) / "store.db",
            "bench passphrase for reports",
            initialize=lambda conn: ids.append(
                insert_account(conn, "Coordinator", "supervisor", hash_pin("482916"))
            ),
        )
        seed(store, ids[0], contacts=contacts, requests=requests)
        report_ms, bare_ms = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            report = make_report(store, period, now)
            to_csv(report)
            report_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            store.query(
                "SELECT channel FROM contacts WHERE started_at >= ? AND started_at < ?",
                ("2026-01-01", "2027-01-01"),
            )
            store.query(
                "SELECT source FROM match_requests WHERE created_at >= ? AND created_at < ?",
                ("2026-01-01", "2027-01-01"),
            )
            bare_ms.append((time.perf_counter() - start) * 1000)
        store.close()
    built, bare = statistics.median(report_ms), statistics.median(bare_ms)
    print(f"{contacts} contacts, {requests} requests, {len(report.tables)} tables")
    print(f"year's report + CSV (median of {rounds}): {built:.0f} ms (goal < {GOAL_MS:.0f} ms)")
    print(f"bare read of the period's rows (median): {bare:.0f} ms")
    print(f"ratio report/bare: {built / max(bare, 1e-6):.2f}x")
    if not quick and built >= GOAL_MS:
        print("GOAL MISSED")


if __name__ == "__main__":
    main()
