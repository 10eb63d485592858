"""Saving a whole call: one transaction (intake.services.calls) against the five separate
transactions it replaced (record, note, follow-up, callback, draft removal), side by side.

    .venv/bin/python tests/bench/bench_call_save.py [--quick]

Both run on encrypted stores with the same settings (journal TRUNCATE, FULL sync), alternating
one save each, so a busy machine slows both alike. Goal: the ratio new/old at most 1.0.
Not collected by pytest. --quick runs 20 saves of each (the test suite runs it so the script
cannot rot; it ran the full 300 until it honoured the flag).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from intake.call import Call
from intake.pins import hash_pin
from intake.services.calls import CallSnapshot, derived_id, save_call, snapshot
from intake.storage.db import Store, create_store
from intake.storage.records import (
    add_callback,
    add_followup,
    add_note,
    delete_draft,
    save_contact,
    save_draft,
)

PASSPHRASE = "benchmark passphrase, not a secret"
SAVES = 300
QUICK_SAVES = 20
ACTOR = "bench"


def store_at(path: Path) -> Store:
    return create_store(
        path,
        PASSPHRASE,
        initialize=lambda conn: conn.execute(
            "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
            "VALUES (?, 'Bench', 'supervisor', ?, 'now')",
            (ACTOR, hash_pin("482916")),
        ),
    )


def a_call() -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T03:10:00-05:00",
        consent_notes=True,
        role="physician",
        province="ON",
        callback_number="+16135550142",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes="Night shifts since March; wants to talk to a peer this week. " * 4,
        followup=True,
        followup_number="+16135550142",
        followup_due="2026-11-23T09:00:00-05:00",
        outcome="referred",
    )


def five_transactions(store: Store, snap: CallSnapshot) -> None:
    """The save as it was: one transaction per row."""
    contact = snap.contact_id
    plan = snap.followup
    assert snap.note is not None
    assert plan is not None
    save_contact(store, snap.record, ACTOR)
    add_note(store, derived_id(contact, "note"), contact, snap.note, ACTOR)
    add_followup(store, derived_id(contact, "followup"), contact, plan.due_utc, ACTOR)
    add_callback(
        store,
        derived_id(contact, "callback"),
        contact,
        number=plan.number,
        best_time=plan.best_time,
        time_zone=plan.time_zone,
        actor=ACTOR,
    )
    delete_draft(store, snap.draft_id)


def timed(store: Store, save: object) -> float:
    call = a_call()
    save_draft(store, call.contact_id, ACTOR, call.payload())
    snap = snapshot(call, "en", "2026-11-22T04:00:00-05:00")
    start = time.perf_counter()
    if save is save_call:
        save_call(store, snap, ACTOR)
    else:
        five_transactions(store, snap)
    return time.perf_counter() - start


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="saving a whole call: one transaction or five")
    parser.add_argument("--quick", action="store_true", help="20 saves of each, a few seconds")
    saves = QUICK_SAVES if parser.parse_args().quick else SAVES
    with tempfile.TemporaryDirectory(prefix="intake-bench-call-") as folder:
        old, new = store_at(Path(folder) / "old.db"), store_at(Path(folder) / "new.db")
        for _ in range(10):  # warm both
            timed(old, five_transactions), timed(new, save_call)
        before, after = [], []
        for _ in range(saves):
            before.append(timed(old, five_transactions))
            after.append(timed(new, save_call))
        old.close(), new.close()
    print(f"saving a whole call, {saves} alternating saves (encrypted, FULL sync)")
    for label, values in (("five transactions", before), ("one transaction", after)):
        print(f"  {label:18} median {statistics.median(values) * 1000:6.2f} ms")
    ratio = statistics.median(after) / statistics.median(before)
    print(f"  ratio new/old median {ratio:.2f}x   (goal: at most 1.0x)")
    # A quick run is too short to judge the goal on a busy machine: it only has to run.
    return 0 if ratio <= 1.0 or saves == QUICK_SAVES else 1


if __name__ == "__main__":
    sys.exit(main())
