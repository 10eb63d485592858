"""Contacts, notes and the audit log past the interface, on both stores (`any_store`): the
refusals the database itself makes to a direct write, and tampering with the audit chain.

The rest of this file's tests (round trips, idempotent saves, notes and search, drafts,
follow-ups, holds, history, PIN lockout) were ported through the interface to
tests/storage/test_store_contract.py under the same names, and run there on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.storage.db import Store, open_store
from intake.storage.errors import ConsentRefused, StoreBusy
from intake.storage.interface import RecordStore
from tests.conftest import PASSPHRASE
from tests.storage.helpers import RawSql, contact


def test_consent_is_binding(any_store: RecordStore, any_actor: str) -> None:
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, caller_name="Dr B."), any_actor)
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, callback_number="+15145550199"), any_actor)
    coded = contact(consent=False)
    any_store.save_contact(coded, any_actor)
    with pytest.raises(ConsentRefused):
        any_store.add_note("n-1", coded.id, "free text", any_actor)
    with pytest.raises(ConsentRefused):
        any_store.add_callback(
            "cb-1",
            coded.id,
            number="+15145550199",
            best_time="evening",
            time_zone="America/Toronto",
            actor=any_actor,
        )
    with pytest.raises(ConsentRefused):
        any_store.save_draft(coded.id, any_actor, {"consent_notes": False, "notes": "typed"})
    # Even a direct write is refused by the database itself (the server's CHECK, the file's
    # trigger), whatever the column holds there (a name on the file, its ciphertext on the
    # server).
    raw = RawSql(any_store)
    with pytest.raises(raw.refused), raw.transaction() as run:
        run("UPDATE contacts SET caller_name = ? WHERE id = ?", (b"x", coded.id))
    assert any_store.get_contact(coded.id, any_actor)[0].caller_name is None


@pytest.mark.parametrize("tamper", ["edit", "delete", "reorder", "drop-last"])
def test_audit_tampering_is_detected(any_store: RecordStore, any_actor: str, tamper: str) -> None:
    for index in range(4):
        any_store.save_contact(
            contact(outcome=("referred", "declined", "information", "callback")[index]),
            any_actor,
        )
    raw = RawSql(any_store)
    for refused_sql in ("UPDATE audit SET actor = 'someone' WHERE seq = 2", "DELETE FROM audit"):
        with pytest.raises(raw.refused, match="append-only"), raw.transaction() as run:
            run(refused_sql)
    assert any_store.verify_audit() == []
    # Someone with the key can drop the triggers; the chain still tells.
    columns = "at, actor, action, record, detail, prev_hash, hash"
    with raw.transaction() as run:
        raw.drop_audit_guards(run)
        last = run("SELECT max(seq) FROM audit")[0][0]
        if tamper == "edit":
            run("UPDATE audit SET action = 'open' WHERE seq = 2")
        elif tamper == "delete":
            run("DELETE FROM audit WHERE seq = 2")
        elif tamper == "reorder":
            a, b = (run(f"SELECT {columns} FROM audit WHERE seq = ?", (s,))[0] for s in (2, 3))
            swap = (
                "UPDATE audit SET at=?, actor=?, action=?, record=?, detail=?, prev_hash=?, hash=?"
            )
            run(f"{swap} WHERE seq = 2", tuple(b))
            run(f"{swap} WHERE seq = 3", tuple(a))
        else:
            run("DELETE FROM audit WHERE seq = ?", (last,))
    assert any_store.verify_audit() != []


# One store only: a second application opening the same file (the file's lock).
def test_a_second_instance_gets_a_clear_message(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreBusy) as info:
        open_store(store_path, PASSPHRASE)
    title, _advice = info.value.explain()
    assert "in use" in title
    store.close()
    open_store(store_path, PASSPHRASE).close()  # free again once the first one closes
