"""Who sees what of the roster, the match requests and the matches, enforced by the server.

In the style of `security.py` (each person's own login, mapped to their line account):

- a coordinator or a supervisor (who coordinates until the program names coordinators) reads
  and writes the whole roster, every request and every match;
- a peer supporter reads their own roster entry, their own matches, and the requests of the
  matches they accepted (with the requester's sealed name and how to reach them, which only
  the station opens); they may record the first contact and close those, nothing else (the
  grants name those columns: a match is never added by them nor pointed at another request,
  `OWN_MATCH_FIXES`);
- a volunteer (or a kiosk) reads none of it: a call or a kiosk visit only adds a request
  (its own, `created_by`), which then belongs to the coordinators.

These statements run with the others when the owner switches row-level security on
(`security.enable_row_security`), and at once from schema version 5 on a store that already
had it (`schema.ROSTER`). Each may run again harmlessly.
"""

from __future__ import annotations

GROUPS = ("intake_volunteer", "intake_supervisor")

STATEMENTS = [
    # SECURITY DEFINER: it reads `accounts` as the owner; `session_user` is the person's login.
    """CREATE OR REPLACE FUNCTION intake_coordinates() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM accounts
             WHERE db_role = session_user AND role IN ('coordinator', 'supervisor')
        )
    $$""",
    "ALTER TABLE peers ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE match_requests ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE matches ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS peers_coordinators ON peers",
    """CREATE POLICY peers_coordinators ON peers
        USING (intake_coordinates()) WITH CHECK (intake_coordinates())""",
    "DROP POLICY IF EXISTS peers_self ON peers",
    "CREATE POLICY peers_self ON peers FOR SELECT USING (account_id = intake_me())",
    "DROP POLICY IF EXISTS matches_coordinators ON matches",
    """CREATE POLICY matches_coordinators ON matches
        USING (intake_coordinates()) WITH CHECK (intake_coordinates())""",
    "DROP POLICY IF EXISTS matches_own ON matches",
    # (`peers` as this login sees it: its own entry.)
    """CREATE POLICY matches_own ON matches
        USING (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))
        WITH CHECK (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))""",
    "DROP POLICY IF EXISTS requests_coordinators ON match_requests",
    """CREATE POLICY requests_coordinators ON match_requests
        USING (intake_coordinates()) WITH CHECK (intake_coordinates())""",
    "DROP POLICY IF EXISTS requests_of_own_matches ON match_requests",
    """CREATE POLICY requests_of_own_matches ON match_requests
        USING (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))
        WITH CHECK (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))""",
    "DROP POLICY IF EXISTS requests_made ON match_requests",
    # A call's or a kiosk visit's request: added, never read back.
    """CREATE POLICY requests_made ON match_requests FOR INSERT
        WITH CHECK (created_by = intake_me())""",
    *(
        statement
        for group in GROUPS
        for statement in (
            f"GRANT SELECT, INSERT, UPDATE ON peers, match_requests, matches TO {group}",
            f"GRANT EXECUTE ON FUNCTION intake_coordinates() TO {group}",
        )
    ),
]


# A peer supporter's own matches (review of issue 18): the grants above let the volunteers' group
# (peer supporters are in it) change any column of its own match, and add a match of its own, so
# a login could point its match at any request (`request_id`) and read that request's sealed name
# and reach through `requests_of_own_matches`. Now the group adds only a request (a call's or a
# kiosk visit's, `roster_add_request`'s columns; its status, match and closure are the
# coordinators'), adds no match and no roster entry, and changes only what the matched peer
# records (`roster_first_contact`: `first_contact_at`; `roster_close_request`: the request's
# status, closure time and outcome, the match's closure time). The own-match policies are split:
# reading, and changing a match or request that stays its own; none lets it add one. Each
# statement may run again harmlessly.
OWN_MATCH_FIXES = [
    "REVOKE INSERT, UPDATE ON peers, match_requests, matches FROM intake_volunteer",
    "GRANT INSERT (id, created_at, source, contact_id, consent, requester_name, "
    "requester_reach, role, province, organization, site, department, wants_outside, language, "
    "format, topics, created_by) ON match_requests TO intake_volunteer",
    "GRANT UPDATE (status, closed_at, outcome) ON match_requests TO intake_volunteer",
    "GRANT UPDATE (first_contact_at, closed_at) ON matches TO intake_volunteer",
    "DROP POLICY IF EXISTS matches_own ON matches",
    """CREATE POLICY matches_own ON matches FOR SELECT
        USING (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))""",
    "DROP POLICY IF EXISTS matches_own_change ON matches",
    """CREATE POLICY matches_own_change ON matches FOR UPDATE
        USING (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))
        WITH CHECK (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))""",
    "DROP POLICY IF EXISTS requests_of_own_matches ON match_requests",
    """CREATE POLICY requests_of_own_matches ON match_requests FOR SELECT
        USING (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))""",
    "DROP POLICY IF EXISTS requests_of_own_matches_change ON match_requests",
    """CREATE POLICY requests_of_own_matches_change ON match_requests FOR UPDATE
        USING (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))
        WITH CHECK (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))""",
]
# (The statements of schema version 5's step, `schema.ROSTER`, stay as they were.)
_BEFORE_FIXES = list(STATEMENTS)
STATEMENTS.extend(OWN_MATCH_FIXES)


def in_upgrade(statements: list[str] | None = None) -> str:
    """The statements (by default those of version 5's step) as one block for a schema step:
    run only where row-level security was switched on in this database (`intake_me` exists)."""
    chosen = _BEFORE_FIXES if statements is None else statements
    body = "\n".join(f"EXECUTE $stmt${statement}$stmt$;" for statement in chosen)
    return f"""DO $step$ BEGIN
        IF to_regproc('intake_me') IS NOT NULL THEN
            {body}
        END IF;
    END $step$"""
