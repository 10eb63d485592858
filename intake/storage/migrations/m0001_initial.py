"""Version 1: store metadata and accounts."""

from typing import Any

SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,          -- UUID chosen by the application
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    role         TEXT NOT NULL CHECK (role IN ('volunteer', 'supervisor', 'kiosk')),
    pin_hash     TEXT NOT NULL,
    created_at   TEXT NOT NULL,             -- ISO 8601, UTC
    UNIQUE (display_name COLLATE NOCASE)
) STRICT;
"""


def apply(conn: Any) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
