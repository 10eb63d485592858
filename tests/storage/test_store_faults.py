# One store only (the SQLCipher file): the file deleted or replaced under the open application.
"""Faults while the store is open are typed and say what happened: a store deleted or replaced
under the application is not blamed on folder permissions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake.storage.account_store import record_event
from intake.storage.db import Store
from intake.storage.errors import StoreGone


def test_a_store_deleted_while_open_says_so(store: Store, actor: str, store_path: Path) -> None:
    store_path.unlink()
    with pytest.raises(StoreGone) as info:
        record_event(store, actor, "lock")
    assert "deleted or replaced" in info.value.explain()[0]


def test_a_store_replaced_while_open_says_so(
    store: Store, actor: str, store_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(store_path, copy)
    store_path.unlink()
    shutil.copy(copy, store_path)
    with pytest.raises(StoreGone):
        record_event(store, actor, "lock")
