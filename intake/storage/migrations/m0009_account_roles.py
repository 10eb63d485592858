"""Version 9: the accounts table accepts coordinators and peer supporters.

The first migration's CHECK allowed only volunteer, supervisor and kiosk. SQLite cannot alter a
CHECK, and rebuilding `accounts` would need foreign keys switched off, which cannot happen inside
the migration's transaction. Widening a CHECK is one of the changes SQLite documents as safe to
make by editing the stored schema text (it changes no stored row and no on-disk format): the
table's SQL is rewritten and the schema version raised, all inside this transaction.
"""

from typing import Any

OLD = "CHECK (role IN ('volunteer', 'supervisor', 'kiosk'))"
NEW = "CHECK (role IN ('volunteer', 'supervisor', 'kiosk', 'coordinator', 'peer-supporter'))"


def apply(conn: Any) -> None:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'accounts'"
    ).fetchone()
    if OLD not in sql:
        raise RuntimeError("the accounts table's role check is not the one this migration widens")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'accounts'",
            (sql.replace(OLD, NEW),),
        )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
