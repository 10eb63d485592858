"""A program's year of activity in a store, with sentinel identifiers and notes everywhere a
person could type them: the reports and exports must never contain any of them."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from intake.storage.db import Store

SENTINELS = (
    "Zyxwerth Quolanby",  # a caller's name
    "+16045550199",  # a callback number
    "sentinel-note-Q7Vv",  # a note
    "Pramwick Dulvaney",  # a requester's name
    "requester-reach-K3",  # how to reach them
    "Omblethorpe Sante",  # a peer's name
)
SITES = ("Surrey Memorial", "Royal Columbian", "Kelowna General", "Nanaimo", "Tiny Clinic")
PROVINCES = ("BC", "AB", "ON", "QC", "NU")
ROLES = ("physician", "resident", "student", "family", "retired")
OUTCOMES = ("referred", "information", "callback", "declined", "crisis-connected")


def seed(store: Store, actor: str, *, contacts: int, requests: int, year: int = 2026) -> None:
    rnd = random.Random(contacts * 7 + requests)
    start = datetime(year, 1, 1, 9, tzinfo=UTC)
    peers = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(max(5, requests // 20))]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO peers (id, name, province, organization, site, created_at) "
            "VALUES (?, ?, 'BC', 'Fraser Division', ?, ?)",
            [(p, SENTINELS[5], rnd.choice(SITES), start.isoformat()) for p in peers],
        )
        rows: list[tuple[Any, ...]] = []
        notes: list[tuple[Any, ...]] = []
        followups: list[tuple[Any, ...]] = []
        for n in range(contacts):
            cid = str(uuid.UUID(int=rnd.getrandbits(128)))
            when = start + timedelta(minutes=rnd.randrange(365 * 24 * 60))
            consent = n % 3 == 0
            rows.append(
                (
                    cid,
                    rnd.choice(("phone", "phone", "kiosk")),
                    when.isoformat(),
                    "en",
                    rnd.choice(("en", "en", "fr")),
                    rnd.choice(ROLES),
                    rnd.choice(PROVINCES),
                    json.dumps(
                        [{"program": rnd.choice(("bc-php", "ab-pfsp", "qc-pamq")), "offered": True}]
                    ),
                    rnd.choice(OUTCOMES),
                    int(consent),
                    SENTINELS[0] if consent else None,
                    SENTINELS[1] if consent else None,
                )
            )
            if consent and n % 6 == 0:
                notes.append((str(uuid.uuid4()), cid, when.isoformat(), SENTINELS[2]))
                followups.append(
                    (
                        str(uuid.uuid4()),
                        cid,
                        (when + timedelta(days=2)).isoformat(),
                        rnd.choice(("open", "done", "cancelled")),
                        when.isoformat(),
                    )
                )
        rows.sort(key=lambda row: row[2])  # written as they happen: in time order
        conn.executemany(
            "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, role, "
            "province, referrals, outcome, consent_notes, caller_name, callback_number) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO notes (id, contact_id, created_at, body) VALUES (?, ?, ?, ?)", notes
        )
        conn.executemany(
            "INSERT INTO followups (id, contact_id, due_at, status, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            followups,
        )
        reqs: list[tuple[Any, ...]] = []
        matches: list[tuple[Any, ...]] = []
        for n in range(requests):
            rid = str(uuid.UUID(int=rnd.getrandbits(128)))
            when = start + timedelta(minutes=rnd.randrange(360 * 24 * 60))
            closed = n % 2 == 0
            reqs.append(
                (
                    rid,
                    when.isoformat(),
                    rnd.choice(("phone", "kiosk", "coordinator")),
                    SENTINELS[3],
                    SENTINELS[4],
                    rnd.choice(ROLES[:3]),
                    rnd.choice(PROVINCES[:3]),
                    rnd.choice(SITES),
                    int(rnd.random() < 0.3),
                    rnd.choice(("en", "fr")),
                    "closed" if closed else "matched",
                    (when + timedelta(days=40)).isoformat() if closed else None,
                    rnd.choice(("supported", "referred-on", "no-contact")) if closed else None,
                )
            )
            accepted = when + timedelta(days=1)
            first = accepted + timedelta(days=rnd.randrange(0, 9)) if n % 5 else None
            matches.append(
                (
                    str(uuid.UUID(int=rnd.getrandbits(128))),
                    rid,
                    rnd.choice(peers),
                    when.isoformat(),
                    accepted.isoformat(),
                    (accepted + timedelta(days=4)).date().isoformat(),
                    None if first is None else first.isoformat(),
                    (when + timedelta(days=40)).isoformat() if closed else None,
                )
            )
        reqs.sort(key=lambda row: row[1])
        conn.executemany(
            "INSERT INTO match_requests (id, created_at, source, consent, requester_name, "
            "requester_reach, role, province, site, wants_outside, language, status, closed_at, "
            "outcome) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            reqs,
        )
        conn.executemany(
            "INSERT INTO matches (id, request_id, peer_id, proposed_at, answer, answered_at, "
            "first_contact_due, first_contact_at, closed_at) "
            "VALUES (?, ?, ?, ?, 'accepted', ?, ?, ?, ?)",
            matches,
        )
        conn.executemany(
            "INSERT INTO survey (id, day, channel, language, helpful, recommend) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    str(uuid.uuid4()),
                    (date(year, 1, 1) + timedelta(days=rnd.randrange(360))).isoformat(),
                    rnd.choice(("closure", "kiosk")),
                    rnd.choice(("en", "fr")),
                    rnd.choice((3, 4, 5, 5)),
                    rnd.choice((None, 0, 1, 1)),
                )
                for _ in range(max(1, requests // 3))
            ],
        )
        conn.executemany(
            "INSERT INTO feedback (id, day, channel, language, rating, found) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    str(uuid.uuid4()),
                    (date(year, 1, 1) + timedelta(days=rnd.randrange(360))).isoformat(),
                    rnd.choice(("phone", "kiosk")),
                    rnd.choice(("en", "fr")),
                    rnd.choice((2, 4, 5)),
                    rnd.choice((None, 0, 1)),
                )
                for _ in range(max(1, contacts // 10))
            ],
        )
