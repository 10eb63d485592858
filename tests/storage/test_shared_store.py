# One store only (the shared server): ciphertext at rest, the line key, the blind index, several
#   stations and the server stopped.
"""What only the shared PostgreSQL store promises: the server never sees plaintext, the line key
is wrapped (rekey rewraps only), claims and the audit chain hold under concurrent stations, other
stations hear of new work, and an unreachable server is told plainly."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from intake.call import Call
from intake.pins import hash_pin
from intake.services import worklist
from intake.services.calls import derived_id, save_call, snapshot
from intake.storage import errors
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.pg.store import (
    PgStore,
    WorklistListener,
    check_connection_string,
    create_shared_store,
    open_shared_store,
)
from tests.conftest import PASSPHRASE, PIN
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact

ROOT = Path(__file__).resolve().parents[2]
# The four stations x 200 saves (about 15-20 s); INTAKE_PG_SAVES for a quicker try.
STATION_SAVES = int(os.environ.get("INTAKE_PG_SAVES", "200"))


@pytest.fixture
def shared(pg_dsn: str) -> PgStore:
    store = make_shared_store(pg_dsn)
    yield store  # type: ignore[misc]
    store.close()


def _supervisor(store: PgStore) -> str:
    return store.list_accounts()[0].id


def _call(name: str, number: str, note: str) -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T03:10:00-05:00",
        consent_notes=True,
        anonymous=False,
        caller_name=name,
        role="physician",
        province="QC",
        callback_number=number,
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=note,
        followup=True,
        followup_number=number,
        followup_due="2026-11-29T10:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _hits(folder: Path, needles: list[bytes]) -> list[tuple[str, bytes]]:
    found = []
    for path in _files(folder):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found.extend((str(path), needle) for needle in needles if needle in data)
    return found


def test_the_server_never_sees_a_note_a_name_or_a_number(
    pg_server: PgServer, shared: PgStore
) -> None:
    tag = secrets.token_hex(4)
    name = f"Dre Zéphirine Q{tag}"
    number = "+1514" + str(secrets.randbelow(9_000_000) + 1_000_000)
    note = f"Sentinelle {tag}: épuisée après les gardes, pense à quitter la médecine"
    actor = _supervisor(shared)
    snap = snapshot(_call(name, number, note), "fr", "2026-11-22T04:00:00-05:00")
    shared.save_draft(snap.draft_id, actor, {"consent_notes": True, "notes": note})
    save_call(shared, snap, actor)
    shared.save_draft("later", actor, {"consent_notes": True, "notes": note})
    shared.rekey(PASSPHRASE + " bis", actor)
    with psycopg.connect(shared.dsn, autocommit=True) as admin:
        # Positive control: the same scan finds text the server was given in clear.
        admin.execute("CREATE TABLE control (t text)")
        admin.execute("INSERT INTO control VALUES (%s)", (f"control-{tag}",))
        admin.execute("CHECKPOINT")
        admin.execute("SELECT pg_switch_wal()")
    needles = []
    for text in (name, number, note, f"Sentinelle {tag}", f"Q{tag}", number[2:], "Zéphirine"):
        needles += [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]
    needles += [w.encode() for w in ("zephirine", "epuisee", "medecine")]
    hits = _hits(pg_server.root, needles)
    assert hits == []
    assert pg_server.data_dir.joinpath("pg_wal").is_dir()
    # The control was written in clear and is found by the very same scan.
    assert _hits(pg_server.root, [f"control-{tag}".encode()]) != []
    # And the station still reads it all back, under the new passphrase.
    reopened = open_shared_store(shared.dsn, PASSPHRASE + " bis")
    try:
        loaded, notes = reopened.get_contact(snap.contact_id, actor)
        assert (loaded.caller_name, [n.body for n in notes]) == (name, [note])
        assert reopened.callback_number(derived_id(snap.contact_id, "callback")) == number
    finally:
        reopened.close()


def test_rekey_rewraps_the_line_key_only(shared: PgStore) -> None:
    actor = _supervisor(shared)
    record = contact(caller_name="Dr Rekey")
    shared.save_contact(record, actor)
    shared.add_note("n1", record.id, "avant le changement", actor)
    before = shared.query("SELECT body FROM notes")
    shared.rekey("Un tout autre passe, 4 h du matin", actor)
    assert shared.query("SELECT body FROM notes") == before  # nothing re-encrypted
    with pytest.raises(errors.WrongPassphrase):
        open_shared_store(shared.dsn, PASSPHRASE)
    again = open_shared_store(shared.dsn, "Un tout autre passe, 4 h du matin")
    try:
        assert again.search_notes("changement") == [(record.id, "n1")]
    finally:
        again.close()


def test_a_sealed_value_moved_to_another_record_does_not_open(shared: PgStore) -> None:
    actor = _supervisor(shared)
    first, second = contact(caller_name="Dr First"), contact(caller_name="Dr Second")
    shared.save_contact(first, actor)
    shared.save_contact(second, actor)
    # Someone with access to the server copies one record's name onto another.
    shared.query(
        "UPDATE contacts SET caller_name = (SELECT caller_name FROM contacts WHERE id = %s) "
        "WHERE id = %s RETURNING id",
        (first.id, second.id),
    )
    with pytest.raises(errors.StoreDamaged):
        shared.get_contact(second.id, actor)
    assert shared.get_contact(first.id, actor)[0].caller_name == "Dr First"


def test_the_blind_index_holds_keyed_hashes_not_words(pg_server: PgServer, shared: PgStore) -> None:
    actor = _supervisor(shared)
    record = contact()
    shared.save_contact(record, actor)
    shared.add_note("n1", record.id, "garde garde nuit", actor)
    tokens = {bytes(r[0]) for r in shared.query("SELECT token FROM note_words")}
    assert len(tokens) == 2  # distinct words only: no counts, no order
    assert all(b"garde" not in t and b"nuit" not in t for t in tokens)
    # Another line (another line key) gets other tokens for the same words.
    other_dsn = pg_server.create_database()
    other = make_shared_store(other_dsn)
    try:
        other_actor = _supervisor(other)
        other.save_contact(record, other_actor)
        other.add_note("n1", record.id, "garde garde nuit", other_actor)
        assert {bytes(r[0]) for r in other.query("SELECT token FROM note_words")}.isdisjoint(tokens)
    finally:
        other.close()
        pg_server.drop_database(other_dsn)


def test_a_wrong_passphrase_and_a_second_creation_are_refused(shared: PgStore) -> None:
    with pytest.raises(errors.WrongPassphrase):
        open_shared_store(shared.dsn, "not the line passphrase")
    with pytest.raises(errors.StoreExists):
        create_shared_store(shared.dsn, PASSPHRASE)


def test_an_empty_database_is_not_a_store(pg_dsn: str) -> None:
    with pytest.raises(errors.StoreMissing):
        open_shared_store(pg_dsn, PASSPHRASE)


@pytest.mark.parametrize("tamper", ["edit", "delete", "drop-last"])
def test_audit_tampering_on_the_server_is_detected(
    pg_server: PgServer, shared: PgStore, tamper: str
) -> None:
    actor = _supervisor(shared)
    for _index in range(4):
        shared.save_contact(contact(), actor)  # coded values the server's check accepts
    assert shared.verify_audit() == []
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        shared.query("UPDATE audit SET actor = 'someone' WHERE seq = 2 RETURNING seq")
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        shared.query("DELETE FROM audit WHERE seq = 2 RETURNING seq")
    # The server's owner can drop the trigger; the chain (keyed off the server) still tells.
    with psycopg.connect(shared.dsn, autocommit=True) as owner:
        owner.execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
        last = owner.execute("SELECT max(seq) FROM audit").fetchone()
        assert last is not None
        if tamper == "edit":
            owner.execute("UPDATE audit SET action = 'open' WHERE seq = 2")
        elif tamper == "delete":
            owner.execute("DELETE FROM audit WHERE seq = 2")
        else:
            owner.execute("DELETE FROM audit WHERE seq = %s", (last[0],))
    assert shared.verify_audit() != []


def test_connection_strings_to_another_machine_need_tls() -> None:
    with pytest.raises(errors.InsecureServer):
        check_connection_string("postgresql://intake@db.example.org/intake")
    with pytest.raises(errors.InsecureServer):
        check_connection_string("postgresql://intake@db.example.org/intake?sslmode=prefer")
    check_connection_string("postgresql://intake@db.example.org/intake?sslmode=verify-full")
    check_connection_string("postgresql://intake@localhost/intake")
    check_connection_string("postgresql://intake@/intake?host=/run/postgresql")
    with pytest.raises(errors.BadServerAddress):
        check_connection_string("postgresql://intake@db:notaport:/x?=")


def test_two_stations_claim_a_callback_exactly_once(shared: PgStore) -> None:
    supervisor = _supervisor(shared)
    stations = [open_shared_store(shared.dsn, PASSPHRASE) for _ in range(4)]
    volunteers = [shared.add_account(f"Bénévole {i}", "volunteer", "x") for i in range(4)]
    record = contact()
    shared.save_contact(record, supervisor)
    callbacks = [str(uuid.uuid4()) for _ in range(10)]
    for callback in callbacks:
        shared.add_callback(
            callback,
            record.id,
            number="+15145550142",
            best_time="evening",
            time_zone="America/Toronto",
            actor=supervisor,
        )
    barrier = threading.Barrier(4)

    def claim_all(index: int) -> list[str]:
        barrier.wait()
        won = []
        for callback in callbacks:
            if stations[index].claim_callback(callback, volunteers[index]) is not None:
                won.append(callback)
        return won

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(claim_all, range(4)))
    finally:
        for station in stations:
            station.close()
    assert sorted(c for won in results for c in won) == sorted(callbacks)
    for index, won in enumerate(results):
        assert all(shared.claimed_by(c) == volunteers[index] for c in won)
    claims = [r for r in shared.audit_trail() if r[3] == "callback claimed"]
    assert len(claims) == len(callbacks)
    assert shared.verify_audit() == []


def test_pin_tries_from_four_stations_each_count(shared: PgStore) -> None:
    actor = _supervisor(shared)
    stations = [open_shared_store(shared.dsn, PASSPHRASE) for _ in range(4)]

    def attempt(index: int) -> str:
        try:
            station = stations[index % 4]
            return "right" if station.check_pin(actor, f"{index:06d}") is not None else "wrong"
        except errors.AccountLocked:
            return "locked"

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(attempt, range(16)))
    finally:
        for station in stations:
            station.close()
    wrong = outcomes.count("wrong")
    assert wrong >= FREE_ATTEMPTS
    assert shared.query("SELECT failed_pins FROM accounts WHERE id = %s", (actor,)) == [(wrong,)]
    with pytest.raises(errors.AccountLocked):
        shared.check_pin(actor, PIN)


def test_other_stations_hear_of_a_new_callback_within_two_seconds(shared: PgStore) -> None:
    listener = WorklistListener(shared.dsn)
    try:
        actor = _supervisor(shared)
        snap = snapshot(_call("Dr L", "+15145550100", "note"), "en", "2026-11-22T04:00:00-05:00")
        started = time.monotonic()
        save_call(shared, snap, actor)
        heard = listener.wait(timeout=2.0, stop_after=2)
        assert time.monotonic() - started < 2.0
    finally:
        listener.close()
    assert sorted(heard) == [
        ("callbacks", derived_id(snap.contact_id, "callback")),
        ("followups", derived_id(snap.contact_id, "followup")),
    ]


def _stations(
    shared: PgStore, tmp_path: Path, *, outbox: bool = False, outage: PgServer | None = None
) -> tuple[list[dict[str, object]], list[str], list[str], int]:
    """Four station processes x STATION_SAVES whole calls with claims and searches; with
    `outage`, that server is stopped once every station is under way, and started again once
    calls are waiting in the outboxes. The stations race for 8 callbacks (the store's
    `claim_callback`) and 8 other worklist items (the worklist service's `claim`, as the
    window's "Claim" button). Returns the stations' reports, the callbacks and the items raced
    for, and the audit rows before."""
    supervisor = _supervisor(shared)
    volunteers = [
        shared.add_account(f"Station {i}", "volunteer", hash_pin("739105")) for i in range(4)
    ]
    record = contact()
    shared.save_contact(record, supervisor)
    callbacks = [str(uuid.uuid4()) for _ in range(8)]
    items = [str(uuid.uuid4()) for _ in range(8)]
    for callback in callbacks + items:
        shared.add_callback(
            callback,
            record.id,
            number="+15145550142",
            best_time="evening",
            time_zone="America/Toronto",
            actor=supervisor,
        )
    # Each callback is an open item of the worklist the windows show.
    assert set(items) <= {item.id for item in worklist.open_items(shared)}
    audit_before = len(shared.audit_trail())
    start = tmp_path / "start"
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.storage.pg_station_worker",
                shared.dsn,
                str(index),
                str(STATION_SAVES),
                volunteers[index],
                ",".join(callbacks),
                ",".join(items),
                str(start),
                *([str(tmp_path / f"outbox-{index}")] if outbox else []),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(4)
    ]
    start.touch()
    if outage is not None:
        deadline = time.monotonic() + 300
        # Every station has opened the store (on a busy machine one may start late: stopped
        # before it opened, it could not start at all), and they are under way.
        while len(list(tmp_path.glob("start.ready-*"))) < 4 or shared.counts()[
            "contacts"
        ] < 1 + 4 * max(1, STATION_SAVES // 5):
            assert time.monotonic() < deadline, "the stations did not get under way"
            time.sleep(0.05)
        outage.stop("immediate")
        while not any(tmp_path.glob("outbox-*/*.call")):
            assert all(child.poll() is None for child in children) or time.monotonic() < deadline
            time.sleep(0.05)
        outage.start()
    results = []
    for child in children:
        out, err = child.communicate(timeout=900)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    return results, callbacks, items, audit_before


def _check_counts(
    shared: PgStore,
    results: list[dict[str, object]],
    callbacks: list[str],
    items: list[str],
    audit_before: int,
) -> None:
    saved = [c for r in results for c in r["saved"]]  # type: ignore[attr-defined]
    assert len(saved) == len(set(saved)) == 4 * STATION_SAVES
    assert sorted(c for r in results for c in r["won"]) == sorted(callbacks)  # type: ignore[attr-defined]
    # Every worklist item claimed by exactly one station, and held by that station's volunteer.
    won_items = [i for r in results for i in r["won_items"]]  # type: ignore[attr-defined]
    assert sorted(won_items) == sorted(items)
    holders = {r["actor"] for r in results}
    for result in results:
        for item in result["won_items"]:  # type: ignore[attr-defined]
            held = worklist.get_item(shared, item)
            assert held is not None
            assert held.claimed_by == result["actor"]
    assert len(holders) == 4
    with_followup = sum(1 for i in range(STATION_SAVES) if i % 5 == 0) * 4
    counts = shared.counts()
    assert counts["contacts"] == 4 * STATION_SAVES + 1
    assert counts["notes"] == 4 * STATION_SAVES
    assert counts["followups"] == with_followup
    assert counts["callbacks"] == with_followup + len(callbacks) + len(items)
    # contact + note per save, follow-up + callback where planned, one row per claim won
    trail = shared.audit_trail()[audit_before:]
    expected = 2 * 4 * STATION_SAVES + 2 * with_followup + len(callbacks) + len(items)
    assert len(trail) == expected
    assert sum(1 for row in trail if row[3] == "callback claimed") == len(callbacks)
    assert sorted(row[2] for row in trail if row[0:4:3] == ("claim", "worklist")) == sorted(items)
    assert shared.verify_audit() == []


def test_four_station_processes_save_claim_and_search(shared: PgStore, tmp_path: Path) -> None:
    """Four processes x STATION_SAVES whole calls, with claims and searches; then the counts and
    the audit chain are checked exactly."""
    results, callbacks, items, audit_before = _stations(shared, tmp_path)
    _check_counts(shared, results, callbacks, items, audit_before)
    if STATION_SAVES >= 10:
        last_search = STATION_SAVES - STATION_SAVES % 10  # notes saved at the last search
        assert all(r["found"] == last_search for r in results)


def test_the_server_stopped_mid_run_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    """The same four stations, each with its local outbox; the server is stopped (immediate
    mode, as a crash) while they save, then started again: every call arrives exactly once."""
    with throwaway_server() as server:
        shared = make_shared_store(server.create_database())
        try:
            results, callbacks, items, audit_before = _stations(
                shared, tmp_path, outbox=True, outage=server
            )
            assert sum(int(r["queued"]) for r in results) > 0  # type: ignore[call-overload]
            assert not list(tmp_path.glob("outbox-*/*.call"))
            _check_counts(shared, results, callbacks, items, audit_before)
        finally:
            shared.close()


def test_an_unreachable_server_is_told_plainly_and_the_store_reconnects() -> None:
    with throwaway_server() as server:
        dsn = server.create_database()
        store = make_shared_store(dsn)
        actor = _supervisor(store)
        record = contact()
        store.save_contact(record, actor)
        server.stop("immediate")
        with pytest.raises(errors.ServerUnreachable) as info:
            store.save_contact(dataclasses.replace(record, outcome="referred"), actor)
        title, advice = info.value.explain()
        assert "server" in title
        assert "crisis route" in advice
        server.start()
        assert (
            store.save_contact(dataclasses.replace(record, outcome="referred"), actor) == "updated"
        )
        assert store.get_contact(record.id, actor)[0].outcome == "referred"
        assert store.verify_audit() == []
        store.close()
