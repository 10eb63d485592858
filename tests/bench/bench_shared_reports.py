"""A year's report on the shared server beside the same year's report on the SQLCipher file
(goal: under one second on either), 100,000 contacts and 10,000 match requests.

    make bench   (or: .venv/bin/python tests/bench/bench_shared_reports.py)

The file keeps monthly counts by triggers (migration 13); the server groups the year's rows
over its clear coded columns (intake/storage/pg/reports.py) and the requests' sealed sites are
opened and counted on the station. The same data on both: seeded into the file
(tests/matching/seed.py), then copied to a throwaway PostgreSQL server with COPY, sealed as
`move-to-server` seals (which sends one row at a time: minutes at this size).
Alternating in one run, medians and the ratio; both reports checked equal. A benchmark, not a
test; --quick uses 5,000 contacts and 500 requests (the test suite runs that).
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
from intake.storage.db import Store, create_store
from intake.storage.pg.store import PgStore, create_shared_store
from intake.storage.report_data import Period
from tests.matching.seed import seed
from tests.pg_server import running_server

GOAL_MS = 1000.0
PASSPHRASE = "benchmark passphrase, not a secret"


# Each table the reports read: its columns, and which of them are sealed (by position).
TABLES = {
    "contacts": (
        "id, channel, started_at, ui_language, caller_language, role, province, referrals, "
        "outcome, consent_notes, caller_name, callback_number",
        {10: "caller_name", 11: "callback_number"},
    ),
    "followups": ("id, contact_id, due_at, status, created_at", {}),
    "peers": (
        "id, name, province, organization, site, department, conflicts, created_at",
        {1: "name", 3: "organization", 4: "site", 5: "department", 6: "conflicts"},
    ),
    "match_requests": (
        "id, created_at, source, consent, requester_name, requester_reach, role, province, "
        "organization, site, department, wants_outside, language, status, closed_at, outcome",
        {4: "requester_name", 5: "requester_reach", 8: "organization", 9: "site", 10: "department"},
    ),
    "matches": (
        "id, request_id, peer_id, proposed_at, answer, answered_at, first_contact_due, "
        "first_contact_at, closed_at",
        {},
    ),
    "survey": ("id, day, channel, language, helpful, recommend", {}),
    "feedback": ("id, day, channel, language, rating, found", {}),
}
FLAGS = {
    "contacts": (9,),
    "match_requests": (3, 11),
    "survey": (5,),
    "feedback": (5,),
}


def copy_to_server(file: Store, shared: PgStore) -> dict[str, int]:
    """The file's rows the reports read, sealed as the store seals them, by COPY."""
    keys = shared.line_keys
    counts: dict[str, int] = {}
    with shared.writing() as w:
        for table, (columns, sealed) in TABLES.items():
            rows = file.query(f"SELECT {columns} FROM {table}")
            with w.conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = list(row)
                    for index, field in sealed.items():
                        values[index] = keys.seal(table, field, values[0], values[index])
                    for index in FLAGS.get(table, ()):
                        values[index] = None if values[index] is None else bool(values[index])
                    copy.write_row(values)
            counts[table] = len(rows)
        w.q("ANALYZE")  # the planner told of the rows just added, as autovacuum would
    return counts


def main() -> None:
    quick = "--quick" in sys.argv
    contacts, requests, rounds = (5_000, 500, 3) if quick else (100_000, 10_000, 7)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    now = datetime(2027, 1, 5, tzinfo=UTC)
    with running_server(durable=True) as server, tempfile.TemporaryDirectory() as folder:
        ids: list[str] = []
        file = create_store(
            Path(folder) / "store.db",
            PASSPHRASE,
            initialize=lambda conn: ids.append(
                insert_account(conn, "Coordinator", "supervisor", hash_pin("482916"))
            ),
        )
        seed(file, ids[0], contacts=contacts, requests=requests)
        shared = create_shared_store(server.create_database(), PASSPHRASE)
        started = time.perf_counter()
        moved = copy_to_server(file, shared)
        move_s = time.perf_counter() - started
        file_ms: list[float] = []
        shared_ms: list[float] = []
        file_cpu: list[float] = []
        shared_cpu: list[float] = []
        for _ in range(rounds):
            for store, wall, cpu in ((file, file_ms, file_cpu), (shared, shared_ms, shared_cpu)):
                start, used = time.perf_counter(), time.process_time()
                report = make_report(store, period, now)
                to_csv(report)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            assert make_report(shared, period, now) == make_report(file, period, now)
        shared.close()
        file.close()
    on_file, on_server = statistics.median(file_ms), statistics.median(shared_ms)
    print(
        f"{contacts} contacts, {requests} requests; copied to the server in {move_s:.1f} s "
        f"({moved['contacts']} contacts, {moved['match_requests']} requests)"
    )
    print(f"year's report + CSV, file (kept counts), median of {rounds}: {on_file:.0f} ms")
    print(f"  its CPU time in this process (median): {statistics.median(file_cpu):.0f} ms")
    print(f"year's report + CSV, shared server (GROUP BY), median of {rounds}: {on_server:.0f} ms")
    print(f"  its CPU time in this process (median): {statistics.median(shared_cpu):.0f} ms")
    print(f"ratio server/file: {on_server / max(on_file, 1e-6):.2f}x (goal < {GOAL_MS:.0f} ms)")
    if not quick and on_server >= GOAL_MS:
        print("GOAL MISSED")


if __name__ == "__main__":
    main()
