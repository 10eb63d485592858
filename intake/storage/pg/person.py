"""A person's own server login, for the signed-in session (row-level security, security.py).

A shared station opens the line's store with the address it was given (the station's login: it
reads the line key, wrapped, and the names to choose from). When row security is on, signing in
then opens a second connection as the chosen account's own login (`accounts.db_role`), with the
password of that login if this computer's PostgreSQL password file does not hold it, and the
PIN is tried on that connection: from then on the server, not the station, decides what this
session reads. Locking the window closes it.

The password is used to open the connection and kept only in this process's memory while the
person is signed in (the store opens the connection again after the server restarts); it is
never written to a file, a setting or a log.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import conninfo

from intake.i18n import N_
from intake.storage.errors import ServerUnreachable, StoreError
from intake.storage.pg.security import GROUPS


class NoServerLogin(StoreError):
    title = N_("No server login is set up for this name yet")
    advice = N_(
        "On this line each person signs in to the shared server with their own login. Ask the "
        "line's coordinator or the person who looks after the server to set yours up."
    )


class ServerPasswordNeeded(StoreError):
    asks_server_password = True  # the sign-in page shows its "Server password" field
    title = N_("Your server password is needed")
    advice = N_(
        "This computer does not keep the password of your server login. Type it in the "
        "“Server password” field, then sign in again. It is not saved."
    )


class ServerPasswordRefused(StoreError):
    asks_server_password = True
    title = N_("The shared server refused your server password")
    advice = N_(
        "Type your server password again (it is not your PIN). If it still does not work, ask "
        "the person who looks after the server."
    )


class LoginHasNoRights(StoreError):
    title = N_("Your server login cannot read this line's records")
    advice = N_(
        "The server knows your login, but it has not been given access to this line. Ask the "
        "person who looks after the server to map it to your name. Nothing was changed."
    )


def login_of(store: Any, account_id: str) -> str | None:
    """The server login `account_id` acts through (read on the station's connection); None if
    none is mapped."""
    rows = store.query("SELECT db_role FROM accounts WHERE id = %s", (account_id,))
    return str(rows[0][0]) if rows and rows[0][0] else None


def address_as(address: str, login: str, password: str | None) -> str:
    """The station's address, signing in as `login` (and with `password` when given)."""
    if password:
        return conninfo.make_conninfo(address, user=login, password=password)
    return conninfo.make_conninfo(address, user=login)


def connect_as(
    address: str, login: str, password: str | None, account_id: str
) -> tuple[str, psycopg.Connection[Any]]:
    """A connection as the person's own login, checked to act for `account_id` and to be in
    one of the line's groups; (its address, the connection). Typed StoreErrors: the password is
    needed or refused, the login has no rights here, the server cannot be reached."""
    dsn = address_as(address, login, password)
    try:
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        state, reason = exc.sqlstate or "", str(exc).lower()
        if "no password supplied" in reason or "password is required" in reason:
            raise ServerPasswordNeeded() from exc
        if state.startswith("28") or "password authentication failed" in reason:
            raise (ServerPasswordRefused() if password else ServerPasswordNeeded()) from exc
        from intake.storage.pg.store import connection_refusal  # noqa: PLC0415 - no cycle

        # A certificate not checked or a database missing is the server answering: typed as
        # such, never taken for an outage (an offline unlock is allowed only in one).
        raise connection_refusal(exc) from exc
    try:
        # A disabled account's login acts for no one (`intake_me()` is NULL): the sign-in
        # goes on so that the PIN check says "disabled" and audits it, as on a station's file.
        row = conn.execute(
            "SELECT coalesce(intake_me(), (SELECT id FROM accounts WHERE db_role = session_user "
            "AND id = %s AND disabled_at IS NOT NULL)), "
            + " OR ".join(f"pg_has_role(session_user, '{g}', 'MEMBER')" for g in GROUPS),
            (account_id,),
        ).fetchone()
    except psycopg.errors.InsufficientPrivilege as exc:
        conn.close()
        raise LoginHasNoRights() from exc
    except psycopg.Error as exc:
        conn.close()
        raise ServerUnreachable() from exc
    if row is None or row[0] != account_id or not row[1]:
        conn.close()
        raise LoginHasNoRights()
    return dsn, conn
