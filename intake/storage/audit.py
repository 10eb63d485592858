"""The audit log: who did what to which record, and when. Never any content.

Rows are append-only (database triggers refuse UPDATE and DELETE) and chained: each row's hash
covers the previous row's hash and every field of its own, so an edited, deleted or reordered
row breaks the chain, and a removed last row shows against `sqlite_sequence`.

From schema version 5 the chain is keyed: HMAC-SHA256 under a random key kept in the store
(`meta.audit_key`), so the chain cannot be recomputed without the passphrase; and its head (last
row, count, generation) is mirrored in a file beside the store (intake.storage.head), so a cut
or rewritten tail, or an older copy put back, shows even after the triggers were dropped.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
ACTIONS = frozenset(
    {
        "create",
        "open",
        "edit",
        "export",
        "purge",
        "hold",
        "release",
        "sign-in",
        "failed-sign-in",
        "lock",
        "unlock",
        "backup",
        "restore",
        "rekey",
        "init",
        "kiosk-start",
        "kiosk-exit",
        # The worklist, abandoned calls and the supervisor console (codes in `detail`).
        "claim",
        "attempt",
        "reschedule",
        "close",
        "reveal",
        "abandon",
        "console",
    }
)


def _digest(row: tuple[object, ...], key: bytes | None = None) -> str:
    """Hash of (prev_hash, seq, at, actor, action, record, detail); None hashes as "".

    Keyed (HMAC-SHA256) when the store has an audit key; plain SHA-256 for rows written before.
    """
    text = "\x1f".join("" if value is None else str(value) for value in row)
    if key is not None:
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ChainKey:
    key: bytes | None
    keyed_from: int  # first seq chained with the key

    def for_seq(self, seq: int) -> bytes | None:
        return self.key if self.key is not None and seq >= self.keyed_from else None


def chain_key(conn: Any) -> ChainKey:
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('audit_key', 'audit_keyed_from')"
        ).fetchall()
    )
    if "audit_key" not in rows:
        return ChainKey(None, 0)
    return ChainKey(bytes.fromhex(rows["audit_key"]), int(rows.get("audit_keyed_from", "1")))


CHAIN_TAIL = (
    "SELECT (SELECT seq FROM audit ORDER BY seq DESC LIMIT 1), "
    "(SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), "
    "(SELECT seq FROM sqlite_sequence WHERE name = 'audit'), "
    "(SELECT value FROM meta WHERE key = 'audit_key'), "
    "(SELECT value FROM meta WHERE key = 'audit_keyed_from')"
)


def append(
    conn: Any, actor: str | None, action: str, record: str | None = None, detail: str = ""
) -> int:
    """Add one row inside the caller's transaction; `detail` holds codes and counts only."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    # One statement for what the row chains to (the last row, the counter, the key): a whole
    # call appends four rows, and each statement costs a few page look-ups.
    last_seq, last_hash, counter, hex_key, keyed_from = conn.execute(CHAIN_TAIL).fetchone()
    seq = max(last_seq or 0, counter or 0) + 1
    prev = last_hash if last_seq is not None else GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    keys = (
        ChainKey(None, 0)
        if hex_key is None
        else ChainKey(bytes.fromhex(hex_key), int(keyed_from or "1"))
    )
    key = keys.for_seq(seq)
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, record, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at,
            actor,
            action,
            record,
            detail,
            prev,
            _digest((prev, seq, at, actor, action, record, detail), key),
        ),
    )
    return seq


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    what: str


def verify(conn: Any) -> list[AuditProblem]:
    problems: list[AuditProblem] = []
    keys = chain_key(conn)
    prev, expected = GENESIS, 1
    rows = conn.execute(
        "SELECT seq, at, actor, action, record, detail, prev_hash, hash FROM audit ORDER BY seq"
    ).fetchall()
    for seq, at, actor, action, record, detail, prev_hash, stored in rows:
        if seq != expected:
            problems.append(AuditProblem(seq, f"rows {expected} to {seq - 1} are missing"))
        if prev_hash != prev:
            problems.append(AuditProblem(seq, "does not follow the previous row"))
        if (
            _digest((prev_hash, seq, at, actor, action, record, detail), keys.for_seq(seq))
            != stored
        ):
            problems.append(AuditProblem(seq, "was changed after it was written"))
        prev, expected = stored, seq + 1
    counter = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    if counter and counter[0] >= expected:
        problems.append(AuditProblem(counter[0], "the last rows were removed"))
    return problems
