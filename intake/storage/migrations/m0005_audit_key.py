"""Version 5: a keyed audit chain and the store's identity, for the head file beside it.

- `audit_key`: 32 random bytes; rows from `audit_keyed_from` on are chained with HMAC-SHA256
  under it (earlier rows keep their SHA-256 chain). It lives in the encrypted store, so it is
  kept through rekey, backup and restore, and only someone with the passphrase can read it.
- `store_id`: a random id, so another store put in place of this one is recognised.
- `generation`: raised each time the store is opened for use, and mirrored in the head file, so
  an older copy of this store put back is recognised even when no audit row was added since.
"""

import secrets
import uuid
from typing import Any


def apply(conn: Any) -> None:
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
    counter = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    keyed_from = max(int(last), int(counter[0]) if counter else 0) + 1
    conn.executemany(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
        [
            ("audit_key", secrets.token_hex(32)),
            ("audit_keyed_from", str(keyed_from)),
            ("store_id", str(uuid.uuid4())),
            ("generation", "0"),
        ],
    )
