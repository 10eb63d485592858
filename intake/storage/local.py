"""The single-station SQLCipher store behind the storage interface.

A thin adapter: every method calls the function of `records`, `account_store` or `audit` that
the application has always called, with the same transaction, so the file store behaves
exactly as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from intake.accounts import Account
from intake.storage import account_store, audit, records
from intake.storage.audit import AuditProblem
from intake.storage.db import Store
from intake.storage.records import ContactRecord, FollowUp, HistoryFilter, Note, Page


class LocalWriter:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def write_contact(self, record: ContactRecord, actor: str | None) -> str:
        return records.write_contact(self._conn, record, actor)

    def put_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
        return records.put_note(self._conn, note_id, contact_id, body, actor)

    def drop_note(self, note_id: str, actor: str | None) -> bool:
        return records.drop_note(self._conn, note_id, actor)

    def put_callback(
        self,
        callback_id: str,
        contact_id: str,
        *,
        number: str,
        best_time: str,
        time_zone: str,
        actor: str | None,
        messages_ok: bool = False,
    ) -> str:
        return records.put_callback(
            self._conn,
            callback_id,
            contact_id,
            number=number,
            best_time=best_time,
            time_zone=time_zone,
            actor=actor,
            messages_ok=messages_ok,
        )

    def put_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str:
        return records.put_followup(self._conn, followup_id, contact_id, due_at, actor)

    def cancel_followup(self, followup_id: str, callback_id: str, actor: str | None) -> None:
        records.cancel_followup(self._conn, followup_id, callback_id, actor)

    def remove_draft(self, draft_id: str) -> None:
        records.remove_draft(self._conn, draft_id)

    def audit(
        self, actor: str | None, action: str, record: str | None = None, detail: str = ""
    ) -> None:
        audit.append(self._conn, actor, action, record, detail)

    def callback_status(self, callback_id: str) -> str | None:
        row = self._conn.execute("SELECT status FROM callbacks WHERE id = ?", (callback_id,))
        found = row.fetchone()
        return None if found is None else str(found[0])

    def followup_status(self, followup_id: str) -> str | None:
        row = self._conn.execute("SELECT status FROM followups WHERE id = ?", (followup_id,))
        found = row.fetchone()
        return None if found is None else str(found[0])


class LocalRecords:
    """`RecordStore` over an open SQLCipher `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextlib.contextmanager
    def writing(self) -> Iterator[LocalWriter]:
        with self.store.transaction() as conn:
            yield LocalWriter(conn)

    def save_contact(self, record: ContactRecord, actor: str | None) -> str:
        return records.save_contact(self.store, record, actor)

    def get_contact(self, contact_id: str, actor: str | None) -> tuple[ContactRecord, list[Note]]:
        return records.get_contact(self.store, contact_id, actor)

    def add_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
        return records.add_note(self.store, note_id, contact_id, body, actor)

    def search_notes(
        self, text: str, limit: int = 50, *, created_by: str | None = None
    ) -> list[tuple[str, str]]:
        return records.search_notes(self.store, text, limit, created_by=created_by)

    def history_page(
        self,
        after: tuple[str, str] | None = None,
        limit: int = 50,
        filters: HistoryFilter | None = None,
    ) -> Page:
        return records.history_page(self.store, after, limit, filters)

    def add_callback(
        self,
        callback_id: str,
        contact_id: str,
        *,
        number: str,
        best_time: str,
        time_zone: str,
        actor: str | None,
    ) -> str:
        return records.add_callback(
            self.store,
            callback_id,
            contact_id,
            number=number,
            best_time=best_time,
            time_zone=time_zone,
            actor=actor,
        )

    def add_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str:
        return records.add_followup(self.store, followup_id, contact_id, due_at, actor)

    def followups_due(
        self, by: str, created_by: str | None = None, limit: int = 200
    ) -> list[FollowUp]:
        return records.followups_due(self.store, by, created_by, limit)

    def open_followups(self, contact_id: str) -> list[FollowUp]:
        return records.open_followups(self.store, contact_id)

    def complete_followup(self, followup_id: str, actor: str | None) -> bool:
        return records.complete_followup(self.store, followup_id, actor)

    def callback_number(self, callback_id: str) -> str | None:
        rows = self.store.query("SELECT number FROM callbacks WHERE id = ?", (callback_id,))
        return rows[0][0] if rows else None

    def save_draft(self, draft_id: str, account_id: str | None, payload: dict[str, Any]) -> None:
        records.save_draft(self.store, draft_id, account_id, payload)

    def drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]:
        return records.drafts(self.store, account_id)

    def delete_draft(self, draft_id: str) -> None:
        records.delete_draft(self.store, draft_id)

    def set_hold(self, contact_id: str, on_hold: bool, actor: str) -> None:
        records.set_hold(self.store, contact_id, on_hold, actor)

    def on_hold(self, contact_id: str) -> bool:
        rows = self.store.query("SELECT on_hold FROM contacts WHERE id = ?", (contact_id,))
        if not rows:
            raise records.RecordMissing()
        return bool(rows[0][0])

    def add_account(self, display_name: str, role: str, pin_hash: str) -> str:
        with self.store.transaction() as conn:
            return account_store.insert_account(conn, display_name, role, pin_hash)

    def list_accounts(self) -> list[Account]:
        return account_store.list_accounts(self.store)

    def check_pin(
        self, account_id: str, pin: str, now: datetime | None = None, *, action: str = "sign-in"
    ) -> Account | None:
        return account_store.check_pin(self.store, account_id, pin, now, action=action)

    def record_event(self, account_id: str, action: str) -> None:
        account_store.record_event(self.store, account_id, action)

    def audit_trail(self) -> list[tuple[str, str | None, str | None, str]]:
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.store.query(
                "SELECT action, actor, record, detail FROM audit ORDER BY seq"
            )
        ]

    def verify_audit(self) -> list[AuditProblem]:
        with self.store.transaction() as conn:
            return audit.verify(conn)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def close(self) -> None:
        self.store.close()
