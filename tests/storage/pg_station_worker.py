"""One station of the multi-process shared-store test (and the benchmark's claim figure).

Run as a child process: `python -m tests.storage.pg_station_worker DSN STATION SAVES ACTOR
CALLBACK_IDS ITEM_IDS START [OUTBOX]`. Waits for the START file, then saves SAVES whole calls,
searches its notes every tenth save, and as it goes tries to claim every callback of
CALLBACK_IDS (the store's `claim_callback`) and every worklist item of ITEM_IDS (the worklist
service's `claim`, what the window's "Claim" does), both comma-separated, taking turns. With
OUTBOX (a folder), saves go through `save_or_queue` and the server may be stopped at any moment:
what could not be saved waits there and is delivered when the server is back. Prints one JSON
line: its actor, the contact ids saved, the callbacks and the items it won, how many were queued.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

from intake.call import Call
from intake.services import worklist
from intake.services.calls import save_call, snapshot
from intake.services.outbox import Outbox, save_or_queue
from intake.storage.errors import ServerUnreachable
from intake.storage.pg.store import PgStore, open_shared_store
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


def claim(store: PgStore, kind: str, item: str, actor: str) -> bool:
    """Did this station win `item`? A callback through the store, a worklist item through the
    worklist service (refused with AlreadyClaimed when another station holds it)."""
    if kind == "callback":
        return store.claim_callback(item, actor) is not None
    try:
        worklist.claim(store, item, actor)
    except worklist.AlreadyClaimed:
        return False
    return True


def main(  # noqa: PLR0912 - one station's whole run, in order
    dsn: str,
    station: int,
    saves: int,
    actor: str,
    callbacks: str,
    items: str,
    start: str,
    outbox: str = "",
) -> None:
    store = open_shared_store(dsn, PASSPHRASE)
    Path(f"{start}.ready-{station}").touch()  # opened: an outage may come now
    waiting = Outbox(Path(outbox), store.line_keys) if outbox else None
    by_store = [("callback", c) for c in callbacks.split(",") if c]
    by_worklist = [("item", i) for i in items.split(",") if i]
    # Taking turns: a callback, then a worklist item, ...
    to_claim = [p for pair in zip(by_store, by_worklist, strict=True) for p in pair]
    while not Path(start).exists():
        time.sleep(0.01)
    saved: list[str] = []
    won: dict[str, list[str]] = {"callback": [], "item": []}
    found, queued = 0, 0
    for index in range(saves):
        snap = snapshot(a_call(station, index), "fr", "2026-11-22T04:00:00-05:00")
        if waiting is None:
            saved.append(save_call(store, snap, actor))
        else:
            queued += save_or_queue(store, waiting, snap, actor) == "queued"
            saved.append(snap.contact_id)
        try:
            if index % 10 == 9:
                found = len(store.search_notes(f"station{station} gardes", limit=1000))
            if to_claim and index % max(1, saves // len(to_claim)) == 0:
                kind, item = to_claim[0]
                if claim(store, kind, item, actor):
                    won[kind].append(item)
                to_claim.pop(0)  # answered: claimed, or someone else's
        except ServerUnreachable:
            if waiting is None:
                raise
    deadline = time.monotonic() + 300
    while to_claim or (waiting is not None and waiting.pending()):
        try:
            if waiting is not None:
                waiting.deliver(store)
            while to_claim:
                kind, item = to_claim[0]
                if claim(store, kind, item, actor):
                    won[kind].append(item)
                to_claim.pop(0)
        except ServerUnreachable:
            if waiting is None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    store.close()
    print(
        json.dumps(
            {
                "actor": actor,
                "saved": saved,
                "won": won["callback"],
                "won_items": won["item"],
                "found": found,
                "queued": queued,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:])
