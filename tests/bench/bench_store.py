"""The encrypted store, measured side by side in one run.

    make bench   (or: .venv/bin/python tests/bench/bench_store.py)

1. Saving a contact with a note (the real save path: two transactions, audit rows, FULL sync):
   SQLCipher against the standard sqlite3 module on the same schema, code and settings,
   alternating saves. Goal: at most 1.3x. (The baseline's SQLite 3.40 lacks FTS5 secure-delete,
   so its notes index skips that one setting: the ratio is, if anything, pessimistic.)
2. Full-text search over 100,000 notes (words drawn from a long-tailed vocabulary, queries too,
   so common words are searched often). Goal: p95 under 20 ms.
3. First page of the history list with 1,000,000 contacts (keyset paging). Goal: under 50 ms.
4. Unlock time (key derivation, checks, migrations) and file size per 10,000 contacts.
Not collected by pytest. BENCH_HISTORY_ROWS overrides the 1,000,000.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from intake.pins import hash_pin
from intake.storage.db import REQUIRED_PRAGMAS, Store, create_store, open_store
from intake.storage.migrations import m0001_initial, m0002_records
from intake.storage.records import ContactRecord, add_note, history_page, save_contact, search_notes

PASSPHRASE = "benchmark passphrase, not a secret"
SAVES = 1500
NOTES = 100_000
HISTORY_ROWS = int(os.environ.get("BENCH_HISTORY_ROWS", "1000000"))
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


def plain_store(path: Path) -> Store:
    """The same schema, code and settings over the standard sqlite3 module (no encryption)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for name, (value, _expected) in REQUIRED_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    conn.execute("BEGIN")
    m0001_initial.apply(conn)
    for statement in m0002_records.STATEMENTS:
        if "secure-delete" not in statement:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
        "VALUES ('bench', 'Bench', 'supervisor', 'x', 'now')"
    )
    conn.execute("COMMIT")
    store = Store.__new__(Store)
    store._conn, store._lock, store.path = conn, None, path
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


def one_save(store: Store, rng: random.Random) -> float:
    record = ContactRecord(
        id=str(uuid.uuid4()),
        channel="phone",
        started_at="2026-11-22T03:00:00+00:00",
        ui_language="fr",
        caller_language="fr",
        role="resident",
        province="QC",
        topics=("burnout",),
        need="peer",
        risk="concern",
        consent_notes=True,
    )
    body = words(rng, 60)
    start = time.perf_counter()
    save_contact(store, record, "bench")
    add_note(store, str(uuid.uuid4()), record.id, body, "bench")
    return time.perf_counter() - start


def bulk_contacts(store: Store, count: int, rng: random.Random, with_notes: bool) -> None:
    conn = store._conn
    conn.execute("BEGIN")
    for index in range(count):
        contact_id = str(uuid.UUID(int=rng.getrandbits(128)))
        started = f"20{20 + index * 6 // max(count, 1):02d}-{1 + index % 12:02d}-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:00+00:00"
        conn.execute(
            "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, "
            "role, province, topics, need, risk, consent_notes) "
            "VALUES (?, 'phone', ?, 'fr', 'fr', 'resident', 'QC', '[\"burnout\"]', 'peer', 'concern', 1)",
            (contact_id, started),
        )
        if with_notes:
            conn.execute(
                "INSERT INTO notes (id, contact_id, created_at, body) VALUES (?, ?, ?, ?)",
                (contact_id, contact_id, started, words(rng, 60)),
            )
    conn.execute("COMMIT")


def main() -> int:
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="intake-bench-store-") as folder:
        base = Path(folder)
        secret, plain = encrypted_store(base / "enc.db"), plain_store(base / "plain.db")
        for _ in range(20):  # warm both
            one_save(secret, rng), one_save(plain, rng)
        enc_times, plain_times = [], []
        for _ in range(SAVES):
            enc_times.append(one_save(secret, rng))
            plain_times.append(one_save(plain, rng))
        secret.close(), plain._conn.close()
        print(f"save contact + note, {SAVES} alternating saves (FULL sync, audit rows included)")
        for label, values in (("SQLCipher", enc_times), ("plain sqlite3", plain_times)):
            print(
                f"  {label:14} median {statistics.median(values) * 1000:6.2f} ms   p99 {percentile(values, 0.99) * 1000:6.2f} ms"
            )
        ratio = statistics.median(enc_times) / statistics.median(plain_times)
        print(
            f"  ratio median {ratio:.2f}x, p99 {percentile(enc_times, 0.99) / percentile(plain_times, 0.99):.2f}x   (goal: at most 1.3x)"
        )

        unlock = []
        for _ in range(5):
            start = time.perf_counter()
            open_store(base / "enc.db", PASSPHRASE).close()
            unlock.append(time.perf_counter() - start)
        print(f"unlock (open_store)   median {statistics.median(unlock) * 1000:6.1f} ms")

        sized = encrypted_store(base / "size.db")
        before = (base / "size.db").stat().st_size
        bulk_contacts(sized, 10_000, rng, with_notes=True)
        sized.close()
        grown = (base / "size.db").stat().st_size - before
        print(f"file size per 10,000 contacts with a 60-word note each: {grown / 1e6:.1f} MB")

        search_store = encrypted_store(base / "search.db")
        begin = time.perf_counter()
        bulk_contacts(search_store, NOTES, rng, with_notes=True)
        fill = time.perf_counter() - begin
        queries = [words(rng, rng.choice((1, 2))) for _ in range(300)]
        timings = []
        for query in queries:
            start = time.perf_counter()
            search_notes(search_store, query, limit=50)
            timings.append(time.perf_counter() - start)
        search_store.close()
        print(
            f"full-text search over {NOTES:,} notes (filled in {fill:.0f} s), 300 queries, 50 results"
        )
        print(
            f"  median {statistics.median(timings) * 1000:6.2f} ms   p95 {percentile(timings, 0.95) * 1000:6.2f} ms   (goal: p95 under 20 ms)"
        )

        history = encrypted_store(base / "history.db")
        begin = time.perf_counter()
        bulk_contacts(history, HISTORY_ROWS, rng, with_notes=False)
        fill = time.perf_counter() - begin
        history.close()
        history = open_store(base / "history.db", PASSPHRASE)  # cold-ish: a fresh connection
        pages, deep = [], []
        for _ in range(30):
            start = time.perf_counter()
            page = history_page(history, limit=50)
            pages.append(time.perf_counter() - start)
            key = page.next_key
            start = time.perf_counter()
            for _step in range(20):
                key = history_page(history, key, limit=50).next_key
            deep.append((time.perf_counter() - start) / 20)
        history.close()
        print(
            f"history list with {HISTORY_ROWS:,} contacts (filled in {fill:.0f} s), keyset paging, 50 per page"
        )
        print(
            f"  first page median {statistics.median(pages) * 1000:6.2f} ms   max {max(pages) * 1000:6.2f} ms   (goal: under 50 ms)"
        )
        print(f"  later pages median {statistics.median(deep) * 1000:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
