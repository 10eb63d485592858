"""Version 4: indexes for the history list and note search of every role and filter.

The history list shows the newest contacts first, a page at a time, narrowed by who created the
contact (a volunteer sees their own), province and outcome. Without an index that starts with
the filtered columns and ends with the order (started_at, id), SQLite walks the whole contacts
table in date order until it has a page: at 1,000,000 contacts a volunteer with ten contacts
waited 11 s, and a filter matching nothing read every page. Each index below answers one
combination of equality filters directly, already in display order, so the first page costs
a few page reads whatever the filter (a "since" date is a range on the same index).
Follow-ups due are found through their own index rather than by reading every follow-up.
`records.history_page` names the index each combination uses (INDEXED BY), so the choice does not
depend on the planner's guesses; tests/storage/test_query_plans.py checks every screen query.
"""

from typing import Any

STATEMENTS = [
    "CREATE INDEX contacts_creator ON contacts (created_by, started_at DESC, id DESC)",
    "CREATE INDEX contacts_province ON contacts (province, started_at DESC, id DESC)",
    "CREATE INDEX contacts_outcome ON contacts (outcome, started_at DESC, id DESC)",
    "CREATE INDEX contacts_province_outcome "
    "ON contacts (province, outcome, started_at DESC, id DESC)",
    "CREATE INDEX contacts_creator_province "
    "ON contacts (created_by, province, started_at DESC, id DESC)",
    "CREATE INDEX contacts_creator_outcome "
    "ON contacts (created_by, outcome, started_at DESC, id DESC)",
    "CREATE INDEX contacts_creator_province_outcome "
    "ON contacts (created_by, province, outcome, started_at DESC, id DESC)",
    "CREATE INDEX followups_open ON followups (status, due_at)",
    # Opening a contact reads its follow-ups; deleting one cascades to follow-ups and callbacks.
    "CREATE INDEX followups_contact ON followups (contact_id)",
    "CREATE INDEX callbacks_contact ON callbacks (contact_id)",
    "CREATE INDEX drafts_account ON drafts (account_id, updated_at)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
