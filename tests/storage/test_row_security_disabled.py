# One store only (the shared server): a disabled person's own server login.
"""A disabled account under row-level security (issue 18, item 5; the review's finding): the
console disables a person while their login, and the login's group, stay on the server until
its administrator removes them. The application refuses them; the server must too: a disabled
person's own SQL, on their own still-open connection, reads and writes nothing the policies
guard. Tested from the refused side against the real throwaway server, and enabled again to
show it is the disabling that refuses."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from intake.services import accounts as console
from intake.services import matching
from intake.storage.pg import console_security, roster_security, security
from intake.storage.pg.store import PgStore
from tests.matching.helpers import peer
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact
from tests.storage.test_row_security_worklist import (
    Line,
    _call_with_callback,
    _close,
    _make_line,
)


@pytest.fixture(params=["new-store", "upgraded"])
def line(request: pytest.FixtureRequest, pg_dsn: str) -> Iterator[Line]:
    """Row security switched on at this version; or switched on at an older one (the policies
    as they were before) and brought up to date by the schema step that does it
    (`console_security.LAST_STEP`; a later step may follow it)."""
    owner = make_shared_store(pg_dsn)
    before = security.STATEMENTS + roster_security.STATEMENTS
    if request.param == "new-store":
        made = _make_line(pg_dsn, owner, before + console_security.LAST)
    else:
        made = _make_line(pg_dsn, owner, before)
        with psycopg.connect(pg_dsn, autocommit=True) as admin, admin.transaction():
            for statement in console_security.LAST_STEP:  # the step that brings it up to date
                admin.execute(statement)
    try:
        yield made
    finally:
        _close(made, pg_dsn)


def _counts(station: PgStore) -> list[int]:
    return [
        station.query(f"SELECT count(*) FROM {table}")[0][0]
        for table in ("contacts", "notes", "callbacks", "drafts", "peers", "match_requests")
    ]


def _disable(line: Line, who: str, disabled: bool = True) -> None:
    console.set_disabled(line.owner, line.accounts["sup"], line.accounts[who], disabled)


def test_a_disabled_volunteers_own_sql_reads_and_writes_none_of_their_calls(line: Line) -> None:
    _contact, item = _call_with_callback(line, "alice")
    alice, alice_id = line.stations["alice"], line.accounts["alice"]
    assert alice.query("SELECT count(*) FROM contacts") == [(1,)]
    _disable(line, "alice")
    assert alice.query("SELECT count(*) FROM contacts") == [(0,)]
    assert alice.query("SELECT count(*) FROM callbacks") == [(0,)]
    with pytest.raises(psycopg.Error):
        alice.query("SELECT intake_claim_callback(%s)", (item,))
    record = contact()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.save_contact(record, alice_id)
    assert line.owner.query("SELECT count(*) FROM contacts") == [(1,)]
    assert line.owner.query("SELECT claimed_by FROM callbacks") == [(None,)]
    _disable(line, "alice", False)  # enabled again: the same login reads its call again
    assert alice.query("SELECT count(*) FROM contacts") == [(1,)]


def test_a_disabled_coordinators_own_sql_reads_nothing_of_the_line(line: Line) -> None:
    _call_with_callback(line, "alice")
    matching.save_peer(line.owner, peer(name="Dr Z"), line.accounts["sup"])
    coord = line.stations["coord"]
    assert _counts(coord) == [1, 0, 1, 0, 1, 0]
    _disable(line, "coord")
    assert _counts(coord) == [0, 0, 0, 0, 0, 0]
    _disable(line, "coord", False)
    assert _counts(coord) == [1, 0, 1, 0, 1, 0]
