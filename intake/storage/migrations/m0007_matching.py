"""Version 7: the peer-supporter roster, match requests, matches and the anonymous survey.

- `peers`: trained peer supporters. The name is an identifier (shredded at retention like a
  caller's name once the peer has left the roster); everything else is coded.
- `match_requests`: a physician asking to be matched with a peer. From a call or a kiosk visit
  only with the person's consent (`consent = 1`, enforced here); a coordinator's own entry is
  consent given to the coordinator. The two identifier columns are the only free text.
- `matches`: each proposal of a peer for a request, its answer, the first contact and closure.
  `first_contact_due` is a date the worklist can list (open matches without a first contact).
- `survey`: the short anonymous survey at closure and at the kiosk; like `feedback`, no link to
  a request or a person and dated to the day only.
"""

from typing import Any

STATEMENTS = [
    """CREATE TABLE peers (
        id            TEXT PRIMARY KEY,
        name          TEXT,
        province      TEXT NOT NULL,
        organization  TEXT NOT NULL,            -- Division, MSA, hospital department...
        site          TEXT NOT NULL,            -- the local site or community
        department    TEXT NOT NULL DEFAULT '',
        languages     TEXT NOT NULL DEFAULT '["en"]',
        formats       TEXT NOT NULL DEFAULT '[]',
        topics        TEXT NOT NULL DEFAULT '[]',   -- what they are comfortable supporting
        conflicts     TEXT NOT NULL DEFAULT '[]',   -- declared: [{"kind", "site", "department"}]
        trained_on    TEXT,
        trained_by    TEXT,
        capacity      INTEGER NOT NULL DEFAULT 2 CHECK (capacity >= 0),
        available     INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
        account_id    TEXT REFERENCES accounts (id),
        created_at    TEXT NOT NULL,
        left_at       TEXT,
        on_hold       INTEGER NOT NULL DEFAULT 0,
        shredded_at   TEXT
    ) STRICT""",
    """CREATE TABLE match_requests (
        id              TEXT PRIMARY KEY,
        created_at      TEXT NOT NULL,
        source          TEXT NOT NULL CHECK (source IN ('phone', 'kiosk', 'coordinator')),
        contact_id      TEXT REFERENCES contacts (id) ON DELETE SET NULL,
        consent         INTEGER NOT NULL CHECK (consent = 1),
        requester_name  TEXT,
        requester_reach TEXT,
        role            TEXT,
        province        TEXT NOT NULL,
        organization    TEXT NOT NULL DEFAULT '',
        site            TEXT NOT NULL,
        department      TEXT NOT NULL DEFAULT '',
        wants_outside   INTEGER NOT NULL DEFAULT 0 CHECK (wants_outside IN (0, 1)),
        language        TEXT NOT NULL CHECK (language IN ('en', 'fr')),
        format          TEXT,
        topics          TEXT NOT NULL DEFAULT '[]',
        status          TEXT NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'proposed', 'matched', 'closed', 'withdrawn')),
        closed_at       TEXT,
        outcome         TEXT,
        created_by      TEXT REFERENCES accounts (id),
        on_hold         INTEGER NOT NULL DEFAULT 0,
        shredded_at     TEXT
    ) STRICT""",
    "CREATE INDEX match_requests_created ON match_requests (created_at)",
    "CREATE INDEX match_requests_status ON match_requests (status, created_at)",
    """CREATE TABLE matches (
        id                TEXT PRIMARY KEY,
        request_id        TEXT NOT NULL REFERENCES match_requests (id) ON DELETE CASCADE,
        peer_id           TEXT NOT NULL REFERENCES peers (id),
        proposed_at       TEXT NOT NULL,
        proposed_by       TEXT REFERENCES accounts (id),
        answer            TEXT CHECK (answer IN ('accepted', 'declined', 'conflict')),
        answered_at       TEXT,
        first_contact_due TEXT,                 -- a date: three business days after acceptance
        first_contact_at  TEXT,
        closed_at         TEXT
    ) STRICT""",
    "CREATE INDEX matches_request ON matches (request_id)",
    "CREATE INDEX matches_peer ON matches (peer_id, answer, closed_at)",
    "CREATE INDEX matches_first_contact ON matches (first_contact_at, first_contact_due)",
    """CREATE TABLE survey (
        id        TEXT PRIMARY KEY,
        day       TEXT NOT NULL,
        channel   TEXT NOT NULL CHECK (channel IN ('closure', 'kiosk')),
        language  TEXT NOT NULL CHECK (language IN ('en', 'fr')),
        helpful   INTEGER CHECK (helpful BETWEEN 1 AND 5),
        recommend INTEGER CHECK (recommend IN (0, 1)),
        CHECK (helpful IS NOT NULL OR recommend IS NOT NULL)
    ) STRICT""",
    "CREATE INDEX survey_day ON survey (day)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
