# One store only (the SQLCipher file): SQLCipher's page cache.
"""The open store keeps a page cache large enough for the indexes a note search walks: SQLCipher
decrypts each page it reads, and with SQLite's 2 MB default most searches decrypted the same
index pages again (see intake.storage.db.CACHE_KIB; the figures are in tests/bench)."""

from __future__ import annotations

from pathlib import Path

from intake.storage.db import CACHE_KIB, Store, open_store
from tests.conftest import PASSPHRASE, make_store


def test_the_store_opens_with_the_larger_page_cache(store: Store) -> None:
    assert store.query("PRAGMA cache_size")[0][0] == -CACHE_KIB
    assert CACHE_KIB >= 16_000  # SQLite's default is 2,000 KiB


def test_a_reopened_store_has_it_too(store_path: Path) -> None:
    make_store(store_path).close()
    again = open_store(store_path, PASSPHRASE)
    try:
        assert again.query("PRAGMA cache_size")[0][0] == -CACHE_KIB
    finally:
        again.close()
