# One store only (the shared server): the server's schema steps.
"""The shared store's versioned upgrade: a store made by the previous version (its own DDL,
version 1) is brought to this one when its owner opens it, each step once, in order, its
version recorded on the server; what was owed before is on the worklist after; a station's own
login cannot upgrade and says so; a store from a newer version is refused."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from intake import vocabulary
from intake.pins import hash_pin
from intake.services import worklist
from intake.storage import errors
from intake.storage.pg import schema
from intake.storage.pg.store import add_supervisor, create_shared_store, open_shared_store
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.storage.helpers import contact


def _version(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert row is not None
    return int(row[0])


def _tables(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_a_store_made_by_the_previous_version_is_upgraded_once(pg_dsn: str) -> None:
    old = create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN)), version=1
    )
    actor = old.query("SELECT id FROM accounts")[0][0]  # (read as version 1 has it)
    # Owed before the upgrade: a kiosk visitor's callback request and a phone follow-up.
    kiosk = contact(channel="kiosk", risk="high", province="NB", callback_number="+15065550123")
    phone = contact(risk="concern", callback_number="+16135550199")
    request, followup = str(uuid.uuid4()), str(uuid.uuid4())
    with old.writing() as w:
        w.write_contact(kiosk, actor)
        w.write_contact(phone, actor)
        w.q(
            "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (
                request,
                kiosk.id,
                w.keys.seal("callbacks", "number", request, "+15065550123"),
                w.keys.seal("callbacks", "best_time", request, "evening"),
                "America/Moncton",
                "2026-11-30T22:00:00+00:00",
            ),
        )
        w.put_followup(followup, phone.id, "2026-12-03T15:00:00+00:00", actor)
    old.close()
    assert _version(pg_dsn) == 1
    assert "work_items" not in _tables(pg_dsn)

    store = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        assert _version(pg_dsn) == schema.VERSION
        assert {"work_items", "work_attempts"} <= _tables(pg_dsn)
        items = worklist.open_items(store)
        assert [(i.id, i.kind) for i in items] == [(request, "callback"), (followup, "followup")]
        assert items[0].alert  # a high-risk kiosk request, first
        assert items[0].best_time == "evening"  # opened on the station
        # New writes feed the worklist through the new triggers.
        later = contact()
        with store.writing() as w:
            w.write_contact(later, actor)
            w.put_followup(str(uuid.uuid4()), later.id, "2026-12-04T15:00:00+00:00", actor)
        assert worklist.open_count(store) == 3
    finally:
        store.close()
    # Opening it again runs nothing (a step run twice would fail: its tables exist).
    again = open_shared_store(pg_dsn, PASSPHRASE)
    again.close()
    assert _version(pg_dsn) == schema.VERSION


def test_a_new_store_is_made_at_this_version(pg_dsn: str) -> None:
    store = create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN))
    )
    store.close()
    assert _version(pg_dsn) == schema.VERSION
    assert 1 + len(schema.STEPS) == schema.VERSION


def test_a_station_login_cannot_upgrade_and_is_told_to_ask_the_owner(pg_dsn: str) -> None:
    old = create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN)), version=1
    )
    old.close()
    role = f"station_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    station = psycopg.conninfo.make_conninfo(pg_dsn, user=role)
    try:
        with pytest.raises(errors.StoreNeedsOwner):
            open_shared_store(station, PASSPHRASE)
        assert _version(pg_dsn) == 1  # nothing half done
        assert "work_items" not in _tables(pg_dsn)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            conn.execute(f"DROP ROLE {role}")


def test_a_store_from_a_newer_version_is_refused(pg_dsn: str) -> None:
    create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN))
    ).close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(schema.VERSION + 1),)
        )
    with pytest.raises(errors.StoreFromFuture):
        open_shared_store(pg_dsn, PASSPHRASE)


def test_the_servers_checks_follow_the_vocabulary() -> None:
    """A worklist kind, outcome or result added to the vocabulary needs a new step that
    regenerates the server's checks (`schema.vocabulary_checks`); this fails until one does."""
    last: dict[str, str] = {}
    for step in schema.STEPS:
        for statement in step:
            for name in ("work_items_kind", "work_items_outcome", "work_attempts_result"):
                if f"ADD CONSTRAINT {name} " in statement:
                    last[name] = statement
    for name, codes in (
        ("work_items_kind", vocabulary.WORK_KINDS),
        ("work_items_outcome", vocabulary.WORK_OUTCOMES),
        ("work_attempts_result", vocabulary.ATTEMPT_RESULTS),
    ):
        missing = [code for code in codes if f"'{code}'" not in last[name]]
        assert not missing, f"{name}: add a step with vocabulary_checks for {missing}"


@pytest.mark.parametrize("start", range(1, schema.VERSION))
def test_every_earlier_version_reaches_this_one(pg_dsn: str, start: int) -> None:
    create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN)), version=start
    ).close()
    assert _version(pg_dsn) == start
    store = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        assert _version(pg_dsn) == schema.VERSION
        assert set(store.counts()) <= _tables(pg_dsn)  # every table this version counts
        assert store.verify_audit() == []
    finally:
        store.close()
