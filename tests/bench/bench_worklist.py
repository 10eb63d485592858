"""The worklist as a volunteer opens it (F9), measured side by side in one run.

    make bench   (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_worklist.py
    [--quick])

100,000 stored contacts, 5,000 open items (follow-ups from calls and kiosk callback requests, a
mix of risks and due times, some claimed, with attempts), plus closed ones. Measured:
1. The first screen's queries (the counts, and the first screenful of items (PAGE_SIZE) in working order joined
   with their contact, callback and claimer), warm and cold (just after opening the store).
   For comparison, reading every open item at once.
2. Opening the window: the query plus filling the table model and laying out the visible rows,
   as `WorklistPage` does on arrival.
Beside them, the floor: reading the same open rows from `work_items` alone, unordered, with no
join. Goal: the window opens in under 100 ms (median). --quick: 2,000 contacts, 100 items.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake.accounts import Account, Role
from intake.pins import hash_pin
from intake.services import worklist
from intake.storage.account_store import insert_account
from intake.storage.db import Store, create_store, open_store
from intake.ui.worklist import PAGE_SIZE

PASSPHRASE = "benchmark passphrase, not a secret"
GOAL_MS = 100.0
PROVINCES = ("ON", "QC", "NB", "BC", "AB", "NS", "MB", "SK")
RISKS = ("none", "concern", "high", "imminent")


def populate(store: Store, contacts: int, open_items: int, volunteer: str) -> None:
    rng = random.Random(16)
    now = datetime.now(UTC)
    with store.transaction() as conn:
        rows = []
        for index in range(contacts):
            kiosk = index % 5 == 0
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    "kiosk" if kiosk else "phone",
                    (now - timedelta(minutes=index)).isoformat(timespec="seconds"),
                    "en",
                    rng.choice(("en", "fr")),
                    "physician",
                    rng.choice(PROVINCES),
                    rng.choice(RISKS),
                    "callback-requested" if kiosk else "callback",
                    1,
                    volunteer,
                )
            )
        conn.executemany(
            "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, role, "
            "province, risk, outcome, consent_notes, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        # Every third contact made a promise; the first `open_items` are still open.
        promised = rows[:: max(1, contacts // (open_items * 3))][: open_items * 3]
        for n, row in enumerate(promised):
            status = "open" if n < open_items else "done"
            due = (now + timedelta(hours=rng.randint(-72, 240))).isoformat()
            created = (now - timedelta(hours=rng.randint(1, 500))).isoformat()
            if row[1] == "phone":
                conn.execute(
                    "INSERT INTO followups (id, contact_id, due_at, status, created_by, "
                    "created_at) VALUES (?,?,?,?,?,?)",
                    (str(uuid.uuid4()), row[0], due, status, volunteer, created),
                )
            conn.execute(
                "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, status, "
                "created_at) VALUES (?,?,?,?,?,?,?)",
                (
                    str(uuid.uuid4()),
                    row[0],
                    "+16135550100",
                    "evening" if row[1] == "kiosk" else due,
                    "America/Toronto",
                    status,
                    created,
                ),
            )
        items = [r[0] for r in conn.execute("SELECT id FROM work_items WHERE status = 'open'")]
        for item in items[::7]:
            conn.execute(
                "UPDATE work_items SET claimed_by = ?, claimed_at = ? WHERE id = ?",
                (volunteer, now.isoformat(), item),
            )
            conn.execute(
                "INSERT INTO work_attempts (id, item_id, at, actor, result) "
                "VALUES (?, ?, ?, ?, 'no-answer')",
                (str(uuid.uuid4()), item, now.isoformat(), volunteer),
            )


def median_ms(run: Callable[[], object], times: int) -> tuple[float, float]:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, a few seconds")
    args = parser.parse_args()
    contacts, open_count = (2_000, 100) if args.quick else (100_000, 5_000)
    runs = 5 if args.quick else 15
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        store = create_store(
            path,
            PASSPHRASE,
            initialize=lambda conn: insert_account(
                conn, "Bench Supervisor", Role.SUPERVISOR.value, hash_pin("482916")
            ),
        )
        with store.transaction() as conn:
            volunteer = insert_account(conn, "Bench Volunteer", Role.VOLUNTEER.value, "x")
        populate(store, contacts, open_count, volunteer)
        found = worklist.open_count(store)
        store.close()

        store = open_store(path, PASSPHRASE, head="ignore")

        def first_screen() -> object:
            return worklist.summary(store), worklist.open_items(store, PAGE_SIZE)

        cold_start = time.perf_counter()
        first_screen()
        cold = (time.perf_counter() - cold_start) * 1000
        floor, _ = median_ms(
            lambda: store.query(
                "SELECT id, due_at FROM work_items WHERE status = 'open' LIMIT ?", (PAGE_SIZE,)
            ),
            runs,
        )
        query, query_max = median_ms(first_screen, runs)

        from intake.ui.app import create_qapplication
        from intake.ui.worklist import WorklistPage

        app = create_qapplication(sys.argv[:1])
        from PySide6.QtWidgets import QWidget

        holder = QWidget()
        holder.resize(1280, 720)
        page = WorklistPage(store, Account(volunteer, "Bench Volunteer", Role.VOLUNTEER), holder)
        holder.show()
        app.processEvents()

        def open_window() -> None:
            page._arrived(first_screen())  # type: ignore[arg-type]
            app.processEvents()  # lay out and paint the visible rows

        first_start = time.perf_counter()
        open_window()  # the first time also fits the columns to the rows
        first_open = (time.perf_counter() - first_start) * 1000
        window, window_max = median_ms(open_window, runs)
        # Last: reading all 5,000 fills SQLite's page cache with other rows.
        every, _ = median_ms(lambda: worklist.open_items(store), max(3, runs // 3))
        from intake.ui import ops

        ops.wait_all()
        app.processEvents()
        holder.close()
        store.close()

    print(
        json.dumps(
            {"contacts": contacts, "open_items": found, "runs": runs, "quick": args.quick},
        )
    )
    print(f"floor ({PAGE_SIZE} open rows, no join, no order): median {floor:7.1f} ms")
    print(f"first screen (counts + {PAGE_SIZE} items), cold:    {cold:7.1f} ms")
    print(
        f"first screen (counts + {PAGE_SIZE} items), warm: median {query:7.1f} ms (max {query_max:.1f})"
    )
    print(f"every open item at once (for comparison): median {every:7.1f} ms")
    print(f"worklist window opens:                  median {window:7.1f} ms (max {window_max:.1f})")
    print(f"worklist window, first open (fits its columns): {first_open:7.1f} ms")
    print(f"ratio query / floor: {query / max(floor, 0.001):.2f}x")
    print(f"ratio window / goal ({GOAL_MS:.0f} ms): {window / GOAL_MS:.2f}x")
    print(f"ratio first open / goal ({GOAL_MS:.0f} ms): {first_open / GOAL_MS:.2f}x")
    verdict = "met" if max(window, first_open) < GOAL_MS else "NOT met"
    print(f"goal: the worklist opens in under {GOAL_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
