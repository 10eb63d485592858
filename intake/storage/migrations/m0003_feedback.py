"""Version 3: de-identified feedback ("was this useful?") from the kiosk and the phone line.

Deliberately not linked to a contact, and dated to the day: a rating must never lead back to the
person who gave it.
"""

from typing import Any

STATEMENTS = [
    """CREATE TABLE feedback (
        id       TEXT PRIMARY KEY,
        day      TEXT NOT NULL,
        channel  TEXT NOT NULL CHECK (channel IN ('phone', 'kiosk')),
        language TEXT NOT NULL CHECK (language IN ('en', 'fr')),
        rating   INTEGER CHECK (rating BETWEEN 1 AND 5),
        found    INTEGER CHECK (found IN (0, 1)),
        CHECK (rating IS NOT NULL OR found IS NOT NULL)
    ) STRICT""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
