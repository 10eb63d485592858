"""Moving a station's file into the shared store as a coordinator expects: one person, one
account (`intake db move-to-server`). Into an empty database the line's store is created from
the file, in one transaction, with the file's accounts and no other; into an existing store,
account names the server already has for another account are found first, so the move can be
refused before anything is written."""

from __future__ import annotations

from intake.storage.db import Store
from intake.storage.pg.move import move_file_to_server
from intake.storage.pg.store import PgStore, PgWriter, _connect, create_shared_store


def names_taken(file: Store, shared: PgStore) -> list[str]:
    """The file's account names that another account on the server already has (compared as
    the console compares them, case folded; the same account, moved before, does not count).
    The server cannot tell whether two accounts of one name are one person, and the sign-in
    list would show both."""
    server = {a.display_name.casefold(): a.id for a in shared.list_accounts()}
    return sorted(
        str(name)
        for account_id, name in file.query("SELECT id, display_name FROM accounts")
        if server.get(str(name).casefold(), account_id) != account_id
    )


def shared_store_exists(dsn: str) -> bool:
    """Whether the database at `dsn` holds the line's shared store already."""
    conn = _connect(dsn)
    try:
        row = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
    finally:
        conn.close()
    return bool(row and row[0])


def create_from_file(file: Store, dsn: str, passphrase: str) -> dict[str, int]:
    """Create the shared store at `dsn` (an empty database) with the line passphrase, holding
    the file's records and accounts, no other: the line's people keep their one account each,
    with their PIN. One transaction: the move runs inside the creation's (a savepoint), so on
    any failure the database stays empty."""
    added: dict[str, int] = {}

    def fill(w: PgWriter) -> None:
        inside = PgStore(dsn, w.conn, w.keys)  # the creation's connection and transaction
        added.update(move_file_to_server(file, inside, None))

    create_shared_store(dsn, passphrase, initialize=fill).close()
    return added
