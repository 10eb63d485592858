"""Checking, backing up, restoring and re-keying a store: the admin operations.

Each operation proves its result before it reports success: a backup is reopened with its own
passphrase and checked; a restore builds and checks the new store beside the live one and only
then swaps it in; a rekey is reopened with the new passphrase. Integrity checks run on fresh
connections, each on its own, because one bad page poisons the connection it was read on.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from intake.storage import audit
from intake.storage import head as store_head
from intake.storage.db import (
    Store,
    _acquire_lock,
    _connect,
    _key_and_verify,
    _release_lock,
    apply_migrations,
    open_store,
    storage_errors,
)
from intake.storage.errors import BackupFailed, StoreDamaged, StoreError


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)  # empty when clean
    cipher: list[str] = field(default_factory=list)  # pages whose HMAC failed
    audit: list[str] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)  # missing or changed tables and triggers
    head: StoreError | None = None  # the store disagrees with the head beside it

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.cipher or self.audit or self.schema or self.head)


def _schema(conn: Any) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'notes_fts_%'"
    ).fetchall()
    return {(str(t), str(n)): " ".join(str(q or "").split()) for t, n, q in rows}


def expected_schema() -> dict[tuple[str, str], str]:
    """Every table, index and trigger the migrations create, built in memory."""
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        apply_migrations(conn)
        return _schema(conn)
    finally:
        conn.close()


def schema_problems(conn: Any) -> list[str]:
    expected, found = expected_schema(), _schema(conn)
    problems = [
        f"{kind} {name} is missing"
        for (kind, name) in sorted(expected)
        if (kind, name) not in found
    ]
    problems += [
        f"{kind} {name} was changed"
        for (kind, name), sql in sorted(expected.items())
        if (kind, name) in found and found[(kind, name)] != sql
    ]
    problems += [
        f"{kind} {name} is not part of this application"
        for (kind, name) in sorted(found)
        if (kind, name) not in expected
    ]
    return problems


def _fresh_pragma(path: Path, passphrase: str, pragma: str) -> list[str]:
    conn = _connect(path)
    try:
        _key_and_verify(conn, passphrase)
        return [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except Exception as exc:  # a check that cannot even run is a failed check
        return [f"{pragma} failed: {type(exc).__name__}: {exc}"]
    finally:
        conn.close()


def check_store(path: Path, passphrase: str, *, live: bool = True) -> CheckReport:
    """Integrity and cipher HMAC of every page, the schema (tables, indexes, triggers), the
    audit chain and, for the live store (`live`), its agreement with the head beside it."""
    # Proves the key and holds the lock while checking; writes nothing.
    store = open_store(path, passphrase, head="ignore")
    try:
        report = CheckReport()
        integrity = _fresh_pragma(path, passphrase, "integrity_check")
        report.integrity = [] if integrity == ["ok"] else integrity
        report.cipher = _fresh_pragma(path, passphrase, "cipher_integrity_check")
        with store.transaction() as conn:
            report.schema = schema_problems(conn)
            missing = {p.split()[1] for p in report.schema if p.endswith("is missing")}
            if not missing & {"audit", "meta"}:
                report.audit = [f"audit row {p.seq}: {p.what}" for p in audit.verify(conn)]
                if live:
                    report.head = store_head.problem(conn, path)
        return report
    finally:
        store.close()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _discard(path: Path) -> None:
    for leftover in (
        path,
        path.with_name(path.name + "-journal"),
        path.with_name(path.name + ".lock"),
        store_head.head_path(path),
    ):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _export_checked(source: Store, target: Path, passphrase: str) -> None:
    """Export into `target` and prove it: reopen, check every page, compare row counts."""
    expected = source.counts()
    _discard(target)
    # Created empty and owner-only first: SQLite keys an empty file as a new database, and
    # the copy must be as private as the store (the umask would leave it world-readable).
    with storage_errors():
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    source.export_to(target, passphrase)
    report = check_store(target, passphrase, live=False)
    copy = open_store(target, passphrase, head="ignore")
    try:
        same = copy.counts() == expected
    finally:
        copy.close()
    if not report.ok or not same:
        raise BackupFailed()
    with open(target, "rb") as fp:
        os.fsync(fp.fileno())


def backup_store(store: Store, dest: Path, passphrase: str, actor: str | None) -> None:
    """Write an encrypted, verified backup to `dest` (replacing an older one only once proven)."""
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.partial")
    try:
        _export_checked(store, partial, passphrase)
        with storage_errors():
            # The backup carries its own head, so it can be opened (or checked) where it is.
            copy = open_store(partial, passphrase, head="ignore")
            try:
                own, key = store_head.current(copy._conn)
            finally:
                copy.close()
            os.replace(partial, dest)
            store_head.write(dest, own, key)
        _fsync_dir(dest.parent)
    finally:
        _discard(partial)
    with store.transaction() as conn:
        audit.append(conn, actor, "backup", None, "verified")


def restore_store(
    source: Path,
    source_passphrase: str,
    store_path: Path,
    store_passphrase: str,
    actor: str | None = None,
) -> None:
    """Replace the store with a verified backup; the live file is untouched until then."""
    report = check_store(source, source_passphrase, live=False)
    if not report.ok:
        raise StoreDamaged()
    live_lock = _acquire_lock(store_path)  # no one may be using the live store meanwhile
    partial = store_path.with_name(f".{store_path.name}.{uuid.uuid4().hex}.restoring")
    try:
        backup = open_store(source, source_passphrase, head="ignore")
        try:
            _export_checked(backup, partial, store_passphrase)
        finally:
            backup.close()
        with storage_errors():
            os.replace(partial, store_path)
        _fsync_dir(store_path.parent)
    finally:
        _discard(partial)
        _release_lock(live_lock)
    # A deliberate restore: the store is older than its head, and that is accepted here.
    restored = open_store(store_path, store_passphrase, head="accept")
    try:
        with restored.transaction() as conn:
            audit.append(conn, actor, "restore", None, "verified")
    finally:
        restored.close()


def rekey_store(path: Path, old: str, new: str, actor: str | None = None) -> None:
    """Change the store passphrase, and prove it by reopening with the new one."""
    store = open_store(path, old)
    try:
        store.rekey(new)
    finally:
        store.close()
    try:
        reopened = open_store(path, new)
    except StoreError as exc:
        raise StoreDamaged() from exc
    try:
        with reopened.transaction() as conn:
            audit.append(conn, actor, "rekey", None, "verified")
    finally:
        reopened.close()
    if not check_store(path, new).ok:
        raise StoreDamaged()


def accept_store(path: Path, passphrase: str, actor: str | None = None) -> None:
    """Accept the store in place as the current one (after a deliberate restore or move):
    the head beside it is rewritten, and the acceptance is audited."""
    store = open_store(path, passphrase, head="accept")
    try:
        with store.transaction() as conn:
            audit.append(conn, actor, "restore", None, "accepted")
    finally:
        store.close()
