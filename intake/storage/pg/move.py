"""Moving a single station's store file into the shared store (`intake db move-to-server`).

Every row keeps its id, times and authors; free text and identifiers are sealed on this station
as they are read, so the server never sees them. The file is only read, never changed. Rows
already on the server (same id) are left as they are, so running the move again, after an
interruption or by mistake, adds nothing. One audit row on the server records the move and its
counts; the file's own audit log stays in the file (its chain is keyed by the file's key).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from intake.storage.db import Store
from intake.storage.pg.console import FILE_KEYS, SEALED
from intake.storage.pg.store import PgStore, PgWriter, pin_columns

_CONTACT_COLUMNS = (
    "id, channel, started_at, ended_at, ui_language, caller_language, role, province, "
    "about_colleague, topics, need, formats, risk, referrals, crisis_actions, outcome, "
    "consent_notes, caller_name, callback_number, created_by, on_hold, shredded_at, about_family"
)


def _inserted(w: PgWriter, sql: str, params: tuple[Any, ...]) -> int:
    return int(w.q(sql + " ON CONFLICT (id) DO NOTHING", params).rowcount)


def move_file_to_server(file: Store, shared: PgStore, actor: str | None) -> dict[str, int]:
    """Copy every account, contact, note, callback, follow-up and draft, the worklist's items
    and attempts, the feedback and survey answers, and matching's roster, requests and matches; the rows added, by table (0 for rows the
    server already had)."""
    keys = shared.line_keys
    added = dict.fromkeys(
        (
            "accounts",
            "contacts",
            "notes",
            "callbacks",
            "followups",
            "drafts",
            "work_items",
            "work_attempts",
            "feedback",
            "survey",
            "peers",
            "match_requests",
            "matches",
        ),
        0,
    )
    fresh: set[str] = set()  # follow-ups and callbacks added by this run
    with shared.writing() as w:
        for account_id, name, role, pin_hash, failed, locked, created, disabled in file.query(
            "SELECT id, display_name, role, pin_hash, failed_pins, locked_until, created_at, "
            "disabled_at FROM accounts"
        ):
            # A disabled account moves disabled (its contacts name it), as the console disables
            # one on the server: its verifier set aside, so nothing matches its PIN until a
            # supervisor enables it there.
            sealed_pin, verifier = pin_columns(keys, account_id, pin_hash)
            added["accounts"] += _inserted(
                w,
                "INSERT INTO accounts (id, display_name, role, pin_hash, pin_verifier, "
                "failed_pins, locked_until, created_at, disabled_at, disabled_verifier) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, coalesce(%s::timestamptz, now()), "
                "%s::timestamptz, %s)",
                (
                    account_id,
                    keys.seal("accounts", "display_name", account_id, name),
                    role,
                    sealed_pin,
                    None if disabled else verifier,
                    failed,
                    datetime.fromisoformat(locked) if locked else None,
                    _timestamp(created),
                    _timestamp(disabled) if disabled else None,
                    verifier if disabled else None,
                ),
            )
        # The console's settings (the retention period among them), unless the server has its
        # own already: the on-call contact sealed, the rest coded numbers.
        for key, value in file.query(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(FILE_KEYS))})",
            FILE_KEYS,
        ):
            sealed = keys.seal("console_settings", "value", key, value) if key in SEALED else None
            w.q(
                "INSERT INTO console_settings (key, value, sealed) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO NOTHING",
                (key, None if sealed else value, sealed),
            )
        for row in file.query(f"SELECT {_CONTACT_COLUMNS} FROM contacts"):
            values = list(row)
            contact_id = values[0]
            for flag in (8, 16, 20, 22):  # about_colleague, consent_notes, on_hold, about_family
                values[flag] = bool(values[flag])
            values[17] = keys.seal("contacts", "caller_name", contact_id, values[17])
            values[18] = keys.seal("contacts", "callback_number", contact_id, values[18])
            added["contacts"] += _inserted(
                w,
                f"INSERT INTO contacts ({_CONTACT_COLUMNS}) VALUES ({', '.join(['%s'] * 23)})",
                tuple(values),
            )
        for note_id, contact_id, author, created_at, body in file.query(
            "SELECT id, contact_id, author, created_at, body FROM notes ORDER BY rowid"
        ):
            if _inserted(
                w,
                "INSERT INTO notes (id, contact_id, author, created_at, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                (
                    note_id,
                    contact_id,
                    author,
                    created_at,
                    keys.seal("notes", "body", note_id, body),
                ),
            ):
                w._index_note(note_id, body)
                added["notes"] += 1
        for row in file.query(
            "SELECT id, contact_id, due_at, status, created_by, created_at FROM followups"
        ):
            new = _inserted(
                w,
                "INSERT INTO followups (id, contact_id, due_at, status, created_by, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                tuple(row),
            )
            added["followups"] += new
            if new:
                fresh.add(row[0])
        # After the follow-ups, as a call saves them: the server's trigger then makes a callback
        # an item of its own only where the file did (a callback with no follow-up).
        for row in file.query(
            "SELECT id, contact_id, number, best_time, time_zone, status, created_at, "
            "messages_ok FROM callbacks ORDER BY created_at, id"
        ):
            callback_id, contact_id, number, best_time, zone, status, created_at, ok = row
            new = _inserted(
                w,
                "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, status, "
                "created_at, messages_ok) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    callback_id,
                    contact_id,
                    keys.seal("callbacks", "number", callback_id, number),
                    keys.seal("callbacks", "best_time", callback_id, best_time),
                    zone,
                    status,
                    created_at,
                    bool(ok),
                ),
            )
            added["callbacks"] += new
            if new:
                fresh.add(callback_id)
        _move_worklist(file, w, added, fresh)
        _move_answers(file, w, added)
        _move_roster(file, w, added)
        for draft_id, account_id, updated_at, payload in file.query(
            "SELECT id, account_id, updated_at, payload FROM drafts"
        ):
            data = json.dumps(json.loads(payload), ensure_ascii=False, sort_keys=True)
            added["drafts"] += _inserted(
                w,
                "INSERT INTO drafts (id, account_id, updated_at, payload) VALUES (%s, %s, %s, %s)",
                (draft_id, account_id, updated_at, keys.seal("drafts", "payload", draft_id, data)),
            )
        detail = "moved from a station file: " + " ".join(f"{k}={v}" for k, v in added.items())
        w.audit(actor, "restore", None, detail)
    return added


def _timestamp(value: str | None) -> datetime | None:
    if not value or value == "now":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _move_worklist(file: Store, w: PgWriter, added: dict[str, int], fresh: set[str]) -> None:
    # The worklist as the file has it (claims, outcomes, moved due times). An item the
    # server's trigger made just now from a follow-up or callback of this run takes the
    # file's state; one the server already had is left as it is (its station may have
    # worked it since).
    for row in file.query(
        "SELECT id, kind, contact_id, due_at, status, claimed_by, claimed_at, outcome, "
        "closed_at, created_at FROM work_items ORDER BY created_at, id"
    ):
        on_conflict = (
            "DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, "
            "status = excluded.status, claimed_by = excluded.claimed_by, "
            "claimed_at = excluded.claimed_at, outcome = excluded.outcome, "
            "closed_at = excluded.closed_at, created_at = excluded.created_at"
            if row[0] in fresh
            else "DO NOTHING"
        )
        changed = w.q(
            "INSERT INTO work_items (id, kind, contact_id, due_at, status, claimed_by, "
            "claimed_at, outcome, closed_at, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (id) {on_conflict}",
            tuple(row),
        ).rowcount
        added["work_items"] += int(bool(changed))
    for row in file.query(
        "SELECT id, item_id, at, actor, result FROM work_attempts ORDER BY at, id"
    ):
        added["work_attempts"] += _inserted(
            w,
            "INSERT INTO work_attempts (id, item_id, at, actor, result) "
            "VALUES (%s, %s, %s, %s, %s)",
            tuple(row),
        )


def _move_answers(file: Store, w: PgWriter, added: dict[str, int]) -> None:
    # The de-identified answers, as they are (coded values, dated to the day).
    for row in file.query(
        "SELECT id, day, channel, language, rating, found FROM feedback ORDER BY id"
    ):
        added["feedback"] += _inserted(
            w,
            "INSERT INTO feedback (id, day, channel, language, rating, found) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (*row[:5], None if row[5] is None else bool(row[5])),
        )
    for row in file.query(
        "SELECT id, day, channel, language, helpful, recommend FROM survey ORDER BY id"
    ):
        added["survey"] += _inserted(
            w,
            "INSERT INTO survey (id, day, channel, language, helpful, recommend) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (*row[:5], None if row[5] is None else bool(row[5])),
        )


_PEER_COLUMNS = (
    "id, name, province, organization, site, department, languages, formats, topics, conflicts, "
    "trained_on, trained_by, capacity, available, account_id, created_at, left_at, on_hold, "
    "shredded_at"
)
_REQUEST_COLUMNS = (
    "id, created_at, source, contact_id, consent, requester_name, requester_reach, role, "
    "province, organization, site, department, wants_outside, language, format, topics, status, "
    "closed_at, outcome, created_by, on_hold, shredded_at"
)
_MATCH_COLUMNS = (
    "id, request_id, peer_id, proposed_at, proposed_by, answer, answered_at, first_contact_due, "
    "first_contact_at, closed_at"
)


def _move_roster(file: Store, w: PgWriter, added: dict[str, int]) -> None:
    # Matching (schema version 5): names, ways to reach and typed text sealed as they are read
    # (`pg.roster`), coded values, times and the legal hold as they are.
    keys = w.keys
    for row in file.query(f"SELECT {_PEER_COLUMNS} FROM peers ORDER BY created_at, id"):
        values = list(row)
        peer_id = values[0]
        for index, field in ((1, "name"), (3, "organization"), (4, "site"), (5, "department")):
            values[index] = keys.seal("peers", field, peer_id, values[index])
        values[9] = keys.seal("peers", "conflicts", peer_id, values[9])
        values[11] = keys.seal("peers", "trained_by", peer_id, values[11])
        values[13], values[17] = bool(values[13]), bool(values[17])  # available, on_hold
        added["peers"] += _inserted(
            w,
            f"INSERT INTO peers ({_PEER_COLUMNS}) VALUES ({', '.join(['%s'] * 19)})",
            tuple(values),
        )
    for row in file.query(f"SELECT {_REQUEST_COLUMNS} FROM match_requests ORDER BY created_at, id"):
        values = list(row)
        request_id = values[0]
        for index, field in (
            (5, "requester_name"),
            (6, "requester_reach"),
            (9, "organization"),
            (10, "site"),
            (11, "department"),
        ):
            values[index] = keys.seal("match_requests", field, request_id, values[index])
        for flag in (4, 12, 20):  # consent, wants_outside, on_hold
            values[flag] = bool(values[flag])
        added["match_requests"] += _inserted(
            w,
            f"INSERT INTO match_requests ({_REQUEST_COLUMNS}) VALUES ({', '.join(['%s'] * 22)})",
            tuple(values),
        )
    for row in file.query(f"SELECT {_MATCH_COLUMNS} FROM matches ORDER BY proposed_at, id"):
        added["matches"] += _inserted(
            w,
            f"INSERT INTO matches ({_MATCH_COLUMNS}) VALUES ({', '.join(['%s'] * 10)})",
            tuple(row),
        )
