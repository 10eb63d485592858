"""Moving a single station's file into the shared store (`intake db move-to-server`): a file of
2,000 whole calls (each a contact, its note, a follow-up and its callback, so also 2,000
worklist items) moved into a fresh database of a throwaway PostgreSQL server.

    .venv/bin/python tests/bench/bench_move_to_server.py [--contacts N] [--rounds R]
        [--against REV]

Side by side in one run, alternating (each round: the reference, then the current code, each
into its own fresh database), so a busy machine slows both alike; medians and the ratio are
printed. The reference is the current code sending one row per round trip (its batched
inserts replaced by a plain loop), or, with `--against REV`, `intake/storage/pg/move.py` as it
was at git revision REV (loaded from git). Both must add the same rows. The file is filled once, outside the
timing. A benchmark, not a test; --quick (200 calls, 2 rounds) only checks that it runs.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from intake.call import Call  # noqa: E402
from intake.pins import hash_pin  # noqa: E402
from intake.services.calls import save_call, snapshot  # noqa: E402
from intake.storage.account_store import insert_account  # noqa: E402
from intake.storage.db import Store, create_store  # noqa: E402
from intake.storage.pg import move  # noqa: E402
from intake.storage.pg.store import create_shared_store  # noqa: E402
from tests.pg_server import running_server  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
Mover = Callable[[Store, Any, str | None], dict[str, int]]


def a_call(index: int) -> Call:
    return Call(
        contact_id=f"00000000-0000-4000-8000-{index:012d}",
        started_at="2026-11-22T03:10:00-05:00",
        consent_notes=True,
        role="physician",
        province="QC",
        caller_name=f"Dre Essai {index}",
        callback_number="+15145550123",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=f"Appel {index} : trois gardes de nuit, épuisée, dort mal depuis des semaines",
        followup=True,
        followup_number="+15145550123",
        followup_due="2026-11-29T10:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def fill(folder: Path, contacts: int) -> Store:
    ids: list[str] = []
    file = create_store(
        folder / "station.db",
        PASSPHRASE,
        initialize=lambda conn: ids.append(
            insert_account(conn, "Coordinator", "supervisor", hash_pin("482916"))
        ),
    )
    # Loading only (not measured): the file's fsync per call would take minutes here.
    file._conn.execute("PRAGMA synchronous = OFF")
    for index in range(contacts):
        save_call(file, snapshot(a_call(index), "fr", "2026-11-22T04:00:00-05:00"), ids[0])
    file._conn.execute("PRAGMA synchronous = FULL")
    return file


def older_move(revision: str) -> ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:intake/storage/pg/move.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "older_move.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("older_move", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one_row_at_a_time(w: Any, sql: str, rows: Any, conflict: str = "DO NOTHING") -> list[str]:
    """The reference: each row its own statement and round trip, as the move used to send."""
    added: list[str] = []
    for row in rows:
        cursor = w.q(f"{sql} ON CONFLICT (id) {conflict} RETURNING id", tuple(row))
        added.extend(found[0] for found in cursor.fetchall())
    return added


def row_by_row(file: Store, shared: Any, actor: str | None) -> dict[str, int]:
    batched = move._insert_many
    move._insert_many = one_row_at_a_time  # type: ignore[assignment]
    try:
        return move.move_file_to_server(file, shared, actor)
    finally:
        move._insert_many = batched


def main() -> None:
    args = sys.argv[1:]
    quick = "--quick" in args
    contacts = int(args[args.index("--contacts") + 1]) if "--contacts" in args else 2_000
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    if quick:
        contacts, rounds = 200, 2
    against = args[args.index("--against") + 1] if "--against" in args else None
    movers: dict[str, Mover] = {}
    reference = f"at {against}" if against is not None else "one row per round trip"
    movers[reference] = (
        older_move(against).move_file_to_server if against is not None else row_by_row
    )
    movers["current"] = move.move_file_to_server
    times: dict[str, list[float]] = {name: [] for name in movers}
    with running_server(durable=True) as server, tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        file = fill(Path(folder), contacts)
        print(f"{contacts} calls saved in the file in {time.perf_counter() - started:.1f} s")
        results: dict[str, dict[str, int]] = {}
        for _ in range(rounds):
            for name, mover in movers.items():
                shared = create_shared_store(server.create_database(), PASSPHRASE)
                try:
                    start = time.perf_counter()
                    results[name] = mover(file, shared, None)
                    times[name].append(time.perf_counter() - start)
                finally:
                    shared.close()
        file.close()
    added = next(iter(results.values()))
    assert all(r == added for r in results.values()), results
    print("rows added:", " ".join(f"{k}={v}" for k, v in added.items() if v))
    for name, seconds in times.items():
        shown = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"move, {name}: median {statistics.median(seconds):.2f} s of {rounds} ({shown})")
    old, new = (statistics.median(times[name]) for name in movers)
    print(f"ratio current / {reference}: {new / old:.2f}x")


if __name__ == "__main__":
    main()
