"""The roster, match requests and matches on the shared store (schema version 5).

The same rules as the file's (`intake.storage.roster`, which calls these methods on the server
and its own SQL on the file): only a coordinator (or a supervisor) manages the roster, proposes
and records answers; the matched peer may record the first contact and close their own match;
every change and every view of a requester's identity is audited in the same transaction,
with codes only. A proposal, an answer and a closure lock the row they change (`FOR UPDATE`):
of two coordinators answering or closing the same request at once, one wins and the other gets
`MatchNotOpen`.

Names, ways to reach someone and the typed free text (organization, site, department,
declared conflicts, who trained a peer) are sealed here, on the station, bound to their table,
field and row (`crypto.LineKeys`); the server keeps and compares only coded values, ids and
times (docs/shared-store.md). Ranking reads the pool and opens the sites here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from intake.storage.errors import NotAllowed
from intake.storage.pg.acting import active_role
from intake.storage.records import RecordMissing
from intake.storage.roster import (
    COORDINATOR_ROLES,
    OWN_MATCHES_ROLES,
    Conflict,
    CoordinatorOnly,
    FirstContactDue,
    FirstContactItem,
    MatchNotOpen,
    MatchRecord,
    OwnMatch,
    PeerRecord,
    PeersOnly,
    RequestRecord,
    RequestRow,
    RosterPurge,
)

if TYPE_CHECKING:
    from intake.storage.pg.crypto import LineKeys
    from intake.storage.pg.writing import Writing as PgWriter

_PEER_COLUMNS = (
    "id, name, province, organization, site, department, languages, formats, topics, conflicts, "
    "trained_on, trained_by, capacity, available, account_id"
)
_PEER_SEALED = ("name", "organization", "site", "department", "conflicts", "trained_by")
_REQUEST_COLUMNS = (
    "id, source, province, site, language, consent, organization, department, wants_outside, "
    "role, format, topics, contact_id, requester_name, requester_reach, created_at, status"
)
_REQUEST_SEALED = {3: "site", 6: "organization", 7: "department"}
_MATCH_COLUMNS = (
    "id, request_id, peer_id, proposed_at, answer, answered_at, first_contact_due, "
    "first_contact_at, closed_at"
)
_LOAD = (
    "LEFT JOIN (SELECT peer_id, count(*) AS n FROM matches WHERE answer = 'accepted' "
    "AND closed_at IS NULL GROUP BY peer_id) AS load ON load.peer_id = peers.id"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dump(values: Sequence[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False, sort_keys=True)


def _conflicts_text(conflicts: Sequence[Conflict]) -> str:
    return json.dumps(
        [{"kind": c.kind, "site": c.site, "department": c.department} for c in conflicts],
        ensure_ascii=False,
        sort_keys=True,
    )


class PgRoster:
    """The roster part of `PgStore` (a mixin: it uses the store's keys, `writing` and `query`)."""

    _keys: LineKeys
    session_account: str | None  # PgStore's: the account a per-person login acts for
    row_security: bool  # PgStore's: whether the server enforces who sees what

    writing: Callable[[], contextlib.AbstractContextManager[PgWriter]]  # PgStore's
    query: Callable[..., list[Any]]  # PgStore's

    # -- sealing ----------------------------------------------------------------------------

    def _seal(self, table: str, field: str, row_id: str, value: str | None) -> bytes | None:
        return self._keys.seal(table, field, row_id, value)

    def _open(self, table: str, field: str, row_id: str, value: Any) -> str | None:
        return None if value is None else self._keys.open(table, field, row_id, bytes(value))

    def _peer_values(self, peer: PeerRecord) -> tuple[Any, ...]:
        seal = self._seal
        return (
            seal("peers", "name", peer.id, peer.name),
            peer.province,
            seal("peers", "organization", peer.id, peer.organization),
            seal("peers", "site", peer.id, peer.site),
            seal("peers", "department", peer.id, peer.department),
            _dump(peer.languages),
            _dump(peer.formats),
            _dump(peer.topics),
            seal("peers", "conflicts", peer.id, _conflicts_text(peer.conflicts)),
            peer.trained_on,
            seal("peers", "trained_by", peer.id, peer.trained_by),
            peer.capacity,
            peer.available,
            peer.account_id,
        )

    def _peer(self, row: Sequence[Any], *, named: bool = True) -> PeerRecord:
        pid = row[0]
        opened = {
            field: self._open("peers", field, pid, row[index])
            for field, index in zip(_PEER_SEALED, (1, 3, 4, 5, 9, 11), strict=True)
            if named or field != "name"
        }
        conflicts = json.loads(opened["conflicts"] or "[]")
        return PeerRecord(
            pid,
            opened.get("name"),
            row[2],
            opened["organization"] or "",
            opened["site"] or "",
            opened["department"] or "",
            tuple(json.loads(row[6])),
            tuple(json.loads(row[7])),
            tuple(json.loads(row[8])),
            tuple(Conflict(c["kind"], c["site"], c["department"]) for c in conflicts),
            row[10],
            opened["trained_by"],
            int(row[12]),
            bool(row[13]),
            row[14],
            int(row[15]) if len(row) > 15 else 0,
        )

    def _request(self, row: Sequence[Any], identity: bool) -> RequestRecord:
        rid = row[0]
        opened = {
            field: self._open("match_requests", field, rid, row[index]) or ""
            for index, field in _REQUEST_SEALED.items()
        }
        return RequestRecord(
            id=rid,
            source=row[1],
            province=row[2],
            site=opened["site"],
            language=row[4],
            consent=bool(row[5]),
            organization=opened["organization"],
            department=opened["department"],
            wants_outside=bool(row[8]),
            role=row[9],
            format=row[10],
            topics=tuple(json.loads(row[11])),
            contact_id=row[12],
            requester_name=self._open("match_requests", "requester_name", rid, row[13])
            if identity
            else None,
            requester_reach=self._open("match_requests", "requester_reach", rid, row[14])
            if identity
            else None,
            created_at=row[15],
            status=row[16],
        )

    # -- who is asking ----------------------------------------------------------------------

    def _active_role(self, w: PgWriter, actor: str | None) -> str | None:
        """The actor's role, None for no one, an unknown or a disabled account."""
        return active_role(
            w,
            self._keys,
            actor,
            session_account=self.session_account,
            row_security=self.row_security,
        )

    def _require_coordinator(self, w: PgWriter, actor: str | None) -> None:
        if self._active_role(w, actor) not in COORDINATOR_ROLES:
            raise CoordinatorOnly()

    @staticmethod
    def _matched_peer_account(w: PgWriter, request_id: str) -> str | None:
        row = w.q(
            "SELECT peers.account_id FROM matches JOIN peers ON peers.id = matches.peer_id "
            "WHERE matches.request_id = %s AND matches.answer = 'accepted'",
            (request_id,),
        ).fetchone()
        return None if row is None else row[0]

    # -- the roster -------------------------------------------------------------------------

    def roster_save_peer(self, peer: PeerRecord, actor: str | None) -> str:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            existing = w.q(
                f"SELECT {_PEER_COLUMNS} FROM peers WHERE id = %s FOR UPDATE", (peer.id,)
            ).fetchone()
            values = self._peer_values(peer)
            if existing is None:
                w.q(
                    f"INSERT INTO peers ({_PEER_COLUMNS}, created_at) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (peer.id, *values, _now()),
                )
                w.audit(actor, "create", peer.id, "peer")
                return "created"
            if self._peer((*existing, 0)) == peer._replace(active=0):
                return "unchanged"
            w.q(
                "UPDATE peers SET name = %s, province = %s, organization = %s, site = %s, "
                "department = %s, languages = %s, formats = %s, topics = %s, conflicts = %s, "
                "trained_on = %s, trained_by = %s, capacity = %s, available = %s, "
                "account_id = %s WHERE id = %s",
                (*values, peer.id),
            )
            w.audit(actor, "edit", peer.id, "peer")
            return "updated"

    def roster_import(self, peers: Sequence[PeerRecord], actor: str | None) -> int:
        added = 0
        with self.writing() as w:
            self._require_coordinator(w, actor)
            for peer in peers:
                cursor = w.q(
                    f"INSERT INTO peers ({_PEER_COLUMNS}, created_at) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING",
                    (peer.id, *self._peer_values(peer), _now()),
                )
                if cursor.rowcount:
                    w.audit(actor, "create", peer.id, "peer")
                    added += 1
        return added

    def roster_peer_leaves(self, peer_id: str, actor: str | None, when: datetime) -> None:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            changed = w.q(
                "UPDATE peers SET left_at = %s, available = false "
                "WHERE id = %s AND left_at IS NULL",
                (when.isoformat(), peer_id),
            ).rowcount
            if not changed:
                raise RecordMissing()
            w.audit(actor, "edit", peer_id, "peer left")

    def roster_list(self, actor: str | None) -> list[PeerRecord]:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            rows = w.q(
                f"SELECT {', '.join('peers.' + c.strip() for c in _PEER_COLUMNS.split(','))}, "
                f"coalesce(load.n, 0) FROM peers {_LOAD} WHERE left_at IS NULL"
            ).fetchall()
            w.audit(actor, "open", None, f"roster peers={len(rows)}")
        peers = [self._peer(r) for r in rows]
        # The site is sealed: ordered here, as the file orders it.
        return sorted(peers, key=lambda p: (p.province, p.site, p.id))

    def roster_pool(self) -> list[PeerRecord]:
        rows = self.query(
            f"SELECT {', '.join('peers.' + c.strip() for c in _PEER_COLUMNS.split(','))}, "
            f"coalesce(load.n, 0) FROM peers {_LOAD} WHERE left_at IS NULL AND available"
        )
        return [self._peer(r, named=False) for r in rows]

    # -- requests ---------------------------------------------------------------------------

    def roster_add_request(self, request: RequestRecord, actor: str | None) -> str:
        rid = request.id
        with self.writing() as w:
            if request.source == "coordinator":
                self._require_coordinator(w, actor)
            cursor = w.q(
                "INSERT INTO match_requests (id, created_at, source, contact_id, consent, "
                "requester_name, requester_reach, role, province, organization, site, "
                "department, wants_outside, language, format, topics, created_by) "
                "VALUES (%s, %s, %s, %s, true, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                # No conflict target: naming one needs the right to read the row, which a
                # volunteer's login has not (row-level security); the id is the only key.
                "ON CONFLICT DO NOTHING",
                (
                    rid,
                    request.created_at or _now(),
                    request.source,
                    request.contact_id,
                    self._seal("match_requests", "requester_name", rid, request.requester_name),
                    self._seal("match_requests", "requester_reach", rid, request.requester_reach),
                    request.role,
                    request.province,
                    self._seal("match_requests", "organization", rid, request.organization),
                    self._seal("match_requests", "site", rid, request.site),
                    self._seal("match_requests", "department", rid, request.department),
                    request.wants_outside,
                    request.language,
                    request.format,
                    _dump(request.topics),
                    actor,
                ),
            )
            if cursor.rowcount == 0:
                return "unchanged"
            w.audit(actor, "create", rid, f"match-request source={request.source}")
            return "created"

    def roster_open_request(self, request_id: str, actor: str | None) -> RequestRecord:
        with self.writing() as w:
            row = w.q(
                f"SELECT {_REQUEST_COLUMNS} FROM match_requests WHERE id = %s", (request_id,)
            ).fetchone()
            if row is None:
                raise RecordMissing()
            identity = self._active_role(w, actor) in COORDINATOR_ROLES or (
                actor is not None and self._matched_peer_account(w, request_id) == actor
            )
            w.audit(actor, "open", request_id, f"match-request identity={int(identity)}")
        return self._request(row, identity)

    def roster_request_list(self, actor: str | None, include_closed: bool) -> list[RequestRow]:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            rows = w.q(
                "SELECT r.id, r.created_at, r.source, r.province, r.site, r.language, "
                "r.wants_outside, r.status, m.peer_id, m.first_contact_due, m.first_contact_at "
                "FROM match_requests r LEFT JOIN matches m ON m.request_id = r.id "
                "AND (m.answer IS NULL OR m.answer = 'accepted') "
                "WHERE %s OR r.status NOT IN ('closed', 'withdrawn') "
                "ORDER BY r.created_at DESC, r.id",
                (include_closed,),
            ).fetchall()
            w.audit(actor, "open", None, f"match-requests rows={len(rows)}")
        return [
            RequestRow(
                r[0],
                r[1],
                r[2],
                r[3],
                self._open("match_requests", "site", r[0], r[4]) or "",
                r[5],
                bool(r[6]),
                r[7],
                r[8],
                r[9],
                r[10],
            )
            for r in rows
        ]

    # -- matches ----------------------------------------------------------------------------

    def roster_matches_for(self, request_id: str) -> list[MatchRecord]:
        rows = self.query(
            f"SELECT {_MATCH_COLUMNS} FROM matches WHERE request_id = %s ORDER BY proposed_at, id",
            (request_id,),
        )
        return [MatchRecord(*r) for r in rows]

    def roster_excluded_for(self, request_id: str) -> frozenset[str]:
        rows = self.query(
            "SELECT peer_id FROM matches WHERE request_id = %s "
            "AND answer IN ('declined', 'conflict')",
            (request_id,),
        )
        return frozenset(r[0] for r in rows)

    def roster_propose(
        self, match_id: str, request_id: str, peer_id: str, actor: str | None, when: datetime
    ) -> str:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            # The request's row first: of two coordinators proposing at once, the second waits
            # and then finds it no longer open.
            status = w.q(
                "SELECT status FROM match_requests WHERE id = %s FOR UPDATE", (request_id,)
            ).fetchone()
            if w.q("SELECT 1 FROM matches WHERE id = %s", (match_id,)).fetchone():
                return "unchanged"
            if status is None:
                raise RecordMissing()
            if status[0] != "open":
                raise MatchNotOpen()
            w.q(
                "INSERT INTO matches (id, request_id, peer_id, proposed_at, proposed_by) "
                "VALUES (%s, %s, %s, %s, %s)",
                (match_id, request_id, peer_id, when.isoformat(), actor),
            )
            w.q("UPDATE match_requests SET status = 'proposed' WHERE id = %s", (request_id,))
            w.audit(actor, "create", match_id, f"match request={request_id}")
        return "created"

    def roster_answer(
        self,
        match_id: str,
        response: str,
        actor: str | None,
        when: datetime,
        first_contact_due: date | None,
    ) -> None:
        with self.writing() as w:
            self._require_coordinator(w, actor)
            # Locked, and read again after any wait: the second of two answers finds it taken.
            row = w.q(
                "SELECT request_id FROM matches WHERE id = %s AND answer IS NULL FOR UPDATE",
                (match_id,),
            ).fetchone()
            if row is None:
                raise MatchNotOpen()
            w.q(
                "UPDATE matches SET answer = %s, answered_at = %s, first_contact_due = %s "
                "WHERE id = %s",
                (
                    response,
                    when.isoformat(),
                    first_contact_due.isoformat()
                    if response == "accepted" and first_contact_due
                    else None,
                    match_id,
                ),
            )
            w.q(
                "UPDATE match_requests SET status = %s WHERE id = %s",
                ("matched" if response == "accepted" else "open", row[0]),
            )
            w.audit(actor, "edit", match_id, f"match answer={response}")

    def roster_first_contact(self, match_id: str, actor: str | None, when: datetime) -> None:
        with self.writing() as w:
            if self._active_role(w, actor) not in COORDINATOR_ROLES:
                row = w.q(
                    "SELECT peers.account_id FROM matches JOIN peers ON peers.id = matches.peer_id "
                    "WHERE matches.id = %s",
                    (match_id,),
                ).fetchone()
                if row is None or actor is None or row[0] != actor:
                    raise CoordinatorOnly()
            changed = w.q(
                "UPDATE matches SET first_contact_at = %s WHERE id = %s AND answer = 'accepted' "
                "AND first_contact_at IS NULL",
                (when.isoformat(), match_id),
            ).rowcount
            if not changed:
                raise MatchNotOpen()
            w.audit(actor, "edit", match_id, "match first-contact")

    def roster_close_request(
        self, request_id: str, outcome: str, actor: str | None, when: datetime
    ) -> None:
        with self.writing() as w:
            if self._active_role(w, actor) not in COORDINATOR_ROLES and (
                actor is None or self._matched_peer_account(w, request_id) != actor
            ):
                raise CoordinatorOnly()
            # Locked and checked again after any wait: of two closures, one wins.
            row = w.q(
                "SELECT status FROM match_requests WHERE id = %s "
                "AND status NOT IN ('closed', 'withdrawn') FOR UPDATE",
                (request_id,),
            ).fetchone()
            if row is None:
                raise MatchNotOpen()
            w.q(
                "UPDATE match_requests SET status = %s, closed_at = %s, outcome = %s WHERE id = %s",
                (
                    "withdrawn" if outcome == "withdrawn" else "closed",
                    when.isoformat(),
                    outcome,
                    request_id,
                ),
            )
            w.q(
                "UPDATE matches SET closed_at = %s WHERE request_id = %s AND closed_at IS NULL",
                (when.isoformat(), request_id),
            )
            w.audit(actor, "edit", request_id, f"match-request closed outcome={outcome}")

    def roster_own_matches(self, actor: str | None) -> list[OwnMatch]:
        columns = ", ".join(f"r.{c.strip()}" for c in _REQUEST_COLUMNS.split(","))
        with self.writing() as w:
            if self._active_role(w, actor) not in OWN_MATCHES_ROLES:
                raise PeersOnly()
            rows = w.q(
                f"SELECT {columns}, m.id, m.answered_at, m.first_contact_due, "
                "m.first_contact_at, m.closed_at FROM matches AS m "
                "JOIN peers AS p ON p.id = m.peer_id "
                "JOIN match_requests AS r ON r.id = m.request_id "
                "WHERE p.account_id = %s AND m.answer = 'accepted' "
                "ORDER BY m.closed_at IS NOT NULL, m.first_contact_due NULLS FIRST, m.id",
                (actor,),
            ).fetchall()
            for row in rows:
                w.audit(actor, "open", row[0], "match-request identity=1 own-match")
            if not rows:
                w.audit(actor, "open", None, "own-matches rows=0")
        count = len(_REQUEST_COLUMNS.split(","))
        return [OwnMatch(r[count], self._request(r, True), *r[count + 1 :]) for r in rows]

    def roster_first_contacts_due(self, by: date | None) -> list[FirstContactDue]:
        day = None if by is None else by.isoformat()
        rows = self.query(
            "SELECT id, request_id, peer_id, first_contact_due FROM matches "
            "WHERE answer = 'accepted' AND first_contact_at IS NULL AND closed_at IS NULL "
            "AND (%s::text IS NULL OR first_contact_due <= %s) "
            "ORDER BY first_contact_due NULLS FIRST, id",
            (day, day),
        )
        return [FirstContactDue(*r) for r in rows]

    def roster_first_contact_items(self, actor: str | None) -> list[FirstContactItem]:
        with self.writing() as w:
            role = self._active_role(w, actor)
            if role in COORDINATOR_ROLES:
                mine = None
            elif role == "peer-supporter":
                mine = actor
            else:
                raise CoordinatorOnly()
            rows = w.q(
                "SELECT m.id, m.request_id, p.id, p.name, r.province, r.site, r.language, "
                "r.wants_outside, m.first_contact_due FROM matches AS m "
                "JOIN peers AS p ON p.id = m.peer_id "
                "JOIN match_requests AS r ON r.id = m.request_id "
                "WHERE m.answer = 'accepted' AND m.first_contact_at IS NULL "
                "AND m.closed_at IS NULL AND m.first_contact_due IS NOT NULL "
                "AND (%s::text IS NULL OR p.account_id = %s) "
                "ORDER BY m.first_contact_due, m.id",
                (mine, mine),
            ).fetchall()
        return [
            FirstContactItem(
                r[0],
                r[1],
                self._open("peers", "name", r[2], r[3]),
                r[4],
                self._open("match_requests", "site", r[1], r[5]) or "",
                r[6],
                bool(r[7]),
                r[8],
            )
            for r in rows
        ]

    # -- retention and legal hold -----------------------------------------------------------

    def roster_purge(
        self, now: datetime, cutoff: str, actor: str | None, dry_run: bool
    ) -> RosterPurge:
        due_requests = (
            "status IN ('closed', 'withdrawn') AND closed_at < %(cutoff)s AND NOT on_hold "
            "AND shredded_at IS NULL"
        )
        due_peers = "left_at < %(cutoff)s AND NOT on_hold AND shredded_at IS NULL"
        args = {"cutoff": cutoff, "now": now.isoformat()}
        with self.writing() as w:

            def count(sql: str) -> int:
                row = w.q(sql, args).fetchone()  # type: ignore[arg-type]
                return int(row[0]) if row else 0

            report = RosterPurge(
                count(f"SELECT count(*) FROM match_requests WHERE {due_requests}"),
                count(f"SELECT count(*) FROM peers WHERE {due_peers}"),
                count(
                    "SELECT count(*) FROM match_requests WHERE on_hold AND shredded_at IS NULL "
                    "AND status IN ('closed', 'withdrawn') AND closed_at < %(cutoff)s"
                )
                + count(
                    "SELECT count(*) FROM peers WHERE on_hold AND shredded_at IS NULL "
                    "AND left_at < %(cutoff)s"
                ),
            )
            if not dry_run:
                w.q(
                    "UPDATE match_requests SET requester_name = NULL, requester_reach = NULL, "
                    f"shredded_at = %(now)s WHERE {due_requests}",
                    args,  # type: ignore[arg-type]
                )
                w.q(
                    f"UPDATE peers SET name = NULL, shredded_at = %(now)s WHERE {due_peers}",
                    args,  # type: ignore[arg-type]
                )
            w.audit(
                actor,
                "purge",
                None,
                f"matching dry_run={int(dry_run)} requests={report.requests_shredded} "
                f"peers={report.peers_shredded} held={report.held_skipped}",
            )
        return report

    def roster_set_hold(self, table: str, record_id: str, on_hold: bool, actor: str | None) -> None:
        with self.writing() as w:
            if self._active_role(w, actor) != "supervisor":
                raise NotAllowed()
            changed = w.q(
                f"UPDATE {table} SET on_hold = %s WHERE id = %s", (on_hold, record_id)
            ).rowcount
            if not changed:
                raise RecordMissing()
            w.audit(actor, "hold" if on_hold else "release", record_id, table)
