from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.pins import hash_pin
from intake.storage.account_store import list_accounts
from intake.storage.db import Store
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore, add_supervisor, create_shared_store
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR, make_store
from tests.pg_server import PgServer, throwaway_server


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = make_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def actor(store: Store) -> str:
    return list_accounts(store)[0].id


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server for the whole run (see tests/pg_server.py).

    Without PostgreSQL on the machine the shared-store tests are skipped, saying why; under CI
    (CI=true) that is a failure, like any other failure to start."""
    with throwaway_server() as server:
        yield server


@pytest.fixture
def pg_dsn(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database on the test server."""
    dsn = pg_server.create_database()
    yield dsn
    pg_server.drop_database(dsn)


def make_shared_store(dsn: str) -> PgStore:
    return create_shared_store(
        dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN))
    )


@pytest.fixture(params=["sqlcipher", "postgres"])
def any_store(request: pytest.FixtureRequest, store_path: Path) -> Iterator[RecordStore]:
    """The same tests against both stores: the SQLCipher file and the shared PostgreSQL store."""
    opened: RecordStore
    if request.param == "sqlcipher":
        opened = LocalRecords(make_store(store_path))
    else:
        opened = make_shared_store(request.getfixturevalue("pg_dsn"))
    yield opened
    opened.close()


@pytest.fixture
def any_actor(any_store: RecordStore) -> str:
    return any_store.list_accounts()[0].id
