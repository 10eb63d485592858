"""The peer-supporter roster, match requests, matches and the anonymous survey: rows and queries.

Same rules as contacts: ids come from the application (saving is idempotent), every change and
every view of a requester's identity is audited in the same transaction (codes only, never a
name), and retention shreds the identifiers of closed requests and departed peers while the
coded rows stay for the reports. Records on legal hold are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from intake.i18n import N_
from intake.storage import audit
from intake.storage.account_store import active_role
from intake.storage.db import Store
from intake.storage.errors import MAX_NAME_LENGTH, NameTooLong, NotAllowed, StoreError
from intake.storage.records import RecordMissing
from intake.vocabulary import MATCH_OUTCOMES

if TYPE_CHECKING:
    from intake.storage.interface import RecordStore

# Every function below takes either store: the SQLCipher file (a `Store`, or the `LocalRecords`
# around it) runs the SQL here; the shared server runs its part (`intake.storage.pg.roster`),
# the same rules with its names and free text sealed on the station.


def _on_server(store: Store | RecordStore) -> Any:
    """The shared store's roster part (`intake.storage.pg.roster.PgRoster`, which imports this
    module's records: named here only as `Any`, so the two modules import no cycle), or None
    for the file."""
    from intake.storage.local import LocalRecords  # noqa: PLC0415 - no cycle at import

    if isinstance(store, (Store, LocalRecords)):
        return None
    return store


def _file(store: Store | RecordStore) -> Store:
    from intake.storage.local import LocalRecords  # noqa: PLC0415

    return store.store if isinstance(store, LocalRecords) else cast(Store, store)


class CoordinatorOnly(StoreError):
    title = N_("Only a coordinator can do this")
    advice = N_("Ask the peer support coordinator.")


class MatchNotOpen(StoreError):
    title = N_("This match has already moved on")
    advice = N_("Someone else recorded it first. Reopen the request to see where it stands.")


# Who may manage the roster and see every requester's identity. Supervisors keep that power
# until the program names coordinators.
COORDINATOR_ROLES = frozenset({"coordinator", "supervisor"})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dump(values: Sequence[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False, sort_keys=True)


def _check_name(text: str | None) -> None:
    if text is not None and len(text) > MAX_NAME_LENGTH:
        raise NameTooLong()


def role_of(conn: Any, account_id: str | None) -> str | None:
    if account_id is None:
        return None
    return active_role(conn, account_id)


def require_coordinator(conn: Any, account_id: str | None) -> None:
    if role_of(conn, account_id) not in COORDINATOR_ROLES:
        raise CoordinatorOnly()


# --- the roster --------------------------------------------------------------------------------


class Conflict(NamedTuple):
    """A declared conflict: the peer must not support anyone from this department at this site
    (kind: "same-department" or "supervises"; an empty department means the whole site)."""

    kind: str
    site: str
    department: str = ""


class PeerRecord(NamedTuple):
    """A peer supporter (a named tuple: ranking reads 2,000 of them per request, and a frozen
    dataclass cost five times as much to build)."""

    id: str
    name: str | None
    province: str
    organization: str
    site: str
    department: str = ""
    languages: tuple[str, ...] = ("en",)
    formats: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    trained_on: str | None = None  # ISO date
    trained_by: str | None = None
    capacity: int = 2
    available: bool = True
    account_id: str | None = None
    active: int = 0  # matches accepted and not closed (read only)


_PEER_COLUMNS = (
    "id, name, province, organization, site, department, languages, formats, topics, conflicts, "
    "trained_on, trained_by, capacity, available, account_id"
)


@lru_cache(maxsize=4096)
def _codes(text: str) -> tuple[str, ...]:
    """A JSON list of codes, decoded once per distinct text: a roster's peers share a handful
    of language, format and topic lists, and 2,000 of them are read for each ranking (decoding
    each row's JSON was half the time of reading the pool, measured)."""
    return tuple(json.loads(text))


@lru_cache(maxsize=4096)
def _conflicts(text: str) -> tuple[Conflict, ...]:
    return tuple(Conflict(c["kind"], c["site"], c["department"]) for c in json.loads(text))


def _peer(row: Sequence[Any], active: int = 0) -> PeerRecord:
    # Positional: 2,000 of these per ranking, and keywords cost a fifth of building one.
    return PeerRecord(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        _codes(row[6]),
        _codes(row[7]),
        _codes(row[8]),
        _conflicts(row[9]),
        row[10],
        row[11],
        int(row[12]),
        bool(row[13]),
        row[14],
        active,
    )


def _peer_values(peer: PeerRecord) -> tuple[Any, ...]:
    return (
        peer.name,
        peer.province,
        peer.organization,
        peer.site,
        peer.department,
        _dump(peer.languages),
        _dump(peer.formats),
        _dump(peer.topics),
        json.dumps(
            [{"kind": c.kind, "site": c.site, "department": c.department} for c in peer.conflicts],
            ensure_ascii=False,
            sort_keys=True,
        ),
        peer.trained_on,
        peer.trained_by,
        peer.capacity,
        int(peer.available),
        peer.account_id,
    )


def save_peer(store: Store | RecordStore, peer: PeerRecord, actor: str | None) -> str:
    """Add or update a peer supporter (coordinators only); "created", "updated" or "unchanged"."""
    _check_name(peer.name)
    if (server := _on_server(store)) is not None:
        return cast("str", server.roster_save_peer(peer, actor))
    store = _file(store)
    values = _peer_values(peer)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        existing = conn.execute(
            f"SELECT {_PEER_COLUMNS} FROM peers WHERE id = ?", (peer.id,)
        ).fetchone()
        if existing is None:
            conn.execute(
                f"INSERT INTO peers ({_PEER_COLUMNS}, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (peer.id, *values, _now()),
            )
            audit.append(conn, actor, "create", peer.id, "peer")
            return "created"
        if tuple(existing[1:]) == values:
            return "unchanged"
        conn.execute(
            "UPDATE peers SET name = ?, province = ?, organization = ?, site = ?, department = ?, "
            "languages = ?, formats = ?, topics = ?, conflicts = ?, trained_on = ?, "
            "trained_by = ?, capacity = ?, available = ?, account_id = ? WHERE id = ?",
            (*values, peer.id),
        )
        audit.append(conn, actor, "edit", peer.id, "peer")
        return "updated"


def peer_leaves(
    store: Store | RecordStore, peer_id: str, actor: str | None, when: datetime
) -> None:
    """Take a peer off the roster (they are never proposed again; their name is shredded at
    retention once their matches are closed)."""
    if (server := _on_server(store)) is not None:
        server.roster_peer_leaves(peer_id, actor, when)
        return
    store = _file(store)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        if (
            conn.execute(
                "UPDATE peers SET left_at = ?, available = 0 WHERE id = ? AND left_at IS NULL",
                (when.isoformat(), peer_id),
            ).rowcount
            == 0
        ):
            raise RecordMissing()
        audit.append(conn, actor, "edit", peer_id, "peer left")


_ACTIVE = (
    "(SELECT count(*) FROM matches WHERE matches.peer_id = peers.id "
    "AND matches.answer = 'accepted' AND matches.closed_at IS NULL)"
)


def roster(store: Store | RecordStore, actor: str | None) -> list[PeerRecord]:
    """Every peer on the roster with their current load (coordinators only; audited)."""
    if (server := _on_server(store)) is not None:
        return cast("list[PeerRecord]", server.roster_list(actor))
    store = _file(store)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        rows = conn.execute(
            f"SELECT {_PEER_COLUMNS}, {_ACTIVE} FROM peers WHERE left_at IS NULL "
            "ORDER BY province, site, id"
        ).fetchall()
        audit.append(conn, actor, "open", None, f"roster peers={len(rows)}")
    return [_peer(r, int(r[15])) for r in rows]


def candidates_pool(store: Store | RecordStore) -> list[PeerRecord]:
    """The peers ranking considers, without their names (ranking never needs one)."""
    if (server := _on_server(store)) is not None:
        return cast("list[PeerRecord]", server.roster_pool())
    store = _file(store)
    rows = store.query(
        f"SELECT {_PEER_COLUMNS.replace('name,', 'NULL,', 1)}, coalesce(load.n, 0) FROM peers "
        "LEFT JOIN (SELECT peer_id, count(*) AS n FROM matches WHERE answer = 'accepted' "
        "AND closed_at IS NULL GROUP BY peer_id) AS load ON load.peer_id = peers.id "
        "WHERE left_at IS NULL AND available = 1"
    )
    return [_peer(r, int(r[15])) for r in rows]


def import_peers(store: Store | RecordStore, peers: Sequence[PeerRecord], actor: str | None) -> int:
    """Add many peers in one transaction (a roster brought over from a spreadsheet); returns
    how many were new. Coordinators only; each new peer audited."""
    if (server := _on_server(store)) is not None:
        return cast("int", server.roster_import(peers, actor))
    store = _file(store)
    added = 0
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        for peer in peers:
            _check_name(peer.name)
            cursor = conn.execute(
                f"INSERT INTO peers ({_PEER_COLUMNS}, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (peer.id, *_peer_values(peer), _now()),
            )
            if cursor.rowcount:
                audit.append(conn, actor, "create", peer.id, "peer")
                added += 1
    return added


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRecord:
    id: str
    source: str  # phone | kiosk | coordinator
    province: str
    site: str
    language: str
    consent: bool
    organization: str = ""
    department: str = ""
    wants_outside: bool = False
    role: str | None = None
    format: str | None = None
    topics: tuple[str, ...] = ()
    contact_id: str | None = None
    requester_name: str | None = None  # identifiers: coordinators and the matched peer only
    requester_reach: str | None = None
    created_at: str = ""
    status: str = "open"


class NoConsent(StoreError):
    title = N_("The person did not agree to be matched")
    advice = N_("A match request from a call or the kiosk needs the person's consent.")


_REQUEST_COLUMNS = (
    "id, source, province, site, language, consent, organization, department, wants_outside, "
    "role, format, topics, contact_id, requester_name, requester_reach, created_at, status"
)


def _request(row: Sequence[Any], identity: bool) -> RequestRecord:
    return RequestRecord(
        id=row[0],
        source=row[1],
        province=row[2],
        site=row[3],
        language=row[4],
        consent=bool(row[5]),
        organization=row[6],
        department=row[7],
        wants_outside=bool(row[8]),
        role=row[9],
        format=row[10],
        topics=tuple(json.loads(row[11])),
        contact_id=row[12],
        requester_name=row[13] if identity else None,
        requester_reach=row[14] if identity else None,
        created_at=row[15],
        status=row[16],
    )


def add_request(store: Store | RecordStore, request: RequestRecord, actor: str | None) -> str:
    """Record a match request; "created", or "unchanged" when this id was already saved.

    From a call or the kiosk only with consent; a coordinator entering one by hand must be one.
    """
    if not request.consent:
        raise NoConsent()
    _check_name(request.requester_name)
    _check_name(request.requester_reach)
    if (server := _on_server(store)) is not None:
        return cast("str", server.roster_add_request(request, actor))
    store = _file(store)
    with store.transaction() as conn:
        if request.source == "coordinator":
            require_coordinator(conn, actor)
        cursor = conn.execute(
            "INSERT INTO match_requests (id, created_at, source, contact_id, consent, "
            "requester_name, requester_reach, role, province, organization, site, department, "
            "wants_outside, language, format, topics, created_by) "
            "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (
                request.id,
                request.created_at or _now(),
                request.source,
                request.contact_id,
                request.requester_name,
                request.requester_reach,
                request.role,
                request.province,
                request.organization,
                request.site,
                request.department,
                int(request.wants_outside),
                request.language,
                request.format,
                _dump(request.topics),
                actor,
            ),
        )
        if cursor.rowcount == 0:
            return "unchanged"
        audit.append(conn, actor, "create", request.id, f"match-request source={request.source}")
        return "created"


def _matched_peer_account(conn: Any, request_id: str) -> str | None:
    row = conn.execute(
        "SELECT peers.account_id FROM matches JOIN peers ON peers.id = matches.peer_id "
        "WHERE matches.request_id = ? AND matches.answer = 'accepted'",
        (request_id,),
    ).fetchone()
    return None if row is None else row[0]


def open_request(store: Store | RecordStore, request_id: str, actor: str | None) -> RequestRecord:
    """One request, audited. The requester's name and how to reach them are filled in only for
    a coordinator and for the peer who accepted the match; anyone else gets the coded fields."""
    if (server := _on_server(store)) is not None:
        return cast("RequestRecord", server.roster_open_request(request_id, actor))
    store = _file(store)
    with store.transaction() as conn:
        row = conn.execute(
            f"SELECT {_REQUEST_COLUMNS} FROM match_requests WHERE id = ?", (request_id,)
        ).fetchone()
        if row is None:
            raise RecordMissing()
        identity = role_of(conn, actor) in COORDINATOR_ROLES or (
            actor is not None and _matched_peer_account(conn, request_id) == actor
        )
        audit.append(conn, actor, "open", request_id, f"match-request identity={int(identity)}")
    return _request(row, identity)


@dataclass(frozen=True)
class RequestRow:
    """A line of the coordinator's list: coded fields only."""

    id: str
    created_at: str
    source: str
    province: str
    site: str
    language: str
    wants_outside: bool
    status: str
    peer_id: str | None
    first_contact_due: str | None
    first_contact_at: str | None


def request_list(
    store: Store | RecordStore, actor: str | None, *, include_closed: bool = False
) -> list[RequestRow]:
    """Requests, newest first, with their current match (coordinators only; audited)."""
    if (server := _on_server(store)) is not None:
        return cast("list[RequestRow]", server.roster_request_list(actor, include_closed))
    store = _file(store)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        rows = conn.execute(
            "SELECT r.id, r.created_at, r.source, r.province, r.site, r.language, "
            "r.wants_outside, r.status, m.peer_id, m.first_contact_due, m.first_contact_at "
            "FROM match_requests r LEFT JOIN matches m ON m.request_id = r.id "
            "AND (m.answer IS NULL OR m.answer = 'accepted') "
            "WHERE ? OR r.status NOT IN ('closed', 'withdrawn') "
            "ORDER BY r.created_at DESC, r.id",
            (int(include_closed),),
        ).fetchall()
        audit.append(conn, actor, "open", None, f"match-requests rows={len(rows)}")
    return [
        RequestRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9], r[10])
        for r in rows
    ]


# --- matches -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRecord:
    id: str
    request_id: str
    peer_id: str
    proposed_at: str
    answer: str | None
    answered_at: str | None
    first_contact_due: str | None
    first_contact_at: str | None
    closed_at: str | None


_MATCH_COLUMNS = (
    "id, request_id, peer_id, proposed_at, answer, answered_at, first_contact_due, "
    "first_contact_at, closed_at"
)


def matches_for(store: Store | RecordStore, request_id: str) -> list[MatchRecord]:
    if (server := _on_server(store)) is not None:
        return cast("list[MatchRecord]", server.roster_matches_for(request_id))
    store = _file(store)
    rows = store.query(
        f"SELECT {_MATCH_COLUMNS} FROM matches WHERE request_id = ? ORDER BY proposed_at, id",
        (request_id,),
    )
    return [MatchRecord(*r) for r in rows]


def excluded_for(store: Store | RecordStore, request_id: str) -> frozenset[str]:
    """Peers already asked for this request who declined or named a conflict."""
    if (server := _on_server(store)) is not None:
        return cast("frozenset[str]", server.roster_excluded_for(request_id))
    store = _file(store)
    rows = store.query(
        "SELECT peer_id FROM matches WHERE request_id = ? AND answer IN ('declined', 'conflict')",
        (request_id,),
    )
    return frozenset(r[0] for r in rows)


def propose(
    store: Store | RecordStore,
    match_id: str,
    request_id: str,
    peer_id: str,
    actor: str | None,
    *,
    when: datetime,
) -> str:
    """Propose a peer for an open request (coordinators only)."""
    if (server := _on_server(store)) is not None:
        return cast("str", server.roster_propose(match_id, request_id, peer_id, actor, when))
    store = _file(store)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        if conn.execute("SELECT 1 FROM matches WHERE id = ?", (match_id,)).fetchone():
            return "unchanged"
        status = conn.execute(
            "SELECT status FROM match_requests WHERE id = ?", (request_id,)
        ).fetchone()
        if status is None:
            raise RecordMissing()
        if status[0] != "open":
            raise MatchNotOpen()
        conn.execute(
            "INSERT INTO matches (id, request_id, peer_id, proposed_at, proposed_by) "
            "VALUES (?, ?, ?, ?, ?)",
            (match_id, request_id, peer_id, when.isoformat(), actor),
        )
        conn.execute("UPDATE match_requests SET status = 'proposed' WHERE id = ?", (request_id,))
        audit.append(conn, actor, "create", match_id, f"match request={request_id}")
    return "created"


def answer(
    store: Store | RecordStore,
    match_id: str,
    response: str,
    actor: str | None,
    *,
    when: datetime,
    first_contact_due: date | None,
) -> None:
    """The peer's answer, recorded by a coordinator: accepted (the request is matched and the
    first contact falls due), declined or a conflict (the request is open again)."""
    if response not in ("accepted", "declined", "conflict"):
        raise ValueError(f"unknown answer {response!r}")
    if (server := _on_server(store)) is not None:
        server.roster_answer(match_id, response, actor, when, first_contact_due)
        return
    store = _file(store)
    with store.transaction() as conn:
        require_coordinator(conn, actor)
        row = conn.execute(
            "SELECT request_id FROM matches WHERE id = ? AND answer IS NULL", (match_id,)
        ).fetchone()
        if row is None:
            raise MatchNotOpen()
        conn.execute(
            "UPDATE matches SET answer = ?, answered_at = ?, first_contact_due = ? WHERE id = ?",
            (
                response,
                when.isoformat(),
                first_contact_due.isoformat()
                if response == "accepted" and first_contact_due
                else None,
                match_id,
            ),
        )
        conn.execute(
            "UPDATE match_requests SET status = ? WHERE id = ?",
            ("matched" if response == "accepted" else "open", row[0]),
        )
        audit.append(conn, actor, "edit", match_id, f"match answer={response}")


def _may_record_contact(conn: Any, match_id: str, actor: str | None) -> None:
    if role_of(conn, actor) in COORDINATOR_ROLES:
        return
    row = conn.execute(
        "SELECT peers.account_id FROM matches JOIN peers ON peers.id = matches.peer_id "
        "WHERE matches.id = ?",
        (match_id,),
    ).fetchone()
    if row is None or actor is None or row[0] != actor:
        raise CoordinatorOnly()


def first_contact(
    store: Store | RecordStore, match_id: str, actor: str | None, when: datetime
) -> None:
    """The peer reached the requester (the coordinator or the matched peer records it)."""
    if (server := _on_server(store)) is not None:
        server.roster_first_contact(match_id, actor, when)
        return
    store = _file(store)
    with store.transaction() as conn:
        _may_record_contact(conn, match_id, actor)
        changed = conn.execute(
            "UPDATE matches SET first_contact_at = ? WHERE id = ? AND answer = 'accepted' "
            "AND first_contact_at IS NULL",
            (when.isoformat(), match_id),
        ).rowcount
        if not changed:
            raise MatchNotOpen()
        audit.append(conn, actor, "edit", match_id, "match first-contact")


def close_request(
    store: Store | RecordStore, request_id: str, outcome: str, actor: str | None, when: datetime
) -> None:
    """Close a request (its open match too) with a coded outcome (coordinators, and the peer
    who accepted the match)."""
    if outcome not in MATCH_OUTCOMES:  # the one writer of it: reports label every code
        raise ValueError(f"unknown match outcome {outcome!r}")
    if (server := _on_server(store)) is not None:
        server.roster_close_request(request_id, outcome, actor, when)
        return
    store = _file(store)
    with store.transaction() as conn:
        if role_of(conn, actor) not in COORDINATOR_ROLES and (
            actor is None or _matched_peer_account(conn, request_id) != actor
        ):
            raise CoordinatorOnly()
        changed = conn.execute(
            "UPDATE match_requests SET status = ?, closed_at = ?, outcome = ? "
            "WHERE id = ? AND status NOT IN ('closed', 'withdrawn')",
            (
                "withdrawn" if outcome == "withdrawn" else "closed",
                when.isoformat(),
                outcome,
                request_id,
            ),
        ).rowcount
        if not changed:
            raise MatchNotOpen()
        conn.execute(
            "UPDATE matches SET closed_at = ? WHERE request_id = ? AND closed_at IS NULL",
            (when.isoformat(), request_id),
        )
        audit.append(conn, actor, "edit", request_id, f"match-request closed outcome={outcome}")


class PeersOnly(StoreError):
    title = N_("This page is for peer supporters")
    advice = N_("Only a peer supporter sees their own matches here.")


# Who may open the page of their own matches: a peer supporter, and a coordinator or supervisor
# who is on the roster too. A volunteer's account never sees a requester's identity.
OWN_MATCHES_ROLES = COORDINATOR_ROLES | {"peer-supporter"}


@dataclass(frozen=True)
class OwnMatch:
    """A match as its peer sees it: the requester's identity, what they asked for, the steps."""

    match_id: str
    request: RequestRecord
    answered_at: str | None
    first_contact_due: str | None
    first_contact_at: str | None
    closed_at: str | None


def own_matches(store: Store | RecordStore, actor: str | None) -> list[OwnMatch]:
    """The matches this account's peer accepted (open ones first, then the closed), with the
    requester's name and how to reach them. Nothing else of the line. Every request shown is
    audited as opened, with its identity, in the same transaction."""
    if (server := _on_server(store)) is not None:
        return cast("list[OwnMatch]", server.roster_own_matches(actor))
    store = _file(store)
    with store.transaction() as conn:
        if role_of(conn, actor) not in OWN_MATCHES_ROLES:
            raise PeersOnly()
        columns = ", ".join(f"r.{c.strip()}" for c in _REQUEST_COLUMNS.split(","))
        rows = conn.execute(
            f"SELECT {columns}, m.id, m.answered_at, m.first_contact_due, m.first_contact_at, "
            "m.closed_at FROM matches AS m JOIN peers AS p ON p.id = m.peer_id "
            "JOIN match_requests AS r ON r.id = m.request_id "
            "WHERE p.account_id = ? AND m.answer = 'accepted' "
            "ORDER BY m.closed_at IS NOT NULL, m.first_contact_due, m.id",
            (actor,),
        ).fetchall()
        for row in rows:
            audit.append(conn, actor, "open", row[0], "match-request identity=1 own-match")
        if not rows:
            audit.append(conn, actor, "open", None, "own-matches rows=0")
    count = len(_REQUEST_COLUMNS.split(","))
    return [OwnMatch(r[count], _request(r, True), *r[count + 1 :]) for r in rows]


@dataclass(frozen=True)
class FirstContactDue:
    """An accepted match still waiting for its first contact: an item for the worklist."""

    match_id: str
    request_id: str
    peer_id: str
    due: str  # ISO date


def first_contacts_due(store: Store | RecordStore, by: date | None = None) -> list[FirstContactDue]:
    """Accepted, open matches without a first contact, soonest due first (all, or due by `by`)."""
    if (server := _on_server(store)) is not None:
        return cast("list[FirstContactDue]", server.roster_first_contacts_due(by))
    store = _file(store)
    rows = store.query(
        "SELECT id, request_id, peer_id, first_contact_due FROM matches "
        "WHERE answer = 'accepted' AND first_contact_at IS NULL AND closed_at IS NULL "
        "AND (? IS NULL OR first_contact_due <= ?) ORDER BY first_contact_due, id",
        (None if by is None else by.isoformat(), None if by is None else by.isoformat()),
    )
    return [FirstContactDue(*r) for r in rows]


@dataclass(frozen=True)
class FirstContactItem:
    """A worklist item of kind "first-contact": an accepted match whose peer has not yet
    reached the physician. Made when the peer accepts (the due date is set then), closed when
    the first contact is recorded or the request closes. No requester identity: opening the
    request (audited) shows that."""

    match_id: str
    request_id: str
    peer_name: str | None  # shredded once the peer has left, past retention
    province: str
    site: str
    language: str
    wants_outside: bool
    due: str  # ISO date


def first_contact_items(store: Store | RecordStore, actor: str | None) -> list[FirstContactItem]:
    """The first contacts owed, soonest due first: every one for a coordinator (or a supervisor,
    who coordinates until the program names coordinators), a peer supporter's own only, and
    CoordinatorOnly for anyone else (a volunteer never sees the matching work)."""
    if (server := _on_server(store)) is not None:
        return cast("list[FirstContactItem]", server.roster_first_contact_items(actor))
    store = _file(store)
    with store.transaction() as conn:
        role = role_of(conn, actor)
        if role in COORDINATOR_ROLES:
            mine = None
        elif role == "peer-supporter":
            mine = actor
        else:
            raise CoordinatorOnly()
        rows = conn.execute(
            "SELECT m.id, m.request_id, p.name, r.province, r.site, r.language, r.wants_outside, "
            "m.first_contact_due FROM matches AS m JOIN peers AS p ON p.id = m.peer_id "
            "JOIN match_requests AS r ON r.id = m.request_id "
            "WHERE m.answer = 'accepted' AND m.first_contact_at IS NULL AND m.closed_at IS NULL "
            "AND m.first_contact_due IS NOT NULL AND (? IS NULL OR p.account_id = ?) "
            "ORDER BY m.first_contact_due, m.id",
            (mine, mine),
        ).fetchall()
    return [FirstContactItem(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7]) for r in rows]


# --- the anonymous survey -----------------------------------------------------------------------


def save_survey(
    store: Store,
    answer_id: str,
    *,
    day: date,
    channel: str,
    language: str,
    helpful: int | None,
    recommend: bool | None,
) -> str:
    """One anonymous answer; "created", "unchanged" (a retry) or "empty" (nothing given)."""
    if helpful is None and recommend is None:
        return "empty"
    if helpful is not None and not 1 <= helpful <= 5:
        raise ValueError(f"helpful is 1 to 5, not {helpful}")
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO survey (id, day, channel, language, helpful, recommend) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                answer_id,
                day.isoformat(),
                channel,
                language,
                helpful,
                None if recommend is None else int(recommend),
            ),
        )
    return "created" if cursor.rowcount else "unchanged"


# --- retention and legal hold -------------------------------------------------------------------


@dataclass(frozen=True)
class RosterPurge:
    requests_shredded: int
    peers_shredded: int
    held_skipped: int


def purge_matching(
    store: Store | RecordStore, now: datetime, days: int, actor: str | None, dry_run: bool = False
) -> RosterPurge:
    """The contacts' retention applied to matching: identifiers of requests closed before the
    cutoff, and names of peers who left before it, are shredded; the coded rows stay for the
    reports, as a contact's coded answers do. Survey answers hold no identifier and are kept
    like those coded answers. Held records are skipped. Audited with counts only."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    cutoff = (now - timedelta(days=days)).isoformat()
    if (server := _on_server(store)) is not None:
        return cast("RosterPurge", server.roster_purge(now, cutoff, actor, dry_run))
    store = _file(store)
    due_requests = (
        "status IN ('closed', 'withdrawn') AND closed_at < :cutoff AND on_hold = 0 "
        "AND shredded_at IS NULL"
    )
    due_peers = "left_at < :cutoff AND on_hold = 0 AND shredded_at IS NULL"
    args = {"cutoff": cutoff, "now": now.isoformat()}
    with store.transaction() as conn:

        def count(sql: str) -> int:
            return int(conn.execute(sql, args).fetchone()[0])

        report = RosterPurge(
            count(f"SELECT count(*) FROM match_requests WHERE {due_requests}"),
            count(f"SELECT count(*) FROM peers WHERE {due_peers}"),
            count(
                "SELECT count(*) FROM match_requests WHERE on_hold = 1 AND shredded_at IS NULL "
                "AND status IN ('closed', 'withdrawn') AND closed_at < :cutoff"
            )
            + count(
                "SELECT count(*) FROM peers WHERE on_hold = 1 AND shredded_at IS NULL "
                "AND left_at < :cutoff"
            ),
        )
        if not dry_run:
            conn.execute(
                "UPDATE match_requests SET requester_name = NULL, requester_reach = NULL, "
                f"shredded_at = :now WHERE {due_requests}",
                args,
            )
            conn.execute(
                f"UPDATE peers SET name = NULL, shredded_at = :now WHERE {due_peers}", args
            )
        audit.append(
            conn,
            actor,
            "purge",
            None,
            f"matching dry_run={int(dry_run)} requests={report.requests_shredded} "
            f"peers={report.peers_shredded} "
            f"held={report.held_skipped}",
        )
    return report


def set_matching_hold(
    store: Store | RecordStore, table: str, record_id: str, on_hold: bool, actor: str | None
) -> None:
    """Legal hold on a request or a peer (supervisors only, like contacts)."""
    if table not in ("match_requests", "peers"):
        raise ValueError(table)
    if (server := _on_server(store)) is not None:
        server.roster_set_hold(table, record_id, on_hold, actor)
        return
    store = _file(store)
    with store.transaction() as conn:
        if role_of(conn, actor) != "supervisor":
            raise NotAllowed()
        if (
            conn.execute(
                f"UPDATE {table} SET on_hold = ? WHERE id = ?", (int(on_hold), record_id)
            ).rowcount
            == 0
        ):
            raise RecordMissing()
        audit.append(conn, actor, "hold" if on_hold else "release", record_id, table)
