# One store only (the shared server): row-level security on the worklist.
"""The worklist and the answers under row-level security (intake/storage/pg/work_security.py),
tested with per-person logins against the real throwaway server, from the refused side: a
volunteer works the line's open list and reads the number of the item it holds, another
volunteer reads neither that number nor those attempts, whatever it asks the server; a
supervisor and a coordinator read all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import psycopg
import pytest
from psycopg import sql

from intake.pins import hash_pin
from intake.services import worklist
from intake.services.reports import make_report
from intake.storage import feedback
from intake.storage.errors import NotAllowed, StoreNeedsOwner
from intake.storage.pg import console_security, roster_security, schema, security, work_security
from intake.storage.pg.security import map_account
from intake.storage.pg.store import PgStore, create_shared_store, open_shared_store
from intake.storage.report_data import Period
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact

NUMBER = "+15145550199"


@dataclass
class Line:
    owner: PgStore
    stations: dict[str, PgStore]
    accounts: dict[str, str]
    logins: dict[str, str]

    def open_stations(self, pg_dsn: str) -> None:
        self.stations = {
            who: open_shared_store(_as(pg_dsn, login), PASSPHRASE)
            for who, login in self.logins.items()
        }


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


PEOPLE = {
    "sup": "supervisor",
    "coord": "coordinator",
    "alice": "volunteer",
    "bruno": "volunteer",
    "carol": "volunteer",
}


def _make_line(
    pg_dsn: str,
    owner: PgStore,
    statements: list[str],
    *,
    open_stations: bool = True,
    sees_all: tuple[str, ...] = ("sup", "coord"),
) -> Line:
    tag = uuid.uuid4().hex[:8]
    accounts = {"sup": owner.query("SELECT id FROM accounts")[0][0]}  # as any version has it
    for who, role in PEOPLE.items():
        if who != "sup":
            accounts[who] = owner.add_account(who.title(), role, hash_pin("739105"))
    roles = {who: f"intake_t{tag}_{who}" for who in accounts}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for role in roles.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        with admin.transaction():
            for statement in statements:
                admin.execute(statement)
        for who, role in roles.items():
            map_account(admin, accounts[who], role, supervisor=who in sees_all)
    made = Line(owner, {}, accounts, roles)
    if open_stations:
        made.open_stations(pg_dsn)
    return made


def _close(line: Line, pg_dsn: str) -> None:
    for station in line.stations.values():
        station.close()
    line.owner.close()
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for role in line.logins.values():
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    made = _make_line(pg_dsn, make_shared_store(pg_dsn), security.STATEMENTS)
    try:
        yield made
    finally:
        _close(made, pg_dsn)


def _call_with_callback(line: Line, who: str) -> tuple[str, str]:
    """A call taken by `who` at their own station, with a callback: one open worklist item."""
    station, actor = line.stations[who], line.accounts[who]
    record = contact()
    station.save_contact(record, actor)
    station.add_callback(
        f"cb-{record.id}",
        record.id,
        number=NUMBER,
        best_time="2026-11-23T18:30:00-05:00",
        time_zone="America/Montreal",
        actor=actor,
    )
    return record.id, f"cb-{record.id}"


def _work_the_item(line: Line) -> str:
    """Alice took the call; Bruno claims its item from the open list and records an attempt."""
    _contact, item = _call_with_callback(line, "alice")
    bruno, bruno_id = line.stations["bruno"], line.accounts["bruno"]
    seen = {i.id: i for i in worklist.open_items(bruno)}
    assert item in seen
    assert seen[item].kind == "callback"
    assert seen[item].time_zone == "America/Montreal"
    assert seen[item].claimed_by is None
    assert seen[item].best_time is None  # not his contact, not his item: no agreed time
    assert not seen[item].has_number
    worklist.claim(bruno, item, bruno_id)
    worklist.record_attempt(bruno, item, bruno_id, "no-answer")
    return item


def test_a_volunteer_works_an_item_of_anothers_call_and_reads_its_number(line: Line) -> None:
    item = _work_the_item(line)
    bruno, bruno_id = line.stations["bruno"], line.accounts["bruno"]
    assert worklist.reveal_number(bruno, item, bruno_id) == NUMBER
    held = worklist.get_item(bruno, item)
    assert held is not None
    assert held.claimed_by == bruno_id
    assert held.has_number
    assert held.attempts == 1
    assert [r for _at, r in worklist.attempts(bruno, item)] == ["no-answer"]
    summary = worklist.summary(bruno)
    assert summary.open == 1
    worklist.close(bruno, item, bruno_id, "helped")
    assert worklist.open_items(bruno) == []
    assert line.owner.query("SELECT status FROM callbacks WHERE id = %s", (item,)) == [("done",)]
    assert line.owner.verify_audit() == []


def test_another_volunteer_cannot_read_that_number_nor_those_attempts(line: Line) -> None:
    item = _work_the_item(line)
    carol, carol_id = line.stations["carol"], line.accounts["carol"]
    # The open list shows the item, held by Bruno, without a number or an agreed time.
    seen = {i.id: i for i in worklist.open_items(carol)}
    assert seen[item].claimed_by == line.accounts["bruno"]
    assert seen[item].best_time is None
    assert not seen[item].has_number
    with pytest.raises(worklist.AlreadyClaimed):
        worklist.claim(carol, item, carol_id)
    with pytest.raises(NotAllowed):
        worklist.reveal_number(carol, item, carol_id)
    assert worklist.attempts(carol, item) == []
    # Asked directly, the server gives her nothing of it.
    assert carol.query("SELECT number FROM callbacks") == []
    assert carol.query("SELECT count(*) FROM work_attempts") == [(0,)]
    assert carol.query("SELECT callback_id, best_time FROM intake_work_queue") == [(None, None)]
    taken = carol.query(
        "UPDATE work_items SET claimed_by = %s WHERE id = %s RETURNING id", (carol_id, item)
    )
    assert taken == []
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        carol.query(
            "INSERT INTO work_attempts (id, item_id, at, actor, result) "
            "VALUES ('x', %s, '2026-11-23', %s, 'reached')",
            (item, carol_id),
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        carol.query("DELETE FROM work_items")
    assert line.owner.query("SELECT claimed_by FROM work_items WHERE id = %s", (item,)) == [
        (line.accounts["bruno"],)
    ]


@pytest.mark.parametrize("who", ["sup", "coord"])
def test_supervisors_and_coordinators_read_all(line: Line, who: str) -> None:
    item = _work_the_item(line)
    station, actor = line.stations[who], line.accounts[who]
    assert worklist.reveal_number(station, item, actor) == NUMBER
    assert [r for _at, r in worklist.attempts(station, item)] == ["no-answer"]
    assert station.query("SELECT count(*) FROM callbacks") == [(1,)]
    seen = worklist.get_item(station, item)
    assert seen is not None
    assert seen.has_number
    assert seen.best_time is not None


def test_answers_are_added_by_anyone_and_read_back_by_supervisors_only(line: Line) -> None:
    alice = line.stations["alice"]
    day = date(2026, 11, 23)
    added = feedback.save_feedback(
        alice, str(uuid.uuid4()), day=day, channel="kiosk", language="fr", rating=4, found=True
    )
    assert added == "created"
    assert (
        feedback.save_survey(
            alice,
            str(uuid.uuid4()),
            day=day,
            channel="closure",
            language="en",
            helpful=5,
            recommend=True,
        )
        == "created"
    )
    for answers in ("rating, found FROM feedback", "helpful, recommend FROM survey"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.query(f"SELECT {answers}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        feedback.feedback_summary(alice)
    assert feedback.feedback_summary(line.stations["sup"]).answers == 1
    assert feedback.survey_summary(line.stations["coord"]).answers == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.query("DELETE FROM feedback")


def statements_before_worklist_security() -> list[str]:
    """What `intake db row-security` ran before the worklist's policies (schema version 6) and
    the console's grants (version 7) and server functions (the step after it) existed."""
    return [
        s
        for s in security.STATEMENTS
        if s not in work_security.STATEMENTS
        and s not in console_security.STATEMENTS
        and "console_settings" not in s
        and "disabled_at" not in s
    ]


def test_a_store_whose_row_security_was_on_before_gets_the_worklist_at_its_owners_open(
    pg_dsn: str,
) -> None:
    """Row security switched on at the version before this step (its statements then): the
    stations are told the store needs its owner; once the owner has opened it (the step ran),
    a volunteer works the list, and the others read only what they may."""
    before = statements_before_worklist_security()
    owner = create_shared_store(
        pg_dsn,
        PASSPHRASE,
        initialize=lambda w: w.q("SELECT 1"),
        version=schema.STEPS.index(work_security.ROW_SECURITY_STEP) + 1,
    )
    owner.add_account(SUPERVISOR, "supervisor", hash_pin(PIN))
    # Mapped as `map-account` did then: the coordinator in the volunteers' group.
    made = _make_line(pg_dsn, owner, before, open_stations=False, sees_all=("sup",))
    try:
        with pytest.raises(StoreNeedsOwner):
            open_shared_store(_as(pg_dsn, made.logins["bruno"]), PASSPHRASE)
        made.owner.close()
        made.owner = open_shared_store(pg_dsn, PASSPHRASE)  # the owner's open runs the step
        made.open_stations(pg_dsn)
        item = _work_the_item(made)
        assert made.stations["carol"].query("SELECT number FROM callbacks") == []
        coord = made.stations["coord"]
        assert worklist.reveal_number(coord, item, made.accounts["coord"]) == NUMBER
        assert feedback.feedback_summary(coord).answers == 0
    finally:
        _close(made, pg_dsn)


def test_a_volunteers_login_asking_for_the_report_is_refused_with_a_message(
    line: Line, pg_dsn: str
) -> None:
    """The reports are the coordinators' and supervisors' (the window shows them only to
    them); a volunteer's login that asks anyway gets the typed refusal, never the server's
    raw error, and a coordinator's the line's whole report."""
    with psycopg.connect(pg_dsn, autocommit=True) as admin:  # as `intake db row-security` does
        for statement in roster_security.STATEMENTS:
            admin.execute(statement)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    now = datetime(2026, 12, 2, tzinfo=UTC)
    with pytest.raises(NotAllowed):
        make_report(line.stations["alice"], period, now)
    assert make_report(line.stations["coord"], period, now).tables


def test_a_temporary_table_named_accounts_does_not_make_a_volunteer_a_supervisor(
    line: Line,
) -> None:
    """The server's checks of who a login is (`intake_me`, `intake_sees_all`...) run as the
    owner: with `public` alone on their search path, a table a login makes in its own temporary
    schema would be read first. A volunteer's login that makes one naming itself supervisor
    still reads only its own contacts and numbers."""
    _call_with_callback(line, "alice")
    bruno = line.stations["bruno"]
    login = line.logins["bruno"]
    with bruno.writing() as w:  # (its own SQL, on its own connection)
        w.q(
            "CREATE TEMP TABLE accounts (id text, role text, db_role text, disabled_at timestamptz)"
        )
        w.q("INSERT INTO accounts VALUES ('x', 'supervisor', %s, NULL)", (login,))
    assert bruno.query("SELECT count(*) FROM contacts") == [(0,)]
    assert bruno.query("SELECT count(*) FROM callbacks") == [(0,)]
