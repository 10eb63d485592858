"""The shared store: PostgreSQL behind the storage interface, never seeing plaintext.

One connection per station (autocommit outside transactions; each write is one explicit
transaction). Everything a person could be recognised by is sealed on the station before it is
sent (see `crypto`); the server keeps coded values, random ids, times and counts.

Concurrency, the way a team needs it:
- a claimed callback or follow-up is claimed by exactly one volunteer: the row is locked
  (`SELECT … FOR UPDATE`) and the claim written in the same transaction;
- the audit chain stays one line under concurrent writers: a transaction's audit rows are
  appended at its end, under the lock of the single `audit_head` row (always the last lock a
  transaction takes, so it cannot take part in a deadlock), and the chain's HMAC key is one the
  server never sees;
- PIN lockout is read, compared and written under the account row's lock, so overlapping
  tries from two stations each count;
- a new callback or follow-up is announced on the `intake_worklist` channel (LISTEN/NOTIFY,
  ids only).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import conninfo

from intake import __version__
from intake.accounts import Account, Role
from intake.pins import derive_pin_key, pin_parameters
from intake.storage import audit, errors, retention
from intake.storage.audit import GENESIS, AuditProblem
from intake.storage.pg import crypto, schema
from intake.storage.pg.acting import active_role
from intake.storage.pg.crypto import LineKeys
from intake.storage.pg.feedback import PgFeedback
from intake.storage.pg.reports import PgReports
from intake.storage.pg.roster import PgRoster
from intake.storage.pg.worklist import PgWorklist
from intake.storage.records import (
    _COLUMNS,
    _DRAFT_TEXT_KEYS,
    _JSON_FIELDS,
    ContactRecord,
    FollowUp,
    HistoryFilter,
    HistoryRow,
    Note,
    Page,
    RecordMissing,
    _check_consent,
    _check_note,
)

CHANNEL = "intake_worklist"
_SEALED_CONTACT_FIELDS = ("caller_name", "callback_number")
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_TLS_MODES = {"require", "verify-ca", "verify-full"}


# SQLSTATEs: 08 connection, 40 transaction rollback (deadlock, serialization), 53 insufficient
# resources; 55P03 lock not available, 57014 statement cancelled (timeout), 57P01-03 shutdown.
_TRY_LATER_CLASSES = ("08", "40", "53")
_TRY_LATER = frozenset({"55P03", "57014", "57P01", "57P02", "57P03"})


# A disabled account's PIN hash once moved here (intake.storage.pg.move): nothing matches it.
DISABLED_PIN = "disabled"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_connection_string(dsn: str) -> dict[str, Any]:
    """The parsed connection string; refused (InsecureServer) when it reaches a server on
    another machine without TLS. A unix socket or localhost needs none."""
    try:
        params = conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise errors.BadServerAddress() from exc
    # libpq also reads the host, its numeric address, a service file and the TLS mode from the
    # environment; whatever names the server counts. A service file cannot be read here, so a
    # service name counts as another computer.
    env = os.environ
    hosts = str(params.get("host") or env.get("PGHOST") or "").split(",")
    addresses = str(params.get("hostaddr") or env.get("PGHOSTADDR") or "").split(",")
    remote = (
        any(h.strip() not in _LOCAL_HOSTS and not h.strip().startswith("/") for h in hosts)
        or any(a.strip() not in _LOCAL_HOSTS for a in addresses)
        or bool(params.get("service") or env.get("PGSERVICE"))
    )
    if remote and (params.get("sslmode") or env.get("PGSSLMODE")) not in _TLS_MODES:
        raise errors.InsecureServer()
    return params


@contextlib.contextmanager
def server_errors() -> Iterator[None]:
    """A lost or refused connection arrives as ServerUnreachable, and so does a server that
    cannot do it now but will later (a deadlock or serialization failure, a lock or statement
    timeout, a server short of resources): the work is retried, never set aside. Anything
    else is raised."""
    try:
        yield
    except psycopg.OperationalError as exc:
        state = exc.sqlstate or ""
        if not state or state.startswith(_TRY_LATER_CLASSES) or state in _TRY_LATER:
            raise errors.ServerUnreachable() from exc
        raise


# What libpq says when a connection is refused for a reason the network has nothing to do with
# (its own messages, and the server's FATAL ones at start-up, carry no SQLSTATE here). Each is
# said with its own message; all stay ServerUnreachable for the outbox (the work keeps waiting).
_CERTIFICATE = (
    "root certificate file",
    "certificate verify failed",
    "server certificate for",
    "does not match host name",
    "could not read root certificate",
    "could not load root certificate",
)
_LOGIN = (
    "password authentication failed",
    "no password supplied",
    "password is required",
    "authentication failed",
    "no pg_hba.conf entry",
)


def connection_refusal(exc: psycopg.OperationalError) -> errors.ServerUnreachable:
    """The typed error for a connection the server (or libpq) refused: its certificate not
    checked, no such database, the login refused; else ServerUnreachable."""
    reason = str(exc).lower()
    if any(marker in reason for marker in _CERTIFICATE):
        return errors.ServerCertificateRefused()
    if re.search(r'fatal:\s+database ".*" does not exist', reason):
        return errors.ServerDatabaseMissing()
    if (
        (exc.sqlstate or "").startswith("28")
        or any(marker in reason for marker in _LOGIN)
        or re.search(r'fatal:\s+role ".*" does not exist', reason)
    ):
        return errors.ServerLoginRefused()
    return errors.ServerUnreachable()


def _connect(dsn: str) -> psycopg.Connection[Any]:
    check_connection_string(dsn)
    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise connection_refusal(exc) from exc


def server_refusal(exc: BaseException) -> errors.StoreError | None:
    """A typed error for what the server refused a login to do (InsufficientPrivilege: a
    station's or a person's login running an owner's command); None for anything else."""
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return errors.ServerRightsMissing()
    return None


class PgWriter:
    """The rows of one transaction; its audit rows are chained in when it commits."""

    def __init__(self, conn: psycopg.Connection[Any], keys: LineKeys) -> None:
        self.conn = conn
        self.keys = keys
        self._audit: list[tuple[str | None, str, str | None, str]] = []

    def q(self, sql: str, params: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]:
        return self.conn.execute(sql, params)

    def audit(
        self, actor: str | None, action: str, record: str | None = None, detail: str = ""
    ) -> None:
        if action not in audit.ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        self._audit.append((actor, action, record, detail))

    def flush_audit(self) -> None:
        """Append this transaction's audit rows under the head row's lock (taken last)."""
        if not self._audit:
            return
        head = self.q("SELECT seq, hash FROM audit_head FOR UPDATE").fetchone()
        if head is None:
            raise errors.StoreDamaged()
        seq, prev = int(head[0]), str(head[1])
        rows = []
        for actor, action, record, detail in self._audit:
            seq += 1
            at = datetime.now(UTC).isoformat(timespec="microseconds")
            digest = audit._digest((prev, seq, at, actor, action, record, detail), self.keys.audit)
            rows.append((seq, at, actor, action, record, detail, prev, digest))
            prev = digest
        with self.conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO audit (seq, at, actor, action, record, detail, prev_hash, hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        self.q("UPDATE audit_head SET seq = %s, hash = %s", (seq, prev))
        self._audit.clear()

    # contacts

    def _contact_row(self, record: ContactRecord) -> tuple[Any, ...]:
        values = asdict(record)
        for name in _JSON_FIELDS:
            values[name] = json.dumps(list(values[name]), ensure_ascii=False, sort_keys=True)
        for name in _SEALED_CONTACT_FIELDS:
            values[name] = self.keys.seal("contacts", name, record.id, values[name])
        return tuple(values[name] for name in _COLUMNS)

    def contact_from_row(self, row: tuple[Any, ...]) -> ContactRecord:
        values = dict(zip(_COLUMNS, row, strict=True))
        for name in _JSON_FIELDS:
            values[name] = tuple(json.loads(values[name]))
        for name in _SEALED_CONTACT_FIELDS:
            values[name] = self.keys.open("contacts", name, values["id"], values[name])
        return ContactRecord(**values)

    def _locked_contact(self, contact_id: str) -> ContactRecord | None:
        row = self.q(
            f"SELECT {', '.join(_COLUMNS)} FROM contacts WHERE id = %s FOR UPDATE", (contact_id,)
        ).fetchone()
        return None if row is None else self.contact_from_row(row)

    def write_contact(self, record: ContactRecord, actor: str | None) -> str:
        _check_consent(record)
        existing = self._locked_contact(record.id)
        if existing is None:
            placeholders = ", ".join(["%s"] * len(_COLUMNS))
            created = self.q(
                f"INSERT INTO contacts ({', '.join(_COLUMNS)}, created_by) "
                f"VALUES ({placeholders}, %s) ON CONFLICT (id) DO NOTHING",
                (*self._contact_row(record), actor),
            ).rowcount
            if created:
                self.audit(actor, "create", record.id, "contact")
                return "created"
            existing = self._locked_contact(record.id)  # another station saved it just now
            assert existing is not None
        if existing == record:
            return "unchanged"
        row = self._contact_row(record)
        assignments = ", ".join(f"{name} = %s" for name in _COLUMNS[1:])
        self.q(f"UPDATE contacts SET {assignments} WHERE id = %s", (*row[1:], record.id))
        if not record.consent_notes and existing.consent_notes:
            # Consent withdrawn: what was kept under it goes now.
            self.q("DELETE FROM notes WHERE contact_id = %s", (record.id,))
            self.q("UPDATE callbacks SET number = NULL WHERE contact_id = %s", (record.id,))
        self.audit(actor, "edit", record.id, "contact")
        return "updated"

    def require_consent(self, contact_id: str) -> None:
        row = self.q(
            "SELECT consent_notes FROM contacts WHERE id = %s FOR SHARE", (contact_id,)
        ).fetchone()
        if row is None:
            raise RecordMissing()
        if not row[0]:
            raise errors.ConsentRefused()

    # notes

    def _index_note(self, note_id: str, body: str) -> None:
        self.q("DELETE FROM note_words WHERE note_id = %s", (note_id,))
        tokens = self.keys.blind_tokens(body)
        if tokens:
            with self.conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO note_words (token, note_id) VALUES (%s, %s)",
                    [(token, note_id) for token in tokens],
                )

    def put_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
        _check_note(body)
        self.require_consent(contact_id)
        existing = self.q("SELECT body FROM notes WHERE id = %s FOR UPDATE", (note_id,)).fetchone()
        sealed = self.keys.seal("notes", "body", note_id, body)
        if existing is None:
            self.q(
                "INSERT INTO notes (id, contact_id, author, created_at, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                (note_id, contact_id, actor, _now(), sealed),
            )
            self._index_note(note_id, body)
            self.audit(actor, "create", note_id, f"note contact={contact_id}")
            return "created"
        if self.keys.open("notes", "body", note_id, existing[0]) == body:
            return "unchanged"
        self.q("UPDATE notes SET body = %s WHERE id = %s", (sealed, note_id))
        self._index_note(note_id, body)
        self.audit(actor, "edit", note_id, f"note contact={contact_id}")
        return "updated"

    def drop_note(self, note_id: str, actor: str | None) -> bool:
        if self.q("DELETE FROM notes WHERE id = %s", (note_id,)).rowcount == 0:
            return False
        self.audit(actor, "edit", note_id, "note removed")
        return True

    # callbacks and follow-ups

    def callback_status(self, callback_id: str) -> str | None:
        found = self.q("SELECT status FROM callbacks WHERE id = %s", (callback_id,)).fetchone()
        return None if found is None else str(found[0])

    def followup_status(self, followup_id: str) -> str | None:
        found = self.q("SELECT status FROM followups WHERE id = %s", (followup_id,)).fetchone()
        return None if found is None else str(found[0])

    def put_callback(
        self,
        callback_id: str,
        contact_id: str,
        *,
        number: str,
        best_time: str,
        time_zone: str,
        actor: str | None,
        messages_ok: bool = False,
    ) -> str:
        self.require_consent(contact_id)
        existing = self.q(
            "SELECT number, best_time, time_zone, status, messages_ok FROM callbacks "
            "WHERE id = %s FOR UPDATE",
            (callback_id,),
        ).fetchone()
        sealed_number = self.keys.seal("callbacks", "number", callback_id, number)
        sealed_time = self.keys.seal("callbacks", "best_time", callback_id, best_time)
        if existing is None:
            self.q(
                "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, created_at, "
                "messages_ok) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    callback_id,
                    contact_id,
                    sealed_number,
                    sealed_time,
                    time_zone,
                    _now(),
                    messages_ok,
                ),
            )
            self.audit(actor, "create", callback_id, f"callback contact={contact_id}")
            return "created"
        current = (
            self.keys.open("callbacks", "number", callback_id, existing[0]),
            self.keys.open("callbacks", "best_time", callback_id, existing[1]),
            existing[2],
            existing[3],
            existing[4],
        )
        if current == (number, best_time, time_zone, "open", messages_ok):
            return "unchanged"
        self.q(
            "UPDATE callbacks SET number = %s, best_time = %s, time_zone = %s, status = 'open', "
            "messages_ok = %s WHERE id = %s",
            (sealed_number, sealed_time, time_zone, messages_ok, callback_id),
        )
        self.audit(actor, "edit", callback_id, f"callback contact={contact_id}")
        return "updated"

    def put_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str:
        existing = self.q(
            "SELECT due_at, status FROM followups WHERE id = %s FOR UPDATE", (followup_id,)
        ).fetchone()
        if existing is None:
            self.q(
                "INSERT INTO followups (id, contact_id, due_at, created_by, created_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                (followup_id, contact_id, due_at, actor, _now()),
            )
            self.audit(actor, "create", followup_id, f"followup contact={contact_id}")
            return "created"
        if tuple(existing) == (due_at, "open"):
            return "unchanged"
        self.q(
            "UPDATE followups SET due_at = %s, status = 'open' WHERE id = %s",
            (due_at, followup_id),
        )
        self.audit(actor, "edit", followup_id, f"followup contact={contact_id}")
        return "updated"

    def cancel_followup(self, followup_id: str, callback_id: str, actor: str | None) -> None:
        changed = self.q(
            "UPDATE followups SET status = 'cancelled' WHERE id = %s AND status = 'open'",
            (followup_id,),
        ).rowcount
        self.q(
            "UPDATE callbacks SET status = 'cancelled', number = NULL "
            "WHERE id = %s AND status = 'open'",
            (callback_id,),
        )
        if changed:
            self.audit(actor, "edit", followup_id, "followup cancelled")

    def remove_draft(self, draft_id: str) -> None:
        self.q("DELETE FROM drafts WHERE id = %s", (draft_id,))


class PgStore(PgWorklist, PgFeedback, PgRoster, PgReports):
    """An open shared store: the station's connection and the line's keys (in memory only)."""

    def __init__(self, dsn: str, conn: psycopg.Connection[Any], keys: LineKeys) -> None:
        self.dsn = dsn
        self._conn = conn
        self._keys = keys
        self._mutex = threading.RLock()
        # The line account this connection is, when the server enforces who sees what
        # (row-level security, security.py); None for the line's owner role.
        self.session_account: str | None = None
        self._closed_for_good = False  # `close` was called: never connect again
        self.row_security = False  # whether the server enforces who sees what (security.py)
        self._account_of(conn)
        # Whether the connection this store was opened with (the station's address) is the
        # line's owner (or a superuser): the server then limits nothing of what it reads.
        with server_errors():
            owner = conn.execute(
                "SELECT coalesce((SELECT pg_has_role(current_user, relowner, 'USAGE') "
                "FROM pg_class WHERE oid = to_regclass('accounts')), false)"
            ).fetchone()
        self.opened_as_owner = bool(owner and owner[0])

    def _account_of(self, conn: psycopg.Connection[Any]) -> None:
        with server_errors():
            if conn.execute("SELECT to_regproc('intake_me') IS NOT NULL").fetchone() == (True,):
                self.row_security = True
                me = conn.execute("SELECT intake_me()").fetchone()
                self.session_account = me[0] if me else None

    def use_connection(
        self, dsn: str, conn: psycopg.Connection[Any]
    ) -> tuple[str, psycopg.Connection[Any]]:
        """Work through `conn` from now on (a person's own login at sign-in, the station's
        again when the window locks); returns the previous (address, connection), not closed."""
        with self._mutex:
            before = (self.dsn, self._conn)
            self.dsn, self._conn, self.session_account = dsn, conn, None
            self._account_of(conn)
            return before

    @property
    def line_keys(self) -> LineKeys:
        """The keys this station derived from the line key (for the local outbox)."""
        return self._keys

    # connections and transactions

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn.closed or self._conn.broken:
            if self._closed_for_good:
                # Closed by its owner (the window went away): a late background check must not
                # open a connection nobody would ever close.
                raise errors.ServerUnreachable()
            with contextlib.suppress(psycopg.Error):
                self._conn.close()  # a broken one: closed, never left for the collector
            self._conn = _connect(self.dsn)  # the server came back
        return self._conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[PgWriter]:
        """One transaction; its audit rows are chained in just before it commits."""
        with self._mutex, server_errors():
            conn = self._connection()
            with conn.transaction():
                writer = PgWriter(conn, self._keys)
                yield writer
                writer.flush_audit()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of one read. A connection the server dropped (it restarted) is replaced and the
        read tried once more: reads are safe to repeat, writes are not retried here."""
        for attempt in (1, 2):
            try:
                with self._mutex, server_errors():
                    return list(self._connection().execute(sql, params).fetchall())
            except errors.ServerUnreachable:
                if attempt == 2 or not self._conn.broken:
                    raise
        raise AssertionError("unreachable")

    # contacts, notes, search, history

    def save_contact(self, record: ContactRecord, actor: str | None) -> str:
        _check_consent(record)
        with self.writing() as w:
            return w.write_contact(record, actor)

    def get_contact(self, contact_id: str, actor: str | None) -> tuple[ContactRecord, list[Note]]:
        with self.writing() as w:
            row = w.q(
                f"SELECT {', '.join(_COLUMNS)} FROM contacts WHERE id = %s", (contact_id,)
            ).fetchone()
            if row is None:
                raise RecordMissing()
            notes = [
                Note(r[0], r[1], r[2], str(self._keys.open("notes", "body", r[0], r[3])), r[4])
                for r in w.q(
                    "SELECT id, contact_id, created_at, body, author FROM notes "
                    "WHERE contact_id = %s ORDER BY created_at, id",
                    (contact_id,),
                )
            ]
            w.audit(actor, "open", contact_id, "contact")
            return w.contact_from_row(row), notes

    def add_note(self, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
        _check_note(body)
        with self.writing() as w:
            w.require_consent(contact_id)
            if w.q("SELECT 1 FROM notes WHERE id = %s", (note_id,)).fetchone() is not None:
                return "unchanged"
            return w.put_note(note_id, contact_id, body, actor)

    def search_notes(
        self, text: str, limit: int = 50, *, created_by: str | None = None
    ) -> list[tuple[str, str]]:
        """(contact id, note id) of notes holding every word, newest first, found through the
        blind index (the server matches keyed hashes of words; it never sees a word)."""
        tokens = self._keys.blind_tokens(text)
        if not tokens:
            return []
        mine = "AND n.contact_id IN (SELECT id FROM contacts WHERE created_by = %s) "
        rows = self.query(
            "SELECT n.contact_id, n.id FROM notes n WHERE n.id IN ("
            "SELECT note_id FROM note_words WHERE token = ANY(%s) "
            "GROUP BY note_id HAVING count(*) = %s) "
            + (mine if created_by is not None else "")
            + "ORDER BY n.seq DESC LIMIT %s",
            (tokens, len(tokens), *((created_by,) if created_by is not None else ()), limit),
        )
        return [(r[0], r[1]) for r in rows]

    def history_page(
        self,
        after: tuple[str, str] | None = None,
        limit: int = 50,
        filters: HistoryFilter | None = None,
    ) -> Page:
        filters = filters or HistoryFilter()
        where, params = filters.where()
        where = "true" if where == "1" else where.replace("?", "%s")
        if filters.contact_ids is not None and not filters.contact_ids:
            where = where.replace("id IN (NULL)", "false")
        if after is not None:
            where += " AND (started_at, id) < (%s, %s)"
            params = (*params, *after)
        rows = self.query(
            "SELECT id, started_at, channel, province, "
            "CASE WHEN position('\"safety-not-screened\"' in crisis_actions) > 0 "
            "THEN 'not-screened' ELSE risk END, outcome "
            f"FROM contacts WHERE {where} ORDER BY started_at DESC, id DESC LIMIT %s",
            (*params, limit),
        )
        page = tuple(HistoryRow(*r) for r in rows)
        next_key = (page[-1].started_at, page[-1].id) if len(page) == limit else None
        return Page(page, next_key)

    # callbacks and follow-ups

    def add_callback(
        self,
        callback_id: str,
        contact_id: str,
        *,
        number: str,
        best_time: str,
        time_zone: str,
        actor: str | None,
    ) -> str:
        with self.writing() as w:
            w.require_consent(contact_id)
            if w.q("SELECT 1 FROM callbacks WHERE id = %s", (callback_id,)).fetchone():
                return "unchanged"
            return w.put_callback(
                callback_id,
                contact_id,
                number=number,
                best_time=best_time,
                time_zone=time_zone,
                actor=actor,
            )

    def add_followup(
        self, followup_id: str, contact_id: str, due_at: str, actor: str | None
    ) -> str:
        with self.writing() as w:
            if w.q("SELECT 1 FROM followups WHERE id = %s", (followup_id,)).fetchone():
                return "unchanged"
            return w.put_followup(followup_id, contact_id, due_at, actor)

    def followups_due(
        self, by: str, created_by: str | None = None, limit: int = 200
    ) -> list[FollowUp]:
        rows = self.query(
            "SELECT followups.id, followups.contact_id, followups.due_at, contacts.province "
            "FROM followups JOIN contacts ON contacts.id = followups.contact_id "
            "WHERE followups.status = 'open' AND followups.due_at <= %s "
            "AND (%s::text IS NULL OR contacts.created_by = %s) "
            "ORDER BY followups.due_at LIMIT %s",
            (by, created_by, created_by, limit),
        )
        return [FollowUp(*r) for r in rows]

    def open_followups(self, contact_id: str) -> list[FollowUp]:
        rows = self.query(
            "SELECT followups.id, followups.contact_id, followups.due_at, contacts.province "
            "FROM followups JOIN contacts ON contacts.id = followups.contact_id "
            "WHERE followups.contact_id = %s AND followups.status = 'open' "
            "ORDER BY followups.due_at",
            (contact_id,),
        )
        return [FollowUp(*r) for r in rows]

    def complete_followup(self, followup_id: str, actor: str | None) -> bool:
        """As `records.complete_followup`: False if it was not open (already done by someone);
        FollowupHeld if another person has claimed its worklist item (they are calling)."""
        with self.writing() as w:
            held = w.q(
                "SELECT 1 FROM work_items WHERE id = %s AND status = 'open' "
                "AND claimed_by IS NOT NULL AND claimed_by IS DISTINCT FROM %s",
                (followup_id, actor),
            ).fetchone()
            if held is not None:
                raise errors.FollowupHeld()
            changed = w.q(
                "UPDATE followups SET status = 'done' WHERE id = %s AND status = 'open'",
                (followup_id,),
            ).rowcount
            if changed:
                w.audit(actor, "edit", followup_id, "followup done")
        return bool(changed)

    def callback_number(self, callback_id: str) -> str | None:
        rows = self.query("SELECT number FROM callbacks WHERE id = %s", (callback_id,))
        return self._keys.open("callbacks", "number", callback_id, rows[0][0]) if rows else None

    def claim_callback(self, callback_id: str, actor: str) -> str | None:
        """Claim an open callback for `actor`: its number if this volunteer now holds it (or
        already did), None if someone else claimed it first or it is closed. The row is locked
        for the check and the claim, so two stations never both get it; audited.

        Under row-level security (`security.py`) the server decides: the claim goes through
        `intake_claim_callback`, for the connection's own account only."""
        with self.writing() as w:
            if self.session_account is not None:
                if actor != self.session_account:
                    raise errors.NotAllowed()
                outcome = w.q("SELECT intake_claim_callback(%s)", (callback_id,)).fetchone()
                if outcome is None or outcome[0] not in ("won", "yours"):
                    return None
                row = w.q("SELECT number FROM callbacks WHERE id = %s", (callback_id,)).fetchone()
                if outcome[0] == "won":
                    w.audit(actor, "edit", callback_id, "callback claimed")
                return self._keys.open("callbacks", "number", callback_id, row[0] if row else None)
            row = w.q(
                "SELECT number, status, claimed_by FROM callbacks WHERE id = %s FOR UPDATE",
                (callback_id,),
            ).fetchone()
            if row is None or row[1] != "open" or row[2] not in (None, actor):
                return None
            if row[2] is None:
                w.q(
                    "UPDATE callbacks SET claimed_by = %s, claimed_at = now() WHERE id = %s",
                    (actor, callback_id),
                )
                w.audit(actor, "edit", callback_id, "callback claimed")
            return self._keys.open("callbacks", "number", callback_id, row[0])

    def open_worklist(self) -> list[tuple[str, str, str, str | None, str | None]]:
        """The line's open callbacks and follow-ups (kind, id, contact id, due, claimed by),
        whoever's they are; no number, name or note. Needs row-level security's view."""
        rows = self.query(
            "SELECT kind, id, contact_id, due_at, claimed_by FROM open_worklist "
            "ORDER BY kind, due_at NULLS LAST, id"
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def contact_callbacks(
        self, contact_id: str
    ) -> list[tuple[str | None, str | None, str, bool, bool]]:
        """(agreed time, caller's time zone, status, has a number, a message may be left) of a
        contact's callbacks, oldest first; the number itself stays sealed (`reveal_number`)."""
        rows = self.query(
            "SELECT id, best_time, time_zone, status, number IS NOT NULL, messages_ok "
            "FROM callbacks WHERE contact_id = %s ORDER BY created_at, id",
            (contact_id,),
        )
        return [
            (
                self._keys.open("callbacks", "best_time", r[0], r[1]),
                r[2],
                r[3],
                bool(r[4]),
                bool(r[5]),
            )
            for r in rows
        ]

    def account_role(self, account_id: str) -> str | None:
        """The account's role, None for a disabled one (as the file's `ACTIVE_ROLE`)."""
        with self.writing() as w:
            return self._acting_role(w, account_id)

    def _acting_role(self, w: PgWriter, actor: str | None) -> str | None:
        return active_role(
            w,
            self._keys,
            actor,
            session_account=self.session_account,
            row_security=self.row_security,
        )

    def reveal_number(self, contact_id: str, actor: str, see_any: frozenset[str]) -> str | None:
        """The contact's latest kept callback number, audited in the same transaction: for a
        role in `see_any`, or the volunteer who took the call; NotAllowed for anyone else."""
        with self.writing() as w:
            role = self._acting_role(w, actor)  # a disabled account: none, window open or not
            owner = w.q("SELECT created_by FROM contacts WHERE id = %s", (contact_id,)).fetchone()
            allowed = role is not None and (
                role in see_any or (role == "volunteer" and owner == (actor,))
            )
            if not allowed:
                raise errors.NotAllowed()
            row = w.q(
                "SELECT id, number FROM callbacks WHERE contact_id = %s AND number IS NOT NULL "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                (contact_id,),
            ).fetchone()
            if row is not None:
                number = self._keys.open("callbacks", "number", row[0], row[1])
            else:
                kept = w.q(
                    "SELECT callback_number FROM contacts WHERE id = %s", (contact_id,)
                ).fetchone()
                number = self._keys.open(
                    "contacts", "callback_number", contact_id, kept[0] if kept else None
                )
            w.audit(actor, "reveal", contact_id, "callback-number")
        return number

    def ping(self) -> bool:
        """True when the server answers now (a dropped connection is replaced first)."""
        try:
            self.query("SELECT 1")
        except errors.ServerUnreachable:
            return False
        return True

    @property
    def server_version(self) -> str:
        return str(self._conn.info.server_version)

    def claimed_by(self, callback_id: str) -> str | None:
        rows = self.query("SELECT claimed_by FROM callbacks WHERE id = %s", (callback_id,))
        return rows[0][0] if rows else None

    # drafts

    def save_draft(self, draft_id: str, account_id: str | None, payload: dict[str, Any]) -> None:
        if not payload.get("consent_notes") and any(payload.get(k) for k in _DRAFT_TEXT_KEYS):
            raise errors.ConsentRefused()
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        sealed = self._keys.seal("drafts", "payload", draft_id, data)
        with self.writing() as w:
            w.q(
                "INSERT INTO drafts (id, account_id, updated_at, payload) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                "updated_at = excluded.updated_at, payload = excluded.payload",
                (draft_id, account_id, _now(), sealed),
            )

    def drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]:
        rows = self.query(
            "SELECT id, payload FROM drafts WHERE account_id IS NOT DISTINCT FROM %s "
            "ORDER BY updated_at DESC",
            (account_id,),
        )
        return [
            (r[0], json.loads(str(self._keys.open("drafts", "payload", r[0], r[1])))) for r in rows
        ]

    def delete_draft(self, draft_id: str) -> None:
        with self.writing() as w:
            w.remove_draft(draft_id)

    # retention

    def set_hold(self, contact_id: str, on_hold: bool, actor: str) -> None:
        with self.writing() as w:
            if self._acting_role(w, actor) != "supervisor":
                raise errors.NotAllowed()
            changed = w.q(
                "UPDATE contacts SET on_hold = %s WHERE id = %s", (on_hold, contact_id)
            ).rowcount
            if changed == 0:
                raise RecordMissing()
            w.audit(actor, "hold" if on_hold else "release", contact_id, "contact")

    def on_hold(self, contact_id: str) -> bool:
        rows = self.query("SELECT on_hold FROM contacts WHERE id = %s", (contact_id,))
        if not rows:
            raise RecordMissing()
        return bool(rows[0][0])

    def retention_days(self) -> int:
        rows = self.query("SELECT value FROM console_settings WHERE key = 'retention_days'")
        return int(rows[0][0]) if rows else retention.DEFAULT_DAYS

    def set_retention_days(self, days: int, actor: str | None) -> None:
        if days < 1:
            raise ValueError("retention must be at least one day")
        with self.writing() as w:
            w.q(
                "INSERT INTO console_settings (key, value) VALUES ('retention_days', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(days),),
            )
            w.audit(actor, "edit", "retention_days", f"days={days}")

    def purge(
        self, now: datetime, actor: str | None, dry_run: bool = False
    ) -> retention.PurgeReport:
        """Retention on the server, as `retention.purge` on the file: past the retention
        period, notes (and their search tokens), callbacks and old drafts are deleted and the
        contact's name and number cleared; the coded answers stay; contacts on hold are
        skipped. Every run, dry runs included, leaves a report of counts and an audit row.
        The deleted rows were ciphertext; PostgreSQL reclaims their space at the next VACUUM
        (`intake db purge --server` runs one when it may)."""
        if now.tzinfo is None:
            raise ValueError("now must carry a time zone")
        cutoff = (now - timedelta(days=self.retention_days())).isoformat()
        due = "started_at < %(cutoff)s AND NOT on_hold AND shredded_at IS NULL"
        of_due = f"contact_id IN (SELECT id FROM contacts WHERE {due})"
        args = {"cutoff": cutoff, "now": now.isoformat()}
        with self.writing() as w:
            w.conn.execute(f"SELECT id FROM contacts WHERE {due} FOR UPDATE", args)

            def count(sql: str) -> int:
                row = w.conn.execute(sql, args).fetchone()
                return int(row[0]) if row else 0

            report = retention.PurgeReport(
                cutoff,
                dry_run,
                count(f"SELECT count(*) FROM contacts WHERE {due}"),
                count(f"SELECT count(*) FROM notes WHERE {of_due}"),
                count(f"SELECT count(*) FROM callbacks WHERE {of_due}"),
                count("SELECT count(*) FROM drafts WHERE updated_at < %(cutoff)s"),
                count(
                    "SELECT count(*) FROM contacts WHERE started_at < %(cutoff)s AND on_hold "
                    "AND shredded_at IS NULL"
                ),
            )
            if not dry_run:
                w.conn.execute(f"DELETE FROM notes WHERE {of_due}", args)
                w.conn.execute(f"DELETE FROM callbacks WHERE {of_due}", args)
                w.conn.execute("DELETE FROM drafts WHERE updated_at < %(cutoff)s", args)
                w.conn.execute(
                    "UPDATE contacts SET caller_name = NULL, callback_number = NULL, "
                    f"shredded_at = %(now)s WHERE {due}",
                    args,
                )
            w.q(
                "INSERT INTO purge_reports (id, at, actor, cutoff, dry_run, contacts_shredded, "
                "notes_deleted, callbacks_deleted, drafts_deleted, held_skipped) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(uuid.uuid4()),
                    now.isoformat(),
                    actor,
                    cutoff,
                    dry_run,
                    report.contacts_shredded,
                    report.notes_deleted,
                    report.callbacks_deleted,
                    report.drafts_deleted,
                    report.held_skipped,
                ),
            )
            w.audit(
                actor,
                "purge",
                None,
                f"dry_run={int(dry_run)} contacts={report.contacts_shredded} "
                f"notes={report.notes_deleted} callbacks={report.callbacks_deleted} "
                f"drafts={report.drafts_deleted} held={report.held_skipped}",
            )
        return report

    def vacuum(self) -> None:
        """Reclaim the space of deleted rows now (the server skips, with a warning, the tables
        this login does not own: only the line's owner role vacuums)."""
        with self._mutex, server_errors():
            for table in ("notes", "note_words", "callbacks", "drafts", "contacts"):
                self._connection().execute(f'VACUUM "{table}"')

    # accounts

    def add_account(
        self, display_name: str, role: str, pin_hash: str, *, audited: bool = False
    ) -> str:
        """A new account; `audited`: as `intake db add-account` does (who added it is the
        person at the server's console, so no actor)."""
        with self.writing() as w:
            account_id = _insert_account(w, display_name, role, pin_hash)
            if audited:
                w.audit(None, "create", account_id, f"account role={role}")
            return account_id

    def list_accounts(self) -> list[Account]:
        """The accounts that may sign in (one disabled in the console, or on its station file
        before the move, is left out: see `move.DISABLED_PIN`)."""
        rows = self.query(
            "SELECT id, display_name, role, pin_hash FROM accounts WHERE disabled_at IS NULL"
        )
        accounts = [
            Account(r[0], str(self._keys.open("accounts", "display_name", r[0], r[1])), Role(r[2]))
            for r in rows
            if self._keys.open("accounts", "pin_hash", r[0], bytes(r[3])) != DISABLED_PIN
        ]
        return sorted(accounts, key=lambda a: (a.display_name.casefold(), a.id))

    def check_pin(
        self, account_id: str, pin: str, now: datetime | None = None, *, action: str = "sign-in"
    ) -> Account | None:
        """As `account_store.check_pin`, but the server decides: the station derives the PIN's
        key (the slow scrypt, outside any transaction, with the account's sealed salt) and
        sends it; `intake_pin_attempt` compares a hash of it with the account's verifier and
        reads, compares and writes the lockout under the account row's lock, on the server's
        own clock. `now` is not used here (the file store's tests move it; the server's clock
        is the only one that counts). Under row-level security a connection may try only its
        own account (NotAllowed)."""
        del now
        try:  # a login that acts for no account (mapped away) may not even read the salt
            rows = self.query(
                "SELECT pin_hash, disabled_at IS NOT NULL FROM accounts WHERE id = %s",
                (account_id,),
            )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise errors.NotAllowed() from exc
        if not rows:
            return None
        if rows[0][1]:  # disabled in the console (the server has set its verifier aside too)
            with self.writing() as w:
                w.audit(account_id, "failed-sign-in", account_id, "disabled")
            raise errors.AccountDisabled()
        parameters = str(self._keys.open("accounts", "pin_hash", account_id, bytes(rows[0][0])))
        key = derive_pin_key(pin, parameters)  # None for a disabled account: never right
        try:
            with self.writing() as w:
                row = w.q(
                    "SELECT outcome, failures, name, account_role FROM intake_pin_attempt(%s, %s)",
                    (account_id, key),
                ).fetchone()
                if row is None:
                    return None
                outcome, failures, name, role = row
                if outcome == "right":
                    w.audit(account_id, action, account_id)
                    display = str(self._keys.open("accounts", "display_name", account_id, name))
                    return Account(account_id, display, Role(role))
                if outcome == "locked":
                    w.audit(account_id, "failed-sign-in", account_id, "locked")
                else:
                    w.audit(account_id, "failed-sign-in", account_id, f"failures={failures}")
        except psycopg.errors.InsufficientPrivilege as exc:
            raise errors.NotAllowed() from exc
        if outcome == "locked":
            raise errors.AccountLocked()
        return None

    def record_event(self, account_id: str, action: str) -> None:
        with self.writing() as w:
            w.audit(account_id, action, account_id)

    # the audit log

    def audit_trail(self) -> list[tuple[str, str | None, str | None, str]]:
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.query("SELECT action, actor, record, detail FROM audit ORDER BY seq")
        ]

    def verify_audit(self) -> list[AuditProblem]:
        """Every row follows the one before, with its HMAC under the line's audit key, and the
        head row names the last one (a cut tail shows)."""
        problems: list[AuditProblem] = []
        prev, expected = GENESIS, 1
        with self.writing() as w:
            head = w.q("SELECT seq, hash FROM audit_head FOR SHARE").fetchone()
            rows = w.q(
                "SELECT seq, at, actor, action, record, detail, prev_hash, hash "
                "FROM audit ORDER BY seq"
            ).fetchall()
        for seq, at, actor, action, record, detail, prev_hash, stored in rows:
            if seq != expected:
                problems.append(AuditProblem(seq, f"rows {expected} to {seq - 1} are missing"))
            if prev_hash != prev:
                problems.append(AuditProblem(seq, "does not follow the previous row"))
            digest = audit._digest(
                (prev_hash, seq, at, actor, action, record, detail), self._keys.audit
            )
            if digest != stored:
                problems.append(AuditProblem(seq, "was changed after it was written"))
            prev, expected = stored, seq + 1
        if head is None or head[0] >= expected or (head[0] == expected - 1 and head[1] != prev):
            problems.append(AuditProblem(int(head[0]) if head else 0, "the last rows were removed"))
        return problems

    def counts(self) -> dict[str, int]:
        return {t: int(self.query(f'SELECT count(*) FROM "{t}"')[0][0]) for t in schema.TABLES}

    # keys

    def rekey(self, new_passphrase: str, actor: str | None = None) -> None:
        """Rewrap the line key under a new passphrase; no record is re-encrypted."""
        line_key = self._line_key
        with self.writing() as w:
            w.q(
                "UPDATE meta SET value = %s WHERE key = 'line_key'",
                (crypto.wrap_line_key(line_key, new_passphrase),),
            )
            w.audit(actor, "rekey", None, "line key rewrapped")

    _line_key: bytes = b""

    def close(self) -> None:
        with self._mutex, contextlib.suppress(psycopg.Error):
            self._closed_for_good = True
            self._conn.close()


def pin_columns(keys: LineKeys, account_id: str, pin_hash: str) -> tuple[bytes, bytes | None]:
    """What the server keeps of a PIN hash: the parameters a station needs to derive the PIN's
    key (scheme, costs, salt), sealed; and the verifier, a SHA-256 of that key, in clear for
    the server to compare with (`intake_pin_attempt`). The key itself is kept nowhere, so not
    even the line passphrase turns into a sign-in without the PIN. A disabled account's marker
    is sealed as it is, with no verifier: nothing matches it."""
    split = pin_parameters(pin_hash)
    if split is None:
        sealed = keys.seal("accounts", "pin_hash", account_id, pin_hash)
        assert sealed is not None
        return sealed, None
    parameters, key = split
    sealed = keys.seal("accounts", "pin_hash", account_id, parameters)
    assert sealed is not None
    return sealed, hashlib.sha256(key).digest()


def _insert_account(w: PgWriter, display_name: str, role: str, pin_hash: str) -> str:
    account_id = str(uuid.uuid4())
    sealed_pin, verifier = pin_columns(w.keys, account_id, pin_hash)
    w.q(
        "INSERT INTO accounts (id, display_name, role, pin_hash, pin_verifier) "
        "VALUES (%s, %s, %s, %s, %s)",
        (
            account_id,
            w.keys.seal("accounts", "display_name", account_id, display_name.strip()),
            Role(role).value,
            sealed_pin,
            verifier,
        ),
    )
    return account_id


def create_shared_store(
    dsn: str,
    passphrase: str,
    *,
    initialize: Callable[[PgWriter], object] | None = None,
    version: int = schema.VERSION,
) -> PgStore:
    """Create the shared store's tables in an empty database, with a new line key wrapped
    under `passphrase`; `initialize(writer)` adds the first rows (the first supervisor). All in
    one transaction. An existing shared store is never replaced (StoreExists). `version`: the
    store as that version made it (the tests of the upgrade make an old one)."""
    conn = _connect(dsn)
    try:
        with server_errors():
            exists = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
            if exists and exists[0]:
                raise errors.StoreExists()
            line_key = crypto.new_line_key()
            keys = LineKeys.derive(line_key)
            with conn.transaction():
                for statement in schema.STATEMENTS:
                    conn.execute(statement)
                for step in schema.STEPS[: version - 1]:
                    for statement in step:
                        conn.execute(statement)
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO meta (key, value) VALUES (%s, %s)",
                        [
                            ("schema_version", str(version)),
                            ("line_key", crypto.wrap_line_key(line_key, passphrase)),
                            ("created_at", _now()),
                            ("created_by_version", __version__),
                        ],
                    )
                conn.execute("INSERT INTO audit_head (seq, hash) VALUES (0, %s)", (GENESIS,))
                writer = PgWriter(conn, keys)
                if initialize is not None:
                    initialize(writer)
                writer.audit(None, "init", None, "shared store")
                writer.flush_audit()
    except BaseException:
        conn.close()
        raise
    store = PgStore(dsn, conn, keys)
    store._line_key = line_key
    return store


def open_shared_store(dsn: str, passphrase: str) -> PgStore:
    """Open the shared store: the line key is unwrapped on this station (WrongPassphrase if the
    passphrase does not open it); a store from a newer version is refused."""
    conn = _connect(dsn)
    try:
        with server_errors():
            present = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
            if not present or not present[0]:
                raise errors.StoreMissing()
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if int(meta.get("schema_version", "0")) > schema.VERSION:
            raise errors.StoreFromFuture()
        line_key = crypto.unwrap_line_key(meta["line_key"], passphrase)
        keys = LineKeys.derive(line_key)
        upgrade_schema(conn, keys)
    except BaseException:
        conn.close()
        raise
    store = PgStore(dsn, conn, keys)
    store._line_key = line_key
    return store


def _upgrade_pins(conn: psycopg.Connection[Any], keys: LineKeys) -> None:
    """Accounts whose sealed PIN hash still holds the PIN's key: keep only its parameters
    sealed, and the key's verifier for the server (`pin_columns`)."""
    rows = conn.execute(
        "SELECT id, pin_hash FROM accounts WHERE pin_verifier IS NULL FOR UPDATE"
    ).fetchall()
    for account_id, sealed in rows:
        stored = str(keys.open("accounts", "pin_hash", account_id, bytes(sealed)))
        if pin_parameters(stored) is None:
            continue  # a disabled account's marker: no verifier, nothing matches
        sealed_pin, verifier = pin_columns(keys, account_id, stored)
        conn.execute(
            "UPDATE accounts SET pin_hash = %s, pin_verifier = %s WHERE id = %s",
            (sealed_pin, verifier, account_id),
        )


def schema_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def upgrade_schema(conn: psycopg.Connection[Any], keys: LineKeys) -> None:
    """Bring a store made by an earlier version to this one: each step of `schema.STEPS` once,
    in order, each in one transaction that also records the version it reached, under the lock
    of that `meta` row (two stations opening an old store at once: the second finds it done).
    Only the owner role may; a station's own login gets StoreNeedsOwner, and a store already
    at this version asks nothing of it. `schema.PIN_STEP` is followed, in its transaction, by
    its part that needs the line key (`_upgrade_pins`)."""
    with server_errors():
        if schema_version(conn) >= schema.VERSION:
            return
        try:
            for target in range(2, schema.VERSION + 1):
                with conn.transaction():
                    row = conn.execute(
                        "SELECT value FROM meta WHERE key = 'schema_version' FOR UPDATE"
                    ).fetchone()
                    if row is not None and int(row[0]) >= target:
                        continue
                    for statement in schema.STEPS[target - 2]:
                        conn.execute(statement)
                    if schema.STEPS[target - 2] is schema.PIN_STEP:
                        _upgrade_pins(conn, keys)
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (str(target),),
                    )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise errors.StoreNeedsOwner() from exc


def add_supervisor(display_name: str, pin_hash: str) -> Callable[[PgWriter], object]:
    return lambda w: _insert_account(w, display_name, Role.SUPERVISOR.value, pin_hash)


class WorklistListener:
    """Hears new callbacks and follow-ups announced by any station (LISTEN/NOTIFY, ids only).

    Listening starts when it is made; `wait` returns the (table, id) pairs heard within
    `timeout` seconds. A screen runs it on a worker thread and refreshes its list."""

    def __init__(self, dsn: str) -> None:
        self._conn = _connect(dsn)
        try:
            with server_errors():
                self._conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            # The server went away between the connection and LISTEN (the watch retries):
            # the connection is closed here, never left for the collector.
            self.close()
            raise

    def wait(self, timeout: float, stop_after: int = 1) -> list[tuple[str, str]]:
        heard = []
        with server_errors():
            for note in self._conn.notifies(timeout=timeout, stop_after=stop_after):
                table, _, item = note.payload.partition(" ")
                heard.append((table, item))
        return heard

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self._conn.close()
