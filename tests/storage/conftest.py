from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.storage.account_store import list_accounts
from intake.storage.db import Store
from tests.conftest import make_store


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = make_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> str:
    return list_accounts(store)[0].id
