"""An account that cannot sign in yet because the line's server has no login for it (issue 18,
"say how accounts map to server roles"). On a line whose server enforces who sees what (row-level
security), each person signs in with their own server login, mapped to their account by the
server's administrator (`intake db map-account`); until then their sign-in is refused. The
console's list says so for each such account, and gives the commands to ask for, with the
account's name filled in; a supervisor's own login may read it, a volunteer's learns nothing new.
Nothing of this on a line without row security, nor in a station's file. The real throwaway
server, per-person logins as in test_console_logins.py."""

from __future__ import annotations

import shlex
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from intake.services import accounts as console
from intake.storage.errors import NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.pg.schema import ACCOUNT_COLUMNS
from tests.conftest import PASSPHRASE
from tests.storage.conftest import make_shared_store
from tests.storage.test_console_logins import Line, _close, _make_line, _state
from tests.storage.test_db_cli import db

NEW_NAME = "Dr O'Brien-Lee"
NEW_PIN = "739251"


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    made = _make_line(pg_dsn, make_shared_store(pg_dsn))
    try:
        yield made
    finally:
        _close(made, pg_dsn)


def _needs(rows: list[console.AccountRow]) -> dict[str, bool]:
    return {row.name: row.needs_server_login for row in rows}


# One store only: the server's per-person logins (the file has none).
def test_a_new_account_is_marked_until_the_administrator_maps_its_login(
    line: Line, pg_dsn: str
) -> None:
    station, sup = line.stations["sup"], line.accounts["sup"]
    # Every account of the line has its own login mapped: none is marked.
    assert not any(_needs(console.accounts(station, sup)).values())

    new = console.add_account(station, sup, NEW_NAME, "volunteer", NEW_PIN)
    listed = {row.id: row for row in console.accounts(station, sup)}
    assert listed[new].needs_server_login
    assert [r.name for r in listed.values() if r.needs_server_login] == [NEW_NAME]
    # The owner's address (no person's login) lists the same.
    assert _needs(console.accounts(line.owner, sup)) == _needs(list(listed.values()))

    # What to ask the administrator: a login named from the account's id, never its name (the
    # server keeps login names in clear), and map-account with the name filled in, quoted.
    create, mapping = console.server_login_commands(listed[new])
    login = console.suggested_login(new)
    assert login.startswith("intake_")
    assert "brien" not in login.casefold()
    assert create == f"CREATE ROLE {login} LOGIN;\n\\password {login}"  # psql asks for it
    assert "PASSWORD" not in create
    words = shlex.split(mapping)
    assert words == ["intake", "db", "map-account", f"--name={NEW_NAME}", "--login", login]

    # The administrator runs them (the password is theirs to choose; none here): no longer marked.
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    line.logins["new"] = login  # dropped with the others' objects at the end
    done = db(*words[2:], "--server", pg_dsn, stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    assert not any(_needs(console.accounts(station, sup)).values())

    # A login that may not log in, or is out of the line's groups, signs no one in: marked.
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
        assert [r.name for r in console.accounts(station, sup) if r.needs_server_login] == [
            NEW_NAME
        ]
        admin.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(login)))
        assert not any(_needs(console.accounts(station, sup)).values())
        admin.execute(sql.SQL("REVOKE intake_volunteer FROM {}").format(sql.Identifier(login)))
        assert [r.name for r in console.accounts(station, sup) if r.needs_server_login] == [
            NEW_NAME
        ]
        admin.execute(sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(login)))

    # A login mapped once but since dropped from the server signs no one in: marked again.
    gone = f"intake_t{uuid.uuid4().hex[:8]}_gone"
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute("UPDATE accounts SET db_role = %s WHERE id = %s", (gone, new))
    assert [r.name for r in console.accounts(station, sup) if r.needs_server_login] == [NEW_NAME]


def test_a_volunteers_own_login_learns_nothing_new(line: Line) -> None:
    station, vol = line.stations["vol"], line.accounts["vol"]
    before = _state(line.owner)
    audit_before = line.owner.query("SELECT count(*) FROM audit")[0][0]
    with pytest.raises(NotAllowed):
        console.accounts(station, vol)
    with pytest.raises(NotAllowed):  # acting as a supervisor from a volunteer's login
        console.accounts(station, line.accounts["sup"])
    assert _state(line.owner) == before
    assert line.owner.query("SELECT count(*) FROM audit")[0][0] == audit_before
    # No new right on the accounts: the columns it read before, and not the PIN verifier.
    readable = {
        column
        for (column,) in station.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' "
            "AND has_column_privilege('accounts', column_name, 'SELECT')"
        )
    }
    assert readable == {c.strip() for c in ACCOUNT_COLUMNS.split(",")} | {"disabled_at"}


def test_no_marker_without_row_security_nor_in_a_stations_file(
    any_store: RecordStore, any_actor: str
) -> None:
    new = console.add_account(any_store, any_actor, NEW_NAME, "volunteer", NEW_PIN)
    listed = console.accounts(any_store, any_actor)
    assert new in {row.id for row in listed}
    assert not any(row.needs_server_login for row in listed)
