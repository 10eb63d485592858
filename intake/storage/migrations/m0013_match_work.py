"""Version 13: a match's first contact is a worklist kind; the reports' counts kept in the store.

- `first-contact` joins the worklist's kinds (`intake.vocabulary.WORK_KINDS`): the first contact
  a peer supporter owes a physician once they accepted the match. The item itself is the match
  (`matches.first_contact_due`, set on acceptance, closed by `first_contact_at`), listed by the
  worklist service to coordinators and to the matched peer; the kind is accepted by the store's
  checks so that either store can keep such items as rows. The vocabulary triggers of version 8
  are regenerated from the vocabulary (docs/storage.md, "Coded values").
- The sponsors' reports read counts kept by the store (`report_contacts`, `report_referrals`,
  `report_followups`, `report_requests`) instead of every row of the period: each table holds a
  count per month and combination of coded values, kept by triggers in the same transaction as
  the write (so every path that saves a call, a kiosk visit, a follow-up or a request, and every
  purge, keeps them exact), and filled here from the rows already stored. They hold coded values
  and counts only, like the reports. The covering indexes of version 12, which only the reports
  read, are dropped (fewer indexes to write on every save); two narrow indexes serve the one
  read left of matches and their requests.
"""

from __future__ import annotations

import re
from typing import Any

from intake.storage.migrations.m0008_worklist import vocabulary_triggers

# Each kept count: its table, the table it counts, and the key's columns with their expression
# over a row of that table (`{r}` is new or old).
CONTACT_KEY = {
    "month": "substr({r}.started_at, 1, 7)",
    "channel": "{r}.channel",
    "province": "coalesce({r}.province, '?')",
    "language": "{r}.caller_language",
    "role": "coalesce({r}.role, '?')",
    "outcome": "coalesce({r}.outcome, '?')",
}
REQUEST_KEY = {
    "month": "substr({r}.created_at, 1, 7)",
    "source": "{r}.source",
    "province": "{r}.province",
    "site": "{r}.site",
    "language": "{r}.language",
    "role": "coalesce({r}.role, '?')",
    "wants_outside": "{r}.wants_outside",
    "status": "{r}.status",
    "outcome": "coalesce({r}.outcome, '?')",
}
# A follow-up counts in the month its contact started; an open one keeps its due time (whether
# it is overdue is decided when the report is made), the others only their status.
FOLLOWUP_KEY = {
    "month": "(SELECT substr(c.started_at, 1, 7) FROM contacts c WHERE c.id = {r}.contact_id)",
    "status": "{r}.status",
    "due_at": "CASE {r}.status WHEN 'open' THEN {r}.due_at ELSE '' END",
}


def _truthy(field: str) -> str:
    """A JSON member read as Python reads it for truth (the reports counted in Python before)."""
    at = f"'$.{field}'"
    return (
        f"CASE json_type(value, {at}) WHEN 'true' THEN 1 "
        f"WHEN 'integer' THEN json_extract(value, {at}) <> 0 "
        f"WHEN 'real' THEN json_extract(value, {at}) <> 0 "
        f"WHEN 'text' THEN json_extract(value, {at}) <> '' "
        f"WHEN 'array' THEN json_array_length(value, {at}) > 0 "
        f"WHEN 'object' THEN json_extract(value, {at}) <> '{{}}' ELSE 0 END"
    )


def _offers(r: str) -> tuple[str, str]:
    """The json_each over a contacts row's referrals, and the condition that keeps its offers."""
    referrals = f"{r}.referrals"
    each = (
        f"json_each(CASE WHEN json_valid({referrals}) AND json_type({referrals}) = 'array' "
        f"THEN {referrals} ELSE '[]' END)"
    )
    return each, f"json_type(value) = 'object' AND {_truthy('offered')} AND {_truthy('program')}"


PROGRAM = "CAST(json_extract(value, '$.program') AS TEXT)"


def offered(r: str) -> str:
    """The programs offered in a contacts row's referrals (one line per offer)."""
    each, condition = _offers(r)
    return f"SELECT {PROGRAM} AS program FROM {each} WHERE {condition}"


def _key(key: dict[str, str], r: str) -> list[str]:
    return [expression.format(r=r) for expression in key.values()]


def _add(table: str, key: dict[str, str], r: str, sign: int) -> list[str]:
    columns = ", ".join(key)
    values = _key(key, r)
    if sign > 0:
        return [
            f"INSERT INTO {table} ({columns}, n) VALUES ({', '.join(values)}, 1) "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = n + 1;"
        ]
    match = " AND ".join(f"{c} IS {v}" for c, v in zip(key, values, strict=True))
    return [
        f"UPDATE {table} SET n = n - 1 WHERE {match};",
        f"DELETE FROM {table} WHERE {match} AND n = 0;",
    ]


def _kept(table: str, source: str, key: dict[str, str], when: str = "") -> list[str]:
    """Triggers keeping `table` (a count per key) equal to a recount of `source`."""
    changed = f"({', '.join(_key(key, 'old'))}) IS NOT ({', '.join(_key(key, 'new'))})"
    watched = sorted({c for e in key.values() for c in re.findall(r"\{r\}\.(\w+)", e)})
    return [
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON {source} BEGIN "
        + " ".join(_add(table, key, "new", +1))
        + " END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {', '.join(watched)} ON {source} "
        f"WHEN {changed} BEGIN "
        + " ".join(_add(table, key, "old", -1) + _add(table, key, "new", +1))
        + " END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON {source} {when}BEGIN "
        + " ".join(_add(table, key, "old", -1))
        + " END",
    ]


def _count_table(table: str, key: dict[str, str], types: dict[str, str]) -> str:
    columns = ", ".join(f"{c} {types.get(c, 'TEXT')} NOT NULL" for c in key)
    return (
        f"CREATE TABLE {table} ({columns}, n INTEGER NOT NULL CHECK (n >= 0), "
        f"PRIMARY KEY ({', '.join(key)})) WITHOUT ROWID, STRICT"
    )


def _fill(table: str, source: str, key: dict[str, str]) -> str:
    values = ", ".join(_key(key, "s"))
    return (
        f"INSERT INTO {table} ({', '.join(key)}, n) SELECT {values}, count(*) FROM {source} s "
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(key)))}"
    )


def report_statements() -> list[str]:
    referral_month = "substr({r}.started_at, 1, 7)"
    statements = [
        _count_table("report_contacts", CONTACT_KEY, {}),
        _count_table("report_requests", REQUEST_KEY, {"wants_outside": "INTEGER"}),
        _count_table("report_followups", FOLLOWUP_KEY, {}),
        "CREATE TABLE report_referrals (month TEXT NOT NULL, program TEXT NOT NULL, "
        "n INTEGER NOT NULL CHECK (n >= 0), PRIMARY KEY (month, program)) WITHOUT ROWID, STRICT",
        *_kept("report_contacts", "contacts", CONTACT_KEY),
        *_kept("report_requests", "match_requests", REQUEST_KEY),
        # A follow-up deleted with its contact was counted out before the contact went (below):
        # by then its contact's month can no longer be read.
        *_kept(
            "report_followups",
            "followups",
            FOLLOWUP_KEY,
            "WHEN EXISTS (SELECT 1 FROM contacts WHERE id = old.contact_id) ",
        ),
        _fill("report_contacts", "contacts", CONTACT_KEY),
        _fill("report_requests", "match_requests", REQUEST_KEY),
        _fill("report_followups", "followups", FOLLOWUP_KEY),
        "INSERT INTO report_referrals (month, program, n) "
        f"SELECT {referral_month.format(r='s')}, {PROGRAM}, count(*) "
        f"FROM contacts s, {_offers('s')[0]} WHERE {_offers('s')[1]} GROUP BY 1, 2",
    ]
    referrals_of = {
        r: f"SELECT {referral_month.format(r=r)} AS month, program, count(*) AS n "
        f"FROM ({offered(r)}) GROUP BY program"
        for r in ("new", "old")
    }
    add_new = (
        f"INSERT INTO report_referrals (month, program, n) SELECT month, program, n "
        f"FROM ({referrals_of['new']}) WHERE true "
        "ON CONFLICT (month, program) DO UPDATE SET n = n + excluded.n;"
    )
    take_old = (
        f"UPDATE report_referrals SET n = n - (SELECT o.n FROM ({referrals_of['old']}) o "
        "WHERE o.program = report_referrals.program) "
        f"WHERE month = {referral_month.format(r='old')} "
        f"AND program IN (SELECT program FROM ({offered('old')})); "
        "DELETE FROM report_referrals WHERE n = 0;"
    )
    old_followups = (
        "SELECT f.status AS status, CASE f.status WHEN 'open' THEN f.due_at ELSE '' END AS due_at, "
        "count(*) AS n FROM followups f WHERE f.contact_id = old.id GROUP BY 1, 2"
    )
    new_followups = old_followups.replace("old.id", "new.id")
    take_followups = (
        "UPDATE report_followups SET n = n - (SELECT o.n FROM ({q}) o WHERE o.status = "
        "report_followups.status AND o.due_at = report_followups.due_at) "
        "WHERE month = substr({r}.started_at, 1, 7) AND (status, due_at) IN "
        "(SELECT status, due_at FROM ({q})); DELETE FROM report_followups WHERE n = 0;"
    )
    statements += [
        f"CREATE TRIGGER report_referrals_insert AFTER INSERT ON contacts BEGIN {add_new} END",
        "CREATE TRIGGER report_referrals_update AFTER UPDATE OF referrals, started_at ON contacts "
        "WHEN old.referrals IS NOT new.referrals "
        "OR substr(old.started_at, 1, 7) IS NOT substr(new.started_at, 1, 7) "
        f"BEGIN {take_old} {add_new} END",
        f"CREATE TRIGGER report_referrals_delete AFTER DELETE ON contacts BEGIN {take_old} END",
        # Follow-ups count in their contact's month: they move with it, and leave before it does.
        "CREATE TRIGGER report_followups_contact_moved AFTER UPDATE OF started_at ON contacts "
        "WHEN substr(old.started_at, 1, 7) IS NOT substr(new.started_at, 1, 7) BEGIN "
        + take_followups.format(q=old_followups, r="old")
        + " INSERT INTO report_followups (month, status, due_at, n) "
        f"SELECT substr(new.started_at, 1, 7), status, due_at, n FROM ({new_followups}) "
        "WHERE true ON CONFLICT (month, status, due_at) DO UPDATE SET n = n + excluded.n; END",
        "CREATE TRIGGER report_followups_contact_gone BEFORE DELETE ON contacts BEGIN "
        + take_followups.format(q=old_followups, r="old")
        + " END",
        # The accepted matches are still read one by one (each one's wait in business days):
        # from two covering indexes, without touching the wide rows.
        "CREATE INDEX match_requests_report ON match_requests "
        "(created_at, id, wants_outside, province)",
        "CREATE INDEX matches_report ON matches "
        "(request_id, answer, answered_at, first_contact_at)",
        # Only the reports read these; they now read the kept counts.
        "DROP INDEX IF EXISTS contacts_report",
        "DROP INDEX IF EXISTS contacts_report_referrals",
    ]
    return statements


def apply(conn: Any) -> None:
    for name in ("contacts_vocabulary", "work_items_vocabulary", "work_attempts_vocabulary"):
        for event in ("insert", "update"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
    for statement in vocabulary_triggers():
        conn.execute(statement)
    for statement in report_statements():
        conn.execute(statement)
