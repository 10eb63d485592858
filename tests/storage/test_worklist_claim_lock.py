# One store only (the shared server): its row locks between two stations.
"""Two stations claiming the same worklist item on the shared server: the second claim really
WAITS on the item's row lock while the first claim's transaction is open, then sees the outcome
of the first (deterministic, as the roster's race test: the first transaction is held open until
the server reports the second connection waiting for a lock; no sleeps decide the winner).

Whoever holds the row decides: committed, the waiting volunteer is told the item is already
claimed (and nothing of theirs is written); rolled back, the waiting claim goes through."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import pytest

from intake.services import worklist
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.storage.conftest import make_shared_store
from tests.storage.test_worklist_contract import account, kiosk_request


class _RolledBack(Exception):
    """Ends the first station's transaction without committing it."""


def _lock_waits(dsn: str) -> int:
    """Connections of this database the server reports waiting for a lock."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchone()
    return int(row[0]) if row else 0


def _held_claim(
    dsn: str,
    first: PgStore,
    claim_first: Callable[[], None],
    second: Callable[[], None],
    *,
    commit: bool,
) -> BaseException | None:
    """`claim_first` runs inside a transaction of `first` kept open until `second` (another
    station, another thread) is waiting on the server for a lock; `second` must not finish
    before then. Then the transaction commits (or rolls back). What `second` raised, if
    anything."""
    caught: list[BaseException] = []
    finished = threading.Event()

    def run() -> None:
        try:
            second()
        except BaseException as exc:  # handed back to the test
            caught.append(exc)
        finally:
            finished.set()

    racer = threading.Thread(target=run)
    try:
        with first.writing():
            claim_first()  # the item's row locked and claimed in this still-open transaction
            racer.start()
            for _ in range(1200):
                if _lock_waits(dsn):
                    break
                assert not finished.is_set(), "the second claim did not wait for the row"
                threading.Event().wait(0.05)
            else:
                pytest.fail("the second station never waited for the row")
            # Still waiting: it cannot answer before the first transaction ends.
            assert not finished.wait(0.3)
            if not commit:
                raise _RolledBack
    except _RolledBack:
        pass
    assert finished.wait(60), "the waiting claim never finished"
    racer.join(timeout=60)
    return caught[0] if caught else None


def _claims(store: PgStore, item: str) -> list[str | None]:
    return [
        who
        for action, who, record, _ in store.audit_trail()
        if action == "claim" and record == item
    ]


@pytest.mark.parametrize("commit", [True, False], ids=["first-commits", "first-rolls-back"])
def test_a_second_claim_waits_on_the_row_lock_then_learns_the_outcome(
    pg_dsn: str, commit: bool
) -> None:
    owner = make_shared_store(pg_dsn)
    a = open_shared_store(pg_dsn, PASSPHRASE)
    b = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        ana, ben = account(owner, "Ana"), account(owner, "Ben")
        item = kiosk_request(owner)
        refused = _held_claim(
            pg_dsn,
            a,
            lambda: worklist.claim(a, item, ana),
            lambda: worklist.claim(b, item, ben),
            commit=commit,
        )
        held = worklist.get_item(owner, item)
        assert held is not None
        if commit:
            assert isinstance(refused, worklist.AlreadyClaimed)
            assert held.claimed_by == ana
            assert _claims(owner, item) == [ana]  # nothing of Ben's was written
        else:
            assert refused is None
            assert held.claimed_by == ben
            assert _claims(owner, item) == [ben]  # Ana's claim went with its transaction
        assert _lock_waits(pg_dsn) == 0
        assert owner.verify_audit() == []
    finally:
        for store in (a, b, owner):
            store.close()
