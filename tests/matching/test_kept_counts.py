"""The counts the store keeps for the reports (migration 13) equal a recount of the rows after
any mix of writes: calls saved and edited (their month, coded answers and referrals changed),
follow-ups booked, rescheduled, done and cancelled, match requests made and closed, holds,
retention purges, and even a contact deleted with its follow-ups. And the report built from the
kept counts is the report built from the rows (last round's read)."""

from __future__ import annotations

import contextlib
import json
import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from intake.services.reports import build
from intake.storage import records, retention, roster
from intake.storage.db import Store
from intake.storage.records import ContactRecord
from intake.storage.report_data import Period, read
from tests.matching.helpers import request
from tests.matching.recount import read_rows

CHANNELS = ("phone", "kiosk")
ROLES = (None, "physician", "resident", "family")
PROVINCES = (None, "BC", "QC", "NU")
OUTCOMES = (None, "referred", "information", "abandoned", "callback")
PROGRAMS = ("bc-php", "qc-pamq", "cma-wellness")
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)

# The kept tables and their recount from the rows, key by key.
RECOUNTS = {
    "report_contacts": "SELECT substr(started_at, 1, 7), channel, coalesce(province, '?'), "
    "caller_language, coalesce(role, '?'), coalesce(outcome, '?'), count(*) FROM contacts "
    "GROUP BY 1, 2, 3, 4, 5, 6",
    "report_requests": "SELECT substr(created_at, 1, 7), source, province, site, language, "
    "coalesce(role, '?'), wants_outside, status, coalesce(outcome, '?'), count(*) "
    "FROM match_requests GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "report_followups": "SELECT substr(c.started_at, 1, 7), f.status, "
    "CASE f.status WHEN 'open' THEN f.due_at ELSE '' END, count(*) "
    "FROM followups f JOIN contacts c ON c.id = f.contact_id GROUP BY 1, 2, 3",
}


def _referrals(rnd: random.Random) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"program": rnd.choice(PROGRAMS), "offered": rnd.random() < 0.8, "chosen": False}
        for _ in range(rnd.randrange(4))  # the same program twice sometimes
    )


def _contact(rnd: random.Random, ident: str) -> ContactRecord:
    when = datetime(2026, rnd.randrange(1, 13), rnd.randrange(1, 29), 10, tzinfo=UTC)
    return ContactRecord(
        id=ident,
        channel=rnd.choice(CHANNELS),
        started_at=when.isoformat(),
        ui_language="en",
        caller_language=rnd.choice(("en", "fr")),
        role=rnd.choice(ROLES),
        province=rnd.choice(PROVINCES),
        referrals=_referrals(rnd),
        outcome=rnd.choice(OUTCOMES),
    )


def _kept(store: Store, table: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in store.query(f"SELECT * FROM {table}"))


def _recounted(store: Store, table: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in store.query(RECOUNTS[table]))


def _referrals_recounted(store: Store) -> list[tuple[Any, ...]]:
    counts: dict[tuple[str, str], int] = {}
    for month, text in store.query("SELECT substr(started_at, 1, 7), referrals FROM contacts"):
        for item in json.loads(text):
            if isinstance(item, dict) and item.get("offered") and item.get("program"):
                key = (month, str(item["program"]))
                counts[key] = counts.get(key, 0) + 1
    return sorted((*k, n) for k, n in counts.items())


class _Writes:
    """One random write at a time, through the store's own functions where it has them."""

    def __init__(self, store: Store, actor: str, rnd: random.Random) -> None:
        self.store, self.actor, self.rnd = store, actor, rnd
        self.contacts: list[ContactRecord] = []
        self.followups: list[str] = []
        self.requests: list[str] = []

    def new_contact(self) -> None:
        record = _contact(self.rnd, str(uuid.UUID(int=self.rnd.getrandbits(128))))
        records.save_contact(self.store, record, self.actor)
        self.contacts.append(record)

    def edit_contact(self) -> None:  # coded answers, referrals, sometimes the start too
        index = self.rnd.randrange(len(self.contacts))
        changed = _contact(self.rnd, self.contacts[index].id)
        if self.rnd.random() < 0.5:
            changed = replace(changed, started_at=self.contacts[index].started_at)
        records.save_contact(self.store, changed, self.actor)
        self.contacts[index] = changed

    def book_followup(self) -> None:
        ident = str(uuid.uuid4())
        due = datetime(2026, 12, self.rnd.randrange(1, 29), 9, tzinfo=UTC).isoformat()
        records.add_followup(self.store, ident, self.rnd.choice(self.contacts).id, due, self.actor)
        self.followups.append(ident)

    def change_followup(self) -> None:
        ident, step = self.rnd.choice(self.followups), self.rnd.random()
        if step < 0.4:
            records.complete_followup(self.store, ident, self.actor)
            return
        with self.store.transaction() as conn:
            if step < 0.7:  # rescheduled (reopened if it was done)
                contact = conn.execute("SELECT contact_id FROM followups WHERE id = ?", (ident,))
                due = (NOW + timedelta(days=self.rnd.randrange(-90, 90))).isoformat()
                records.put_followup(conn, ident, contact.fetchone()[0], due, self.actor)
            else:
                records.cancel_followup(conn, ident, str(uuid.uuid4()), self.actor)

    def new_request(self) -> None:
        made = request(
            province=self.rnd.choice(("BC", "QC")),
            site=self.rnd.choice(("Surrey Memorial", "Nanaimo")),
            wants_outside=self.rnd.random() < 0.3,
            language=self.rnd.choice(("en", "fr")),
            role=self.rnd.choice(("physician", "resident")),
        )
        roster.add_request(self.store, made, self.actor)
        self.requests.append(made.id)

    def close_request(self) -> None:
        outcome = self.rnd.choice(("supported", "no-contact", "withdrawn"))
        with contextlib.suppress(roster.MatchNotOpen):
            roster.close_request(
                self.store, self.rnd.choice(self.requests), outcome, self.actor, NOW
            )

    def hold(self) -> None:
        held = self.rnd.random() < 0.5
        records.set_hold(self.store, self.rnd.choice(self.contacts).id, held, self.actor)

    def purge(self) -> None:
        retention.purge(self.store, NOW + timedelta(days=self.rnd.randrange(0, 400)), self.actor)
        roster.purge_matching(self.store, NOW + timedelta(days=400), 30, self.actor)

    def delete_contact(self) -> None:
        """Not something the application does; the store keeps its counts all the same."""
        gone = self.contacts.pop(self.rnd.randrange(len(self.contacts)))
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM work_items WHERE contact_id = ?", (gone.id,))
            conn.execute(
                "UPDATE match_requests SET contact_id = NULL WHERE contact_id = ?", (gone.id,)
            )
            conn.execute("DELETE FROM contacts WHERE id = ?", (gone.id,))
        self.followups = [
            f
            for f in self.followups
            if self.store.query("SELECT 1 FROM followups WHERE id = ?", (f,))
        ]

    def one(self) -> None:
        if len(self.contacts) < 3:
            self.new_contact()
            return
        choices = [
            (30, self.new_contact),
            (15, self.edit_contact),
            (15, self.book_followup),
            (12, self.new_request),
            (5, self.hold),
            (4, self.purge),
            (3, self.delete_contact),
        ]
        if self.followups:
            choices.append((10, self.change_followup))
        if self.requests:
            choices.append((6, self.close_request))
        weights, actions = zip(*choices, strict=True)
        self.rnd.choices(actions, weights)[0]()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_counts_equal_a_recount_after_random_writes_purges_and_holds(
    store: Store, coordinator: str, seed: int
) -> None:
    writes = _Writes(store, coordinator, random.Random(seed))
    for _step in range(120):
        writes.one()
    assert len(writes.contacts) > 20
    assert writes.followups
    assert writes.requests
    for table in RECOUNTS:
        assert _kept(store, table) == _recounted(store, table), table
    assert _kept(store, "report_referrals") == _referrals_recounted(store)
    assert store.query("SELECT count(*) FROM report_referrals")[0][0] > 3
    now = NOW.isoformat()
    for period in (
        Period(date(2026, 1, 1), date(2026, 12, 31)),
        Period(date(2026, 4, 1), date(2026, 6, 30)),
    ):
        assert build(read(store, period, now), period) == build(
            read_rows(store, period, now), period
        )


def test_a_report_covers_whole_months(store: Store) -> None:
    with pytest.raises(ValueError, match="whole months"):
        read(store, Period(date(2026, 1, 2), date(2026, 1, 31)), NOW.isoformat())
    with pytest.raises(ValueError, match="whole months"):
        read(store, Period(date(2026, 1, 1), date(2026, 1, 30)), NOW.isoformat())
