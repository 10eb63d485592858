# One store only (the shared server): row-level security on the roster.
"""Who sees what of the roster, requests and matches, enforced by the server (row-level
security, intake/storage/pg/roster_security.py): each person connects with their own login.
A coordinator or supervisor reads everything; a peer supporter only their own entry, their own
matches and those matches' requests; a volunteer nothing (a call only adds a request). Tested
from the refused side: the server itself answers with nothing, whatever the station asks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from intake.pins import hash_pin
from intake.services import matching
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import (
    PgStore,
    add_supervisor,
    create_shared_store,
    open_shared_store,
)
from intake.storage.roster import CoordinatorOnly
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.matching.helpers import peer, request
from tests.storage.test_row_security_worklist import statements_before_worklist_security

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)
WHO = {
    "sup": "supervisor",
    "coco": "coordinator",
    "mine": "peer-supporter",
    "other": "peer-supporter",
    "vol": "volunteer",
}


@dataclass
class Line:
    owner: PgStore
    stations: dict[str, PgStore]
    accounts: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


def _line(pg_dsn: str, version: int | None) -> Iterator[Line]:
    """The line's accounts, each with its own login, row-level security switched on at
    `version` (None: this one), the store then opened by its owner (upgraded)."""
    made = create_shared_store(
        pg_dsn,
        PASSPHRASE,
        initialize=add_supervisor(SUPERVISOR, hash_pin(PIN)),
        **({} if version is None else {"version": version}),
    )
    accounts = {"sup": made.query("SELECT id FROM accounts")[0][0]}  # as any version has it
    for who, role in WHO.items():
        if who != "sup":
            accounts[who] = made.add_account(f"Dr {who.title()}", role, hash_pin("739105"))
    tag = uuid.uuid4().hex[:8]
    roles = {who: f"intake_r{tag}_{who}" for who in accounts}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for role in roles.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        if version is None:
            enable_row_security(admin)
        else:  # the statements of that version's `intake db row-security`
            for statement in statements_before_worklist_security():
                admin.execute(statement)
        for who, role in roles.items():
            # As `intake db map-account`: a coordinator's login joins the supervisors' group.
            map_account(admin, accounts[who], role, supervisor=who in ("sup", "coco"))
    made.close()
    owner = open_shared_store(pg_dsn, PASSPHRASE)  # the owner upgrades an older store
    stations = {
        who: open_shared_store(_as(pg_dsn, role), PASSPHRASE) for who, role in roles.items()
    }
    try:
        yield Line(owner, stations, accounts)
    finally:
        for station in stations.values():
            station.close()
        owner.close()
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for role in roles.values():
                admin.execute(
                    sql.SQL("REASSIGN OWNED BY {} TO intake_admin").format(sql.Identifier(role))
                )
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))


@pytest.fixture(params=[None, 4], ids=["new-store", "upgraded-from-4"])
def line(request: pytest.FixtureRequest, pg_dsn: str) -> Iterator[Line]:
    yield from _line(pg_dsn, request.param)


def _count(station: PgStore, table: str) -> int:
    return int(station.query(f"SELECT count(*) FROM {table}")[0][0])


def _matched(line: Line, peer_of: str) -> tuple[str, str, str]:
    """From the coordinator's own station: a peer linked to `peer_of`'s account, a request,
    the match accepted. (peer id, request id, match id)."""
    coco, actor = line.stations["coco"], line.accounts["coco"]
    supporter = peer(account_id=line.accounts[peer_of], name=f"Dr Peer {peer_of}")
    matching.save_peer(coco, supporter, actor)
    asked = request(requester_name=f"Dr Asked of {peer_of}")
    matching.add_request(coco, asked, actor)
    match_id = str(uuid.uuid4())
    matching.propose(coco, match_id, asked.id, supporter.id, actor, when=WHEN)
    matching.accept(coco, match_id, "BC", actor, WHEN)
    return supporter.id, asked.id, match_id


def test_the_coordinator_and_the_supervisor_read_everything(line: Line) -> None:
    _matched(line, "mine")
    _matched(line, "other")
    for who in ("coco", "sup"):
        station = line.stations[who]
        assert [_count(station, t) for t in ("peers", "match_requests", "matches")] == [2, 2, 2]
        names = {r.id: r for r in matching.request_list(station, line.accounts[who])}
        assert len(names) == 2
        assert len(matching.roster(station, line.accounts[who])) == 2


def test_a_peer_reads_only_their_own_match_and_its_request(line: Line) -> None:
    mine_peer, mine_request, mine_match = _matched(line, "mine")
    _, other_request, other_match = _matched(line, "other")
    station, me = line.stations["mine"], line.accounts["mine"]
    assert [r[0] for r in station.query("SELECT id FROM peers")] == [mine_peer]
    assert [r[0] for r in station.query("SELECT id FROM matches")] == [mine_match]
    assert [r[0] for r in station.query("SELECT id FROM match_requests")] == [mine_request]
    own = matching.own_matches(station, me)
    assert [(m.request.id, m.request.requester_name) for m in own] == [
        (mine_request, "Dr Asked of mine")
    ]
    # What the station asks of another's match, the server answers with nothing.
    assert station.query("SELECT id FROM match_requests WHERE id = %s", (other_request,)) == []
    with station.writing() as w:
        changed = w.q(
            "UPDATE matches SET first_contact_at = 'x' WHERE id = %s", (other_match,)
        ).rowcount
    assert changed == 0
    # Their own steps go through, from their own login.
    matching.record_first_contact(station, mine_match, me, WHEN)
    matching.close(station, mine_request, "supported", me, WHEN)
    assert [m.closed_at for m in matching.own_matches(station, me)] == [WHEN.isoformat()]
    with pytest.raises(CoordinatorOnly):
        matching.close(station, other_request, "supported", me, WHEN)
    assert _count(line.owner, "match_requests WHERE status = 'matched'") == 1


def test_a_volunteer_adds_a_request_from_a_call_and_reads_none_of_it(line: Line) -> None:
    _matched(line, "mine")
    station, me = line.stations["vol"], line.accounts["vol"]
    made = [
        matching.request_peer(
            station,
            "from-a-call",
            "phone",
            matching.PeerAsk(consent=True, site="Nanaimo", name="Dr Caller", reach="250"),
            province="BC",
            role="physician",
            contact_id=None,
            actor=me,
            when=WHEN,
        )
        for _ in range(2)
    ]
    assert made == ["created", "unchanged"]  # a retried save, though this login cannot read it
    assert [_count(station, t) for t in ("peers", "match_requests", "matches")] == [0, 0, 0]
    with station.writing() as w:
        assert w.q("UPDATE match_requests SET status = 'closed'").rowcount == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege), station.writing() as w:
        w.q("UPDATE peers SET capacity = 0")  # no login of the group writes the roster
    with pytest.raises(psycopg.errors.InsufficientPrivilege), station.writing() as w:
        # In another's name: refused by the server itself.
        w.q(
            "INSERT INTO match_requests (id, created_at, source, consent, province, "
            "organization, site, department, language, created_by) "
            "VALUES ('forged', 'x', 'phone', true, 'BC', ''::bytea, ''::bytea, ''::bytea, "
            "'en', %s)",
            (line.accounts["coco"],),
        )
    with pytest.raises(CoordinatorOnly):
        matching.request_list(station, me)
    rows = {r.id for r in matching.request_list(line.stations["coco"], line.accounts["coco"])}
    assert "from-a-call" in rows
