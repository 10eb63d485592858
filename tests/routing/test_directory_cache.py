"""The compiled copy of the directory: the same programs as a full load, never a stale one."""

from __future__ import annotations

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
