"""The encrypted store as the screens use it, measured side by side in one run.

    make bench   (or: .venv/bin/python tests/bench/bench_store.py [--quick])

1. Saving a whole call (what the phone line's save runs: the record, its note, a follow-up and a
   callback, then dropping the draft; audited) against a minimal save of the same data with the
   standard sqlite3 module: the same schema and settings, one transaction, no audit rows.
   Beside it, the same real code over plain sqlite3, to show what encryption alone costs, and
   the same rows saved one transaction each (what this benchmark timed until it followed the
   phone line's one-transaction save: each commit is a full sync, so it was 5-6x). And the
   minimal save itself on SQLCipher: what encryption alone costs the least a save can do, the
   floor under any encrypted save (where the disk syncs fast, it is over 1.5x by itself).
   Goal: at most 1.5x the minimal save. (The baseline's SQLite 3.40 lacks FTS5 secure-delete,
   so its notes index skips that one setting: the ratio is, if anything, pessimistic.)
2. Unlock (key derivation, checks, migrations) against a raw SQLCipher open with the same key.
3. Note search as the History screen runs it (up to 500 hits, then the page of their contacts),
   100,000 notes, a supervisor and two volunteers. Goal: p95 under 50 ms.
4. The first History page (100 rows, as the screen asks) at 1,000,000 contacts, for a supervisor
   and for volunteers with 2% and with 10 of the contacts, with the screen's filters, cold (the
   first query right after unlock, on a fresh connection) and warm. Goal: under 50 ms each.
   "Cold" is SQLCipher's cold: the operating system's file cache stays warm.
5. File size per 10,000 contacts.
--quick runs every part on small data in seconds (the test suite runs it so the script cannot
rot); BENCH_HISTORY_ROWS overrides the 1,000,000. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from intake.pins import hash_pin
from intake.services.calls import CallSnapshot, FollowUpPlan, save_call
from intake.storage.db import REQUIRED_PRAGMAS, Store, create_store, key_pragma, open_store
from intake.storage.migrations import MIGRATIONS, m0002_records, m0006_search_owner
from intake.storage.records import (
    ContactRecord,
    HistoryFilter,
    add_callback,
    add_followup,
    add_note,
    delete_draft,
    history_page,
    save_contact,
    save_draft,
    search_notes,
)

PASSPHRASE = "benchmark passphrase, not a secret"
GOAL_MS = 50.0
PAGE = 100  # the History screen's page size
HITS = 500  # the History screen's note-search limit
PROVINCES = ("QC", "ON", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU")
OUTCOMES = ("referred", "information", "crisis-connected", "callback", "declined", "disconnected")
WORDS = [
    w.strip()
    for w in [
        "épuisement",
        "garde",
        "nuit",
        "patient",
        "plainte",
        "collège",
        "famille",
        "deuil",
        "résidence",
        "stress",
        "sommeil",
        "colère",
        "erreur",
        "urgence",
        "chirurgie",
        "retraite",
        "litige",
        "conjoint",
        "enfant",
        "burnout",
        "workload",
        "complaint",
        "lawsuit",
        "adverse",
        "outcome",
        "grief",
        "colleague",
        "shift",
        "call",
        "pager",
        "rota",
        "exam",
        "residency",
        "sleep",
        "anger",
        "mistake",
        "emergency",
        "surgery",
        "retirement",
        "partner",
        "child",
        "substance",
        "alcohol",
        "mentor",
        "coaching",
        "transition",
        "harassment",
        "isolation",
        "rural",
        "locum",
        "clinic",
        "hospital",
    ]
]
# Words in real notes follow a long-tailed (Zipf-like) distribution: a few very common, most rare.
VOCABULARY = WORDS + [f"mot{index}" for index in range(5000)]
FREQUENCY = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, FREQUENCY, k=count))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Sizes:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.saves = 10 if quick else 300
        self.notes = 1_000 if quick else 100_000
        self.history = 5_000 if quick else int(os.environ.get("BENCH_HISTORY_ROWS", "1000000"))
        self.size_rows = 1_000 if quick else 10_000
        self.queries = 30 if quick else 300
        self.cold_rounds = 1 if quick else 5
        self.warm_rounds = 3 if quick else 20


def ms(seconds: float) -> float:
    return seconds * 1000


# Migrations that turn FTS5 secure-delete on, which the baseline's SQLite lacks.
SECURE_DELETE_STATEMENTS = {
    "records": m0002_records.STATEMENTS,
    "search-owner": m0006_search_owner.STATEMENTS,
}


def plain_store(path: Path) -> Store:
    """The same schema, code and settings over the standard sqlite3 module (no encryption)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for name, (value, _expected) in REQUIRED_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    conn.execute("BEGIN")
    for migration in MIGRATIONS:
        listed = SECURE_DELETE_STATEMENTS.get(migration.name)
        if listed is not None:
            for statement in listed:
                if "secure-delete" not in statement:
                    conn.execute(statement)
        else:
            migration.apply(conn)
    conn.execute(f"PRAGMA user_version = {MIGRATIONS[-1].version}")
    conn.execute(
        "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
        "VALUES ('bench', 'Bench', 'supervisor', 'x', 'now')"
    )
    conn.execute("COMMIT")
    # Store's own constructor asks SQLCipher for its version; build the same object by hand.
    store = Store.__new__(Store)
    store._conn, store._mutex, store._lock, store.path = conn, threading.RLock(), None, path
    store.cipher_version, store.sqlite_version = "none", sqlite3.sqlite_version
    return store


def encrypted_store(path: Path) -> Store:
    return create_store(
        path,
        PASSPHRASE,
        initialize=lambda conn: conn.execute(
            "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
            "VALUES ('bench', 'Bench', 'supervisor', ?, 'now')",
            (hash_pin("1234"),),
        ),
    )


def a_call(rng: random.Random) -> tuple[ContactRecord, str]:
    record = ContactRecord(
        id=str(uuid.uuid4()),
        channel="phone",
        started_at="2026-11-22T03:00:00+00:00",
        ended_at="2026-11-22T03:25:00+00:00",
        ui_language="fr",
        caller_language="fr",
        role="resident",
        province="QC",
        topics=("burnout",),
        need="peer",
        risk="concern",
        referrals=({"program": "qc-pamq", "reasons": ["peer-support"], "offered": True},),
        outcome="callback",
        consent_notes=True,
    )
    return record, words(rng, 60)


def with_draft(store: Store, record: ContactRecord) -> None:
    """The autosaved draft the finished call replaces (written before the clock starts)."""
    save_draft(store, record.id, "bench", {"consent_notes": True, "notes": "draft"})


DUE = "2026-11-29T15:00:00+00:00"


def save_whole_call(store: Store, record: ContactRecord, body: str) -> float:
    """What the phone line's save runs (intake/ui/call/saving.py): the service's one
    transaction writing the record, its note, follow-up and callback, and dropping the draft."""
    snap = CallSnapshot(
        record, body, FollowUpPlan(DUE, "514-555-0199", DUE, "America/Toronto"), record.id
    )
    start = time.perf_counter()
    save_call(store, snap, "bench")
    return time.perf_counter() - start


def save_five_transactions(store: Store, record: ContactRecord, body: str) -> float:
    """The save as this benchmark measured it until now: the same rows, one transaction each
    (the phone line saved that way before the service wrote a call in one transaction)."""
    derived = uuid.UUID(record.id)
    start = time.perf_counter()
    save_contact(store, record, "bench")
    add_note(store, str(uuid.uuid5(derived, "note")), record.id, body, "bench")
    add_followup(store, str(uuid.uuid5(derived, "followup")), record.id, DUE, "bench")
    add_callback(
        store,
        str(uuid.uuid5(derived, "callback")),
        record.id,
        number="514-555-0199",
        best_time=DUE,
        time_zone="America/Toronto",
        actor="bench",
    )
    delete_draft(store, record.id)
    return time.perf_counter() - start


def save_minimal(store: Store, record: ContactRecord, body: str) -> float:
    """The same data in one transaction with plain statements: no checks, no audit."""
    conn = store._conn
    columns = (
        "id, channel, started_at, ended_at, ui_language, caller_language, role, province, "
        "about_colleague, topics, need, formats, risk, referrals, crisis_actions, outcome, "
        "consent_notes, caller_name, callback_number, about_family"
    )
    row = record.row()
    now = datetime.now(UTC).isoformat()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        f"INSERT INTO contacts ({columns}, created_by) VALUES ({', '.join('?' * len(row))}, ?)",
        (*row, "bench"),
    )
    conn.execute(
        "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?)",
        (record.id + "n", record.id, "bench", now, body),
    )
    conn.execute(
        "INSERT INTO followups (id, contact_id, due_at, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (record.id + "f", record.id, DUE, "bench", now),
    )
    conn.execute(
        "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (record.id + "c", record.id, "514-555-0199", DUE, "America/Toronto", now),
    )
    conn.execute("DELETE FROM drafts WHERE id = ?", (record.id,))
    conn.execute("COMMIT")
    return time.perf_counter() - start


def bench_saves(base: Path, sizes: Sizes, rng: random.Random) -> None:
    secret, plain, minimal, five, sealed = (
        encrypted_store(base / "enc.db"),
        plain_store(base / "plain.db"),
        plain_store(base / "minimal.db"),
        encrypted_store(base / "five.db"),
        encrypted_store(base / "sealed.db"),
    )
    savers: list[tuple[Store, Callable[[Store, ContactRecord, str], float]]] = [
        (secret, save_whole_call),
        (plain, save_whole_call),
        (minimal, save_minimal),
        (five, save_five_transactions),
        (sealed, save_minimal),
    ]
    times: list[list[float]] = [[] for _saver in savers]
    # CPU time of the process per save (the store's head-writing thread included): on a busy
    # machine the wall clock also counts waiting for a core, which inflates the CPU-heavy
    # encrypted saves far more than the baseline, whose time is mostly the disk's syncs.
    cpu: list[list[float]] = [[] for _saver in savers]
    warming = 2 if sizes.quick else 10
    for round_ in range(sizes.saves + warming):
        for index, (store, saver) in enumerate(savers):  # alternating, so noise hits all alike
            record, body = a_call(rng)
            with_draft(store, record)
            started = time.process_time()
            elapsed = saver(store, record, body)
            if round_ >= warming:  # the first saves warm the caches
                times[index].append(elapsed)
                cpu[index].append(time.process_time() - started)
    for store, _saver in savers:
        store.close()
    print(f"save a whole call, {sizes.saves} alternating saves (FULL sync)")
    labels = (
        "SQLCipher, the app's save",
        "plain sqlite3, the app's save",
        "plain sqlite3, minimal save",
        "SQLCipher, five transactions",
        "SQLCipher, minimal save",
    )
    for label, values, used in zip(labels, times, cpu, strict=True):
        print(
            f"  {label:32} median {ms(statistics.median(values)):6.2f} ms   "
            f"p99 {ms(percentile(values, 0.99)):6.2f} ms   CPU median {ms(statistics.median(used)):5.2f} ms"
        )
    real, same_code, least, separate, least_sealed = (statistics.median(v) for v in times)
    print(
        f"  ratio app / minimal plain save {real / least:.2f}x (goal: at most 1.5x); "
        f"encryption alone {real / same_code:.2f}x; "
        f"five transactions / minimal plain save {separate / least:.2f}x"
    )
    # The floor any encrypted save stands on: the minimal save itself, under SQLCipher's per-page
    # AES-256 and HMAC-SHA512 (each dirty page sealed twice: the journal's copy and the page).
    print(
        f"  ratio minimal SQLCipher save / minimal plain save {least_sealed / least:.2f}x "
        f"(encryption's own floor); app / minimal SQLCipher save {real / least_sealed:.2f}x "
        "(the app's part, the same encryption on both sides)"
    )
    cpu_real, cpu_same, cpu_least = (statistics.median(v) for v in cpu[:3])
    print(
        f"  CPU time: app / minimal plain save {cpu_real / cpu_least:.2f}x; "
        f"encryption alone {cpu_real / cpu_same:.2f}x; "
        f"the app's CPU beyond the minimal save {ms(cpu_real - cpu_least):.2f} ms per save"
    )


def raw_open(path: Path) -> None:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(key_pragma(PASSPHRASE))
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def bench_unlock(base: Path, sizes: Sizes) -> None:
    path = base / "enc.db"
    unlock, raw = [], []
    for _ in range(2 if sizes.quick else 7):
        start = time.perf_counter()
        open_store(path, PASSPHRASE).close()
        unlock.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw_open(path)
        raw.append(time.perf_counter() - start)
    print(
        f"unlock (open_store) median {ms(statistics.median(unlock)):6.1f} ms, raw SQLCipher open "
        f"with the same key {ms(statistics.median(raw)):6.1f} ms: "
        f"ratio {statistics.median(unlock) / statistics.median(raw):.2f}x"
    )


class People:
    """Who created the contacts: volunteers of very different sizes, and everyone else."""

    def __init__(self, store: Store) -> None:
        self.big, self.small = "volunteer-2pc", "volunteer-10"
        self.others = [f"other-{n}" for n in range(40)]
        with store.transaction() as conn:
            for account in (self.big, self.small, *self.others):
                conn.execute(
                    "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
                    "VALUES (?, ?, 'volunteer', 'x', 'now')",
                    (account, account),
                )

    def creator(self, index: int, count: int, rng: random.Random) -> str:
        if index % max(1, count // 10) == 3:
            return self.small
        if rng.random() < 0.02:
            return self.big
        return rng.choice(self.others)


def bulk_contacts(
    store: Store, count: int, rng: random.Random, with_notes: bool, people: People | None
) -> None:
    conn = store._conn
    conn.execute("BEGIN")
    now = datetime(2026, 11, 30, tzinfo=UTC)
    contacts, notes, followups = [], [], []
    for index in range(count):
        contact_id = str(uuid.UUID(int=rng.getrandbits(128)))
        # Spread over six years, newest last, as a long-running line accumulates them.
        started = (
            now - timedelta(minutes=(count - index) * 6 * 365 * 24 * 60 // count)
        ).isoformat()
        creator = people.creator(index, count, rng) if people else "bench"
        contacts.append((contact_id, started, rng.choice(PROVINCES), rng.choice(OUTCOMES), creator))
        if with_notes:
            notes.append((contact_id, contact_id, started, words(rng, 60)))
        if index % 500 == 0:
            followups.append((contact_id + "f", contact_id, started, rng.choice(("open", "done"))))
        if len(contacts) >= 10_000:
            flush(conn, contacts, notes, followups)
    flush(conn, contacts, notes, followups)
    conn.execute("COMMIT")


def flush(conn: Any, contacts: list[Any], notes: list[Any], followups: list[Any]) -> None:
    conn.executemany(
        "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, "
        "role, province, topics, need, risk, outcome, consent_notes, created_by) "
        "VALUES (?, 'phone', ?, 'fr', 'fr', 'resident', ?, '[\"burnout\"]', 'peer', 'concern', ?, 1, ?)",
        contacts,
    )
    conn.executemany(
        "INSERT INTO notes (id, contact_id, created_at, body) VALUES (?, ?, ?, ?)", notes
    )
    conn.executemany(
        "INSERT INTO followups (id, contact_id, due_at, status, created_at) "
        "VALUES (?, ?, ?, ?, 'now')",
        followups,
    )
    contacts.clear(), notes.clear(), followups.clear()


def bench_size(base: Path, sizes: Sizes, rng: random.Random) -> None:
    sized = encrypted_store(base / "size.db")
    before = (base / "size.db").stat().st_size
    bulk_contacts(sized, sizes.size_rows, rng, with_notes=True, people=None)
    sized.close()
    grown = (base / "size.db").stat().st_size - before
    print(
        f"file size per 10,000 contacts with a 60-word note each: "
        f"{grown / 1e6 * 10_000 / sizes.size_rows:.1f} MB"
    )


def screen_search(store: Store, text: str, owner: str | None) -> None:
    """What the History screen runs for a search: the hits, then the page of their contacts."""
    hits = search_notes(store, text, limit=HITS, created_by=owner)
    ids = tuple(dict.fromkeys(contact for contact, _note in hits))
    history_page(store, None, PAGE, HistoryFilter(created_by=owner, contact_ids=ids))


def bench_search(base: Path, sizes: Sizes, rng: random.Random) -> None:
    store = encrypted_store(base / "search.db")
    people = People(store)
    begin = time.perf_counter()
    bulk_contacts(store, sizes.notes, rng, with_notes=True, people=people)
    fill = time.perf_counter() - begin
    queries = [words(rng, rng.choice((1, 2))) for _ in range(sizes.queries)]
    roles = (("supervisor", None), ("volunteer, 2%", people.big), ("volunteer, 10", people.small))
    timings: dict[str, list[float]] = {label: [] for label, _owner in roles}
    # The CPU time of the searching thread beside the wall clock: on a machine shared with
    # other work, the wall clock also counts the time spent waiting for a core.
    cpu: dict[str, list[float]] = {label: [] for label, _owner in roles}
    for query in queries:
        for label, owner in roles:  # alternating roles on the same query
            start, start_cpu = time.perf_counter(), time.thread_time()
            screen_search(store, query, owner)
            timings[label].append(time.perf_counter() - start)
            cpu[label].append(time.thread_time() - start_cpu)
    store.close()
    print(
        f"note search as the History screen runs it ({HITS} hits, then their page), "
        f"{sizes.notes:,} notes (filled in {fill:.0f} s), {len(queries)} queries"
    )
    for label, values in timings.items():
        p95 = percentile(values, 0.95)
        print(
            f"  {label:16} median {ms(statistics.median(values)):6.2f} ms   p95 {ms(p95):6.2f} ms"
            f"   ratio p95/goal {ms(p95) / GOAL_MS:5.2f} (goal: p95 under {GOAL_MS:.0f} ms)"
            f"   CPU median {ms(statistics.median(cpu[label])):5.2f} ms"
            f" p95 {ms(percentile(cpu[label], 0.95)):5.2f} ms"
        )


def history_cases(people: People) -> list[tuple[str, HistoryFilter]]:
    month = (datetime(2026, 11, 30, tzinfo=UTC) - timedelta(days=30)).isoformat()
    due = (datetime(2026, 12, 1, tzinfo=UTC)).isoformat()
    cases = []
    for role, owner in (
        ("supervisor", None),
        ("volunteer 2%", people.big),
        ("volunteer 10", people.small),
    ):
        cases += [
            (f"{role}, everything", HistoryFilter(created_by=owner)),
            (f"{role}, one province", HistoryFilter(created_by=owner, province="NS")),
            (
                f"{role}, province+outcome",
                HistoryFilter(created_by=owner, province="QC", outcome="declined"),
            ),
            (f"{role}, last 30 days", HistoryFilter(created_by=owner, since=month)),
            (f"{role}, follow-up due", HistoryFilter(created_by=owner, followup_due_by=due)),
            # A filter that matches nothing: the worst case for a walk in date order.
            (f"{role}, matches nothing", HistoryFilter(created_by=owner, outcome="none-such")),
        ]
    return cases


def bench_history(base: Path, sizes: Sizes, rng: random.Random) -> None:
    path = base / "history.db"
    store = encrypted_store(path)
    people = People(store)
    begin = time.perf_counter()
    bulk_contacts(store, sizes.history, rng, with_notes=False, people=people)
    fill = time.perf_counter() - begin
    store.close()
    cases = history_cases(people)
    if sizes.quick:  # every role and kind of query once, not every combination
        cases = cases[::4]
    cold: dict[str, list[float]] = {label: [] for label, _f in cases}
    warm: dict[str, list[float]] = {label: [] for label, _f in cases}
    for _round in range(sizes.cold_rounds):
        for label, filters in cases:
            store = open_store(path, PASSPHRASE)  # right after unlock: an empty page cache
            start = time.perf_counter()
            history_page(store, None, PAGE, filters)
            cold[label].append(time.perf_counter() - start)
            for _again in range(sizes.warm_rounds // sizes.cold_rounds + 1):
                start = time.perf_counter()
                history_page(store, None, PAGE, filters)
                warm[label].append(time.perf_counter() - start)
            store.close()
    print(
        f"first History page ({PAGE} rows) at {sizes.history:,} contacts (filled in {fill:.0f} s), "
        f"{sizes.cold_rounds} cold rounds"
    )
    for label, _filters in cases:
        cold_ms, warm_ms = ms(statistics.median(cold[label])), ms(statistics.median(warm[label]))
        print(
            f"  {label:36} cold {cold_ms:7.2f} ms  warm {warm_ms:7.2f} ms"
            f"   ratio cold/goal {cold_ms / GOAL_MS:5.2f} (goal: under {GOAL_MS:.0f} ms)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, a few seconds")
    parser.add_argument(
        "--only", choices=["saves", "size", "search", "history"], help="run one part alone"
    )
    args = parser.parse_args()
    sizes = Sizes(args.quick)
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="intake-bench-store-") as folder:
        base = Path(folder)
        if args.only in (None, "saves"):
            bench_saves(base, sizes, rng)
            bench_unlock(base, sizes)
        if args.only in (None, "size"):
            bench_size(base, sizes, rng)
        if args.only in (None, "search"):
            bench_search(base, sizes, rng)
        if args.only in (None, "history"):
            bench_history(base, sizes, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
