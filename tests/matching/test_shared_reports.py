"""A report made on the shared server equals the same data's report on the file: the same
contacts, follow-ups, requests, matches, survey and feedback answers saved to both stores through
the services, then every table, cell and statistic compared (suppression included, unchanged);
and the server's counts are read without a name, a number or a note."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from intake.services import matching
from intake.services.reports import make_report
from intake.storage.feedback import save_feedback, save_survey
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.report_data import Period, read
from tests.conftest import make_store
from tests.matching.helpers import peer, request
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server
from tests.storage.helpers import contact

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

NOW = datetime(2027, 1, 15, 12, tzinfo=UTC)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
SITES = ("Surrey Memorial", "Royal Columbian", "Kelowna General", "Nanaimo", "Tiny Clinic")


def fill(store: RecordStore, seed: int, contacts: int, requests: int) -> None:
    """The same line's year, saved through the services (ids and values from `seed`)."""
    rnd = random.Random(seed)
    actor = store.list_accounts()[0].id
    start = datetime(2025, 12, 20, 9, tzinfo=UTC)  # a few days before the period too
    for n in range(contacts):
        when = start + timedelta(minutes=rnd.randrange(390 * 24 * 60))
        record = contact(
            id=str(uuid.UUID(int=rnd.getrandbits(128))),
            channel=rnd.choice(("phone", "phone", "kiosk")),
            started_at=when.isoformat(),
            caller_language=rnd.choice(("en", "fr")),
            role=rnd.choice(("physician", "resident", "student", None)),
            province=rnd.choice(("BC", "AB", "ON", "QC", "NU", None)),
            referrals=tuple(
                {"program": program, "offered": offered}
                for program, offered in rnd.sample(
                    [("bc-php", True), ("ab-pfsp", True), ("qc-pamq", False), ("", True)],
                    rnd.randrange(3),
                )
            ),
            outcome=rnd.choice(("referred", "information", "declined", "abandoned", None)),
            consent=n % 3 == 0,
            caller_name="Zyxwerth Quolanby" if n % 3 == 0 else None,
        )
        store.save_contact(record, actor)
        if n % 4 == 0:
            store.add_followup(
                str(uuid.UUID(int=rnd.getrandbits(128))),
                record.id,
                (when + timedelta(days=rnd.choice((2, 400)))).isoformat(),
                actor,
            )
    pool = [peer(id=f"peer-{n}", site=rnd.choice(SITES)) for n in range(6)]
    for one in pool:
        matching.save_peer(store, one, actor)
    for n in range(requests):
        when = start + timedelta(minutes=rnd.randrange(380 * 24 * 60))
        asked = request(
            id=str(uuid.UUID(int=rnd.getrandbits(128))),
            source=rnd.choice(("phone", "kiosk", "coordinator")),
            province=rnd.choice(("BC", "AB", "ON")),
            site=rnd.choice(SITES),
            wants_outside=rnd.random() < 0.3,
            language=rnd.choice(("en", "fr")),
            role=rnd.choice(("physician", "resident", None)),
            created_at=when.isoformat(timespec="seconds"),
            requester_name="Pramwick Dulvaney",
        )
        matching.add_request(store, asked, actor)
        if n % 4 == 3:
            continue  # still open
        match_id = f"match-{asked.id}"
        matching.propose(store, match_id, asked.id, pool[n % 6].id, actor, when=when)
        accepted = when + timedelta(days=1)
        matching.accept(store, match_id, asked.province, actor, accepted)
        if n % 5:
            first = accepted + timedelta(days=rnd.randrange(0, 9))
            matching.record_first_contact(store, match_id, actor, first)
        if n % 2 == 0:
            outcome = rnd.choice(("supported", "referred-on", "no-contact", "withdrawn"))
            matching.close(store, asked.id, outcome, actor, when + timedelta(days=40))
    for n in range(requests // 2):
        day = date(2026, 1, 1) + timedelta(days=rnd.randrange(365))
        save_survey(
            store,
            f"survey-{n}",
            day=day,
            channel=rnd.choice(("closure", "kiosk")),
            language=rnd.choice(("en", "fr")),
            helpful=rnd.choice((None, 3, 4, 5)),
            recommend=rnd.choice((None, True, False, True)),
        )
        save_feedback(
            store,
            f"feedback-{n}",
            day=day,
            channel=rnd.choice(("phone", "kiosk")),
            language=rnd.choice(("en", "fr")),
            rating=rnd.choice((2, 4, 5)),
            found=rnd.choice((None, False, True)),
        )


@pytest.fixture
def both(store_path: Path, pg_dsn: str) -> Iterator[tuple[RecordStore, RecordStore]]:
    file, server = LocalRecords(make_store(store_path)), make_shared_store(pg_dsn)
    yield file, server
    file.close()
    server.close()


@pytest.mark.parametrize(("seed", "contacts", "requests"), [(1, 300, 60), (2, 40, 12)])
def test_the_servers_report_equals_the_files_for_the_same_data(
    both: tuple[RecordStore, RecordStore], seed: int, contacts: int, requests: int
) -> None:
    file, server = both
    for store in both:
        fill(store, seed, contacts, requests)
    for period in (YEAR, Period(date(2026, 3, 1), date(2026, 5, 31))):
        on_file = read(file, period, NOW.isoformat())
        on_server = read(server, period, NOW.isoformat())
        for name in on_file.__dataclass_fields__:
            assert sorted(getattr(on_server, name), key=repr) == sorted(
                getattr(on_file, name), key=repr
            ), name
        assert make_report(server, period, NOW) == make_report(file, period, NOW)
    year = read(file, YEAR, NOW.isoformat())
    for name in year.__dataclass_fields__:
        assert getattr(year, name), f"{name}: nothing compared"
    assert {status for status, _n in year.followups} >= {"open", "overdue"}
    report = make_report(server, YEAR, NOW)
    assert any(None in t.published.values() for t in report.tables)  # suppression applied
    assert any(v for t in report.tables for v in t.published.values())  # and counts shown
    shown = repr(report)
    for sentinel in ("Zyxwerth", "Pramwick", "Dr Jordan Peer"):
        assert sentinel not in shown
