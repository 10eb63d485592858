# One store only (the shared server): row-level security on deletes.
"""No login deletes a contact, a callback or a follow-up (issue 18, item 5; the review's
finding): a legal hold guarded only the flag, while every login could delete its own held
contact, its callback and its follow-up with its own SQL. No station ever deletes them (the
retention purge runs with the owner's address), so no login may; the owner still purges, and
skips what is held. Tested from the refused side against the real throwaway server, on a new
store and on one whose row security was on before (the last schema step)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from intake.services import accounts as console
from tests.storage.test_row_security_disabled import line  # noqa: F401 - the fixture
from tests.storage.test_row_security_worklist import Line, _call_with_callback

TABLES = ("contacts", "callbacks", "followups")


@pytest.mark.parametrize("who", ["alice", "sup"])
def test_no_login_deletes_a_held_contact_its_callback_or_its_follow_up(
    line: Line,  # noqa: F811 - the fixture
    who: str,
) -> None:
    contact_id, _item = _call_with_callback(line, who)
    station, actor = line.stations[who], line.accounts[who]
    station.add_followup(
        f"fu-{contact_id}",
        contact_id,
        (datetime.now(UTC) + timedelta(days=2)).isoformat(),
        actor,
    )
    console.hold_record(line.owner, line.accounts["sup"], contact_id, True)
    for table in TABLES:
        column = "id" if table == "contacts" else "contact_id"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            station.query(f"DELETE FROM {table} WHERE {column} = %s RETURNING 1", (contact_id,))
        assert line.owner.query(f"SELECT count(*) FROM {table}") == [(1,)]
    assert station.on_hold(contact_id)
