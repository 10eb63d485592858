# One store only (the shared server): what purge leaves in the server's tables and `intake db purge
#   --server` (the purge's rules run on both stores in test_refusals_proven_records.py).
"""Retention and legal hold on the shared store (issue 18): past the retention period the
server keeps the coded answers and loses the notes, their search tokens, the callbacks, the
name and the number; a contact on hold keeps everything; every run (dry runs too) leaves a
report of counts and an audit row. `intake db purge --server` runs it as the installer would."""

from __future__ import annotations

from datetime import UTC, datetime

from intake.storage.pg.store import open_shared_store
from tests.conftest import PASSPHRASE
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact
from tests.storage.test_db_cli import db

NOW = datetime(2028, 1, 10, tzinfo=UTC)  # more than a year after the helpers' calls


def test_purge_on_the_server_shreds_what_is_due_and_keeps_what_is_held(pg_dsn: str) -> None:
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        old, held, recent = (
            contact(caller_name="Dr Ancien", callback_number="+15145550100"),
            contact(caller_name="Dr Retenu", callback_number="+15145550101"),
            contact(started_at="2027-12-20T03:10:00-05:00", caller_name="Dr Récent"),
        )
        for record in (old, held, recent):
            store.save_contact(record, actor)
            store.add_note(f"note-{record.id}", record.id, "gardes de nuit épuisantes", actor)
        store.add_callback(
            "cb-old",
            old.id,
            number="+15145550100",
            best_time="evening",
            time_zone="America/Toronto",
            actor=actor,
        )
        store.set_hold(held.id, True, actor)

        dry = store.purge(NOW, actor, dry_run=True)
        assert (dry.contacts_shredded, dry.notes_deleted, dry.callbacks_deleted) == (1, 1, 1)
        assert dry.held_skipped == 1
        assert store.counts()["notes"] == 3  # a dry run changes nothing

        report = store.purge(NOW, actor)
        assert (report.contacts_shredded, report.notes_deleted, report.held_skipped) == (1, 1, 1)
        shredded, notes = store.get_contact(old.id, actor)
        assert (shredded.caller_name, shredded.callback_number, notes) == (None, None, [])
        assert (shredded.province, shredded.risk, shredded.topics) == (
            "QC",
            "concern",
            ("burnout",),
        )
        assert store.callback_number("cb-old") is None
        kept, kept_notes = store.get_contact(held.id, actor)
        assert kept.caller_name == "Dr Retenu"
        assert len(kept_notes) == 1
        assert [cid for cid, _n in store.search_notes("epuisantes")].count(old.id) == 0
        assert len(store.search_notes("épuisantes")) == 2
        assert store.purge(NOW, actor).contacts_shredded == 0  # shredded once
        purges = [r[3] for r in store.audit_trail() if r[0] == "purge"]
        assert [p.split()[0] for p in purges] == ["dry_run=1", "dry_run=0", "dry_run=0"]
        assert store.query("SELECT count(*) FROM purge_reports")[0][0] == 3
        assert store.verify_audit() == []
    finally:
        store.close()


def test_intake_db_purge_on_the_server(pg_dsn: str) -> None:
    make_shared_store(pg_dsn).close()
    done = db("purge", "--server", pg_dsn, "--dry-run", stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    done = db("purge", "--server", pg_dsn, stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    store = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        assert store.query("SELECT dry_run FROM purge_reports ORDER BY at") == [(True,), (False,)]
    finally:
        store.close()
