# One store only (the shared server): row-level security (who reads what is enforced by
#   PostgreSQL).
"""Who sees what, enforced by the server: each person connects with their own login role,
mapped to their line account (intake/storage/pg/security.py). A volunteer's connection reads
its own contacts and notes and, of others', only the open worklist; a claim reveals the number
to the one who won it; supervisors read everything. Tested from the refused side: the server
itself answers with nothing, whatever the station asks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import sql

from intake.pins import hash_pin
from intake.storage.errors import NotAllowed
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import PgStore, open_shared_store
from intake.storage.records import RecordMissing
from tests.conftest import PASSPHRASE
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact


@dataclass
class Line:
    owner: PgStore
    stations: dict[str, PgStore]
    accounts: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    owner = make_shared_store(pg_dsn)
    tag = uuid.uuid4().hex[:8]
    accounts = {
        "sup": owner.list_accounts()[0].id,
        "alice": owner.add_account("Alice", "volunteer", hash_pin("739105")),
        "bruno": owner.add_account("Bruno", "volunteer", hash_pin("739105")),
    }
    roles = {who: f"intake_t{tag}_{who}" for who in accounts}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for role in roles.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        enable_row_security(admin)
        for who, role in roles.items():
            map_account(admin, accounts[who], role, supervisor=who == "sup")
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


def _seed(line: Line, who: str, word: str) -> tuple[str, str]:
    """A contact of `who` with a note and an open callback, saved from their own station."""
    station, actor = line.stations[who], line.accounts[who]
    record = contact(caller_name=f"Dr {word}")
    station.save_contact(record, actor)
    station.add_note(f"note-{word}", record.id, f"{word} commun", actor)
    callback = f"cb-{word}"
    station.add_callback(
        callback,
        record.id,
        number="+15145550" + str(len(word)).zfill(3),
        best_time="evening",
        time_zone="America/Toronto",
        actor=actor,
    )
    return record.id, callback


def test_a_volunteer_reads_only_their_own_contacts_and_notes(line: Line) -> None:
    alice_contact, _ = _seed(line, "alice", "alice")
    bruno_contact, bruno_callback = _seed(line, "bruno", "bruno")
    alice = line.stations["alice"]
    assert alice.session_account == line.accounts["alice"]
    assert [r.id for r in alice.history_page().rows] == [alice_contact]
    assert alice.search_notes("commun") == [(alice_contact, "note-alice")]
    assert alice.search_notes("bruno") == []
    with pytest.raises(RecordMissing):
        alice.get_contact(bruno_contact, line.accounts["alice"])
    assert alice.callback_number(bruno_callback) is None
    # Even raw SQL on the volunteer's connection gets nothing of Bruno's.
    assert alice.query("SELECT count(*) FROM notes") == [(1,)]
    assert alice.query("SELECT count(*) FROM note_words WHERE note_id = 'note-bruno'") == [(0,)]
    assert alice.query("SELECT id FROM contacts") == [(alice_contact,)]
    # A supervisor reads everything.
    supervisor = line.stations["sup"]
    assert {r.id for r in supervisor.history_page().rows} == {alice_contact, bruno_contact}
    assert len(supervisor.search_notes("commun")) == 2


def test_the_open_worklist_shows_others_items_without_their_numbers(line: Line) -> None:
    _seed(line, "alice", "alice")
    bruno_contact, bruno_callback = _seed(line, "bruno", "bruno")
    alice = line.stations["alice"]
    items = alice.open_worklist()
    assert ("callback", bruno_callback, bruno_contact, None, None) in items
    with pytest.raises(psycopg.errors.UndefinedColumn):
        alice.query("SELECT number FROM open_worklist")


def test_a_claim_reveals_the_number_to_the_one_who_won_it_only(line: Line) -> None:
    _bruno_contact, bruno_callback = _seed(line, "bruno", "bruno")
    sup_contact, sup_callback = _seed(line, "sup", "superviseur")
    alice, actor = line.stations["alice"], line.accounts["alice"]
    assert alice.claim_callback(bruno_callback, actor) == "+15145550005"
    assert alice.callback_number(bruno_callback) == "+15145550005"
    assert alice.claim_callback(bruno_callback, actor) == "+15145550005"  # already hers
    # Claiming in someone else's name is refused by the station; by the server, too.
    with pytest.raises(NotAllowed):
        alice.claim_callback(sup_callback, line.accounts["sup"])
    # A raw claim is refused outright: no login writes `claimed_by` of a callback by hand
    # (work_security.VOLUNTEER_COLUMNS; before, it changed no row it could not see).
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.query(
            "UPDATE callbacks SET claimed_by = %s WHERE id = %s RETURNING id",
            (line.accounts["alice"], sup_callback),
        )
    assert line.owner.claimed_by(sup_callback) is None
    claims = [r for r in line.owner.audit_trail() if r[3] == "callback claimed"]
    assert [(r[1], r[2]) for r in claims] == [(actor, bruno_callback)]
    assert line.owner.verify_audit() == []
    assert sup_contact


def test_a_volunteer_cannot_write_a_contact_in_someone_elses_name(line: Line) -> None:
    alice = line.stations["alice"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.save_contact(contact(), line.accounts["bruno"])
    assert line.owner.counts()["contacts"] == 0


def test_a_login_mapped_away_from_its_account_can_try_no_account(line: Line, pg_dsn: str) -> None:
    """Alice's login leaked, so the owner maps her account to a new login: the old one no longer
    acts for anyone. It may not try another account's PIN (which would lock that account out),
    and it is out of the group it was given."""
    old = line.stations["alice"]
    old_login = old.query("SELECT session_user")[0][0]
    sup = line.accounts["sup"]
    new = f"intake_t{uuid.uuid4().hex[:8]}_alice2"
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(new)))
        try:
            map_account(admin, line.accounts["alice"], new, supervisor=False)
            for _try in range(6):
                with pytest.raises(NotAllowed):
                    old.check_pin(sup, "000000")
            row = line.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (sup,))
            assert row == [(0,)]
            member = admin.execute(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s "
                "AND g.rolname IN ('intake_volunteer', 'intake_supervisor')",
                (old_login,),
            ).fetchone()
            assert member == (0,)
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(new)))


def test_a_group_login_mapped_to_no_account_tries_no_ones_pin(line: Line, pg_dsn: str) -> None:
    """A login put in the volunteers' group by hand, never mapped to an account: the server's
    PIN function refuses its tries for any account (they would lock that account out)."""
    stray = f"intake_t{uuid.uuid4().hex[:8]}_stray"
    sup = line.accounts["sup"]
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(stray)))
        admin.execute(sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(stray)))
        station = open_shared_store(_as(pg_dsn, stray), PASSPHRASE)
        try:
            for _try in range(6):
                with pytest.raises(NotAllowed):
                    station.check_pin(sup, "000000")
            row = line.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (sup,))
            assert row == [(0,)]
        finally:
            station.close()
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(stray)))
