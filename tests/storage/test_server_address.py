# One store only (the shared server): TLS for a server on another computer.
"""A shared server on another computer is reached only over TLS, whichever way its address
names it (a reviewer found `hostaddr`, a service name and the environment slipping past)."""

from __future__ import annotations

import pytest

from intake.storage import errors
from intake.storage.pg.store import check_connection_string


@pytest.fixture(autouse=True)
def _no_libpq_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PGHOST", "PGHOSTADDR", "PGSERVICE", "PGSSLMODE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "address",
    [
        "hostaddr=203.0.113.5 dbname=intake",
        "host=localhost hostaddr=203.0.113.5 dbname=intake",
        "service=line dbname=intake",
        "postgresql://intake@db.example.org/intake?sslmode=prefer",
    ],
)
def test_an_address_reaching_another_computer_without_tls_is_refused(address: str) -> None:
    with pytest.raises(errors.InsecureServer):
        check_connection_string(address)


def test_the_environment_naming_a_remote_host_is_refused_without_tls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGHOST", "db.example.org")
    with pytest.raises(errors.InsecureServer):
        check_connection_string("dbname=intake")
    monkeypatch.setenv("PGSSLMODE", "verify-full")
    check_connection_string("dbname=intake")


@pytest.mark.parametrize(
    "address",
    [
        "hostaddr=127.0.0.1 dbname=intake",
        "host=/run/postgresql dbname=intake",
        "postgresql://intake@localhost/intake",
        "hostaddr=203.0.113.5 dbname=intake sslmode=verify-full",
        "service=line dbname=intake sslmode=verify-full",
    ],
)
def test_this_computer_or_tls_is_accepted(address: str) -> None:
    check_connection_string(address)
