"""Opening, creating and migrating the SQLCipher store.

The open sequence is fixed and each step exists for a measured reason:
1. `PRAGMA key` is the first statement (SQLCipher 4.7+ refuses anything before it).
2. `cipher_version` must be non-empty: proof that the driver really encrypts (a plain SQLite
   would silently ignore the key and write plaintext).
3. `sqlite_master` is read at once, because a wrong key is only detected at the first read.
4. Then the connection settings, asserted by reading them back, and then migrations.
A file that fails any step is left exactly as it was: it is opened `mode=rw` (never created),
and nothing is written before the key is proven.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import sqlcipher3
from filelock import FileLock, Timeout

from intake import __version__
from intake.passphrase import normalize
from intake.storage import errors
from intake.storage import head as store_head
from intake.storage.location import store_exists
from intake.storage.migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 4096  # SQLCipher 4's default cipher_page_size; the store never changes it
BUSY_TIMEOUT_MS = 2000

# Read back after every open; a store whose connection differs is refused.
# journal TRUNCATE + synchronous FULL: committed data lives in HMAC-protected pages and
# survives power loss (a WAL file can silently lose un-checkpointed commits if damaged).
# temp_store MEMORY: SQLCipher does not encrypt temporary files.
REQUIRED_PRAGMAS: dict[str, tuple[str, Any]] = {
    "foreign_keys": ("ON", 1),
    "journal_mode": ("TRUNCATE", "truncate"),
    "synchronous": ("FULL", 2),
    "secure_delete": ("ON", 1),
    "temp_store": ("MEMORY", 2),
}

# SQLite's page cache, in KiB (negative: a size, not a page count). SQLCipher decrypts every
# page it reads into this cache; SQLite's default of 2 MB held a small part of the indexes a note
# search walks (its hits, then their contacts), so most searches decrypted the same pages again:
# 100,000 notes, 60 searches twice, supervisor's CPU time median 17.7 ms at 2 MB, 9.7 ms here.
# Filled only as pages are read (a kiosk, which never searches, stays small); one connection.
CACHE_KIB = 32_000

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL = 10, 11, 13
_SQLITE_CANTOPEN, _SQLITE_NOTADB = 14, 26


def key_pragma(passphrase: str) -> str:
    """`PRAGMA key` with the passphrase as a correctly escaped SQL string literal.

    PRAGMA cannot take a bound parameter. Inside a single-quoted literal the only special
    character is the quote itself, which is doubled; control characters (including NUL, which
    would truncate the key) are refused outright.
    """
    text = normalize(passphrase)
    if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError("a passphrase must be non-empty and contain no control characters")
    return "PRAGMA key = '" + text.replace("'", "''") + "'"


def translate_error(exc: Exception, *, opening: bool = False) -> errors.StoreError | None:
    """Map a driver error to a typed store error, or None if it is a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return errors.DiskFull()
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return errors.StoreReadOnly()
        return None
    mapping: dict[int, type[errors.StoreError]] = {
        _SQLITE_NOTADB: errors.WrongPassphrase if opening else errors.StoreDamaged,
        _SQLITE_CORRUPT: errors.StoreDamaged,
        _SQLITE_FULL: errors.DiskFull,
        _SQLITE_BUSY: errors.StoreBusy,
        _SQLITE_LOCKED: errors.StoreBusy,
        _SQLITE_READONLY: errors.StoreReadOnly,
        _SQLITE_CANTOPEN: errors.StoreReadOnly,
    }
    if primary in mapping:
        return mapping[primary]()
    # A write the device refused (no space, a size limit, a failing disk): SQLite has rolled
    # the transaction back; earlier commits are intact. Errors raised inside an SQL function
    # (sqlcipher_export) arrive with a generic code and SQLite's own message only.
    if primary == _SQLITE_IOERR or str(exc) in ("disk I/O error", "database or disk is full"):
        return errors.DiskFull()
    return None


@contextlib.contextmanager
def storage_errors(*, opening: bool = False) -> Iterator[None]:
    try:
        yield
    except (sqlcipher3.Error, OSError) as exc:
        typed = translate_error(exc, opening=opening)
        if typed is None:
            raise
        raise typed from exc


def _acquire_lock(path: Path) -> FileLock:
    """Hold an exclusive lock beside the store for as long as it is open.

    A second copy of the application (or an admin command) gets a clear "in use" error instead
    of two writers racing. filelock uses the system's own lock on every platform (flock on
    Linux and macOS, msvcrt.locking on Windows), so the system releases it if the process dies.
    """
    # Not thread-local: the store is opened on a worker thread and closed on the UI thread.
    lock = FileLock(path.with_name(path.name + ".lock"), timeout=0, mode=0o600, thread_local=False)
    with storage_errors():  # a folder it cannot write to, a full disk: typed as usual
        try:
            lock.acquire()
        except Timeout:  # an OSError too: told apart first
            raise errors.StoreBusy() from None
    return lock


def _release_lock(lock: FileLock | None) -> None:
    if lock is not None:
        with contextlib.suppress(OSError):
            lock.release(force=True)


class _HeadWriter:
    """Writes the head file beside the store on its own thread, newest head only.

    A whole call's save waited for this file (written and renamed over the old one: the rename
    makes the file system flush it, 2-6 ms on a busy disk) after its commit, which the person
    does not need: the commit is what keeps the call. The head may lag the store by a moment,
    exactly as after a crash between the commit and the file, which the open accepts; it never
    runs ahead (heads are written in commit order, and a newer one replaces one not yet
    written). `flush` waits for the last one: the store does so before it closes."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Condition()
        self._pending: tuple[store_head.Head, bytes] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None
        self.failed = False  # the last write failed: the next transaction writes it again

    def submit(self, head: store_head.Head, key: bytes) -> None:
        with self._wake:
            self._pending = (head, key)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="store-head", daemon=True)
                self._thread.start()
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None:
                    if not self._wake.wait(timeout=5.0) and self._pending is None:
                        self._thread = None  # idle: ends; the next head starts another
                        return
                head, key = self._pending
                self._pending, self._busy = None, True
            failed = True
            try:
                store_head.write(self._path, head, key)
                failed = False
            except Exception as exc:  # this thread must never end with a head "busy"
                # Committed all the same; a head left behind is accepted at the next open.
                log.warning("store head not updated: %s", type(exc).__name__)
            finally:
                with self._wake:
                    self._busy, self.failed = False, failed
                    self._wake.notify_all()

    def flush(self) -> None:
        with self._wake:
            while self._pending is not None or self._busy:
                self._wake.wait()


class Store:
    """An open, keyed and migrated store.

    One connection, shared by the UI's background calls (an autosave can overlap a search):
    a re-entrant mutex serialises them, so each transaction or query has the connection alone.
    """

    # Defaults for a Store built without __init__ (the benchmark's plain-SQLite baseline).
    _mirror_head = False
    _head_seq: int | None = None
    _advanced = False
    _opened_as: tuple[int, int] | None = None

    def __init__(
        self, conn: Any, path: Path, lock: FileLock | None = None, *, mirror_head: bool = False
    ) -> None:
        self._conn = conn
        self._mutex = threading.RLock()
        self._lock = lock
        self.path = path
        # The head file beside the store follows every transaction that adds audit rows.
        self._mirror_head = mirror_head
        self._head_seq: int | None = None
        self._advanced = False  # the generation is raised by this session's first write
        self._head_writer = _HeadWriter(path)
        self._opened_as = self._identity()
        self.cipher_version: str = conn.execute("PRAGMA cipher_version").fetchone()[0]
        self.sqlite_version: str = sqlcipher3.sqlite_version

    def _identity(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_dev, info.st_ino

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; errors arrive typed."""
        try:
            with self._write() as conn:
                yield conn
        except errors.StoreReadOnly as exc:
            # SQLite says "read-only" when the file was deleted or replaced under it.
            if self._identity() != self._opened_as:
                raise errors.StoreGone() from exc
            raise

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        with self._mutex, storage_errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                advancing = self._mirror_head and not self._advanced
                if advancing:
                    store_head.advance(self._conn)
            except BaseException as exc:
                _rollback(self._conn, exc)
                raise
            self._conn.execute("COMMIT")
            self._follow_head(advanced=advancing)

    def _follow_head(self, *, advanced: bool) -> None:
        if not self._mirror_head:
            return
        self._advanced = True
        last = self._conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        if last == self._head_seq and not advanced and not self._head_writer.failed:
            return  # no audit row added: the head has not changed
        head, key = store_head.current(self._conn)
        self._head_writer.submit(head, key)  # written off this thread (see _HeadWriter)
        self._head_seq = last

    def flush_head(self) -> None:
        """Wait until the head beside the store is written (a no-op when none is pending)."""
        writer = getattr(self, "_head_writer", None)
        if writer is not None:
            writer.flush()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._mutex, storage_errors():
            return list(self._conn.execute(sql, params).fetchall())

    def release_memory(self) -> None:
        """Drop the pages this connection keeps decrypted in memory (its page cache).

        For a writer that never reads back what it wrote (the kiosk): the pages each save
        wrote stay cached, decrypted, until CACHE_KIB is full, so a kiosk grew by every
        visit's pages (about 2 KB a visit, for ever in practice) and kept the answers of
        earlier visitors in plain memory. The next save reads the few pages it needs again.
        """
        with self._mutex:
            try:
                self._conn.execute("PRAGMA shrink_memory")
            except sqlcipher3.Error as exc:  # memory only: what was saved is saved either way
                log.warning("page cache not released: %s", type(exc).__name__)

    def export_to(self, path: Path, passphrase: str) -> None:
        """Copy every table into a new file encrypted with `passphrase` (sqlcipher_export).

        The key is bound as a parameter, never spliced into SQL; an empty key (which would make
        a plaintext copy) is refused by `key_pragma`'s rules.
        """
        key_pragma(passphrase)
        self.flush_head()  # the file is read whole: no head being written beside it
        with self._mutex, storage_errors():
            self._conn.execute(
                "ATTACH DATABASE ? AS export KEY ?", (str(path), normalize(passphrase))
            )
            try:
                self._conn.execute("SELECT sqlcipher_export('export')")
                # sqlcipher_export does not copy the schema version.
                self._conn.execute(f"PRAGMA export.user_version = {int(self.schema_version)}")
            finally:
                self._conn.execute("DETACH DATABASE export")

    def rekey(self, passphrase: str) -> None:
        """Re-encrypt with a new passphrase; the caller must verify by reopening."""
        statement = key_pragma(passphrase).replace("PRAGMA key", "PRAGMA rekey", 1)
        self.flush_head()  # a head written meanwhile would note the file's salt mid-rewrite
        with self._mutex, storage_errors():
            self._conn.execute(statement)

    def counts(self) -> dict[str, int]:
        tables = [
            r[0]
            for r in self.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'notes_fts%' ORDER BY name"
            )
        ]
        return {t: int(self.query(f'SELECT count(*) FROM "{t}"')[0][0]) for t in tables}

    @property
    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    def close(self) -> None:
        self.flush_head()
        with self._mutex, contextlib.suppress(sqlcipher3.Error):
            self._conn.close()
        _release_lock(self._lock)
        self._lock = None


def _rollback(conn: Any, cause: BaseException) -> None:
    """Roll back after `cause`; if SQLite already rolled back (disk full, I/O error), the
    ROLLBACK itself fails: that failure must not hide the real error."""
    try:
        conn.execute("ROLLBACK")
    except sqlcipher3.Error:
        if conn.in_transaction:
            raise
        log.info("rollback after %s: already rolled back", type(cause).__name__)


def _connect(path: Path) -> Any:
    uri = f"file:{quote(str(path))}?mode=rw"
    # The connection is handed from the opening worker thread to the UI thread; the Store
    # is only ever used by one thread at a time.
    return sqlcipher3.connect(
        uri,
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )


def _key_and_verify(conn: Any, passphrase: str) -> None:
    conn.execute(key_pragma(passphrase))
    # SQLCipher prints decryption failures to stderr by default: keep stderr free of them.
    conn.execute("PRAGMA cipher_log_level = NONE")
    row = conn.execute("PRAGMA cipher_version").fetchone()
    if not row or not row[0] or not str(row[0]).startswith("4."):
        raise errors.SQLCipherMissing()
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _configure(conn: Any) -> None:
    for name, (value, _expected) in REQUIRED_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    for name, (_value, expected) in REQUIRED_PRAGMAS.items():
        actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if actual != expected:
            log.error("store setting %s is %r, expected %r", name, actual, expected)
            raise errors.UnsafeSettings()
    conn.execute(f"PRAGMA cache_size = {-CACHE_KIB}")


def apply_migrations(conn: Any, target: int | None = None) -> None:
    """Bring the schema to `target` (default: the latest) inside the caller's transaction."""
    target = LATEST if target is None else target
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > LATEST:
        raise errors.StoreFromFuture()
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            migration.apply(conn)
            log.info("store migrated to version %d (%s)", migration.version, migration.name)
    if target > current:
        conn.execute(f"PRAGMA user_version = {int(target)}")


def migrate(conn: Any, target: int | None = None) -> None:
    """Apply all pending migrations in one transaction: a store is at exactly one version."""
    target = LATEST if target is None else target
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > LATEST:
        raise errors.StoreFromFuture()
    if current >= target:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        apply_migrations(conn, target)
    except BaseException as exc:
        _rollback(conn, exc)
        raise
    conn.execute("COMMIT")


HeadMode = Literal["check", "accept", "ignore"]


def _take_head(conn: Any, path: Path, mode: HeadMode) -> None:
    """Compare the store with the head beside it (mode "check"); nothing is written here, so a
    store refused or damaged stays exactly as it was. The session's first write transaction
    raises the generation and mirrors the new head (`Store.transaction`). "accept": a
    deliberate restore or move: the head is rewritten from the store as it is. "ignore": a copy
    opened only to be verified (a backup being written); its head is never touched."""
    if mode == "check" and (found := store_head.problem(conn, path)) is not None:
        raise found
    if mode == "accept":
        with storage_errors():
            store_head.mirror(conn, path)


def _check_file(path: Path) -> None:
    try:
        with path.open("rb") as fp:
            header = fp.read(len(PLAIN_SQLITE_HEADER))
    except FileNotFoundError:
        raise errors.StoreMissing() from None
    except OSError as exc:
        raise translate_error(exc) or exc from exc
    if not header:
        raise errors.StoreMissing()
    if header == PLAIN_SQLITE_HEADER:
        raise errors.NotEncrypted()


def open_store(path: Path, passphrase: str, *, head: HeadMode = "check") -> Store:
    """Open an existing store, or raise a typed `StoreError`; the file is never created.

    `head`: see `_take_head`; a store that disagrees with the head beside it is not opened."""
    _check_file(path)
    lock = _acquire_lock(path)
    conn = None
    try:
        try:
            with storage_errors(opening=True):
                conn = _connect(path)
                _key_and_verify(conn, passphrase)
        except errors.WrongPassphrase:
            # SQLCipher cannot tell a wrong key from a damaged salt: the head beside the
            # store remembers the salt, and a store is a whole number of pages.
            if store_head.header_damaged(path, PAGE_SIZE):
                raise errors.StoreHeaderDamaged() from None
            raise
        with storage_errors():
            if conn.execute("PRAGMA user_version").fetchone()[0] > LATEST:
                raise errors.StoreFromFuture()
            _configure(conn)
            migrate(conn)
            _take_head(conn, path, head)
        log.info("store opened (SQLCipher %s, schema %d)", _cipher(conn), LATEST)
        return Store(conn, path, lock, mirror_head=head != "ignore")
    except BaseException:
        if conn is not None:
            conn.close()
        _release_lock(lock)
        raise


def _cipher(conn: Any) -> str:
    return str(conn.execute("PRAGMA cipher_version").fetchone()[0])


def create_store(
    path: Path,
    passphrase: str,
    *,
    initialize: Callable[[Any], object] | None = None,
) -> Store:
    """Create a new encrypted store at `path` and return it open.

    `initialize(conn)` adds the first rows (the first supervisor). Schema, metadata and those rows
    are written in one transaction, so an interrupted creation leaves either a complete store or an
    empty file (which `store_exists` treats as no store). An existing store is never replaced.
    """
    if store_exists(path):
        raise errors.StoreExists()
    with storage_errors():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    lock = _acquire_lock(path)
    conn = None
    try:
        with storage_errors():
            conn = _connect(path)
            _key_and_verify(conn, passphrase)
            _configure(conn)
            conn.execute("BEGIN IMMEDIATE")
            apply_migrations(conn)
            now = datetime.now(UTC).isoformat()
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("created_at", now), ("created_by_version", __version__)],
            )
            if initialize is not None:
                initialize(conn)
            store_head.advance(conn)
            conn.execute("COMMIT")
            store_head.mirror(conn, path)
        created = Store(conn, path, lock, mirror_head=True)
        created._advanced = True
        return created
    except BaseException:
        if conn is not None:
            conn.close()
        _release_lock(lock)
        # Only an empty shell can be left behind here: remove it so the next start offers set-up.
        with contextlib.suppress(OSError):
            for leftover in (
                path,
                path.with_name(path.name + "-journal"),
                path.with_name(path.name + ".lock"),
                store_head.head_path(path),
            ):
                leftover.unlink()
        raise
