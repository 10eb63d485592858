# One store only (the SQLCipher file): the audit head kept in a file beside the store, the file's
#   copies and restores.
"""The keyed audit chain and the head beside the store: a cut or rewritten tail, an older copy,
another store put in place or a removed head are each reported plainly; a deliberate restore is
accepted; `intake db check` reports a dropped table or trigger, never a traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from intake.storage import audit
from intake.storage.account_store import record_event
from intake.storage.db import _connect, _key_and_verify, open_store
from intake.storage.errors import AuditRewritten, HeadMissing, StoreReplaced, StoreRolledBack
from intake.storage.head import head_path
from intake.storage.maintenance import accept_store, backup_store, check_store, restore_store
from intake.storage.records import save_draft
from tests.conftest import PASSPHRASE, make_store
from tests.storage.test_db_cli import db

BACKUP_PASSPHRASE = "une autre phrase, pour la sauvegarde"


@contextmanager
def raw(path: Path) -> Iterator[Any]:
    """What someone holding the passphrase can do with the file: any SQL at all."""
    conn = _connect(path)
    _key_and_verify(conn, PASSPHRASE)
    try:
        yield conn
    finally:
        conn.close()


def _used(path: Path, events: int = 3) -> str:
    """Open the store, add a few audit rows, close it; returns the supervisor's id."""
    store = open_store(path, PASSPHRASE)
    try:
        actor = str(store.query("SELECT id FROM accounts")[0][0])
        for _ in range(events):
            record_event(store, actor, "lock")
        return actor
    finally:
        store.close()


def test_rows_are_chained_with_a_key_not_a_plain_hash(existing_store: Path) -> None:
    _used(existing_store)
    with raw(existing_store) as conn:
        row = conn.execute(
            "SELECT prev_hash, seq, at, actor, action, record, detail, hash FROM audit "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        text = "\x1f".join("" if v is None else str(v) for v in row[:7])
        assert hashlib.sha256(text.encode()).hexdigest() != row[7]
        assert audit.verify(conn) == []


def test_a_cut_tail_is_reported_even_with_the_trigger_dropped(existing_store: Path) -> None:
    _used(existing_store)
    with raw(existing_store) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        last = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        conn.execute("DELETE FROM audit WHERE seq > ?", (last - 2,))
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit'", (last - 2,))
        conn.commit()
    with pytest.raises(StoreRolledBack):
        open_store(existing_store, PASSPHRASE)
    report = check_store(existing_store, PASSPHRASE)
    assert "trigger audit_no_delete is missing" in report.schema
    assert isinstance(report.head, StoreRolledBack)


def test_a_tail_recomputed_with_the_key_is_reported(existing_store: Path) -> None:
    _used(existing_store)
    with raw(existing_store) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        last = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        conn.execute("UPDATE audit SET action = 'open', detail = '' WHERE seq = ?", (last,))
        keys = audit.chain_key(conn)
        row = conn.execute(
            "SELECT prev_hash, seq, at, actor, action, record, detail FROM audit WHERE seq = ?",
            (last,),
        ).fetchone()
        conn.execute(
            "UPDATE audit SET hash = ? WHERE seq = ?",
            (audit._digest(tuple(row), keys.for_seq(last)), last),
        )
        conn.commit()
        assert audit.verify(conn) == []  # the chain alone no longer shows it...
    with pytest.raises(AuditRewritten):  # ...the head beside the store does
        open_store(existing_store, PASSPHRASE)


def test_an_older_copy_is_refused_until_a_deliberate_restore_is_accepted(
    existing_store: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.db"
    shutil.copy(existing_store, older)
    store = open_store(existing_store, PASSPHRASE)
    try:  # a write that adds no audit row (an autosaved draft): only the generation shows it
        save_draft(store, str(uuid.uuid4()), None, {"consent_notes": False})
    finally:
        store.close()
    shutil.copy(older, existing_store)
    with pytest.raises(StoreRolledBack):
        open_store(existing_store, PASSPHRASE)
    accept_store(existing_store, PASSPHRASE)
    open_store(existing_store, PASSPHRASE).close()
    actions = []
    with raw(existing_store) as conn:
        actions = [r[0] for r in conn.execute("SELECT detail FROM audit ORDER BY seq")]
    assert actions[-1] == "accepted"


def test_another_store_put_in_place_is_refused(existing_store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "store.db"
    make_store(other).close()  # same passphrase, another store
    shutil.copy(other, existing_store)
    with pytest.raises(StoreReplaced):
        open_store(existing_store, PASSPHRASE)


def test_a_removed_head_is_reported(existing_store: Path) -> None:
    head_path(existing_store).unlink()
    with pytest.raises(HeadMissing):
        open_store(existing_store, PASSPHRASE)


def test_key_kept_through_backup_restore_and_rekey(existing_store: Path, tmp_path: Path) -> None:
    _used(existing_store)
    with raw(existing_store) as conn:
        key = audit.chain_key(conn).key
    store = open_store(existing_store, PASSPHRASE)
    backup = tmp_path / "backup.db"
    try:
        backup_store(store, backup, BACKUP_PASSPHRASE, None)
    finally:
        store.close()
    assert check_store(backup, BACKUP_PASSPHRASE).ok  # a backup carries its own head
    _used(existing_store)  # the live store moves on...
    restore_store(backup, BACKUP_PASSPHRASE, existing_store, PASSPHRASE)  # ...and is put back
    report = check_store(existing_store, PASSPHRASE)
    assert report.ok, report
    with raw(existing_store) as conn:
        assert audit.chain_key(conn).key == key


@pytest.mark.parametrize("dropped", ["TABLE audit", "TRIGGER audit_no_update", "TABLE feedback"])
def test_db_check_reports_a_dropped_table_or_trigger(existing_store: Path, dropped: str) -> None:
    with raw(existing_store) as conn:
        conn.execute(f"DROP {dropped}")
        conn.commit()
    done = db("check", "--store", str(existing_store), stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    kind, name = dropped.lower().split()
    assert f"{kind} {name} is missing" in done.stderr


def test_the_head_follows_every_save_written_off_the_saving_thread(existing_store: Path) -> None:
    """The head file is written by the store's own thread after each commit (a save no longer
    waits for it): it never runs ahead of the store, is the newest once flushed, and is
    complete when the store closes, so the next open finds them in agreement."""
    store = open_store(existing_store, PASSPHRASE)
    try:
        actor = str(store.query("SELECT id FROM accounts")[0][0])
        for _ in range(20):
            record_event(store, actor, "lock")
            written = head_path(existing_store).read_bytes()
            on_disk = int(json.loads(written)["seq"]) if written else 0
            last = int(store.query("SELECT max(seq) FROM audit")[0][0])
            assert on_disk <= last  # behind for a moment at most, never ahead
        store.flush_head()
        assert json.loads(head_path(existing_store).read_bytes())["seq"] == last
        record_event(store, actor, "unlock")
    finally:
        store.close()  # waits for the last head
    reopened = open_store(existing_store, PASSPHRASE)  # "check": refused if they disagree
    reopened.close()
    with raw(existing_store) as conn:
        newest = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
    assert json.loads(head_path(existing_store).read_bytes())["seq"] == newest


def test_a_head_that_cannot_be_written_loses_no_save_and_is_written_next_time(
    existing_store: Path,
) -> None:
    """The head's own thread fails (the head's name taken by a folder): the saves are kept, the
    store closes without waiting for ever, and the next save writes the head again."""
    store = open_store(existing_store, PASSPHRASE)
    head = head_path(existing_store)
    try:
        actor = str(store.query("SELECT id FROM accounts")[0][0])
        record_event(store, actor, "lock")
        store.flush_head()
        head.unlink()
        head.mkdir()  # os.replace cannot put a file there
        record_event(store, actor, "lock")
        store.flush_head()  # returns: the failure is logged, not raised, not hung on
        assert head.is_dir()
        head.rmdir()
        record_event(store, actor, "unlock")
        store.flush_head()
        last = int(store.query("SELECT max(seq) FROM audit")[0][0])
        assert json.loads(head.read_bytes())["seq"] == last
    finally:
        store.close()
    open_store(existing_store, PASSPHRASE).close()  # they agree
