# One store only (the SQLCipher file): backup, restore, rekey and check of the encrypted file,
#   bytes flipped in it.
"""Backup, restore, rekey and check, each proving its result; tampering is caught."""

from __future__ import annotations

import hashlib
import random
import uuid
from pathlib import Path

import pytest

from intake.storage.db import Store, open_store
from intake.storage.errors import BackupFailed, StoreBusy, StoreDamaged, StoreError, WrongPassphrase
from intake.storage.maintenance import backup_store, check_store, rekey_store, restore_store
from intake.storage.records import add_note, save_contact
from tests.conftest import PASSPHRASE
from tests.storage.helpers import contact

BACKUP_PASSPHRASE = "une autre phrase, pour la sauvegarde"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed(store: Store, actor: str, count: int = 5) -> None:
    for index in range(count):
        record = contact()
        save_contact(store, record, actor)
        add_note(store, str(uuid.uuid4()), record.id, f"note {index}", actor)


def test_check_reports_a_clean_store(store: Store, store_path: Path, actor: str) -> None:
    seed(store, actor)
    store.close()
    report = check_store(store_path, PASSPHRASE)
    assert report.ok, report


def test_backup_is_encrypted_verified_and_restorable(
    store: Store, store_path: Path, actor: str, tmp_path: Path
) -> None:
    seed(store, actor)
    counts = store.counts()
    dest = tmp_path / "backups" / "monday.db"
    dest.parent.mkdir()
    backup_store(store, dest, BACKUP_PASSPHRASE, actor)
    assert dest.stat().st_mode & 0o077 == 0
    assert not dest.read_bytes().startswith(b"SQLite format 3")
    assert sorted(p.name for p in dest.parent.iterdir() if not p.name.endswith(".lock")) == [
        "monday.db",
        "monday.db.head",  # its own head, so it can be checked or opened where it is
    ]
    with pytest.raises(WrongPassphrase):
        open_store(dest, PASSPHRASE)  # its own passphrase, not the store's
    copy = open_store(dest, BACKUP_PASSPHRASE)
    assert copy.counts() == counts
    copy.close()
    assert store.query("SELECT count(*) FROM audit WHERE action = 'backup'")[0][0] == 1
    # Lose the store's data, then restore it from the backup under a new store passphrase.
    store.close()
    store_path.write_bytes(b"")
    restore_store(dest, BACKUP_PASSPHRASE, store_path, "restored store passphrase")
    restored = open_store(store_path, "restored store passphrase")
    restored_counts = restored.counts()
    restored.close()
    assert restored_counts["contacts"] == counts["contacts"]
    assert restored_counts["notes"] == counts["notes"]
    assert check_store(store_path, "restored store passphrase").ok


def test_restore_refuses_a_wrong_passphrase_or_damaged_backup_and_keeps_the_live_store(
    store: Store, store_path: Path, actor: str, tmp_path: Path
) -> None:
    seed(store, actor)
    dest = tmp_path / "b.db"
    backup_store(store, dest, BACKUP_PASSPHRASE, actor)
    store.close()
    live = digest(store_path)
    with pytest.raises(WrongPassphrase):
        restore_store(dest, "not the backup passphrase", store_path, PASSPHRASE)
    data = bytearray(dest.read_bytes())
    data[len(data) // 2] ^= 0x40
    dest.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        restore_store(dest, BACKUP_PASSPHRASE, store_path, PASSPHRASE)
    assert digest(store_path) == live
    assert not [p for p in store_path.parent.iterdir() if "restoring" in p.name]


def test_restore_waits_while_the_store_is_in_use(
    store: Store, store_path: Path, actor: str, tmp_path: Path
) -> None:
    dest = tmp_path / "b.db"
    backup_store(store, dest, BACKUP_PASSPHRASE, actor)
    live = digest(store_path)
    with pytest.raises(StoreBusy):
        restore_store(dest, BACKUP_PASSPHRASE, store_path, PASSPHRASE)
    assert digest(store_path) == live


def test_a_backup_that_cannot_be_proven_is_not_kept(
    store: Store, actor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "b.db"
    dest.write_bytes(b"previous good backup")
    monkeypatch.setattr(Store, "counts", lambda self: {"changed": id(self)})  # copy never matches
    with pytest.raises(BackupFailed):
        backup_store(store, dest, BACKUP_PASSPHRASE, actor)
    assert dest.read_bytes() == b"previous good backup"  # never replaced by an unproven copy
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "new", ["nouvelle phrase de passe, avec « guillemets »", "it's a 'quoted' one"]
)
def test_rekey_is_verified_by_reopening(
    store: Store, store_path: Path, actor: str, new: str
) -> None:
    seed(store, actor, 2)
    store.close()
    rekey_store(store_path, PASSPHRASE, new, actor)
    with pytest.raises(WrongPassphrase):
        open_store(store_path, PASSPHRASE)
    reopened = open_store(store_path, new)
    assert reopened.query("SELECT count(*) FROM audit WHERE action = 'rekey'")[0][0] == 1
    reopened.close()


def test_flipped_bytes_are_reported_as_damage_and_the_file_is_left_as_is(
    store: Store, store_path: Path, actor: str
) -> None:
    seed(store, actor, 20)
    store.close()
    original = store_path.read_bytes()
    rng = random.Random(5)
    detected = 0
    trials = 30
    for _trial in range(trials):
        data = bytearray(original)
        position = rng.randrange(16, len(data))  # past the salt: page contents and HMACs
        data[position] ^= 1 << rng.randrange(8)
        store_path.write_bytes(bytes(data))
        before = digest(store_path)
        try:
            report = check_store(store_path, PASSPHRASE)
            caught = not report.ok
        except (StoreDamaged, WrongPassphrase):
            caught = True  # page 1 damage cannot be told from a wrong key: both refuse to open
        detected += caught
        assert digest(store_path) == before
    assert detected == trials
    store_path.write_bytes(original)
    assert check_store(store_path, PASSPHRASE).ok


def test_damage_message_offers_the_restore(store: Store) -> None:
    title, advice = StoreDamaged().explain()
    assert "tampered" in title
    assert "backup" in advice
