"""Who sees what of the worklist and the answers, enforced by the server (row-level security).

The part of `security.py` for the tables added after it: `work_items`, `work_attempts`,
`feedback` and `survey`. Switched on with the rest by `intake db row-security`, and, for a store
whose row security was switched on before these tables had policies, by the schema step
`ROW_SECURITY_STEP` (its statements run only where row security is on in that database).

What a per-person login (a member of `intake_volunteer` or `intake_supervisor`, mapped to its
line account by `accounts.db_role`) may do, whatever its station's program asks:

- supervisors and coordinators read and write all (`intake_sees_all`, which before this step
  named supervisors only: the worklist service lets coordinators see any number too);
- a volunteer reads every *open* worklist item's row (kind, due time, who holds it: coded values,
  ids and times, no number, no name, no note) and, through the view `intake_work_queue` (which
  the worklist screen reads), the item's caller's time zone, language, province and risk and the
  count of attempts; the agreed time and whether there is a number only for its own contacts'
  items and the items it holds. It reads the callback rows (so the sealed number) of its own
  contacts and of the contacts whose item it holds or held, and no other;
- a volunteer claims only an open item nobody else holds, and only for itself; it records
  attempts only as itself on an item it holds, and reads its own attempts and those of the items
  it holds or of its own contacts; it changes (reschedules, closes, releases) only an item it
  holds, and of any item, callback or follow-up only the columns that work writes
  (`VOLUNTEER_COLUMNS`: never an item's id, kind or contact);
- feedback and survey answers: every login adds them (the kiosk's and the closing survey's
  screens); only the supervisors' group reads the answers back (the counts of reports): coordinators
  join that group (`intake db map-account`; a coordinator mapped before is moved by the step).

Items and attempts are never deleted by a login; items are made by the server's triggers (run as
the owner), so a volunteer has no INSERT on `work_items`.
"""

from __future__ import annotations

GROUPS = ("intake_volunteer", "intake_supervisor")

_VISIBLE_ITEM = "intake_sees_all() OR w.claimed_by = intake_me() OR c.created_by = intake_me()"

STATEMENTS = [
    # Coordinators read all, as the worklist service lets them (SEE_ANY_NUMBER).
    """CREATE OR REPLACE FUNCTION intake_sees_all() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM accounts WHERE db_role = session_user
               AND role IN ('supervisor', 'coordinator')
        )
    $$""",
    "ALTER TABLE work_items ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY work_items_read ON work_items FOR SELECT
        USING (
            status = 'open' OR intake_sees_all() OR claimed_by = intake_me()
            OR contact_id IN (SELECT id FROM contacts)
        )""",
    # Claim an open item nobody holds, or change one's own; never take another's.
    """CREATE POLICY work_items_change ON work_items FOR UPDATE
        USING (
            intake_sees_all()
            OR (status = 'open' AND (claimed_by IS NULL OR claimed_by = intake_me()))
        )
        WITH CHECK (
            intake_sees_all() OR claimed_by = intake_me()
            OR (claimed_by IS NULL AND status = 'open')
        )""",
    "ALTER TABLE work_attempts ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY work_attempts_read ON work_attempts FOR SELECT
        USING (
            intake_sees_all() OR actor = intake_me()
            OR item_id IN (
                SELECT id FROM work_items
                 WHERE claimed_by = intake_me() OR contact_id IN (SELECT id FROM contacts)
            )
        )""",
    """CREATE POLICY work_attempts_add ON work_attempts FOR INSERT
        WITH CHECK (
            actor = intake_me() AND (
                intake_sees_all()
                OR item_id IN (SELECT id FROM work_items WHERE claimed_by = intake_me())
            )
        )""",
    # The holder of an item reads and updates its person's callbacks and follow-ups (the number
    # it calls, the status a close sets), besides the policies of security.py.
    """CREATE POLICY callbacks_of_held_work ON callbacks FOR SELECT
        USING (contact_id IN (SELECT contact_id FROM work_items WHERE claimed_by = intake_me()))""",
    """CREATE POLICY callbacks_of_held_work_change ON callbacks FOR UPDATE
        USING (contact_id IN (SELECT contact_id FROM work_items WHERE claimed_by = intake_me()))""",
    """CREATE POLICY followups_of_held_work ON followups FOR SELECT
        USING (contact_id IN (SELECT contact_id FROM work_items WHERE claimed_by = intake_me()))""",
    """CREATE POLICY followups_of_held_work_change ON followups FOR UPDATE
        USING (contact_id IN (SELECT contact_id FROM work_items WHERE claimed_by = intake_me()))""",
    # The worklist screen's rows (as `worklist._SELECT`): a view runs with its owner's rights,
    # so it shows every open item; what would lead to the person (the agreed time, whether a
    # number is kept) only to those who may call them.
    f"""CREATE OR REPLACE VIEW intake_work_queue WITH (security_barrier) AS
        SELECT w.id, w.kind, w.contact_id, c.channel, c.province,
               CASE WHEN position('"safety-not-screened"' in c.crisis_actions) > 0
                    THEN 'not-screened' ELSE c.risk END AS risk,
               w.due_at, cb.time_zone,
               CASE WHEN {_VISIBLE_ITEM} THEN cb.best_time END AS best_time,
               c.caller_language, w.claimed_by, a.display_name AS claimer_name,
               (SELECT count(*) FROM work_attempts t WHERE t.item_id = w.id) AS attempts,
               CASE WHEN {_VISIBLE_ITEM} THEN cb.number IS NOT NULL ELSE false END
                   AS has_number,
               coalesce(cb.messages_ok, false) AS messages_ok, w.rank,
               CASE WHEN {_VISIBLE_ITEM} THEN cb.id END AS callback_id, w.status
          FROM work_items w JOIN contacts c ON c.id = w.contact_id
          LEFT JOIN accounts a ON a.id = w.claimed_by
          LEFT JOIN LATERAL (
              SELECT id, time_zone, best_time, number, messages_ok FROM callbacks
               WHERE contact_id = w.contact_id ORDER BY created_at DESC, id DESC LIMIT 1
          ) cb ON true
         WHERE w.status = 'open' OR {_VISIBLE_ITEM}""",
    # A coordinator mapped before this step joined the volunteers' group: now the supervisors'
    # (the group that reads the answers back), as `intake db map-account` does from now on.
    """DO $$ DECLARE login text; BEGIN
        FOR login IN SELECT a.db_role FROM accounts a JOIN pg_roles r ON r.rolname = a.db_role
                      WHERE a.role = 'coordinator' LOOP
            EXECUTE format('REVOKE intake_volunteer FROM %I', login);
            EXECUTE format('GRANT intake_supervisor TO %I', login);
        END LOOP;
    END $$""",
    *(
        statement
        for group in GROUPS
        for statement in (
            f"GRANT SELECT ON intake_work_queue TO {group}",
            f"GRANT SELECT, UPDATE ON work_items TO {group}",
            f"GRANT SELECT, INSERT ON work_attempts TO {group}",
            # Added by every login; read back by supervisors and coordinators only. (Adding
            # one is `INSERT … ON CONFLICT (id) DO NOTHING`, which needs to read the ids: random
            # ones, with no answer in them.)
            f"GRANT {'SELECT, INSERT' if group == 'intake_supervisor' else 'SELECT (id), INSERT'}"
            f" ON feedback, survey TO {group}",
        )
    ),
]


# What a volunteer's login may change, column by column (review of issue 18): the grants above
# are on every column, and a policy sees only the new row, so a holder could point its item at
# another person (`contact_id`) and then read that person's callback through the policies of
# held work. The volunteers' group now changes only the columns its own work writes
# (`worklist.py`: a claim and a release `claimed_by`, `claimed_at`; a reschedule `due_at`; a
# close `status`, `outcome`, `closed_at`; the store's callbacks and follow-ups of its own calls:
# the number, agreed time, time zone, status, messages; a follow-up's due time and status; the
# older claim goes through `intake_claim_callback`, run as the owner). Never an id, a kind, a
# contact, nor the claim of a callback or follow-up row by hand. The supervisors' group keeps
# every column. Each statement may run again harmlessly (a table-wide REVOKE takes the column
# grants with it).
VOLUNTEER_COLUMNS = [
    "REVOKE UPDATE ON work_items FROM intake_volunteer",
    "GRANT UPDATE (claimed_by, claimed_at, due_at, status, outcome, closed_at) ON work_items "
    "TO intake_volunteer",
    "REVOKE INSERT, UPDATE ON callbacks FROM intake_volunteer",
    "GRANT INSERT (id, contact_id, number, best_time, time_zone, created_at, messages_ok) "
    "ON callbacks TO intake_volunteer",
    "GRANT UPDATE (number, best_time, time_zone, status, messages_ok) ON callbacks "
    "TO intake_volunteer",
    "REVOKE INSERT, UPDATE ON followups FROM intake_volunteer",
    "GRANT INSERT (id, contact_id, due_at, created_by, created_at) ON followups "
    "TO intake_volunteer",
    "GRANT UPDATE (due_at, status) ON followups TO intake_volunteer",
]
STATEMENTS.extend(VOLUNTEER_COLUMNS)


def _again(statements: list[str]) -> list[str]:
    """Each policy dropped first if it is there, so the statements may run again harmlessly (a
    store that got them from `intake db row-security` and then its version set back)."""
    out: list[str] = []
    for statement in statements:
        words = statement.split(None, 5)
        if words[:2] == ["CREATE", "POLICY"] and words[3] == "ON":
            out.append(f"DROP POLICY IF EXISTS {words[2]} ON {words[4]}")
        out.append(statement)
    return out


STATEMENTS = _again(STATEMENTS)
_BEFORE_FIXES = STATEMENTS[: -len(VOLUNTEER_COLUMNS)]


def _where_row_security_is_on(statement: str) -> str:
    """The statement, run only in a database where row security was switched on."""
    return (
        "DO $step$ BEGIN IF to_regproc('intake_me') IS NOT NULL THEN "
        f"EXECUTE $rls${statement}$rls$; END IF; END $step$"
    )


# The schema step: a store whose row security was switched on before this version gets the
# policies and grants above at its owner's next open; any other store is left as it is (they
# come with `intake db row-security`).
ROW_SECURITY_STEP = [_where_row_security_is_on(statement) for statement in _BEFORE_FIXES]

# Part of the schema step `schema.SECURITY_FIXES`: the column grants above, for a store whose row
# security was switched on before them.
FIXES_STEP = [_where_row_security_is_on(statement) for statement in VOLUNTEER_COLUMNS]
