"""The store's head, mirrored in a small file beside it (`store.db.head`).

The head is (store id, generation, last audit row, its hash), sealed with an HMAC under the
store's audit key. Every open for use raises the generation; every transaction that adds audit
rows rewrites the file. At the next open the file and the store must agree:

- another store's id, or a seal that does not verify: another store was put in place;
- a lower generation or fewer audit rows than the head: an older copy, or a cut tail;
- a different hash at the head's row: the tail was rewritten.

A store AHEAD of its head is normal (a crash between a commit and the file's update). A
deliberate restore or move is accepted with `intake db accept`, which rewrites the head.
What this cannot stop is said in docs/storage.md: someone who holds the passphrase and both
files can rewrite both consistently.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from intake.storage import errors

SUFFIX = ".head"


@dataclass(frozen=True)
class Head:
    store_id: str
    generation: int
    seq: int
    hash: str


def head_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + SUFFIX)


def _meta(conn: Any) -> dict[str, str]:
    return dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('audit_key', 'store_id', 'generation')"
        ).fetchall()
    )


def current(conn: Any) -> tuple[Head, bytes]:
    """The store's own head and its audit key (inside the caller's transaction or not)."""
    meta = _meta(conn)
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    head = Head(
        meta["store_id"],
        int(meta["generation"]),
        int(last[0]) if last else 0,
        str(last[1]) if last else "",
    )
    return head, bytes.fromhex(meta["audit_key"])


def _seal(head: Head, key: bytes) -> str:
    text = json.dumps(asdict(head), sort_keys=True)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def write(store_path: Path, head: Head, key: bytes) -> None:
    """Replace the head file atomically (owner-only). Not fsynced on purpose: a head left behind
    by a crash is older than the store, which is accepted."""
    target = head_path(store_path)
    partial = target.with_name(f".{target.name}.partial")
    fields: dict[str, object] = {**asdict(head), "seal": _seal(head, key)}
    if salt := file_salt(store_path):
        fields["salt"] = salt.hex()
    data = json.dumps(fields, sort_keys=True)
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data.encode())
    finally:
        os.close(fd)
    os.replace(partial, target)


SALT_SIZE = 16  # SQLCipher's first 16 bytes: the key-derivation salt, stored in the clear


def file_salt(store_path: Path) -> bytes | None:
    """The store file's salt (not a secret: it is the file's own first bytes)."""
    try:
        with store_path.open("rb") as fp:
            salt = fp.read(SALT_SIZE)
    except OSError:
        return None
    return salt if len(salt) == SALT_SIZE else None


def recorded_salt(store_path: Path) -> bytes | None:
    """The salt the head file noted when it was last written; None if unknown.

    Read WITHOUT the key (the store would not open): it only chooses which message a person
    reads when the passphrase is refused, it never lets anything open."""
    try:
        with head_path(store_path).open("rb") as fp:
            salt = json.loads(fp.read(4096)).get("salt")
        return bytes.fromhex(salt) if isinstance(salt, str) else None
    except (OSError, ValueError, AttributeError):
        return None


def header_damaged(store_path: Path, page_size: int) -> bool:
    """Whether a store that refused a passphrase is, rather, damaged at its start (or replaced):
    its salt differs from the one the head noted, or it is not a whole number of pages."""
    try:
        size = store_path.stat().st_size
    except OSError:
        return False
    if size % page_size:
        return True
    noted = recorded_salt(store_path)
    return noted is not None and noted != file_salt(store_path)


def read(store_path: Path, key: bytes) -> Head | None:
    """The mirrored head; None if there is no file. A file that is not a head sealed with this
    store's key reads as another store's."""
    try:
        with head_path(store_path).open("rb") as fp:
            raw = fp.read(4096)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise errors.StoreReplaced() from exc
    try:
        data = json.loads(raw)
        head = Head(
            str(data["store_id"]), int(data["generation"]), int(data["seq"]), str(data["hash"])
        )
        seal = str(data["seal"])
    except (ValueError, KeyError, TypeError):
        raise errors.StoreReplaced() from None
    if not hmac.compare_digest(seal, _seal(head, key)):
        raise errors.StoreReplaced()
    return head


def problem(conn: Any, store_path: Path) -> errors.StoreError | None:
    """What is wrong between the store and the head beside it, or None when they agree."""
    own, key = current(conn)
    written = conn.execute("SELECT value FROM meta WHERE key = 'head_written'").fetchone()
    try:
        mirrored = read(store_path, key)
    except errors.StoreError as exc:
        return exc
    if mirrored is None:
        return errors.HeadMissing() if written else None
    if mirrored.store_id != own.store_id:
        return errors.StoreReplaced()
    if own.generation < mirrored.generation or own.seq < mirrored.seq:
        return errors.StoreRolledBack()
    if mirrored.seq:
        row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (mirrored.seq,)).fetchone()
        if row is None or row[0] != mirrored.hash:
            return errors.AuditRewritten()
    return None


def advance(conn: Any) -> None:
    """Raise the generation (an open for use) inside the caller's transaction."""
    conn.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
    )
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('head_written', '1')")


def mirror(conn: Any, store_path: Path) -> Head:
    """Write the store's current head beside it; returns it."""
    own, key = current(conn)
    write(store_path, own, key)
    return own
