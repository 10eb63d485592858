"""The store's checks come from the vocabulary (docs/storage.md, "Coded values"): every value set
of `intake.vocabulary` that is stored has its check in the store, lists exactly its codes, and a
code added to the vocabulary without a migration fails here.

Why: the checks on `contacts`, `work_items` and `work_attempts` are triggers generated from the
vocabulary when migration 8 runs. A store migrated before a code was added keeps the triggers of
its day and refuses the new code (a kiosk visit with a new outcome would not save on those
stores while every test on a fresh store passes). So a new code needs a migration that drops and
recreates the triggers (`m0008_worklist.vocabulary_triggers()`), and then the lists below."""

from __future__ import annotations

import re

import pytest
import sqlcipher3

from intake import vocabulary
from intake.storage.db import Store

# The codes the shipped migrations put in the store's checks (migration 8 for the triggers,
# migrations 8 and 9 for the two CHECK constraints). A store migrated by them refuses any other.
SHIPPED: dict[str, tuple[str, ...]] = {
    "CONTACT_CHANNELS": ("phone", "kiosk"),
    "RISKS": ("none", "concern", "high", "imminent"),
    "ROLES": ("physician", "resident", "student", "retired", "family", "other"),
    "NEEDS": ("peer", "counselling", "mentorship", "coaching", "information"),
    "OUTCOMES": (
        *("referred", "information", "crisis-connected", "callback", "declined"),
        *("disconnected", "abandoned", "callback-requested", "crisis-screen"),
    ),
    "TOPICS": (
        *("burnout", "complaint", "adverse-outcome", "relationships", "grief"),
        *("substance-use", "mental-health", "career", "harassment"),
    ),
    "FORMATS": ("one-on-one", "group", "phone", "virtual", "in-person", "text"),
    "CRISIS_ACTIONS": (
        *("crisis-route-opened", "emergency-called", "988-offered", "warm-transfer"),
        *("connection-confirmed", "supervisor-informed", "no-connection:declined-with-plan"),
        *("no-connection:disconnected", "no-connection:already-with-help"),
        *("supervisor-not-informed:not-reachable", "supervisor-not-informed:none-on-call"),
        *("safety-not-screened", "kiosk-crisis-screen", "kiosk-staff-alerted"),
    ),
    "WORK_KINDS": ("followup", "callback"),
    "WORK_OUTCOMES": ("helped", "referred", "declined", "unreachable", "no-longer-needed"),
    "ATTEMPT_RESULTS": ("reached", "no-answer", "message-left"),
    "WORK_STATUSES": ("open", "done", "cancelled"),
    "ACCOUNT_ROLES": ("volunteer", "supervisor", "coordinator", "peer-supporter", "kiosk"),
}

# Where each stored value set is checked: (table, kind of check, name of the trigger or column).
CHECKED: dict[str, tuple[str, str, str]] = {
    "CONTACT_CHANNELS": ("contacts", "trigger", "channel"),
    "RISKS": ("contacts", "trigger", "risk"),
    "ROLES": ("contacts", "trigger", "role"),
    "NEEDS": ("contacts", "trigger", "need"),
    "OUTCOMES": ("contacts", "trigger", "outcome"),
    "TOPICS": ("contacts", "trigger-list", "topics"),
    "FORMATS": ("contacts", "trigger-list", "formats"),
    "CRISIS_ACTIONS": ("contacts", "trigger-list", "crisis_actions"),
    "WORK_KINDS": ("work_items", "trigger", "kind"),
    "WORK_OUTCOMES": ("work_items", "trigger", "outcome"),
    "ATTEMPT_RESULTS": ("work_attempts", "trigger", "result"),
    "WORK_STATUSES": ("work_items", "check", "status"),
    "ACCOUNT_ROLES": ("accounts", "check", "role"),
}

# Value sets the store does not check, and why.
NOT_CHECKED = {
    "MODES": "stored as part of FORMATS",
    "CHANNELS": "stored as part of FORMATS",
    "RISK_TIERS": "RISKS and 'not-screened', which is shown but stored as a crisis action",
    "CALL_OUTCOMES": "stored as part of OUTCOMES",
    "KIOSK_OUTCOMES": "stored as part of OUTCOMES",
    "ABANDON_REASONS": "kept in the audit detail, checked by intake.services.abandon",
    "BEST_TIMES": "a callback's best time is also typed by a volunteer (free text)",
    "REPORT_CHANNELS": "stored as match_requests.source and survey.channel, each with a CHECK",
    "MATCH_KINDS": "not stored: a report derives it from match_requests.wants_outside (0 or 1)",
    "MATCH_OUTCOMES": "checked by intake.storage.roster.close_request, the one writer of it",
}


def _value_sets() -> dict[str, tuple[str, ...]]:
    return {
        name: value
        for name, value in vars(vocabulary).items()
        if name.isupper() and isinstance(value, tuple)
    }


def _codes(listed: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([^']*)'", listed))


def _in_store(store: Store, table: str, kind: str, column: str) -> tuple[str, ...]:
    if kind == "check":
        sql = store.query(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        )
        found = re.search(rf"\b{column}\b[^,]*?CHECK \({column} IN \(([^)]*)\)\)", sql[0][0])
    else:
        sql = store.query(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (f"{table}_vocabulary_insert",),
        )
        assert sql, f"the trigger {table}_vocabulary_insert is missing"
        pattern = (
            rf"json_each\(new\.{column}\) WHERE NOT value IN \(([^)]*)\)"
            if kind == "trigger-list"
            else rf"NOT new\.{column} IN \(([^)]*)\)"
        )
        found = re.search(pattern, sql[0][0])
    assert found, f"{table}.{column}: no check found"
    return _codes(found.group(1))


def test_every_value_set_of_the_vocabulary_is_checked_by_the_store_or_says_why_not() -> None:
    sets = set(_value_sets())
    assert sets == set(CHECKED) | set(NOT_CHECKED), (
        "a value set was added to or removed from intake.vocabulary: say here where the store "
        "checks it (a migration regenerating the triggers) or why it does not"
    )
    assert not set(CHECKED) & set(NOT_CHECKED)


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_the_store_checks_exactly_the_codes_of_the_vocabulary(store: Store, name: str) -> None:
    table, kind, column = CHECKED[name]
    in_store = _in_store(store, table, kind, column)
    assert sorted(in_store) == sorted(getattr(vocabulary, name))  # the order does not matter
    assert len(set(in_store)) == len(in_store)
    if kind.startswith("trigger"):
        update = store.query(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (f"{table}_vocabulary_update",),
        )
        assert update, f"the trigger {table}_vocabulary_update is missing"


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_a_code_added_to_the_vocabulary_needs_a_migration(name: str) -> None:
    """Fails when a code is added to (or removed from) the vocabulary without a migration that
    regenerates the store's checks: stores migrated before would refuse it."""
    shipped = SHIPPED[name]
    current = getattr(vocabulary, name)
    assert current == shipped, (
        f"intake.vocabulary.{name} is {current}, but the migrations shipped check {shipped}: "
        "add a migration that drops and recreates the checks (m0008_worklist.vocabulary_triggers"
        "), then update SHIPPED in this test"
    )


def test_a_code_outside_the_vocabulary_is_refused_by_the_store_itself(
    store: Store, actor: str
) -> None:
    columns = "id, channel, started_at, ui_language, caller_language, risk, topics, created_by"
    insert = f"INSERT INTO contacts ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    at = "2026-11-22T03:10:00-05:00"
    with store.transaction() as conn:
        conn.execute(insert, ("c-1", "phone", at, "en", "fr", "none", '["burnout"]', actor))
    for column, bad, row in (
        ("risk", "moderate", ("c-2", "phone", at, "en", "fr", "moderate", "[]", actor)),
        (
            "topics",
            '["astrology"]',
            ("c-3", "phone", at, "en", "fr", "none", '["astrology"]', actor),
        ),
    ):
        refused = pytest.raises(sqlcipher3.IntegrityError, match="outside the vocabulary")
        with refused, store.transaction() as conn:
            conn.execute(insert, row)
        refused = pytest.raises(sqlcipher3.IntegrityError, match="outside the vocabulary")
        with refused, store.transaction() as conn:
            conn.execute(f"UPDATE contacts SET {column} = ? WHERE id = 'c-1'", (bad,))
    assert store.query("SELECT id, risk, topics FROM contacts") == [("c-1", "none", '["burnout"]')]
