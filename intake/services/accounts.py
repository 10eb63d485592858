"""The supervisor console's actions, free of Qt: accounts (add, disable, reset a PIN, see and
clear a lockout), the on-call supervisor's contact, the idle lock time, the retention period and
the kiosk's policy (kept in the encrypted store, not the settings file), and a legal hold on a
record.

What each setting does is read here too, so the window that uses it and the console that sets
it cannot disagree: `idle_minutes` (the main window's idle lock), the retention period (read by
`intake.storage.retention.purge`, behind `intake db purge`, from the same key), `kiosk_policy`
(the kiosk's timers and staff alert) and `on_call_contact` (the crisis route).

Every action checks, inside its own transaction, that the actor is a supervisor, and is audited
("console" with a code, never a name, PIN or number). Refusals raise `NotAllowed`.

Both stores: the SQLCipher file through the SQL below, the shared server through
`intake.storage.pg.console` (the settings in their own table, the on-call contact sealed on the
station; the same refusals, under the server's row locks).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from intake.i18n import N_
from intake.passphrase import pin_problem
from intake.pins import hash_pin
from intake.settings import STAFF_ALERTS, Settings, SettingsFile
from intake.storage import audit
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.errors import MAX_NAME_LENGTH, NotAllowed, StoreError
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.records import set_hold

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore

# The file (a SQLCipher `Store`, or the interface's `LocalRecords` around it) or the server.
AnyStore = Store | RecordStore

# Every account role but the kiosk's (a kiosk account is made by setting up a kiosk).
ADDABLE_ROLES = ("volunteer", "supervisor", "coordinator", "peer-supporter")
IDLE_RANGE = (1, 720)  # minutes, as the settings file allowed
RETENTION_RANGE = (30, 3650)  # days
ON_CALL_KEY = "on_call_contact"
IDLE_KEY = "idle_lock_minutes"
RETENTION_KEY = "retention_days"
# The kiosk's policy: how long before an unattended visit is wiped, and how the staff are
# alerted. Policy for the whole program, so in the encrypted store (older stations kept it in
# the settings file, which is still read until a supervisor saves it here). Where the kiosk
# stands (its province) and its first language belong to the machine and stay in the file.
KIOSK_RANGES = {
    "kiosk_idle_seconds": (15, 3600),
    "kiosk_countdown_seconds": (5, 300),
    "kiosk_crisis_idle_seconds": (300, 14400),
}
STAFF_ALERT_KEY = "kiosk_staff_alert"


class ConsoleError(StoreError):
    pass


class BadName(ConsoleError):
    # The title's figure is MAX_NAME_LENGTH (a test keeps them together).
    title = N_("Type a name (at most 100 characters) that no other account uses")
    advice = N_("Nothing was added.")


class BadPin(ConsoleError):
    title = N_("Choose a PIN of digits that is not easy to guess")
    advice = N_("Avoid repeats and runs such as 1111 or 1234. Nothing was changed.")


class OutOfRange(ConsoleError):
    title = N_("That value is outside what is allowed")
    advice = N_("Idle lock: 1 to 720 minutes. Retention: 30 to 3,650 days. Nothing was changed.")


class KioskOutOfRange(ConsoleError):
    title = N_("A kiosk time is outside what is allowed")
    advice = N_(
        "“Are you still there?”: 15 to 3,600 seconds (300 to 14,400 on the crisis screen); "
        "wiped after a further 5 to 300 seconds. Nothing was changed."
    )


class CannotDisableSelf(ConsoleError):
    title = N_("You cannot disable your own account")
    advice = N_("Ask another supervisor. Nothing was changed.")


class LastSupervisor(ConsoleError):
    title = N_("This is the last supervisor who can sign in")
    advice = N_("Add or enable another supervisor first. Nothing was changed.")


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    role: str
    failed_pins: int
    locked_until: str | None
    disabled: bool = False
    # On a line whose server enforces who sees what (row-level security), each person signs in
    # with their own server login: True while none is mapped to this account (it cannot sign in
    # yet). Always False in a station's file and on a server without row security.
    needs_server_login: bool = False


def suggested_login(account_id: str) -> str:
    """A name for the account's own server login, made from its id, never from the person's
    name: the server keeps login names in clear, as it keeps no name of the line's people."""
    return "intake_" + "".join(c for c in account_id.casefold() if c.isalnum())[:12]


def server_login_commands(row: AccountRow) -> tuple[str, str]:
    """What the server's administrator runs so `row` can sign in: the login made (in psql; its
    password typed at psql's own prompt, `\\password`, never echoed nor kept in the history, and
    given to the person in confidence), then mapped to the account with the line owner's
    address (`intake db map-account`, the name filled in and quoted for a POSIX shell, after
    `=` so that a name starting with "-" is still the name). Never a password (a placeholder
    pasted as it is would become one that anybody can read here), never the station's
    address."""
    login = suggested_login(row.id)
    return (
        f"CREATE ROLE {login} LOGIN;\n\\password {login}",
        f"intake db map-account --name={shlex.quote(row.name)} --login {login}",
    )


def station_is_owner(store: AnyStore) -> bool:
    """Whether this station reaches the shared server with the line owner's login (or a
    superuser's): the server then does not limit what each person at it sees, whatever row
    security says (the owner is not subject to it). False on a station's file."""
    server = _on_server(store)
    return bool(server is not None and server.opened_as_owner)


def _on_server(store: AnyStore) -> PgStore | None:
    if isinstance(store, (Store, LocalRecords)):
        return None
    return cast("PgStore", store)


def file_store(store: AnyStore) -> Store | None:
    """The SQLCipher file behind `store`; None on the shared server (for the parts of the
    console kept in the file only: the directory checks)."""
    return None if _on_server(store) is not None else _file(store)


def _file(store: AnyStore) -> Store:
    return store.store if isinstance(store, LocalRecords) else cast(Store, store)


def _refused(code: str | None) -> None:
    """A refusal from the server's part, as the file's typed errors."""
    if code == "self":
        raise CannotDisableSelf()
    if code == "last-supervisor":
        raise LastSupervisor()
    if code == "taken":
        raise BadName()
    if code is not None:
        raise NotAllowed()


def _supervisor(conn: Any, actor: str) -> None:
    row = conn.execute("SELECT role, disabled_at FROM accounts WHERE id = ?", (actor,)).fetchone()
    if row is None or row[0] != "supervisor" or row[1] is not None:
        raise NotAllowed()  # a supervisor disabled since their window opened included


def accounts(store: AnyStore, actor: str) -> list[AccountRow]:
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415 - psycopg on demand

        listed = console.accounts(server, actor)
        if listed is None:
            raise NotAllowed()
        return [AccountRow(*r) for r in listed]
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        rows = conn.execute(
            "SELECT id, display_name, role, failed_pins, locked_until, disabled_at IS NOT NULL "
            "FROM accounts ORDER BY display_name COLLATE NOCASE"
        ).fetchall()
        audit.append(conn, actor, "console", None, "accounts-listed")
    return [AccountRow(r[0], r[1], r[2], int(r[3]), r[4], bool(r[5])) for r in rows]


def set_disabled(store: AnyStore, actor: str, account_id: str, disabled: bool) -> None:
    """Disable an account (it can no longer sign in or unlock; its history stays) or enable it
    again. Never your own account, nor the last supervisor who can sign in (nobody could run
    the console any more). Audited."""
    if disabled and account_id == actor:
        raise CannotDisableSelf()
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        _refused(console.set_disabled(server, actor, account_id, disabled))
        return
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        row = conn.execute("SELECT role FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise NotAllowed()
        if disabled and row[0] == "supervisor":
            others = conn.execute(
                "SELECT count(*) FROM accounts WHERE role = 'supervisor' "
                "AND disabled_at IS NULL AND id != ?",
                (account_id,),
            ).fetchone()[0]
            if not others:
                raise LastSupervisor()
        changed = conn.execute(
            "UPDATE accounts SET disabled_at = ? WHERE id = ? AND (disabled_at IS NULL) = ?",
            (datetime.now(UTC).isoformat() if disabled else None, account_id, int(disabled)),
        ).rowcount
        if changed:
            action = "account-disabled" if disabled else "account-enabled"
            audit.append(conn, actor, "console", account_id, action)


def add_account(store: AnyStore, actor: str, name: str, role: str, pin: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME_LENGTH:
        raise BadName()
    if role not in ADDABLE_ROLES:
        raise ValueError(f"role {role!r} cannot be added")
    if pin_problem(pin) is not None:
        raise BadPin()
    pin_hash = hash_pin(pin)  # slow: outside the transaction
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        added, refusal = console.add_account(server, actor, clean, role, pin_hash)
        _refused(refusal)
        assert added is not None
        return added
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        taken = conn.execute(
            "SELECT 1 FROM accounts WHERE display_name = ? COLLATE NOCASE", (clean,)
        ).fetchone()
        if taken:
            raise BadName()
        account_id = insert_account(conn, clean, role, pin_hash)
        audit.append(conn, actor, "console", account_id, f"account-added role={role}")
    return account_id


def reset_pin(store: AnyStore, actor: str, account_id: str, pin: str) -> None:
    """A new PIN (given to the person in confidence); clears the lockout too."""
    if pin_problem(pin) is not None:
        raise BadPin()
    pin_hash = hash_pin(pin)
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        _refused(console.reset_pin(server, actor, account_id, pin_hash))
        return
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        changed = conn.execute(
            "UPDATE accounts SET pin_hash = ?, failed_pins = 0, locked_until = NULL "
            "WHERE id = ? AND role != 'kiosk'",
            (pin_hash, account_id),
        ).rowcount
        if not changed:
            raise NotAllowed()
        audit.append(conn, actor, "console", account_id, "pin-reset")


def clear_lockout(store: AnyStore, actor: str, account_id: str) -> None:
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        _refused(console.clear_lockout(server, actor, account_id))
        return
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        conn.execute(
            "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = ?", (account_id,)
        )
        audit.append(conn, actor, "console", account_id, "lockout-cleared")


def _set(conn: Any, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def setting(store: AnyStore, key: str) -> str | None:
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        return console.setting(server, key)
    rows = _file(store).query("SELECT value FROM meta WHERE key = ?", (key,))
    return str(rows[0][0]) if rows else None


def _write(store: AnyStore, actor: str, values: dict[str, str | None], detail: str) -> None:
    """Set the console's `values` (None deletes one) as `actor`, a supervisor; audited."""
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        _refused(console.write_settings(server, actor, values, detail))
        return
    with _file(store).transaction() as conn:
        _supervisor(conn, actor)
        for key, value in values.items():
            _set(conn, key, value)
        audit.append(conn, actor, "console", None, detail)


def set_on_call_contact(store: AnyStore, actor: str, contact: str | None) -> None:
    """Who volunteers call for support (a name and a number), shown on the crisis route."""
    text = (contact or "").strip() or None
    if text is not None and len(text) > MAX_NAME_LENGTH:
        raise BadName()
    _write(store, actor, {ON_CALL_KEY: text}, "on-call-contact-set")


def first_on_call_contact(conn: Any, supervisor: str, contact: str) -> None:
    """At first run, inside the transaction that creates the store (audited as the console's
    setting is)."""
    text = contact.strip()
    if not text or len(text) > MAX_NAME_LENGTH:
        raise BadName()
    _set(conn, ON_CALL_KEY, text)
    audit.append(conn, supervisor, "console", None, "on-call-contact-set")


def move_on_call_contact(store: AnyStore, settings_file: SettingsFile) -> None:
    """A station set up before the console (or a shared line's first station, whose server did
    not hold it) kept the on-call contact (a name and a number) in its plaintext settings file:
    move it into the encrypted store, or sealed onto the shared server (unless a supervisor has
    set one there since), and take it out of the file. Audited without the contact. On the
    server the window calls this at a supervisor's sign-in; if the server cannot be reached the
    file keeps it (StoreError raised), for the crisis route to read."""
    settings = settings_file.load()
    text = (settings.on_call_contact or "").strip()
    if not text:
        return
    if len(text) > MAX_NAME_LENGTH:
        return  # the store would refuse it: left in the file, which the crisis route reads
    if (server := _on_server(store)) is not None:
        from intake.storage.pg import console  # noqa: PLC0415

        refused = console.write_settings(
            server, None, {ON_CALL_KEY: text}, "on-call-contact-moved", unless_set=True
        )
        if refused is not None:
            return  # this login may not write it: the file keeps it, for the crisis route

    elif on_call_contact(store) is None:
        with _file(store).transaction() as conn:
            _set(conn, ON_CALL_KEY, text)
            audit.append(conn, None, "console", None, "on-call-contact-moved")
    settings_file.save(replace(settings, on_call_contact=None))


def on_call_contact(store: AnyStore) -> str | None:
    return setting(store, ON_CALL_KEY)


def _stored_int(store: AnyStore, key: str, low: int, high: int) -> int | None:
    value = setting(store, key)
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def idle_minutes(store: AnyStore) -> int | None:
    """The idle lock time the console saved (None: not set here; the settings file's then)."""
    return _stored_int(store, IDLE_KEY, *IDLE_RANGE)


def retention_days(store: AnyStore) -> int | None:
    return _stored_int(store, RETENTION_KEY, *RETENTION_RANGE)


@dataclass(frozen=True)
class KioskPolicy:
    idle_seconds: int
    countdown_seconds: int
    crisis_idle_seconds: int
    staff_alert: str  # STAFF_ALERTS


def stored_kiosk_settings(store: AnyStore) -> dict[str, Any]:
    """The kiosk settings a supervisor saved in the console, by their settings-file names (what
    is not there was not set here)."""
    values: dict[str, Any] = {}
    for key, (low, high) in KIOSK_RANGES.items():
        number = _stored_int(store, key, low, high)
        if number is not None:
            values[key] = number
    alert = setting(store, STAFF_ALERT_KEY)
    if alert in STAFF_ALERTS:
        values[STAFF_ALERT_KEY] = alert
    return values


def kiosk_policy(store: AnyStore, fallback: Settings) -> KioskPolicy:
    """The kiosk's timers and staff alert: the store's, else (an older station) the file's."""
    merged = replace(fallback, **stored_kiosk_settings(store))
    return KioskPolicy(
        merged.kiosk_idle_seconds,
        merged.kiosk_countdown_seconds,
        merged.kiosk_crisis_idle_seconds,
        merged.kiosk_staff_alert,
    )


def set_kiosk_policy(store: AnyStore, actor: str, policy: KioskPolicy) -> None:
    chosen = {
        "kiosk_idle_seconds": policy.idle_seconds,
        "kiosk_countdown_seconds": policy.countdown_seconds,
        "kiosk_crisis_idle_seconds": policy.crisis_idle_seconds,
    }
    if any(not low <= chosen[k] <= high for k, (low, high) in KIOSK_RANGES.items()):
        raise KioskOutOfRange()
    if policy.staff_alert not in STAFF_ALERTS:
        raise ValueError(f"unknown staff alert {policy.staff_alert!r}")
    values: dict[str, str | None] = {key: str(value) for key, value in chosen.items()}
    values[STAFF_ALERT_KEY] = policy.staff_alert
    _write(store, actor, values, "kiosk-policy")


def set_idle_minutes(store: AnyStore, actor: str, minutes: int) -> None:
    if not IDLE_RANGE[0] <= minutes <= IDLE_RANGE[1]:
        raise OutOfRange()
    _write(store, actor, {IDLE_KEY: str(minutes)}, f"idle-lock minutes={minutes}")


def set_retention_days(store: AnyStore, actor: str, days: int) -> None:
    """The retention period; on the server, the one its purge reads (`PgStore.purge`)."""
    if not RETENTION_RANGE[0] <= days <= RETENTION_RANGE[1]:
        raise OutOfRange()
    _write(store, actor, {RETENTION_KEY: str(days)}, f"retention days={days}")


def hold_record(store: AnyStore, actor: str, contact_id: str, on_hold: bool) -> None:
    """A legal hold keeps the record out of retention purges (supervisors only, audited)."""
    if (server := _on_server(store)) is not None:
        server.set_hold(contact_id, on_hold, actor)
        return
    set_hold(_file(store), contact_id, on_hold, actor)
