"""Whether a call was about a physician in the caller's family is kept with the call (migration
"family"), so History and reports can tell a family member's call from a physician's own."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import psycopg.errors
import pytest
import sqlcipher3

from intake.call import Call
from intake.kiosk import KioskAnswers
from intake.storage.db import key_pragma, migrate
from intake.storage.interface import RecordStore
from intake.storage.migrations import MIGRATIONS
from tests.storage.helpers import RawSql, contact

FAMILY_VERSION = next(m.version for m in MIGRATIONS if m.name == "family")


def test_a_family_members_call_reads_back_as_one(any_store: RecordStore, any_actor: str) -> None:
    family = contact(role="other", about_family=True)
    physician = contact(role="physician")
    for record in (family, physician):
        assert any_store.save_contact(record, any_actor) == "created"
    assert any_store.get_contact(family.id, any_actor)[0].about_family is True
    assert any_store.get_contact(physician.id, any_actor)[0].about_family is False
    # Changing only that fact is a change, not an "unchanged" retry.
    assert (
        any_store.save_contact(dataclasses.replace(physician, about_family=True), any_actor)
        == "updated"
    )
    assert any_store.get_contact(physician.id, any_actor)[0].about_family is True


def test_the_store_refuses_anything_but_yes_or_no(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    raw = RawSql(any_store)
    # The file's CHECK; the server's boolean column takes no number at all.
    refused = (*raw.refused, psycopg.errors.DatatypeMismatch)
    with pytest.raises(refused), raw.transaction() as run:
        run("UPDATE contacts SET about_family = 2 WHERE id = ?", (record.id,))
    assert any_store.get_contact(record.id, any_actor)[0].about_family is False


# One store only (the SQLCipher file): the file's migration "family" (the server's steps:
# test_shared_schema_upgrade.py).
def test_calls_saved_before_the_migration_read_as_not_about_family(tmp_path: Path) -> None:
    conn = sqlcipher3.connect(tmp_path / "s.db", isolation_level=None)
    conn.execute(key_pragma("migration test passphrase"))
    migrate(conn, target=FAMILY_VERSION - 1)
    conn.execute(
        "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, about_colleague)"
        " VALUES ('c1', 'phone', '2026-11-22T03:10:00-05:00', 'en', 'fr', 1)"
    )
    migrate(conn)
    assert conn.execute("SELECT about_colleague, about_family FROM contacts").fetchall() == [(1, 0)]


def test_the_call_and_the_kiosk_record_it() -> None:
    call = Call(contact_id="c2", started_at="2026-11-22T03:10:00-05:00", province="ON")
    call.about_family = True
    assert call.record("en", None).about_family is True
    call.about_family = False
    assert call.record("en", None).about_family is False
    started = datetime(2026, 11, 22, 8, 10, tzinfo=UTC)
    for who, expected in (("family", True), ("physician", False), ("colleague", False)):
        answers = KioskAnswers(language="fr", who=who, province="QC")
        record = answers.record("k1", started, "fr", (), outcome="referred")
        assert record.about_family is expected, who
