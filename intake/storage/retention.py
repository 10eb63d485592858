"""Retention: after a set number of days, free text and identifiers are shredded; the coded
answers stay for statistics. Records on hold are skipped. Every purge, dry runs included,
leaves a report of counts (never content) and an audit row.

"Shredded" means gone from the file: the store runs with `secure_delete` (freed pages are
overwritten) and the full-text index with its own secure-delete, and the rollback journal is
truncated at each commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from intake.storage import audit
from intake.storage.db import Store

DEFAULT_DAYS = 365


@dataclass(frozen=True)
class PurgeReport:
    cutoff: str
    dry_run: bool
    contacts_shredded: int
    notes_deleted: int
    callbacks_deleted: int
    drafts_deleted: int
    held_skipped: int


def retention_days(store: Store) -> int:
    rows = store.query("SELECT value FROM meta WHERE key = 'retention_days'")
    return int(rows[0][0]) if rows else DEFAULT_DAYS


def set_retention_days(store: Store, days: int, actor: str | None) -> None:
    if days < 1:
        raise ValueError("retention must be at least one day")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('retention_days', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(days),),
        )
        audit.append(conn, actor, "edit", "retention_days", f"days={days}")


def purge(store: Store, now: datetime, actor: str | None, dry_run: bool = False) -> PurgeReport:
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    cutoff = (now - timedelta(days=retention_days(store))).isoformat()
    due = "started_at < :cutoff AND on_hold = 0 AND shredded_at IS NULL"
    of_due = f"contact_id IN (SELECT id FROM contacts WHERE {due})"
    with store.transaction() as conn:
        args = {"cutoff": cutoff}
        counts = {
            "contacts": conn.execute(f"SELECT count(*) FROM contacts WHERE {due}", args).fetchone()[
                0
            ],
            "notes": conn.execute(f"SELECT count(*) FROM notes WHERE {of_due}", args).fetchone()[0],
            "callbacks": conn.execute(
                f"SELECT count(*) FROM callbacks WHERE {of_due}", args
            ).fetchone()[0],
            "drafts": conn.execute(
                "SELECT count(*) FROM drafts WHERE updated_at < :cutoff", args
            ).fetchone()[0],
            "held": conn.execute(
                "SELECT count(*) FROM contacts WHERE started_at < :cutoff AND on_hold = 1 "
                "AND shredded_at IS NULL",
                args,
            ).fetchone()[0],
        }
        if not dry_run:
            conn.execute(f"DELETE FROM notes WHERE {of_due}", args)
            conn.execute(f"DELETE FROM callbacks WHERE {of_due}", args)
            conn.execute("DELETE FROM drafts WHERE updated_at < :cutoff", args)
            conn.execute(
                f"UPDATE contacts SET caller_name = NULL, callback_number = NULL, "
                f"shredded_at = :now WHERE {due}",
                {**args, "now": now.isoformat()},
            )
        report = PurgeReport(
            cutoff,
            dry_run,
            counts["contacts"],
            counts["notes"],
            counts["callbacks"],
            counts["drafts"],
            counts["held"],
        )
        conn.execute(
            "INSERT INTO purge_reports (id, at, actor, cutoff, dry_run, contacts_shredded, "
            "notes_deleted, callbacks_deleted, drafts_deleted, held_skipped) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                now.isoformat(),
                actor,
                cutoff,
                int(dry_run),
                report.contacts_shredded,
                report.notes_deleted,
                report.callbacks_deleted,
                report.drafts_deleted,
                report.held_skipped,
            ),
        )
        audit.append(
            conn,
            actor,
            "purge",
            None,
            f"dry_run={int(dry_run)} contacts={report.contacts_shredded} notes={report.notes_deleted} "
            f"callbacks={report.callbacks_deleted} drafts={report.drafts_deleted} held={report.held_skipped}",
        )
    return report
