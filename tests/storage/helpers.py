from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, ClassVar

import psycopg
import psycopg.errors
import sqlcipher3

from intake.storage import audit, retention
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore
from intake.storage.records import ContactRecord


def contact(consent: bool = True, **changes: object) -> ContactRecord:
    values: dict[str, object] = dict(
        id=str(uuid.uuid4()),
        channel="phone",
        started_at="2026-11-22T03:10:00-05:00",
        ui_language="en",
        caller_language="fr",
        role="resident",
        province="QC",
        topics=("burnout",),
        need="peer",
        risk="concern",
        referrals=(
            {"program": "qc-pamq", "reasons": ["peer-support"], "offered": True, "chosen": True},
        ),
        consent_notes=consent,
    )
    values.update(changes)
    return ContactRecord(**values)  # type: ignore[arg-type]


class RawSql:
    """SQL past the interface, on either store (placeholders written `?`): only for what a test
    must set up, break or check that the interface has no call for, such as a write the
    database itself must refuse. `refused` is what each database raises when it does."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store

    @property
    def on_server(self) -> bool:
        return isinstance(self.store, PgStore)

    @property
    def refused(self) -> tuple[type[Exception], ...]:
        if self.on_server:
            # a CHECK or a foreign key; the append-only trigger's RAISE EXCEPTION
            return (psycopg.IntegrityError, psycopg.errors.RaiseException)
        return (sqlcipher3.IntegrityError,)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Callable[..., list[Any]]]:
        """One transaction; yields `run(sql, params)` returning the rows (if any)."""
        if isinstance(self.store, PgStore):
            with self.store.writing() as w:

                def run_pg(sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
                    cursor = w.q(sql.replace("?", "%s"), params)
                    return list(cursor.fetchall()) if cursor.description else []

                yield run_pg
        else:
            assert isinstance(self.store, LocalRecords)
            with self.store.store.transaction() as conn:

                def run_file(sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
                    return list(conn.execute(sql, params).fetchall())

                yield run_file

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.transaction() as run:
            return run(sql, params)

    # The audit chain, as someone holding the passphrase could break it.

    def drop_audit_guards(self, run: Callable[..., list[Any]]) -> None:
        """Drop the triggers that keep the audit log append-only (its owner can)."""
        if self.on_server:
            run("DROP TRIGGER audit_append_only ON audit")
        else:
            run("DROP TRIGGER audit_no_update")
            run("DROP TRIGGER audit_no_delete")

    def audit_key(self, run: Callable[..., list[Any]], seq: int) -> bytes | None:
        """The key row `seq` is chained with (the store's own, read as its owner can)."""
        if isinstance(self.store, PgStore):
            return self.store.line_keys.audit
        rows = dict(
            run("SELECT key, value FROM meta WHERE key IN ('audit_key', 'audit_keyed_from')")
        )
        if "audit_key" not in rows or seq < int(rows.get("audit_keyed_from", "1")):
            return None
        return bytes.fromhex(rows["audit_key"])

    def rechain(self, run: Callable[..., list[Any]], after: int) -> None:
        """Recompute every row's hash after row `after` so each follows the row before it, and
        move the server's head row along, as a forger with the key would."""
        prev = run("SELECT hash FROM audit WHERE seq = ?", (after,))[0][0]
        for (seq,) in run("SELECT seq FROM audit WHERE seq > ? ORDER BY seq", (after,)):
            row = run("SELECT at, actor, action, record, detail FROM audit WHERE seq = ?", (seq,))
            digest = audit._digest((prev, seq, *row[0]), self.audit_key(run, seq))
            run("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
            prev = digest
        if self.on_server:
            last = run("SELECT max(seq) FROM audit")[0][0]
            run("UPDATE audit_head SET seq = ?, hash = ?", (last, prev))

    # Rows as stored, read back as their owner can (the server's sealed fields opened).

    SEALED: ClassVar[dict[str, tuple[str, ...]]] = {
        "contacts": ("caller_name", "callback_number"),
        "notes": ("body",),
        "callbacks": ("number", "best_time"),
        "drafts": ("payload",),
        "accounts": ("display_name",),
    }

    def seal(self, table: str, field: str, record_id: str, value: str | None) -> object:
        """A value to write straight into a sealed field (as the store itself would)."""
        if isinstance(self.store, PgStore) and field in self.SEALED.get(table, ()):
            return self.store.line_keys.seal(table, field, record_id, value)
        return value

    def read(
        self, table: str, columns: str, where: str = "", params: tuple[Any, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """`SELECT columns FROM table [where]` (placeholders `?`); sealed fields opened on the
        server, and yes/no columns as the file keeps them (1 or 0)."""
        names = [c.strip() for c in columns.split(",")]
        rows = self.query(f"SELECT id, {columns} FROM {table} {where}", params)
        if not self.on_server:
            return [tuple(row[1:]) for row in rows]
        assert isinstance(self.store, PgStore)
        keys = self.store.line_keys
        sealed = self.SEALED.get(table, ())
        return [
            tuple(
                keys.open(table, name, row[0], value)
                if name in sealed
                else int(value)
                if isinstance(value, bool)
                else value
                for name, value in zip(names, row[1:], strict=True)
            )
            for row in rows
        ]

    def append_audit(self, actor: str | None, action: str, record: str | None) -> None:
        """One audit row, appended as the store's own writes append theirs."""
        if isinstance(self.store, PgStore):
            with self.store.writing() as w:
                w.audit(actor, action, record)
        else:
            assert isinstance(self.store, LocalRecords)
            with self.store.store.transaction() as conn:
                audit.append(conn, actor, action, record)


# Retention on either store: the file's `retention` functions, the server's own methods.


def retention_days(store: RecordStore) -> int:
    if isinstance(store, PgStore):
        return store.retention_days()
    assert isinstance(store, LocalRecords)
    return retention.retention_days(store.store)


def set_retention_days(store: RecordStore, days: int, actor: str | None) -> None:
    if isinstance(store, PgStore):
        store.set_retention_days(days, actor)
    else:
        assert isinstance(store, LocalRecords)
        retention.set_retention_days(store.store, days, actor)


def purge(
    store: RecordStore, now: datetime, actor: str | None, dry_run: bool = False
) -> retention.PurgeReport:
    if isinstance(store, PgStore):
        return store.purge(now, actor, dry_run)
    assert isinstance(store, LocalRecords)
    return retention.purge(store.store, now, actor, dry_run)
