# One store only (the shared server): LISTEN/NOTIFY from the server's triggers.
"""Every change to the shared worklist is announced (LISTEN/NOTIFY, ids only), not only a new
callback or follow-up: a claim, a release, an attempt, a new due time and a close, from the
server's own triggers (so every path that changes an item announces it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from intake.pins import hash_pin
from intake.services import worklist
from intake.services.calls import save_call, snapshot
from intake.storage.pg.store import PgStore, WorklistListener
from tests.conftest import PIN
from tests.storage.test_shared_store import _call, _supervisor, shared

__all__ = ["shared"]  # fixture used here


def _heard(listener: WorklistListener) -> list[tuple[str, str]]:
    return listener.wait(timeout=2.0, stop_after=1) + listener.wait(timeout=0.2, stop_after=10)


def test_claims_attempts_moves_and_closes_are_announced(shared: PgStore) -> None:
    actor = _supervisor(shared)
    ana = shared.add_account("Ana Roy", "volunteer", hash_pin(PIN))
    snap = snapshot(_call("Dr L", "+15145550100", "note"), "en", "2026-11-22T04:00:00-05:00")
    save_call(shared, snap, actor)
    item = worklist.open_items(shared)[0].id
    listener = WorklistListener(shared.dsn)
    try:
        worklist.claim(shared, item, ana)
        assert ("work_items", item) in _heard(listener)
        worklist.record_attempt(shared, item, ana, "no-answer")
        assert ("work_attempts", item) in _heard(listener)
        worklist.reschedule(shared, item, ana, datetime.now(UTC) + timedelta(days=2))
        assert ("work_items", item) in _heard(listener)
        worklist.close(shared, item, ana, "helped")
        assert ("work_items", item) in _heard(listener)
        assert _heard(listener) == []  # nothing else was said
    finally:
        listener.close()
