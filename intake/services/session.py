"""The gate, free of Qt: create the store on first run, unlock it, sign in, lock and unlock
the window, leave kiosk mode. The window asks; this module talks to the store.

The store driver (SQLCipher) is imported only when a store is opened or created, on the
worker thread that does it: painting the first screen does not wait for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake.accounts import Account, Role
from intake.storage.errors import StoreError
from intake.storage.location import store_exists

if TYPE_CHECKING:
    from intake.services.calls import CallDesk
    from intake.services.drafts import DraftRecords
    from intake.storage.db import Store
    from intake.storage.interface import RecordStore

__all__ = ["Session", "Store", "StoreError", "create", "store_exists", "unlock"]


class Session:
    """An open store and its accounts: what the gate and both shells work with.

    `store` is handed on to the services built for a shell (calls, drafts, kiosk visits,
    history); the windows never query it themselves."""

    shared = False  # True for the shared PostgreSQL store (intake.services.shared)

    def __init__(self, store: Store) -> None:
        self.store = store
        self.accounts: list[Account] = self._list_accounts()

    @property
    def records(self) -> Store | RecordStore:
        """What the call desk, drafts and History read and write: this file."""
        return self.store

    @property
    def draft_records(self) -> Store | RecordStore | DraftRecords:
        """Where calls in progress are autosaved: this file (on the shared store, the server
        with the local outbox to fall back on)."""
        return self.records

    def call_desk(self, account_id: str) -> CallDesk:
        from intake.services.calls import CallDesk  # noqa: PLC0415

        return CallDesk(self.store, account_id)

    def _list_accounts(self) -> list[Account]:
        from intake.storage.account_store import active_accounts  # noqa: PLC0415

        return active_accounts(self.store)

    @property
    def cipher_version(self) -> str:
        return self.store.cipher_version

    @property
    def sqlite_version(self) -> str:
        return self.store.sqlite_version

    @property
    def supervisors(self) -> list[Account]:
        return [a for a in self.accounts if a.role is Role.SUPERVISOR]

    def sign_in(
        self,
        account_id: str,
        pin: str,
        server_password: str | None = None,
        *,
        kiosk: bool = False,
    ) -> Account | None:
        """The account if the PIN is right, None if not; AccountLocked while locked out.
        (`server_password`, `kiosk`: the shared store's, `SharedSession.sign_in`; unused here.)"""
        del server_password, kiosk
        return self._check(account_id, pin, "sign-in")

    def unlock(self, account_id: str, pin: str) -> Account | None:
        """Unlocking the window after the idle lock: the same check, audited as an unlock."""
        return self._check(account_id, pin, "unlock")

    def may_leave_kiosk(
        self, account_id: str, pin: str, server_password: str | None = None
    ) -> bool:
        """Only a supervisor's right PIN ends kiosk mode (every try is audited). The server
        password is for a shared line's per-person logins (`SharedSession`); unused here."""
        del server_password
        account = self._check(account_id, pin, "kiosk-exit")
        return account is not None and account.role is Role.SUPERVISOR

    def locked(self, account_id: str) -> None:
        """Audit the window locking (idle or by hand)."""
        self._event(account_id, "lock")

    def kiosk_started(self, account_id: str) -> None:
        self._event(account_id, "kiosk-start")

    def _check(self, account_id: str, pin: str, action: str) -> Account | None:
        from intake.storage.account_store import check_pin  # noqa: PLC0415

        return check_pin(self.store, account_id, pin, action=action)

    def _event(self, account_id: str, action: str) -> None:
        from intake.storage.account_store import record_event  # noqa: PLC0415

        record_event(self.store, account_id, action)

    def close(self) -> None:
        self.store.close()


def create(
    path: Path, passphrase: str, supervisor_name: str, pin: str, on_call: str | None = None
) -> Session:
    """First run: a new encrypted store whose first account is a supervisor, with the on-call
    supervisor's contact when it was given (kept in the store, never in the settings file)."""
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.services.accounts import first_on_call_contact  # noqa: PLC0415
    from intake.storage.account_store import insert_account  # noqa: PLC0415
    from intake.storage.db import create_store  # noqa: PLC0415

    pin_hash = hash_pin(pin)

    def initialize(conn: Any) -> None:
        supervisor = insert_account(conn, supervisor_name, Role.SUPERVISOR.value, pin_hash)
        if on_call:
            first_on_call_contact(conn, supervisor, on_call)

    store = create_store(path, passphrase, initialize=initialize)
    return Session(store)


def unlock(path: Path, passphrase: str) -> Session:
    """Open an existing store with its passphrase (typed StoreError when it cannot be)."""
    from intake.storage.db import open_store  # noqa: PLC0415

    return Session(open_store(path, passphrase))
