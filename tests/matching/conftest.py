from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.pins import hash_pin
from intake.storage.account_store import insert_account, list_accounts
from intake.storage.db import Store
from tests.conftest import PIN, make_store


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = make_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def coordinator(store: Store) -> str:
    """The first supervisor, who coordinates matching until the program names coordinators."""
    return list_accounts(store)[0].id


@pytest.fixture
def volunteer(store: Store) -> str:
    with store.transaction() as conn:
        return insert_account(conn, "Robin Volunteer", "volunteer", hash_pin(PIN))
