# One store only (the SQLCipher file): the migrations of the file's schema (the server's steps:
#   test_shared_schema_upgrade.py).
"""The migration runner: one transaction, monotonic versions, build at N-1 then migrate."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from intake.storage import migrations
from intake.storage.db import key_pragma, migrate
from intake.storage.migrations import LATEST, MIGRATIONS, Migration, _check_sequence


def keyed(path: Path) -> object:
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute(key_pragma("migration test passphrase"))
    return conn


def tables(conn: object) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()  # type: ignore[attr-defined]
    return {r[0] for r in rows}


def test_m0001_from_empty_store(tmp_path: Path) -> None:
    conn = keyed(tmp_path / "s.db")
    migrate(conn, target=0)
    assert tables(conn) == set()
    migrate(conn, target=1)
    assert {"meta", "accounts"} <= tables(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # type: ignore[attr-defined]
    conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO accounts VALUES ('id', 'Name', 'volunteer', 'hash', '2026-01-01T00:00:00+00:00')"
    )
    with pytest.raises(sqlcipher3.IntegrityError):
        conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO accounts VALUES ('id2', 'name', 'volunteer', 'hash', 'x')"
        )


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    conn = keyed(tmp_path / "s.db")
    migrate(conn)
    migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST  # type: ignore[attr-defined]


def test_a_failing_step_rolls_back_to_exactly_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: object) -> None:
        conn.execute("CREATE TABLE half_done (x)")  # type: ignore[attr-defined]
        raise RuntimeError("step failed")

    extended = (*MIGRATIONS, Migration(LATEST + 1, "broken", broken))
    monkeypatch.setattr("intake.storage.db.MIGRATIONS", extended)
    monkeypatch.setattr("intake.storage.db.LATEST", LATEST + 1)
    conn = keyed(tmp_path / "s.db")
    with pytest.raises(RuntimeError):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0  # type: ignore[attr-defined]
    assert tables(conn) == set()


def test_versions_must_be_one_to_n_without_gaps() -> None:
    _check_sequence(migrations.MIGRATIONS)
    with pytest.raises(AssertionError):
        _check_sequence((Migration(1, "a", print), Migration(3, "c", print)))


def test_m0002_from_version_1_keeps_accounts_and_adds_records(tmp_path: Path) -> None:
    conn = keyed(tmp_path / "s.db")
    migrate(conn, target=1)
    conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO accounts VALUES ('a1', 'Sam', 'supervisor', 'hash', '2026-01-01T00:00:00+00:00')"
    )
    migrate(conn, target=2)
    assert {
        "contacts",
        "notes",
        "notes_fts",
        "callbacks",
        "followups",
        "drafts",
        "audit",
        "purge_reports",
    } <= tables(conn)
    row = conn.execute("SELECT display_name, failed_pins, locked_until FROM accounts").fetchone()  # type: ignore[attr-defined]
    assert row == ("Sam", 0, None)
    retention = conn.execute("SELECT value FROM meta WHERE key = 'retention_days'").fetchone()  # type: ignore[attr-defined]
    assert retention == ("365",)


def test_a_callback_item_cancelled_by_the_old_follow_up_trigger_is_reopened(
    tmp_path: Path,
) -> None:
    """Before the fix, booking a follow-up cancelled the contact's open callback item; the
    migration that fixes the trigger brings back the ones whose callback is still owed."""
    fixed = next(m.version for m in MIGRATIONS if m.name == "worklist-console")
    conn = keyed(tmp_path / "s.db")
    migrate(conn, target=fixed - 1)
    run = conn.execute  # type: ignore[attr-defined]
    run(
        "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, risk) "
        "VALUES ('c1', 'kiosk', '2026-01-01T10:00:00+00:00', 'fr', 'fr', 'high')"
    )
    run(
        "INSERT INTO callbacks (id, contact_id, number, created_at) "
        "VALUES ('cb1', 'c1', '+15065550123', '2026-01-01T10:00:00+00:00')"
    )
    run(
        "INSERT INTO followups (id, contact_id, due_at, created_at) "
        "VALUES ('f1', 'c1', '2026-01-08T10:00:00+00:00', '2026-01-01T11:00:00+00:00')"
    )
    status = "SELECT id, status FROM work_items ORDER BY id"
    assert run(status).fetchall() == [("cb1", "cancelled"), ("f1", "open")]  # the defect
    migrate(conn)
    assert run(status).fetchall() == [("cb1", "open"), ("f1", "open")]
    run(
        "INSERT INTO followups (id, contact_id, due_at, created_at) "
        "VALUES ('f2', 'c1', '2026-01-09T10:00:00+00:00', '2026-01-01T12:00:00+00:00')"
    )
    assert run(status).fetchall() == [("cb1", "open"), ("f1", "open"), ("f2", "open")]
