"""A year's report over 100,000 contacts and 10,000 match requests (goal: under one second).

    make bench   (or: .venv/bin/python tests/bench/bench_reports.py)

The report is built from a real encrypted store (the counts the store keeps per month, the
matches, suppression of every table, statistics) and written as CSV. Side by side, alternating
in the same run: last round's method (every row of the period read and grouped, with its
covering indexes put back), so the ratio is this round's gain; and a bare read of one column of
every contact and request in the period (what touching the period's rows costs). A benchmark,
not a test; --quick uses 5,000 contacts and 500 requests (the test suite runs that).
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
from intake.services.reports import build, make_report, to_csv
from intake.storage.account_store import insert_account
from intake.storage.db import create_store
from intake.storage.report_data import Period
from tests.matching.recount import OLD_INDEXES, read_rows
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
        with store.transaction() as conn:
            for statement in OLD_INDEXES:
                conn.execute(statement)
        report_ms, old_ms, bare_ms, cpu_ms, old_cpu_ms = [], [], [], [], []
        for _ in range(rounds):
            start, cpu = time.perf_counter(), time.process_time()
            report = make_report(store, period, now)
            to_csv(report)
            report_ms.append((time.perf_counter() - start) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
            start, cpu = time.perf_counter(), time.process_time()
            old = build(read_rows(store, period, now.isoformat()), period)
            to_csv(old)
            old_ms.append((time.perf_counter() - start) * 1000)
            old_cpu_ms.append((time.process_time() - cpu) * 1000)
            assert old == report  # the same report, both ways
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
    before = statistics.median(old_ms)
    print(f"{contacts} contacts, {requests} requests, {len(report.tables)} tables")
    print(f"year's report + CSV (median of {rounds}): {built:.0f} ms (goal < {GOAL_MS:.0f} ms)")
    print(f"  its CPU time (median; the machine is shared): {statistics.median(cpu_ms):.0f} ms")
    print(f"last round's method, rows read and grouped (median): {before:.0f} ms")
    print(f"  its CPU time (median): {statistics.median(old_cpu_ms):.0f} ms")
    print(f"ratio last round/this round: {before / max(built, 1e-6):.1f}x faster")
    print(f"bare read of the period's rows (median): {bare:.0f} ms")
    print(f"ratio report/bare: {built / max(bare, 1e-6):.2f}x")
    if not quick and built >= GOAL_MS:
        print("GOAL MISSED")


if __name__ == "__main__":
    main()
