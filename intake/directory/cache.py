"""A compiled, validated copy of the loaded directory, so a command does not parse it again.

Loading the directory parses TOML, validates every entry and checks every phone number; at
10,000 programs that took 4.7 s, and on the shipped file it made `intake route` import TOML and
phonenumbers. `load_directory` here returns what `intake.directory.load.load_directory` would,
from a pickle written after a successful load. The pickle is keyed by a hash of everything the
result depends on: the bytes of the shipped and override files, and the source of the loader,
model and vocabularies (so a change to the rules, or a new check, never meets a stale copy).
A missing, unreadable or foreign cache file simply means a normal load. Reading a pickle can run
code, so a cache file is read only when it and its folder belong to this user and nobody else can
write to them, and only after the key written in front of the pickle matches. The directory is
public information: nothing confidential is cached. Stale copies are pruned when a new one is
written (the most recently used few are kept; see `_prune`). Stored in the per-user cache folder
($XDG_CACHE_HOME, or INTAKE_CACHE to choose another; INTAKE_CACHE=off disables it).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from intake import __version__
from intake.paths import shipped as shipped_file

if TYPE_CHECKING:
    from intake.directory.model import Program

_PACKAGE = Path(__file__).resolve().parent
# Everything a loaded directory depends on besides the files themselves.
_SOURCES = (
    _PACKAGE / "load.py",
    _PACKAGE / "model.py",
    _PACKAGE / "phones.py",
    _PACKAGE.parent / "provinces.py",
    _PACKAGE.parent / "vocabulary.py",
    _PACKAGE.parent / "timezones.py",
)
_FORMAT = b"intake-directory-cache-3"  # 3: Program.confirm_roles


def cache_folder() -> Path | None:
    configured = os.environ.get("INTAKE_CACHE")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "PeerSupport" / "Intake"


def _key(override: Path | None, shipped: Path) -> str:
    digest = hashlib.sha256(_FORMAT + __version__.encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    for path in (shipped, override):
        digest.update(b"\0file\0")
        if path is not None:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_directory(override: Path | None = None, shipped: Path | None = None) -> list[Program]:
    """The merged directory, from the cache when its inputs are unchanged.

    Raises `intake.directory.load.DirectoryError` exactly as the loader does.
    """
    if shipped is None:
        shipped = shipped_file("directory.toml")
    folder = cache_folder()
    try:
        key = _key(override, shipped)
    except OSError:
        folder = None  # an unreadable file: let the loader report it
        key = ""
    if folder is not None:
        cached = folder / f"directory-{key[:32]}.pickle"
        with (
            contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError),
            cached.open("rb") as fp,
        ):
            if (
                _private(folder)
                and _private(cached, os.fstat(fp.fileno()))
                and fp.readline() == key.encode() + b"\n"
            ):
                with _collector_paused():
                    stored_key, programs = pickle.load(fp)
                if stored_key == key:
                    # Marked as used, so that pruning keeps the copies in use.
                    with contextlib.suppress(OSError):
                        os.utime(cached)
                    return _long_lived(list(programs))
    from intake.directory.load import load_directory as parse  # noqa: PLC0415

    programs = parse(override, shipped)
    if folder is not None:
        _store(folder, f"directory-{key[:32]}.pickle", (key, programs))
    return _long_lived(programs)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the directory is unpickled: it allocates hundreds of
    thousands of objects that all stay alive, and each allocation burst started a collection
    that walked all the others again (10,000 programs: 6.8 s with collections, 1.7 s without,
    on a busy machine). Reference counting still frees whatever is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _long_lived(programs: list[Program]) -> list[Program]:
    """The directory lives as long as the process: move it (and what the process holds so far)
    out of the collector's generations, so later full collections skip it. Building the
    routing index right after a 10,000-program load spent 3.6 of its 3.9 s in collections
    walking the directory; a long-running window would pause the same way at any moment."""
    gc.freeze()
    return programs


def _private(path: Path, status: os.stat_result | None = None) -> bool:
    """Owned by this user, and nobody else may write to it (always true where there are no
    POSIX owners: the per-user cache folder is private there)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    status = status or path.stat()
    return status.st_uid == getuid() and not status.st_mode & 0o022


def _store(folder: Path, name: str, value: tuple[str, object]) -> None:
    """Written whole or not at all (a temporary file renamed into place), owner-only, the key
    in front of the pickle; failures ignored."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(folder):
            return  # it would never be read back
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".directory-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fp:
                fp.write(value[0].encode() + b"\n")
                pickle.dump(value, fp, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder, keep=name)


# Our own names, and nothing else: the copies, and the temporary files they are written to.
_COPY = re.compile(r"directory-[0-9a-f]{32}\.pickle")
_TEMPORARY = re.compile(r"\.directory-[A-Za-z0-9_]+\.tmp")
KEEP = 4  # copies kept: the one just written and the most recently used others
_ABANDONED_AFTER = 3600.0  # seconds: a temporary file older than this was left by a crash


def _prune(folder: Path, keep: str) -> None:
    """Removes stale copies after a new one is written: each change of the directory files or
    of the loader left one behind (a few megabytes each at 10,000 programs). Kept: the copy just
    written and the most recently used others (a cache hit marks its copy as used), up to KEEP,
    so two directories used in turn (the kiosk's organisation file and the plain one) do not
    evict each other; and temporary files younger than an hour (another process may be writing).
    Only in a folder that is ours and that nobody else can write to, only files with our own
    names, only regular files (a link is never followed) that belong to this user; failures
    ignored."""
    with contextlib.suppress(OSError):
        if not _private(folder):
            return
        getuid = getattr(os, "getuid", None)
        now = time.time()
        copies: list[tuple[float, str]] = []
        abandoned: list[str] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                copy = _COPY.fullmatch(name) is not None
                if name == keep or not (copy or _TEMPORARY.fullmatch(name)):
                    continue
                status = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode) or (
                    getuid is not None and status.st_uid != getuid()
                ):
                    continue
                if copy:
                    copies.append((status.st_mtime, name))
                elif now - status.st_mtime > _ABANDONED_AFTER:
                    abandoned.append(name)
        copies.sort(reverse=True)
        for name in [name for _mtime, name in copies[KEEP - 1 :]] + abandoned:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
