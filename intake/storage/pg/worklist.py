"""The worklist on the shared store: `work_items` and `work_attempts` (schema version 2).

The same rules as the file's (`intake.services.worklist`, which calls these methods on the
server and its own SQL on the file): a claim locks the item's row (`SELECT … FOR UPDATE`) for
the check and the write, so of two stations claiming at once exactly one wins; only the holder
records attempts, moves or closes an item (a supervisor or coordinator may release or close
it); every change and every number revealed is audited, never its content.

The policy (which roles work the list, which see any number) is the service's and is passed
in; a refusal comes back as a code the service turns into its typed error:
"not-allowed", "closed", "claimed" (by someone else), "not-claimed", "messages-not-agreed".
Rows come back as the service's `_item` reads them, sealed fields opened on this station (the
agreed callback time, the claimer's name).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from intake.storage.pg.acting import active_role

if TYPE_CHECKING:
    from intake.storage.pg.crypto import LineKeys
    from intake.storage.pg.writing import Writing as PgWriter

_SELECT = (
    "SELECT w.id, w.kind, w.contact_id, c.channel, c.province, "
    "CASE WHEN position('\"safety-not-screened\"' in c.crisis_actions) > 0 "
    "THEN 'not-screened' ELSE c.risk END, w.due_at, cb.time_zone, cb.best_time, "
    "c.caller_language, w.claimed_by, a.display_name, "
    "(SELECT count(*) FROM work_attempts t WHERE t.item_id = w.id), "
    "cb.number IS NOT NULL, coalesce(cb.messages_ok, false), w.rank, cb.id "
    "FROM work_items w JOIN contacts c ON c.id = w.contact_id "
    "LEFT JOIN accounts a ON a.id = w.claimed_by "
    "LEFT JOIN LATERAL (SELECT id, time_zone, best_time, number, messages_ok FROM callbacks "
    "WHERE contact_id = w.contact_id ORDER BY created_at DESC, id DESC LIMIT 1) cb ON true "
)

# The same rows for a per-person login under row-level security (`work_security.py`): the
# server's view shows every open item, and the agreed time and the number's presence only where
# this login may call the person.
_SELECT_AS_PERSON = (
    "SELECT w.id, w.kind, w.contact_id, w.channel, w.province, w.risk, w.due_at, w.time_zone, "
    "w.best_time, w.caller_language, w.claimed_by, w.claimer_name, w.attempts, w.has_number, "
    "w.messages_ok, w.rank, w.callback_id FROM intake_work_queue w "
)

Row = tuple[Any, ...]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PgWorklist:
    """The worklist part of `PgStore` (a mixin: it uses the store's `writing` and `query`)."""

    _keys: LineKeys
    session_account: str | None  # PgStore's: the account a per-person login acts for
    row_security: bool  # PgStore's: whether the server enforces who sees what

    @property
    def _select(self) -> str:
        return _SELECT if self.session_account is None else _SELECT_AS_PERSON

    writing: Callable[[], contextlib.AbstractContextManager[PgWriter]]  # PgStore's
    query: Callable[..., list[Any]]  # PgStore's

    def _work_row(self, row: Row) -> Row:
        """The service's row: the agreed time and the claimer's name opened here."""
        best, claimer, callback = row[8], row[11], row[16]
        opened_best = self._keys.open("callbacks", "best_time", callback, best) if best else None
        opened_name = (
            self._keys.open("accounts", "display_name", row[10], claimer) if claimer else None
        )
        return (*row[:8], opened_best, row[9], row[10], opened_name, *row[12:16])

    def work_open_items(self, limit: int, after: tuple[int, str, str] | None) -> list[Row]:
        where = "w.status = 'open'"
        params: tuple[Any, ...] = ()
        if after is not None:
            where += " AND (w.rank, w.due_at, w.id) > (%s, %s, %s)"
            params = after
        rows = self.query(
            self._select + f"WHERE {where} ORDER BY w.rank, w.due_at, w.id LIMIT %s",
            (*params, limit),
        )
        return [self._work_row(r) for r in rows]

    def work_get_item(self, item_id: str) -> Row | None:
        rows = self.query(self._select + "WHERE w.id = %s", (item_id,))
        return self._work_row(rows[0]) if rows else None

    def work_summary(self, moment: str) -> tuple[int, int, int]:
        row = self.query(
            "SELECT count(*), count(*) FILTER (WHERE due_at < %s), "
            "count(*) FILTER (WHERE rank = 0) FROM work_items WHERE status = 'open'",
            (moment,),
        )[0]
        return int(row[0]), int(row[1]), int(row[2])

    def work_due_count(self, by: str | None) -> int:
        rows = self.query(
            "SELECT count(*) FROM work_items WHERE status = 'open' "
            "AND (%s::text IS NULL OR due_at <= %s)",
            (by, by),
        )
        return int(rows[0][0])

    def work_attempts(self, item_id: str) -> list[tuple[str, str]]:
        rows = self.query(
            "SELECT at, result FROM work_attempts WHERE item_id = %s ORDER BY at, id", (item_id,)
        )
        return [(r[0], r[1]) for r in rows]

    def work_for_contact(
        self, contact_id: str
    ) -> list[tuple[str, str, str, str | None, str | None, tuple[tuple[str, str], ...]]]:
        """(kind, status, due, claimer's name, outcome, attempts) of a contact's items."""
        rows = self.query(
            "SELECT w.id, w.kind, w.status, w.due_at, w.claimed_by, a.display_name, w.outcome "
            "FROM work_items w LEFT JOIN accounts a ON a.id = w.claimed_by "
            "WHERE w.contact_id = %s ORDER BY w.due_at, w.id",
            (contact_id,),
        )
        return [
            (
                r[1],
                r[2],
                r[3],
                self._keys.open("accounts", "display_name", r[4], r[5]) if r[5] else None,
                r[6],
                tuple(self.work_attempts(r[0])),
            )
            for r in rows
        ]

    # Changes: each one transaction, the item's row locked first.

    def _role(self, w: PgWriter, actor: str) -> str | None:
        return active_role(
            w,
            self._keys,
            actor,
            session_account=self.session_account,
            row_security=self.row_security,
        )

    @contextlib.contextmanager
    def _locked_item(
        self, actor: str, item_id: str, working: frozenset[str]
    ) -> Iterator[tuple[PgWriter, str, tuple[str, str | None, str, str] | None]]:
        """The transaction, the actor's role ("" if it may not work the list) and the item's
        (status, holder, kind, contact) under its row lock, or None if there is no such item."""
        with self.writing() as w:
            role = self._role(w, actor)
            if role is None or role not in working:
                yield w, "", None
                return
            row = w.q(
                "SELECT status, claimed_by, kind, contact_id FROM work_items "
                "WHERE id = %s FOR UPDATE",
                (item_id,),
            ).fetchone()
            if row is None and self.session_account is not None:
                # Under row-level security an item another holds cannot be locked by this
                # login, only read: say who holds it (the server refuses any change to it).
                row = w.q(
                    "SELECT status, claimed_by, kind, contact_id FROM work_items WHERE id = %s",
                    (item_id,),
                ).fetchone()
            yield w, role, None if row is None else (row[0], row[1], row[2], row[3])

    def work_claim(self, item_id: str, actor: str, working: frozenset[str]) -> str | None:
        with self._locked_item(actor, item_id, working) as (w, role, item):
            if not role:
                return "not-allowed"
            if item is None or item[0] != "open":
                return "closed"
            if item[1] not in (None, actor):
                return "claimed"
            # As the file's: claiming one's own item again renews the claim, audited.
            w.q(
                "UPDATE work_items SET claimed_by = %s, claimed_at = %s WHERE id = %s",
                (actor, _now(), item_id),
            )
            w.audit(actor, "claim", item_id, "worklist")
            return None

    def work_release(
        self, item_id: str, actor: str, working: frozenset[str], any_item: frozenset[str]
    ) -> str | None:
        with self._locked_item(actor, item_id, working) as (w, role, item):
            if not role:
                return "not-allowed"
            if item is None or item[0] != "open":
                return "closed"
            if item[1] != actor and role not in any_item:
                return "not-claimed"
            w.q(
                "UPDATE work_items SET claimed_by = NULL, claimed_at = NULL WHERE id = %s",
                (item_id,),
            )
            w.audit(actor, "release", item_id, "worklist")
            return None

    def work_record_attempt(
        self, item_id: str, actor: str, result: str, working: frozenset[str]
    ) -> tuple[str | None, str | None]:
        """(refusal, the attempt's id)."""
        with self._locked_item(actor, item_id, working) as (w, role, item):
            if not role:
                return "not-allowed", None
            if item is None or item[0] != "open":
                return "closed", None
            if item[1] != actor:
                return "not-claimed", None
            if result == "message-left":
                agreed = w.q(
                    "SELECT coalesce(bool_or(messages_ok), false) FROM callbacks "
                    "WHERE contact_id = %s",
                    (item[3],),
                ).fetchone()
                if not agreed or not agreed[0]:
                    return "messages-not-agreed", None
            attempt_id = str(uuid.uuid4())
            w.q(
                "INSERT INTO work_attempts (id, item_id, at, actor, result) "
                "VALUES (%s, %s, %s, %s, %s)",
                (attempt_id, item_id, _now(), actor, result),
            )
            w.audit(actor, "attempt", item_id, f"result={result}")
            return None, attempt_id

    def work_reschedule(
        self, item_id: str, actor: str, due_utc: str, working: frozenset[str]
    ) -> str | None:
        with self._locked_item(actor, item_id, working) as (w, role, item):
            if not role:
                return "not-allowed"
            if item is None or item[0] != "open":
                return "closed"
            if item[1] != actor:
                return "not-claimed"
            w.q("UPDATE work_items SET due_at = %s WHERE id = %s", (due_utc, item_id))
            if item[2] == "followup":
                w.q("UPDATE followups SET due_at = %s WHERE id = %s", (due_utc, item_id))
            w.audit(actor, "reschedule", item_id, "worklist")
            return None

    def work_close(
        self,
        item_id: str,
        actor: str,
        outcome: str,
        working: frozenset[str],
        any_item: frozenset[str],
    ) -> str | None:
        """As the file's `close`: the item's own follow-up or callback is done; another promise
        to the same person stays open with its number; the number is forgotten once nothing
        is owed to the person any more."""
        with self._locked_item(actor, item_id, working) as (w, role, item):
            if not role:
                return "not-allowed"
            if item is None or item[0] != "open":
                return "closed"
            if item[1] != actor and role not in any_item:
                return "not-claimed"
            w.q(
                "UPDATE work_items SET status = 'done', outcome = %s, closed_at = %s WHERE id = %s",
                (outcome, _now(), item_id),
            )
            table = "followups" if item[2] == "followup" else "callbacks"
            w.q(
                f"UPDATE {table} SET status = 'done' WHERE id = %s AND status = 'open'",
                (item_id,),
            )
            still_owed = w.q(
                "SELECT 1 FROM work_items WHERE contact_id = %s AND status = 'open' LIMIT 1",
                (item[3],),
            ).fetchone()
            if still_owed is None:
                w.q(
                    "UPDATE followups SET status = 'done' "
                    "WHERE contact_id = %s AND status = 'open'",
                    (item[3],),
                )
                w.q(
                    "UPDATE callbacks SET status = 'done', number = NULL "
                    "WHERE contact_id = %s AND (status = 'open' OR number IS NOT NULL)",
                    (item[3],),
                )
            w.audit(actor, "close", item_id, f"outcome={outcome}")
            return None

    def work_reveal_number(
        self, item_id: str, actor: str, working: frozenset[str], any_item: frozenset[str]
    ) -> tuple[str | None, str | None]:
        """(refusal, number): for a role in `any_item`, or the volunteer holding the open
        item; audited in the same transaction (never the number)."""
        with self.writing() as w:
            role = self._role(w, actor)
            if role is None or role not in working:
                return "not-allowed", None
            row = w.q(
                "SELECT claimed_by, contact_id, status FROM work_items WHERE id = %s", (item_id,)
            ).fetchone()
            if row is None:
                return "closed", None
            if role not in any_item and (row[0] != actor or row[2] != "open"):
                return "not-allowed", None
            kept = w.q(
                "SELECT id, number FROM callbacks WHERE contact_id = %s AND number IS NOT NULL "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                (row[1],),
            ).fetchone()
            w.audit(actor, "reveal", item_id, "callback-number")
        if kept is None:
            return None, None
        number = self._keys.open("callbacks", "number", kept[0], kept[1])
        return None, None if number is None else str(number)
