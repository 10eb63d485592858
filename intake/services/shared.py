"""The gate and the phone line on the shared PostgreSQL store, free of Qt.

`SharedSession` is the `Session` a station gets when it works on the line's server instead of a
file on this computer: the same sign-in, lock and audit, with the server's accounts. Saving a
call goes through the local encrypted outbox (`intake.services.outbox`): when the server cannot
be reached the call waits, sealed, on this computer, and is delivered without duplicates when
it answers again. `status()` says which, for the header.

Every screen's services now use the server. A screen named in `NOT_ON_SERVER` (none today)
would reach for `store`, the SQLCipher file, and get `NotOnServer`, a typed error that explains
itself; the main window shows such screens disabled in the first place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from intake.accounts import Account, Role
from intake.services.calls import CallDesk, CallSnapshot
from intake.services.kiosk_exit import OfflineKioskExit
from intake.services.offline_unlock import OfflineUnlock
from intake.services.outbox import Outbox, OutboxDrafts, save_or_queue
from intake.services.session import Session
from intake.services.waiting import Waiting
from intake.services.worklist_watch import WorklistWatch
from intake.storage.errors import (
    NotOnServer,
    ServerUnreachable,
    StoreExists,
    server_did_not_answer,
)

if TYPE_CHECKING:
    from psycopg import Connection

    from intake.settings import SettingsFile
    from intake.storage.db import Store
    from intake.storage.interface import RecordStore
    from intake.storage.pg.store import PgStore

# The screens that still read the SQLCipher file directly: shown disabled on the server.
NOT_ON_SERVER: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ServerStatus:
    connected: bool
    waiting: int  # calls, kiosk visits and ratings kept in the outbox on this computer
    set_aside: int  # outbox files that could not be delivered (damaged or refused)
    # The on-call supervisor's contact the console keeps on the server, as read with this check
    # (None: not set there, or not read): a change reaches the crisis route of the next call.
    on_call_contact: str | None = None
    on_call_read: bool = False  # whether it was read (None then means: cleared in the console)
    # The same by kind, for saying what waits as it is (calls, kiosk visits, the requests for
    # a peer supporter among them, ratings); `waiting` and `set_aside` are their totals.
    kept: Waiting = field(default=Waiting(), compare=False)
    kept_aside: Waiting = field(default=Waiting(), compare=False)


class SharedCallDesk(CallDesk):
    """Saves on the server, or in the outbox while the server cannot be reached."""

    def __init__(self, store: PgStore, outbox: Outbox, account_id: str) -> None:
        super().__init__(store, account_id)
        self._pg = store
        self._outbox = outbox
        self.last: Literal["saved", "queued"] | None = None

    def save(self, snap: CallSnapshot) -> str:
        self.last = save_or_queue(self._pg, self._outbox, snap, self._account_id)
        return snap.contact_id

    def followups_due(self, by_utc: str, *, everyone: bool = False) -> int:
        try:
            return super().followups_due(by_utc, everyone=everyone)
        except ServerUnreachable:
            return 0  # the header says the server cannot be reached


class SharedSession(Session):
    """An open shared store (the line key unwrapped on this station) and its accounts."""

    shared = True

    def __init__(self, store: PgStore, outbox: Outbox) -> None:
        self.pg = store
        self.outbox = outbox
        self.accounts = store.list_accounts()
        # The station's own address and connection while a person's own login is in use
        # (row-level security: `_sign_in_as_person`); None otherwise.
        self.address = store.dsn
        self._station: tuple[str, Connection[Any]] | None = None
        self._password: tuple[str, str] | None = None  # (account, server password): memory only
        self._watches: list[WorklistWatch] = []
        # The kiosk starter's PIN verifier, for leaving kiosk mode during an outage: memory only.
        self._offline_exit: OfflineKioskExit | None = None
        # The signed-in person's PIN verifier, for unlocking during an outage: memory only.
        self._offline_unlock: OfflineUnlock | None = None
        self._offline_account: Account | None = None

    def watch_worklist(self, on_change: Callable[[], None]) -> WorklistWatch:
        """Hear the line's worklist change (`intake.services.worklist_watch`); `on_change` is
        called from the watch's own thread. Stopped by `close`, or by its own `stop`."""
        watch = WorklistWatch(self.address, on_change)  # the station's login: no password
        self._watches.append(watch)
        watch.start()
        return watch

    @property
    def store(self) -> Store:
        """The SQLCipher file the older screens read: there is none on a shared server."""
        raise NotOnServer()

    @store.setter
    def store(self, _value: Store) -> None:
        raise NotOnServer()

    @property
    def records(self) -> Store | RecordStore:
        return self.pg

    @property
    def draft_records(self) -> OutboxDrafts:
        """Autosaves go to the server, or wait sealed in the outbox while it cannot be reached
        (delivered with the calls that wait, by `status`)."""
        return OutboxDrafts(self.pg, self.outbox)

    def call_desk(self, account_id: str) -> CallDesk:
        return SharedCallDesk(self.pg, self.outbox, account_id)

    @property
    def cipher_version(self) -> str:
        return ""  # no SQLCipher here: the About box names the server instead

    @property
    def sqlite_version(self) -> str:
        return f"PostgreSQL {self.server_version}"

    @property
    def server_version(self) -> str:
        number = int(self.pg.server_version)
        return f"{number // 10000}.{number % 10000}"

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
        """As the file's; when the server enforces who sees what (row-level security), the PIN
        is tried on a connection as the person's own server login, which this session then
        works through (`intake.storage.pg.person`): typed errors when no login is mapped, its
        password is needed or refused, or it has no rights on this line.

        `kiosk`: this sign-in starts kiosk mode. A supervisor's PIN the server has just accepted
        is then kept as a salted hash, in memory only, so that they can end kiosk mode while
        the server cannot be reached (`intake.services.kiosk_exit`). Otherwise (the phone line)
        the PIN the server has just accepted is kept the same way for the person who signed in,
        so that they can unlock the station while the server cannot be reached
        (`intake.services.offline_unlock`)."""
        account = self._as_person(account_id, pin, "sign-in", server_password)
        self._forget_offline_exit()
        if kiosk and account is not None and account.role is Role.SUPERVISOR:
            self._offline_exit = OfflineKioskExit(account.id, account.display_name, pin)
        elif not kiosk and account is not None:
            self._offline_unlock = OfflineUnlock(account.id, account.display_name, pin)
            self._offline_account = account
        return account

    @property
    def offline_unlock_name(self) -> str | None:
        """Who can unlock this station while the server cannot be reached (None: nobody)."""
        return self._offline_unlock.name if self._offline_unlock is not None else None

    def unlock(self, account_id: str, pin: str) -> Account | None:
        """Unlocking after the idle lock: the person's login is opened again, with the server
        password typed at sign-in (kept in this process's memory only, for the one who typed
        it, until another person signs in or the application closes: never written)."""
        kept = self._password if self._password and self._password[0] == account_id else None
        try:
            return self._as_person(account_id, pin, "unlock", kept[1] if kept else None)
        except ServerUnreachable as exc:
            # The server cannot check any PIN now: the person who signed in may unlock with
            # the verifier kept from their sign-in (`OnlySignedInPerson` for anyone else; wrong
            # tries counted and locked here as on the server). Not audited on the server. A
            # server that answered and refused (a certificate, a login) is not an outage.
            offline = self._offline_unlock
            if offline is None or not server_did_not_answer(exc):
                raise
            return self._offline_account if offline.check(account_id, pin) else None

    def locked(self, account_id: str) -> None:
        """Audit the lock, then close the person's own connection (the station's is used until
        someone signs in or unlocks again)."""
        self._event(account_id, "lock")
        self._back_to_station()

    def _as_person(
        self, account_id: str, pin: str, action: str, password: str | None
    ) -> Account | None:
        # The outbox checks whose login is in use, then sends: switching logins in between
        # would send a call on a login the server refuses for it. The switch waits for it.
        with self.outbox.lock:
            return self._switch_to_person(account_id, pin, action, password)

    def _switch_to_person(
        self, account_id: str, pin: str, action: str, password: str | None
    ) -> Account | None:
        if not self.pg.row_security or self.pg.session_account == account_id:
            return self._check(account_id, pin, action)
        from intake.storage.pg import person  # noqa: PLC0415 - row-level security only

        self._back_to_station()
        login = person.login_of(self.pg, account_id)
        if login is None:
            raise person.NoServerLogin()
        dsn, conn = person.connect_as(self.address, login, password, account_id)
        self._station = self.pg.use_connection(dsn, conn)
        try:
            account = self._check(account_id, pin, action)
        except BaseException:
            self._back_to_station()
            raise
        if account is None:
            self._back_to_station()
        elif action == "sign-in":
            self._password = (account_id, password) if password else None
        return account

    def may_leave_kiosk(
        self, account_id: str, pin: str, server_password: str | None = None
    ) -> bool:
        """Any supervisor of the line ends kiosk mode with their own PIN, checked by the server
        (`_may_leave_on_server`). While the server cannot be reached, only the supervisor who
        started kiosk mode may, with their PIN checked against the verifier kept in memory at
        that sign-in (`intake.services.kiosk_exit`: another account gets `OnlyKioskStarter`,
        wrong tries lock as on the server). Such an exit is not audited on the server (the
        kiosk closes before it answers again); nothing of it is logged or written here."""
        try:
            return self._may_leave_on_server(account_id, pin, server_password)
        except ServerUnreachable as exc:
            if self._offline_exit is None or not server_did_not_answer(exc):
                raise
            return self._offline_exit.check(account_id, pin)

    def _may_leave_on_server(
        self, account_id: str, pin: str, server_password: str | None = None
    ) -> bool:
        """Any supervisor of the line ends kiosk mode with their own PIN. When the server
        enforces who sees what, the kiosk works through the login of whoever started it, and
        the server's PIN function lets a login try only its own account: another person's PIN
        is tried on a short-lived connection as that person's own login (with their server
        password where it needs one, as at sign-in), closed at once; the kiosk's connection is
        left as it was. A wrong PIN counts on the server as any other (the lockout's rules);
        nothing of the PIN, the password or the name is logged."""
        if not self.pg.row_security or self.pg.session_account == account_id:
            return super().may_leave_kiosk(account_id, pin)
        from intake.storage.pg import person  # noqa: PLC0415 - row-level security only
        from intake.storage.pg.store import PgStore  # noqa: PLC0415

        login = person.login_of(self.pg, account_id)
        if login is None:
            raise person.NoServerLogin()
        dsn, conn = person.connect_as(self.address, login, server_password, account_id)
        try:
            theirs = PgStore(dsn, conn, self.pg.line_keys)
        except BaseException:
            conn.close()  # (the server stopped answering between the two): not left open
            raise
        try:
            account = theirs.check_pin(account_id, pin, action="kiosk-exit")
        finally:
            theirs.close()
        return account is not None and account.role is Role.SUPERVISOR

    @property
    def kiosk_starter(self) -> str | None:
        """The name of the supervisor who may end kiosk mode while the server cannot be
        reached (None: nobody can then, this session did not start kiosk mode)."""
        return self._offline_exit.name if self._offline_exit is not None else None

    def _forget_offline_exit(self) -> None:
        if self._offline_exit is not None:
            self._offline_exit.forget()
            self._offline_exit = None
        if self._offline_unlock is not None:
            self._offline_unlock.forget()
            self._offline_unlock = None

    def _back_to_station(self) -> None:
        with self.outbox.lock:  # not while a delivery is under way (`_as_person`)
            if self._station is None:
                return
            (dsn, conn), self._station = self._station, None
            _person_dsn, person_conn = self.pg.use_connection(dsn, conn)
        person_conn.close()

    def _check(self, account_id: str, pin: str, action: str) -> Account | None:
        return self.pg.check_pin(account_id, pin, action=action)

    def _event(self, account_id: str, action: str) -> None:
        self.pg.record_event(account_id, action)

    def status(self) -> ServerStatus:
        """Deliver what waits if the server answers, then say where things stand. Runs on a
        worker thread (the header asks every few seconds and after each save)."""
        from intake.services.accounts import on_call_contact  # noqa: PLC0415 - no import cycle

        connected = self.pg.ping()
        on_call, read = None, False
        if connected:
            try:
                self.outbox.deliver(self.pg)
                on_call, read = on_call_contact(self.pg), True
            except ServerUnreachable:
                connected = False
        kept, aside = self.outbox.what_waits(), self.outbox.set_aside_kinds()
        return ServerStatus(connected, kept.items, aside.items, on_call, read, kept, aside)

    def close(self) -> None:
        for watch in self._watches:
            watch.stop()
        self._watches.clear()
        self._password = None
        self._forget_offline_exit()
        # Both connections closed as they are: switching back to the station's first would ask
        # the server who it is, and closing must not fail while the server cannot be reached
        # (kiosk mode ended during an outage on a line with per-person logins).
        with self.outbox.lock:
            station, self._station = self._station, None
            self.pg.close()
        if station is not None:
            station[1].close()  # (psycopg's close does not raise on a lost connection)


def outbox_for(store: PgStore, folder: Path) -> Outbox:
    return Outbox(folder, store.line_keys)


def unlock_shared(address: str, passphrase: str, outbox_folder: Path) -> SharedSession:
    """Open the line's shared store with the line passphrase (typed StoreError when it cannot
    be: the server cannot be reached, TLS is missing, the passphrase is wrong)."""
    from intake.storage.pg.store import open_shared_store  # noqa: PLC0415 - psycopg on demand

    store = open_shared_store(address, passphrase)
    return SharedSession(store, outbox_for(store, outbox_folder))


def create_shared(
    address: str, passphrase: str, supervisor_name: str, pin: str, outbox_folder: Path
) -> tuple[SharedSession, bool]:
    """First run on a shared server: create the line's store with its first supervisor; or,
    when the server already holds the line's store, open it with the line passphrase (the
    station joins the line; the name and PIN typed are not used). True when it was created."""
    from intake.pins import hash_pin  # noqa: PLC0415
    from intake.storage.pg.store import add_supervisor, create_shared_store  # noqa: PLC0415

    try:
        store = create_shared_store(
            address, passphrase, initialize=add_supervisor(supervisor_name, hash_pin(pin))
        )
    except StoreExists:
        return unlock_shared(address, passphrase, outbox_folder), False
    return SharedSession(store, outbox_for(store, outbox_folder)), True


def address_problem(address: str) -> tuple[str, str] | None:
    """What is wrong with a shared server's address typed at set-up, as (title, advice) in the
    person's language; None if it can be used. Refused: one that cannot be read, one that
    reaches another computer without TLS, one that holds a password."""
    from intake.i18n import _  # noqa: PLC0415
    from intake.storage.errors import StoreError  # noqa: PLC0415
    from intake.storage.pg.store import check_connection_string  # noqa: PLC0415

    try:
        params = check_connection_string(address)
    except StoreError as exc:
        return exc.explain()
    if params.get("password"):
        return (
            _("The server's password must not be in its address"),
            _(
                "Keep it in the PostgreSQL password file (~/.pgpass) of this computer's account, "
                "and type the address without it."
            ),
        )
    return None


def check_server(address: str) -> Literal["ready", "empty"]:
    """Try the shared server at `address` now, as the station would at its next start: the
    address's rules first (`address_problem`), then a connection (TLS as the address asks; a
    certificate that cannot be checked is said as such), then whether it holds the line's
    store ("ready") or not yet ("empty"). Nothing is written; no passphrase is needed. A
    typed StoreError says what went wrong."""
    import psycopg  # noqa: PLC0415 - only when a supervisor tests an address

    from intake.storage.pg.store import _connect  # noqa: PLC0415

    # _connect says which refusal it was (certificate, sign-in, no such database: each a
    # typed ServerUnreachable) or that the server cannot be reached.
    conn = _connect(address)
    try:
        row = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
    except psycopg.Error as exc:
        raise ServerUnreachable() from exc
    finally:
        conn.close()
    return "ready" if row and row[0] else "empty"


def choose_store(settings_file: SettingsFile, address: str | None) -> None:
    """Keep this station's choice for its next start: the line's shared server at `address`
    (refused with ValueError if `address_problem` finds one), or None: the encrypted file on
    this computer. The settings file holds the address only, never a password."""
    from dataclasses import replace  # noqa: PLC0415

    if address is not None and address_problem(address) is not None:
        raise ValueError("refused server address")
    settings_file.save(replace(settings_file.load(), server=address))
