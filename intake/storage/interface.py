"""The storage interface: what the services use of a store, whichever store it is.

Two implementations: the single-station SQLCipher file (`intake.storage.local.LocalRecords`,
which calls the long-standing functions of `records`, `account_store` and `audit` unchanged)
and the shared PostgreSQL store (`intake.storage.pg.store.PgStore`). The tests in
tests/storage/test_store_contract.py run against both through one parametrized fixture.

`writing()` is the unit of work a service uses to save several rows at once (a whole call):
everything written through the `Writer` lands in one transaction, audit rows included, or
nothing does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from intake.accounts import Account
from intake.storage.audit import AuditProblem
from intake.storage.db import Store
from intake.storage.local import LocalRecords
from intake.storage.records import ContactRecord, FollowUp, HistoryFilter, Note, Page


class Writer(Protocol):
    """Row writes inside one transaction (each an idempotent upsert, audited like `records`)."""

    def write_contact(self, record: ContactRecord, actor: str | None) -> str: ...

    def put_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str: ...

    def drop_note(self, note_id: str, actor: str | None) -> bool: ...

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
    ) -> str: ...

    def put_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str: ...

    def cancel_followup(self, followup_id: str, callback_id: str, actor: str | None) -> None: ...

    def remove_draft(self, draft_id: str) -> None: ...

    def audit(
        self, actor: str | None, action: str, record: str | None = None, detail: str = ""
    ) -> None: ...

    def callback_status(self, callback_id: str) -> str | None: ...

    def followup_status(self, followup_id: str) -> str | None: ...


@runtime_checkable
class RecordStore(Protocol):
    """Everything the services and screens read and write, as plain values."""

    def writing(self) -> AbstractContextManager[Writer]: ...

    # contacts, notes, search, history
    def save_contact(self, record: ContactRecord, actor: str | None) -> str: ...

    def get_contact(
        self, contact_id: str, actor: str | None
    ) -> tuple[ContactRecord, list[Note]]: ...

    def add_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str: ...

    def search_notes(
        self, text: str, limit: int = 50, *, created_by: str | None = None
    ) -> list[tuple[str, str]]: ...

    def history_page(
        self,
        after: tuple[str, str] | None = None,
        limit: int = 50,
        filters: HistoryFilter | None = None,
    ) -> Page: ...

    # callbacks and follow-ups
    def add_callback(
        self,
        callback_id: str,
        contact_id: str,
        *,
        number: str,
        best_time: str,
        time_zone: str,
        actor: str | None,
    ) -> str: ...

    def add_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str: ...

    def followups_due(
        self, by: str, created_by: str | None = None, limit: int = 200
    ) -> list[FollowUp]: ...

    def open_followups(self, contact_id: str) -> list[FollowUp]: ...

    def complete_followup(self, followup_id: str, actor: str | None) -> bool: ...

    def callback_number(self, callback_id: str) -> str | None: ...

    # drafts
    def save_draft(
        self, draft_id: str, account_id: str | None, payload: dict[str, Any]
    ) -> None: ...

    def drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]: ...

    def delete_draft(self, draft_id: str) -> None: ...

    # retention
    def set_hold(self, contact_id: str, on_hold: bool, actor: str) -> None: ...

    def on_hold(self, contact_id: str) -> bool: ...

    # accounts
    def add_account(self, display_name: str, role: str, pin_hash: str) -> str: ...

    def list_accounts(self) -> list[Account]: ...

    def check_pin(
        self, account_id: str, pin: str, now: datetime | None = None, *, action: str = "sign-in"
    ) -> Account | None: ...

    def record_event(self, account_id: str, action: str) -> None: ...

    # the audit log
    def audit_trail(self) -> list[tuple[str, str | None, str | None, str]]: ...

    def verify_audit(self) -> list[AuditProblem]: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def writing(store: Store | RecordStore) -> AbstractContextManager[Writer]:
    """One transaction on either store: the SQLCipher `Store` (as the services have always
    been handed) or any `RecordStore`."""
    if isinstance(store, Store):
        return LocalRecords(store).writing()
    return store.writing()


def records_of(store: Store | RecordStore) -> RecordStore:
    """Either store as a `RecordStore`: the SQLCipher `Store` through `LocalRecords` (which calls
    the same `records` functions as always), any other store as it is."""
    if isinstance(store, Store):
        return LocalRecords(store)
    return store
