# Both stores in every test: each moves a station's SQLCipher file into the shared server.
"""`intake db move-to-server` moves matching too: the roster, the requests (with the
requester's identity, sealed on the way), the matches with their answers, first contacts and
closures, the legal holds; the server then lists, opens and reports them as the file does, and
running the move again adds nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

from intake.pins import hash_pin
from intake.services import matching, worklist
from intake.services.reports import make_report
from intake.storage import roster
from intake.storage.local import LocalRecords
from intake.storage.pg.move import move_file_to_server
from intake.storage.pg.store import open_shared_store
from intake.storage.report_data import Period
from tests.conftest import PASSPHRASE, make_store
from tests.matching.helpers import Conflict, peer, request
from tests.storage.conftest import make_shared_store
from tests.storage.test_db_cli import db

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)


def test_matching_moves_with_the_file_and_twice_adds_nothing(store_path: Path, pg_dsn: str) -> None:
    file = LocalRecords(make_store(store_path))
    boss = file.list_accounts()[0].id
    coordinator = file.add_account("Coco", "coordinator", hash_pin("739105"))
    account = file.add_account("Dr Pat Peer", "peer-supporter", hash_pin("739105"))
    mine = peer(
        name="Dr Pat Peer",
        account_id=account,
        conflicts=(Conflict("supervises", "Royal Columbian", "ICU"),),
    )
    gone = peer(name="Dr Gone", site="Nanaimo")
    for one in (mine, gone):
        matching.save_peer(file, one, coordinator)
    roster.peer_leaves(file, gone.id, coordinator, WHEN)
    asked, other, held = request(), request(site="Nanaimo", wants_outside=True), request()
    for one in (asked, other, held):
        matching.add_request(file, one, coordinator)
    matching.propose(file, "m-accepted", asked.id, mine.id, coordinator, when=WHEN)
    matching.accept(file, "m-accepted", "BC", coordinator, WHEN)
    matching.propose(file, "m-declined", other.id, mine.id, coordinator, when=WHEN)
    matching.decline(file, "m-declined", coordinator, WHEN)
    matching.close(file, held.id, "withdrawn", coordinator, WHEN)
    roster.set_matching_hold(file, "match_requests", held.id, True, boss)
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()

    shared = make_shared_store(pg_dsn)
    try:
        added = move_file_to_server(file.store, shared, None)
        assert (added["peers"], added["match_requests"], added["matches"]) == (2, 3, 2)
        assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before
        # The server reads them back as the file does (opened on this station).
        assert matching.roster(shared, coordinator) == matching.roster(file, coordinator)
        rows = roster.request_list(shared, coordinator, include_closed=True)
        assert len(rows) == 3
        assert rows == roster.request_list(file, coordinator, include_closed=True)
        for one in (asked, other, held):
            assert matching.open_request(shared, one.id, coordinator) == matching.open_request(
                file, one.id, coordinator
            )
            assert roster.matches_for(shared, one.id) == roster.matches_for(file, one.id)
        assert matching.own_matches(shared, account) == matching.own_matches(file, account)
        today = date(2026, 4, 7)
        assert worklist.first_contacts(shared, coordinator, today) == worklist.first_contacts(
            file, coordinator, today
        )
        year = Period(date(2026, 1, 1), date(2026, 12, 31))
        assert make_report(shared, year, WHEN) == make_report(file, year, WHEN)
        # The legal hold moved: retention skips the held request on the server too.
        report = roster.purge_matching(shared, datetime(2027, 9, 1, tzinfo=UTC), 30, boss)
        assert report.held_skipped == 1
        with psycopg.connect(pg_dsn) as conn:
            dump = repr(conn.execute("SELECT * FROM peers, match_requests").fetchall())
        assert "Dr Pat Peer" not in dump
        assert "Casey" not in dump  # the requester's name
        assert "Surrey" not in dump

        again = move_file_to_server(file.store, shared, None)
        assert again == dict.fromkeys(added, 0)
        assert shared.verify_audit() == []
    finally:
        shared.close()
        file.close()


def test_intake_db_purge_on_the_server_shreds_matching_too(pg_dsn: str) -> None:
    shared = make_shared_store(pg_dsn)
    try:
        boss = shared.list_accounts()[0].id
        old = request(requester_name="Dr Old Requester")
        matching.add_request(shared, old, boss)
        matching.close(shared, old.id, "supported", boss, WHEN)
        shared.set_retention_days(30, boss)
    finally:
        shared.close()
    done = db("purge", "--server", pg_dsn, stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "1" in done.stdout.split("Matching")[-1]
    shared = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        assert matching.open_request(shared, old.id, boss).requester_name is None
    finally:
        shared.close()
