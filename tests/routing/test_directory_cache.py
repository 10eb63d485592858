"""The compiled copy of the directory: the same programs as a full load, never a stale one."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from intake.directory import cache
from intake.directory.load import SHIPPED, DirectoryError
from intake.directory.load import load_directory as full_load

OVERRIDE = """schema = 1
disable = ["qc-pamq"]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("INTAKE_CACHE", str(where))
    return where


def test_a_cached_load_is_the_full_load(folder: Path, tmp_path: Path) -> None:
    override = tmp_path / "ours.toml"
    override.write_text(OVERRIDE, encoding="utf-8")
    for path in (None, override):
        first = cache.load_directory(path)  # parsed, then stored
        assert first == full_load(path)
        again = cache.load_directory(path)  # from the stored copy
        assert again == first
    assert len(list(folder.glob("directory-*.pickle"))) == 2


def test_a_changed_file_is_loaded_again(folder: Path, tmp_path: Path) -> None:
    override = tmp_path / "ours.toml"
    override.write_text("schema = 1\n", encoding="utf-8")
    assert any(p.id == "qc-pamq" for p in cache.load_directory(override))
    override.write_text(OVERRIDE, encoding="utf-8")
    assert not any(p.id == "qc-pamq" for p in cache.load_directory(override))


def test_a_mistake_is_reported_not_cached(folder: Path, tmp_path: Path) -> None:
    override = tmp_path / "ours.toml"
    override.write_text('schema = 1\ndisable = ["no-such-program"]\n', encoding="utf-8")
    for _attempt in range(2):
        with pytest.raises(DirectoryError, match="no entry has this id"):
            cache.load_directory(override)
    assert not list(folder.glob("directory-*.pickle"))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("another key", []))])
def test_a_damaged_or_foreign_cache_file_means_a_normal_load(folder: Path, damage: bytes) -> None:
    cache.load_directory()
    (stored,) = folder.glob("directory-*.pickle")
    stored.write_bytes(damage)
    assert cache.load_directory() == full_load()


def test_it_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.load_directory(None, SHIPPED) == full_load()
    assert not list(tmp_path.rglob("*.pickle"))


@pytest.mark.parametrize("damage", [None, b"not a pickle"])
@pytest.mark.parametrize("collecting", [True, False])
def test_the_collector_is_left_as_it_was_and_the_directory_kept_out_of_it(
    folder: Path, damage: bytes | None, collecting: bool
) -> None:
    """Unpickling pauses garbage collection (a good or a damaged copy alike) and restores it
    exactly; the loaded programs are moved out of the collector's generations."""
    cache.load_directory()
    if damage is not None:
        (stored,) = folder.glob("directory-*.pickle")
        stored.write_bytes(damage)
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        gc.unfreeze()
        programs = cache.load_directory()
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() > 0
        collected = {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation)}
        assert programs
        assert not any(id(p) in collected for p in programs)
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


RAN: list[str] = []


def _ran(what: str) -> None:
    RAN.append(what)


class _Planted:
    """What a pickle planted by someone else could run while being read."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_ran, ("unpickled",))


def _plant(stored: Path, key: str) -> None:
    """A file with the right key whose pickle would run code when read."""
    stored.write_bytes(key.encode() + b"\n" + pickle.dumps((key, [_Planted()])))


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("loosen", ["file", "folder"])
def test_a_cache_file_others_could_write_is_never_read(folder: Path, loosen: str) -> None:
    """The compiled copy is a pickle, and reading a pickle can run code: it is read only from
    an owner-only file in an owner-only folder; otherwise the directory is loaded normally."""
    cache.load_directory()
    (stored,) = folder.glob("directory-*.pickle")
    key = stored.read_bytes().split(b"\n", 1)[0].decode()
    _plant(stored, key)
    (stored if loosen == "file" else folder).chmod(0o666 if loosen == "file" else 0o777)
    RAN.clear()
    assert cache.load_directory() == full_load()
    assert RAN == []


def test_the_key_is_checked_before_anything_is_unpickled(folder: Path) -> None:
    cache.load_directory()
    (stored,) = folder.glob("directory-*.pickle")
    _plant(stored, "0" * 64)  # another key: the pickle after it is never read
    RAN.clear()
    assert cache.load_directory() == full_load()
    assert RAN == []


def test_the_cache_is_private_to_its_owner(folder: Path) -> None:
    cache.load_directory()
    (stored,) = folder.glob("directory-*.pickle")
    assert stored.stat().st_mode & 0o077 == 0
    assert folder.stat().st_mode & 0o077 == 0


def test_a_planted_pickle_would_be_noticed(folder: Path) -> None:
    """The planted file does run code when read as it is: the tests above are not vacuous."""
    cache.load_directory()
    (stored,) = folder.glob("directory-*.pickle")
    key = stored.read_bytes().split(b"\n", 1)[0].decode()
    _plant(stored, key)
    RAN.clear()
    with stored.open("rb") as fp:
        fp.readline()
        pickle.load(fp)
    assert RAN == ["unpickled"]


# -- pruning stale copies -------------------------------------------------------------------
def _copy_name(number: int) -> str:
    return f"directory-{number:032x}.pickle"


def _aged(path: Path, seconds_ago: float) -> Path:
    import os
    import time

    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment), follow_symlinks=False)
    return path


def _stale_copies(folder: Path, count: int) -> list[Path]:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for number in range(count):
        (folder / _copy_name(number)).write_bytes(b"old")
    return [_aged(folder / _copy_name(n), 86400 * (n + 1)) for n in range(count)]


def test_a_new_copy_prunes_the_least_recently_used_ones(folder: Path, tmp_path: Path) -> None:
    old = _stale_copies(folder, 6)  # used 1, 2, ... 6 days ago
    override = tmp_path / "ours.toml"
    override.write_text(OVERRIDE, encoding="utf-8")
    cache.load_directory(override)  # parsed, then stored: the stale ones are pruned
    left = sorted(p.name for p in folder.glob("directory-*.pickle"))
    assert len(left) == cache.KEEP
    assert {p.name for p in old[: cache.KEEP - 1]} < set(left)  # the most recently used kept
    assert not any(p.exists() for p in old[cache.KEEP - 1 :])
    assert cache.load_directory(override) == full_load(override)  # and the new one is read


def test_copies_in_use_are_kept_when_two_directories_take_turns(
    folder: Path, tmp_path: Path
) -> None:
    override = tmp_path / "ours.toml"
    override.write_text(OVERRIDE, encoding="utf-8")
    cache.load_directory(None)
    cache.load_directory(override)
    plain, ours = sorted(folder.glob("directory-*.pickle"), key=lambda p: p.stat().st_mtime)
    _aged(plain, 30 * 86400)
    cache.load_directory(None)  # a hit: marked as used again
    assert plain.stat().st_mtime > ours.stat().st_mtime - 1
    _stale_copies(folder, 8)  # older copies left by earlier versions
    override.write_text(OVERRIDE + "# changed\n", encoding="utf-8")
    cache.load_directory(override)  # a new copy: prunes the old, keeps the plain one in use
    assert plain.exists()
    assert len(list(folder.glob("directory-*.pickle"))) == cache.KEEP


def test_only_our_own_files_are_pruned(folder: Path, tmp_path: Path) -> None:
    """Other names, links (never followed) and a folder others can write to are left alone."""
    _stale_copies(folder, 6)
    theirs = []
    for name in ("notes.txt", "directory-abc.pickle", "directory-old.pickle.bak", "x.tmp"):
        (folder / name).write_bytes(b"theirs")
        theirs.append(_aged(folder / name, 90 * 86400))
    outside = tmp_path / "elsewhere.pickle"
    outside.write_bytes(b"not ours to delete")
    link = folder / _copy_name(99)
    link.symlink_to(outside)
    _aged(link, 90 * 86400)
    cache.load_directory(None)
    assert all(p.exists() for p in theirs)
    assert link.is_symlink()
    assert outside.read_bytes() == b"not ours to delete"

    shared = tmp_path / "shared"
    shared.mkdir()
    before = _stale_copies(shared, 6)
    shared.chmod(0o777)
    cache._prune(shared, keep="")
    assert all(p.exists() for p in before)


def test_a_copy_owned_by_someone_else_is_not_pruned(folder: Path) -> None:
    import os

    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    stale = _stale_copies(folder, 6)
    os.chown(stale[-1], 65534, -1, follow_symlinks=False)  # nobody's
    cache.load_directory(None)
    assert stale[-1].exists()
    assert not stale[-2].exists()


def test_abandoned_temporary_files_are_pruned_fresh_ones_kept(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True)
    abandoned = folder / ".directory-abc123.tmp"
    abandoned.write_bytes(b"half")
    _aged(abandoned, 2 * 3600)
    fresh = folder / ".directory-def456.tmp"  # another process may be writing it
    fresh.write_bytes(b"half")
    cache.load_directory(None)
    assert not abandoned.exists()
    assert fresh.exists()
