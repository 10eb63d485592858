# One store only (the SQLCipher file): creating, opening and unlocking the encrypted file with its
#   passphrase.
"""The open/create/unlock path against real encrypted files in tmp_path."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from intake.storage.account_store import check_pin, list_accounts
from intake.storage.db import REQUIRED_PRAGMAS, create_store, key_pragma, open_store
from intake.storage.errors import (
    NotEncrypted,
    StoreDamaged,
    StoreExists,
    StoreFromFuture,
    StoreHeaderDamaged,
    StoreMissing,
    WrongPassphrase,
)
from intake.storage.location import store_exists
from intake.storage.migrations import LATEST
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR, make_store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_create_then_open_with_the_same_passphrase(store_path: Path) -> None:
    store = make_store(store_path)
    assert store.cipher_version.startswith("4.")
    assert store.schema_version == LATEST
    store.close()
    reopened = open_store(store_path, PASSPHRASE)
    [account] = list_accounts(reopened)
    assert account.display_name == SUPERVISOR
    assert check_pin(reopened, account.id, PIN) == account
    assert check_pin(reopened, account.id, "000000") is None
    reopened.close()


def test_file_is_encrypted_and_plain_sqlite_cannot_read_it(existing_store: Path) -> None:
    raw = existing_store.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert SUPERVISOR.encode() not in raw
    plain = sqlite3.connect(existing_store)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()
    assert existing_store.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_wrong_passphrase_is_typed_and_leaves_the_file_untouched(
    existing_store: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    before, files = digest(existing_store), siblings(existing_store)
    for attempt in ("wrong passphrase!", PASSPHRASE.upper(), PASSPHRASE + " "):
        with pytest.raises(WrongPassphrase):
            open_store(existing_store, attempt)
    assert digest(existing_store) == before
    assert siblings(existing_store) == files
    assert capfd.readouterr().err == ""  # SQLCipher's own logging is silenced
    open_store(existing_store, PASSPHRASE).close()


@pytest.mark.parametrize(
    "passphrase",
    [
        "it's \"quoted\" ''; DROP TABLE accounts; --",
        "   spaces   around   ",
        "Ça, c'est l'été à Québec",
        "😀 emoji passphrase",
    ],
)
def test_awkward_passphrases_work(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "store.db"
    make_store(path, passphrase).close()
    store = open_store(path, passphrase)
    assert list_accounts(store)[0].display_name == SUPERVISOR
    store.close()
    with pytest.raises(WrongPassphrase):
        open_store(path, passphrase.strip() + "x")


def test_composed_and_decomposed_accents_open_the_same_store(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    make_store(path, "répondre à l'appel de nuit").close()
    open_store(path, "re\u0301pondre a\u0300 l'appel de nuit").close()


def test_control_characters_are_refused_before_sqlcipher_sees_them() -> None:
    with pytest.raises(ValueError, match="control"):
        key_pragma("abc\x00def")
    assert key_pragma("it's") == "PRAGMA key = 'it''s'"


def test_missing_store_is_not_created(store_path: Path) -> None:
    with pytest.raises(StoreMissing):
        open_store(store_path, PASSPHRASE)
    assert not store_path.exists()
    assert not store_exists(store_path)


def test_existing_store_is_never_replaced(existing_store: Path) -> None:
    before = digest(existing_store)
    with pytest.raises(StoreExists):
        create_store(existing_store, "another good passphrase")
    assert digest(existing_store) == before


def test_an_empty_file_left_by_an_interrupted_creation_counts_as_no_store(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.touch()
    assert not store_exists(store_path)
    make_store(store_path).close()
    assert store_exists(store_path)


def test_plain_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotEncrypted):
        open_store(path, PASSPHRASE)
    assert digest(path) == before


def test_damaged_file_is_reported_and_left_as_is(existing_store: Path) -> None:
    store = open_store(existing_store, PASSPHRASE)
    [(root,)] = store.query("SELECT rootpage FROM sqlite_master WHERE name = 'accounts'")
    store.close()
    assert root > 1
    data = bytearray(existing_store.read_bytes())
    data[(root - 1) * 4096 + 100] ^= 0xFF  # one byte inside the accounts table's page
    existing_store.write_bytes(bytes(data))
    before = digest(existing_store)
    store = open_store(existing_store, PASSPHRASE)  # page 1 (the schema) is intact
    with pytest.raises(StoreDamaged):
        list_accounts(store)
    store.close()
    assert digest(existing_store) == before


@pytest.mark.parametrize("where", [0, 7, 15])
def test_a_damaged_salt_is_not_reported_as_a_wrong_passphrase(
    existing_store: Path, where: int
) -> None:
    """SQLCipher refuses a damaged salt exactly as a wrong key; the head beside the store
    remembers the salt, so the person is not sent to retype a passphrase that is right."""
    data = bytearray(existing_store.read_bytes())
    data[where] ^= 0x01
    existing_store.write_bytes(bytes(data))
    before = digest(existing_store)
    for attempt in (PASSPHRASE, "another passphrase"):
        with pytest.raises(StoreHeaderDamaged):
            open_store(existing_store, attempt)
    assert digest(existing_store) == before


def test_a_store_cut_short_of_a_whole_page_is_damaged_not_a_wrong_passphrase(
    existing_store: Path,
) -> None:
    existing_store.write_bytes(existing_store.read_bytes()[:1000])  # not even page 1
    with pytest.raises(StoreHeaderDamaged):
        open_store(existing_store, PASSPHRASE)


def test_without_its_head_file_a_wrong_passphrase_is_still_a_wrong_passphrase(
    existing_store: Path,
) -> None:
    existing_store.with_name(existing_store.name + ".head").unlink(missing_ok=True)
    with pytest.raises(WrongPassphrase):
        open_store(existing_store, "wrong passphrase!")


def test_store_from_a_newer_version_is_refused_untouched(existing_store: Path) -> None:
    conn = sqlcipher3.connect(existing_store)
    conn.execute(key_pragma(PASSPHRASE))
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    before = digest(existing_store)
    with pytest.raises(StoreFromFuture) as info:
        open_store(existing_store, PASSPHRASE)
    title, advice = info.value.explain()
    assert "newer version" in title
    assert "delete" not in advice.lower()
    assert digest(existing_store) == before


def test_security_settings_are_in_force_after_open(existing_store: Path) -> None:
    store = open_store(existing_store, PASSPHRASE)
    for name, (_value, expected) in REQUIRED_PRAGMAS.items():
        assert store.query(f"PRAGMA {name}")[0][0] == expected, name
    store.close()


def test_failed_creation_leaves_nothing_behind(store_path: Path) -> None:
    def broken(conn: object) -> None:
        raise RuntimeError("simulated failure while adding the first account")

    with pytest.raises(RuntimeError):
        create_store(store_path, PASSPHRASE, initialize=broken)
    assert not store_path.exists()
    assert list(store_path.parent.iterdir()) == []


def test_a_store_whose_protections_cannot_be_enforced_is_refused(
    existing_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake.storage import db
    from intake.storage.errors import UnsafeSettings

    # Ask for a value SQLite will not report back (as a build without it would): refused.
    monkeypatch.setitem(db.REQUIRED_PRAGMAS, "temp_store", ("MEMORY", 1))
    with pytest.raises(UnsafeSettings):
        open_store(existing_store, PASSPHRASE)
