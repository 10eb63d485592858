"""One station of the multi-process shared-store test (and the benchmark's claim figure).

Run as a child process: `python -m tests.storage.pg_station_worker DSN STATION SAVES ACTOR
CALLBACK_IDS`. Waits for a start file, then saves SAVES whole calls, searches its notes every
tenth save, and tries to claim every callback of CALLBACK_IDS (comma-separated) as it goes.
Prints one JSON line: the contact ids saved and the callbacks it won.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

from intake.call import Call
from intake.services.calls import save_call, snapshot
from intake.storage.pg.store import open_shared_store
from tests.conftest import PASSPHRASE


def a_call(station: int, index: int) -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at=f"2026-11-22T03:{index % 60:02d}:00-05:00",
        consent_notes=True,
        role="physician",
        province="QC",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=f"station{station} appel{index} gardes de nuit",
        followup=index % 5 == 0,
        followup_number="+15145550142",
        followup_due="2026-11-29T10:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def main(dsn: str, station: int, saves: int, actor: str, callbacks: str, start: str) -> None:
    store = open_shared_store(dsn, PASSPHRASE)
    to_claim = [c for c in callbacks.split(",") if c]
    while not Path(start).exists():
        time.sleep(0.01)
    saved, won, found = [], [], 0
    for index in range(saves):
        snap = snapshot(a_call(station, index), "fr", "2026-11-22T04:00:00-05:00")
        saved.append(save_call(store, snap, actor))
        if index % 10 == 9:
            found = len(store.search_notes(f"station{station} gardes", limit=1000))
        if to_claim and index % max(1, saves // len(to_claim)) == 0:
            callback = to_claim.pop(0)
            if store.claim_callback(callback, actor) is not None:
                won.append(callback)
    for callback in to_claim:
        if store.claim_callback(callback, actor) is not None:
            won.append(callback)
    store.close()
    print(json.dumps({"saved": saved, "won": won, "found": found}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])
