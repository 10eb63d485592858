# One store only (the SQLCipher file): a migration of the file's schema (the server's steps:
#   test_shared_schema_upgrade.py).
"""Migration 13 (issue 17): a store migrated before "first-contact" was a worklist kind accepts
it afterwards (its vocabulary triggers are regenerated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from intake.storage.db import key_pragma, migrate
from intake.storage.migrations import LATEST

VERSION = 13  # the migration under test; LATEST may be later


def _keyed(path: Path) -> Any:
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute(key_pragma("migration test passphrase"))
    return conn


def _item(conn: Any, kind: str) -> None:
    conn.execute(
        "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language) "
        "VALUES ('c1', 'phone', '2026-03-02T10:00:00-05:00', 'en', 'en') ON CONFLICT DO NOTHING"
    )
    conn.execute(
        "INSERT INTO work_items (id, kind, contact_id, due_at, created_at) "
        "VALUES (?, ?, 'c1', '2026-03-05T10:00:00+00:00', '2026-03-02T15:00:00+00:00')",
        (f"w-{kind}", kind),
    )


def test_a_store_from_before_accepts_the_first_contact_kind_after_migrating(
    tmp_path: Path,
) -> None:
    assert LATEST >= VERSION
    conn = _keyed(tmp_path / "s.db")
    migrate(conn, target=VERSION - 1)
    # As the triggers of a store migrated before this version were: the two kinds of the day.
    conn.execute("DROP TRIGGER work_items_vocabulary_insert")
    conn.execute(
        "CREATE TRIGGER work_items_vocabulary_insert BEFORE INSERT ON work_items "
        "WHEN NOT new.kind IN ('followup', 'callback') "
        "BEGIN SELECT RAISE(ABORT, 'a coded value outside the vocabulary'); END"
    )
    with pytest.raises(sqlcipher3.IntegrityError, match="outside the vocabulary"):
        _item(conn, "first-contact")
    migrate(conn)
    _item(conn, "first-contact")
    with pytest.raises(sqlcipher3.IntegrityError, match="outside the vocabulary"):
        _item(conn, "astrology")
    kinds = conn.execute("SELECT kind FROM work_items").fetchall()
    assert kinds == [("first-contact",)]
