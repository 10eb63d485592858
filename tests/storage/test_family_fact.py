"""Whether a call was about a physician in the caller's family is kept with the call (migration
"family"), so History and reports can tell a family member's call from a physician's own."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlcipher3

from intake.call import Call
from intake.kiosk import KioskAnswers
from intake.storage.db import Store, key_pragma, migrate
from intake.storage.migrations import MIGRATIONS
from intake.storage.records import get_contact, save_contact
from tests.storage.helpers import contact

FAMILY_VERSION = next(m.version for m in MIGRATIONS if m.name == "family")


def test_a_family_members_call_reads_back_as_one(store: Store, actor: str) -> None:
    family = contact(role="other", about_family=True)
    physician = contact(role="physician")
    for record in (family, physician):
        assert save_contact(store, record, actor) == "created"
    assert get_contact(store, family.id, actor)[0].about_family is True
    assert get_contact(store, physician.id, actor)[0].about_family is False
    # Changing only that fact is a change, not an "unchanged" retry.
    assert (
        save_contact(store, dataclasses.replace(physician, about_family=True), actor) == "updated"
    )
    assert get_contact(store, physician.id, actor)[0].about_family is True


def test_the_store_refuses_anything_but_yes_or_no(store: Store, actor: str) -> None:
    record = contact()
    save_contact(store, record, actor)
    with pytest.raises(sqlcipher3.IntegrityError), store.transaction() as conn:
        conn.execute("UPDATE contacts SET about_family = 2 WHERE id = ?", (record.id,))
    assert get_contact(store, record.id, actor)[0].about_family is False


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
