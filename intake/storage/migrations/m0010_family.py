"""Version 10: whether a call or kiosk visit was about a physician in the caller's family.

Beside `about_colleague`: History and reports can tell a family member's call from a physician's
own (a worried spouse is not a colleague). Rows saved before this version say 0: the fact was not
kept then.
"""

from typing import Any


def apply(conn: Any) -> None:
    conn.execute(
        "ALTER TABLE contacts ADD COLUMN about_family INTEGER NOT NULL DEFAULT 0"
        " CHECK (about_family IN (0, 1))"
    )
