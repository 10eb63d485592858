# One store only (the shared server): row-level security for the holder of a claimed item.
"""What a volunteer holding another's callback may change of it, even with its own SQL (issue
18, item 5; the review's finding): the holder reads the number to call the person back and
closes the item (the number then forgotten), nothing more. It may not put another number in,
nor change the agreed time, the time zone or the permission to leave a message, nor reopen it:
a holder who could would misdirect the line's call to that person. The caller's own volunteer
(who saved the call) and supervisors still correct it as before. Tested from the refused side
against the real throwaway server, on a new store and on one whose row security was on before
(the last schema step)."""

from __future__ import annotations

import psycopg
import pytest

from intake.services import worklist
from tests.storage.test_row_security_disabled import line  # noqa: F401 - the fixture
from tests.storage.test_row_security_worklist import NUMBER, Line, _work_the_item

CHANGES = {
    "another number": ("number", b"\x00forged"),
    "the agreed time": ("best_time", b"\x00forged"),
    "the time zone": ("time_zone", "America/Vancouver"),
    "leaving a message": ("messages_ok", True),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_the_holder_may_not_change_what_the_caller_agreed_to(
    line: Line,  # noqa: F811 - the fixture
    change: str,
) -> None:
    item = _work_the_item(line)  # Alice's call; Bruno holds its callback
    bruno, bruno_id = line.stations["bruno"], line.accounts["bruno"]
    column, value = CHANGES[change]
    before = line.owner.query(f"SELECT {column} FROM callbacks WHERE id = %s", (item,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        bruno.query(f"UPDATE callbacks SET {column} = %s WHERE id = %s RETURNING 1", (value, item))
    assert line.owner.query(f"SELECT {column} FROM callbacks WHERE id = %s", (item,)) == before
    # What holding it is for still works: the number read, the item closed, the number gone.
    assert worklist.reveal_number(bruno, item, bruno_id) == NUMBER
    worklist.close(bruno, item, bruno_id, "helped")
    assert line.owner.query("SELECT status, number FROM callbacks WHERE id = %s", (item,)) == [
        ("done", None)
    ]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor reopened
        bruno.query("UPDATE callbacks SET status = 'open' WHERE id = %s RETURNING 1", (item,))


def test_the_callers_own_volunteer_and_a_supervisor_still_correct_it(
    line: Line,  # noqa: F811 - the fixture
) -> None:
    item = _work_the_item(line)
    alice = line.stations["alice"]
    alice.query(
        "UPDATE callbacks SET time_zone = 'America/Halifax' WHERE id = %s RETURNING 1", (item,)
    )
    line.stations["sup"].query(
        "UPDATE callbacks SET messages_ok = true WHERE id = %s RETURNING 1", (item,)
    )
    assert line.owner.query(
        "SELECT time_zone, messages_ok FROM callbacks WHERE id = %s", (item,)
    ) == [("America/Halifax", True)]
