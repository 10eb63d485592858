"""The shared PostgreSQL store beside the SQLCipher file, in one run:

1. save p95: a whole call (record, note, follow-up, callback, draft removal) through
   `save_call`, alternating one save on each store so a busy machine slows both alike;
2. note search p95 at 100,000 notes (two-word searches; FTS5 on the file, the blind index on
   the server);
3. claims under four concurrent stations: four threads, each with its own connection to the
   shared store, race to claim the same callbacks (row lock); on the file, the nearest thing a
   single station has: four threads completing follow-ups on the one store;
4. worklist claims under four concurrent stations, the same service on both stores
   (`intake.services.worklist.claim`): four stations race to claim the same open items, each
   with its own connection (four connections to the one file; four store objects on the
   server, the item's row locked). Every item is claimed exactly once on each.

    .venv/bin/python tests/bench/bench_shared_store.py [--quick] [--notes N] [--only-worklist]

Starts its own throwaway PostgreSQL (tests/pg_server.py). Prints medians, p95s and ratios
(shared / file). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from intake.call import Call  # noqa: E402
from intake.pins import hash_pin  # noqa: E402
from intake.services import worklist  # noqa: E402
from intake.services.calls import save_call, snapshot  # noqa: E402
from intake.storage.account_store import insert_account  # noqa: E402
from intake.storage.db import Store, _configure, _connect, _key_and_verify, create_store  # noqa: E402
from intake.storage.errors import StoreBusy  # noqa: E402
from intake.storage.interface import RecordStore  # noqa: E402
from intake.storage.local import LocalRecords  # noqa: E402
from intake.storage.pg.store import (  # noqa: E402
    PgStore,
    add_supervisor,
    create_shared_store,
    open_shared_store,
)
from tests.pg_server import running_server  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
WORDS = [
    f"{stem}{n}" for stem in ("garde", "nuit", "stress", "appel", "fatigue") for n in range(400)
]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def line(label: str, file_ms: list[float], shared_ms: list[float]) -> None:
    fm, sm = statistics.median(file_ms), statistics.median(shared_ms)
    fp, sp = p95(file_ms), p95(shared_ms)
    print(
        f"{label}: file median {fm:.2f} ms p95 {fp:.2f} ms | shared median {sm:.2f} ms "
        f"p95 {sp:.2f} ms | ratio p95 shared/file {sp / fp:.2f}x (median {sm / fm:.2f}x)"
    )


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def a_call(index: int) -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at=f"2026-11-22T03:{index % 60:02d}:00-05:00",
        consent_notes=True,
        role="physician",
        province="QC",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=" ".join(random.choices(WORDS, k=12)),
        followup=True,
        followup_number="+15145550142",
        followup_due="2026-11-29T10:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def bench_saves(stores: dict[str, RecordStore], actor: dict[str, str], saves: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in stores}
    for index in range(saves):
        for name, store in stores.items():
            snap = snapshot(a_call(index), "en", "2026-11-22T04:00:00-05:00")
            times[name].append(timed(lambda s=store, n=name, sn=snap: save_call(s, sn, actor[n])))
    line(f"save a whole call ({saves} each)", times["file"], times["shared"])


def load_notes(stores: dict[str, RecordStore], actor: dict[str, str], notes: int) -> None:
    """The same notes (12 words each, one contact per ten notes) into both stores, in bulk:
    what is measured is the search, so the loading skips the per-row audit of a real save.
    The file gets plain INSERTs (its FTS5 triggers index them); the server gets COPY of the
    rows a station would send: bodies sealed and the blind-index tokens, made here."""
    file = stores["file"]
    shared = stores["shared"]
    assert isinstance(file, LocalRecords)
    assert isinstance(shared, PgStore)
    keys = shared.line_keys
    rng = random.Random(18)
    batch = 10_000
    for start in range(0, notes, batch):
        contacts, rows = [], []
        for index in range(start, min(notes, start + batch)):
            if index % 10 == 0:
                contact_id = str(uuid.UUID(int=rng.getrandbits(128)))
                started = f"2026-11-22T03:{index % 60:02d}:{index % 59:02d}+00:00"
                contacts.append((contact_id, started))
            note_id = str(uuid.UUID(int=rng.getrandbits(128)))
            rows.append((note_id, contact_id, started, " ".join(rng.choices(WORDS, k=12))))
        with file.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, "
                "role, province, topics, need, risk, outcome, consent_notes, created_by) "
                "VALUES (?, 'phone', ?, 'fr', 'fr', 'resident', 'QC', '[\"burnout\"]', "
                "'peer', 'concern', 'referred', 1, ?)",
                [(c, t, actor["file"]) for c, t in contacts],
            )
            conn.executemany(
                "INSERT INTO notes (id, contact_id, author, created_at, body) "
                "VALUES (?, ?, ?, ?, ?)",
                [(n, c, actor["file"], t, b) for n, c, t, b in rows],
            )
        with shared.writing() as w, w.conn.cursor() as cursor:
            with cursor.copy(
                "COPY contacts (id, channel, started_at, ui_language, caller_language, role, "
                "province, topics, need, risk, outcome, consent_notes, created_by) FROM STDIN"
            ) as copy:
                for contact_id, started in contacts:
                    copy.write_row(
                        (contact_id, "phone", started, "fr", "fr", "resident", "QC",
                         '["burnout"]', "peer", "concern", "referred", True, actor["shared"])
                    )  # fmt: skip
            with cursor.copy(
                "COPY notes (id, contact_id, author, created_at, body) FROM STDIN"
            ) as copy:
                for note_id, contact_id, started, body in rows:
                    sealed = keys.seal("notes", "body", note_id, body)
                    copy.write_row((note_id, contact_id, actor["shared"], started, sealed))
            with cursor.copy("COPY note_words (token, note_id) FROM STDIN") as copy:
                for note_id, _contact, _started, body in rows:
                    for token in keys.blind_tokens(body):
                        copy.write_row((token, note_id))
    with shared.writing() as w:
        w.q("ANALYZE notes")
        w.q("ANALYZE note_words")


def bench_search(stores: dict[str, RecordStore], notes: int, searches: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in stores}
    for _ in range(searches):
        query = " ".join(random.sample(WORDS, 2))
        for name, store in stores.items():
            times[name].append(timed(lambda s=store, q=query: s.search_notes(q)))
    line(f"note search at {notes:,} notes ({searches} each)", times["file"], times["shared"])


def bench_claims(file: LocalRecords, shared: PgStore, ids: dict[str, str], items: int) -> None:
    actor = ids["shared"]
    stations = [open_shared_store(shared.dsn, PASSPHRASE) for _ in range(4)]
    volunteers = [shared.add_account(f"Station {i}", "volunteer", "x") for i in range(4)]
    record = a_call(0).record("en", "2026-11-22T04:00:00-05:00")
    shared.save_contact(record, actor)
    file.save_contact(record, ids["file"])
    callbacks = [str(uuid.uuid4()) for _ in range(items)]
    for item in callbacks:
        shared.add_callback(
            item,
            record.id,
            number="+15145550142",
            best_time="evening",
            time_zone="America/Toronto",
            actor=actor,
        )
        file.add_followup(item, record.id, "2026-11-29T10:00:00-05:00", ids["file"])

    def race(claim: Callable[[int, str], object]) -> list[float]:
        barrier = threading.Barrier(4)
        lock = threading.Lock()
        spent: list[float] = []

        def station(index: int) -> None:
            order = callbacks[:]
            random.Random(index).shuffle(order)
            barrier.wait()
            for item in order:
                took = timed(lambda i=item: claim(index, i))
                with lock:
                    spent.append(took)

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(station, range(4)))
        return spent

    shared_times = race(lambda i, item: stations[i].claim_callback(item, volunteers[i]))
    file_times = race(lambda _i, item: file.complete_followup(item, ids["file"]))
    won = sum(1 for item in callbacks if shared.claimed_by(item) is not None)
    assert won == items, "every callback claimed exactly once"
    for station in stations:
        station.close()
    line(f"claim under four stations ({items} items x 4)", file_times, shared_times)


def bench_worklist_claims(
    file: LocalRecords, shared: PgStore, ids: dict[str, str], items: int
) -> None:
    made: dict[str, list[str]] = {}
    volunteers: dict[str, list[str]] = {}
    for name, store in (("file", file), ("shared", shared)):
        volunteers[name] = [store.add_account(f"Station {i}", "volunteer", "x") for i in range(4)]
        record = a_call(0).record("en", "2026-11-22T04:00:00-05:00")
        made[name] = [str(uuid.uuid4()) for _ in range(items)]
        with store.writing() as w:
            w.write_contact(record, ids[name])
            for item in made[name]:  # callback requests with no follow-up: one item each
                w.put_callback(
                    item,
                    record.id,
                    number="+15145550142",
                    best_time="evening",
                    time_zone="America/Toronto",
                    actor=ids[name],
                )
    path = file.store.path
    file_stations: list[RecordStore] = []
    for _ in range(4):
        conn = _connect(path)
        _key_and_verify(conn, PASSPHRASE)
        _configure(conn)
        file_stations.append(LocalRecords(Store(conn, path)))
    shared_stations: list[RecordStore] = [
        open_shared_store(shared.dsn, PASSPHRASE) for _ in range(4)
    ]

    busy = {"file": 0, "shared": 0}

    def race(name: str, stations: list[RecordStore]) -> list[float]:
        barrier = threading.Barrier(4)
        lock = threading.Lock()
        spent: list[float] = []

        def station(index: int) -> None:
            order = made[name][:]
            random.Random(index).shuffle(order)
            barrier.wait()
            for item in order:

                def claim(i: str = item) -> None:
                    # The file's one writer: a claim that waited past the store's busy time
                    # is told so (StoreBusy); the station tries again, and it is counted.
                    while True:
                        try:
                            with contextlib.suppress(worklist.AlreadyClaimed):
                                worklist.claim(stations[index], i, volunteers[name][index])
                            return
                        except StoreBusy:
                            with lock:
                                busy[name] += 1

                took = timed(claim)
                with lock:
                    spent.append(took)

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(station, range(4)))
        return spent

    shared_times = race("shared", shared_stations)
    file_times = race("file", file_stations)
    for name, store in (("file", file), ("shared", shared)):
        holders = [worklist.get_item(store, item) for item in made[name]]
        assert all(h is not None and h.claimed_by in volunteers[name] for h in holders), name
        claims = [r for r in store.audit_trail() if r[0] == "claim"]
        assert len(claims) == items, f"{name}: every item claimed exactly once"
    for station in file_stations + shared_stations:
        station.close()
    line(f"worklist claim, four stations ({items} items x 4)", file_times, shared_times)
    print(
        f"  (claims told the store was busy and tried again: file {busy['file']}, "
        f"shared {busy['shared']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small data, seconds")
    parser.add_argument("--notes", type=int, default=None)
    parser.add_argument(
        "--only-worklist", action="store_true", help="only the worklist claims (4.), minutes"
    )
    args = parser.parse_args()
    saves, searches, items = (30, 40, 20) if args.quick else (300, 300, 200)
    notes = args.notes or (2_000 if args.quick else 100_000)
    random.seed(18)
    with running_server(durable=True) as server, tempfile.TemporaryDirectory() as folder:
        pin_hash = hash_pin("482916")
        ids: dict[str, str] = {}

        def first(conn: object) -> None:
            ids["file"] = insert_account(conn, "Bench", "supervisor", pin_hash)

        file = LocalRecords(create_store(Path(folder) / "store.db", PASSPHRASE, initialize=first))
        shared = create_shared_store(
            server.create_database(), PASSPHRASE, initialize=add_supervisor("Bench", pin_hash)
        )
        ids["shared"] = shared.list_accounts()[0].id
        stores: dict[str, RecordStore] = {"file": file, "shared": shared}
        print(
            f"PostgreSQL test server (unix socket, fsync on) and SQLCipher file "
            f"(synchronous FULL); notes {notes:,}"
        )
        if args.only_worklist:
            bench_worklist_claims(file, shared, ids, items)
            file.close()
            shared.close()
            return
        bench_saves(stores, ids, saves)
        started = time.perf_counter()
        load_notes(stores, ids, notes)
        print(f"(loaded {notes:,} notes into each in {time.perf_counter() - started:.0f} s)")
        bench_search(stores, notes, searches)
        bench_claims(file, shared, ids, items)
        bench_worklist_claims(file, shared, ids, items)
        file.close()
        shared.close()


if __name__ == "__main__":
    main()
