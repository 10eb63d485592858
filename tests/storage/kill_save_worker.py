"""Run by test_call_save in a child process: resume the draft in a store and save it, killing
the process just before its `kill_at`-th write statement (0: never). Prints the writes seen."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from intake.call import Call
from intake.services.calls import save_call, snapshot
from intake.storage.db import open_store
from intake.storage.records import drafts
from tests.conftest import PASSPHRASE

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT")


def main(path: str, kill_at: int, actor: str) -> None:
    store = open_store(Path(path), PASSPHRASE)
    [(_draft_id, payload)] = drafts(store, actor)
    snap = snapshot(Call.from_payload(payload), "en", "2026-11-22T04:00:00-05:00")
    seen = 0

    def trace(statement: Any) -> None:
        nonlocal seen
        if str(statement).lstrip().upper().startswith(WRITES):
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    store._conn.set_trace_callback(trace)
    save_call(store, snap, actor)
    store._conn.set_trace_callback(None)
    store.close()
    print(seen)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
