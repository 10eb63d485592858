# One store only (the SQLCipher file): the console keeps directory checks in the station's file;
#   the shared server does not hold them yet (docs/shared-store.md).
"""Directory checks kept in the encrypted store: a supervisor marks a fact checked with its
source (a volunteer is refused, an empty source is refused); what is stale or not verified is
listed province by province; the point of referral follows; the export is an organisation
directory file the loader accepts and that carries the checks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from intake.accounts import Role
from intake.directory.load import load_directory
from intake.routing.engine import Request, Router
from intake.services import directory_checks as checks
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.errors import NotAllowed
from intake.timezones import zone

TODAY = date(2026, 12, 1)
AT = datetime(2026, 12, 1, 10, tzinfo=zone("America/Toronto"))


def _pamq(programs: list) -> object:  # type: ignore[type-arg]
    return Router(programs).route(Request(province="QC", at=AT)).recommendations[0]


def test_a_check_makes_the_fact_verified_at_the_point_of_referral(store: Store, actor: str) -> None:
    shipped = load_directory()
    before = _pamq(shipped)
    assert "unverified:hours" in before.warnings  # type: ignore[attr-defined]
    entry = before.program.id  # type: ignore[attr-defined]
    rows = checks.review(shipped, TODAY)
    assert any(r.entry_id == entry and r.fact == "hours" and r.group == "QC" for r in rows)
    checks.mark_checked(
        store,
        actor,
        shipped,
        entry_id=entry,
        fact="hours",
        source="  the program's  website ",
        today=TODAY,
    )
    stored = checks.stored_checks(store)
    assert stored[(entry, "hours")].source == "the program's website"
    applied = checks.apply_checks(shipped, stored)
    after = _pamq(applied)
    assert "unverified:hours" not in after.warnings  # type: ignore[attr-defined]
    assert not any(r.entry_id == entry and r.fact == "hours" for r in checks.review(applied, TODAY))
    # Twelve months later the check is stale again, and listed as such.
    later = checks.review(applied, date(2028, 1, 10))
    assert any(r.entry_id == entry and r.fact == "hours" and r.stale for r in later)
    details = [r[0] for r in store.query("SELECT detail FROM audit WHERE record = ?", (entry,))]
    assert details == ["directory-checked fact=hours"]
    assert "website" not in repr(store.query("SELECT * FROM audit"))


def test_checks_are_refused_from_the_refusing_side(store: Store, actor: str) -> None:
    shipped = load_directory()
    entry = shipped[0].id
    with store.transaction() as conn:
        volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
    with pytest.raises(NotAllowed):
        checks.mark_checked(
            store, volunteer, shipped, entry_id=entry, fact="name", source="web", today=TODAY
        )
    with pytest.raises(checks.BadSource):
        checks.mark_checked(
            store, actor, shipped, entry_id=entry, fact="name", source="   ", today=TODAY
        )
    with pytest.raises(checks.UnknownFact):
        checks.mark_checked(
            store, actor, shipped, entry_id=entry, fact="colour", source="web", today=TODAY
        )
    with pytest.raises(NotAllowed):
        checks.export_checks(store, volunteer, shipped, {})
    assert checks.stored_checks(store) == {}


def test_the_export_is_an_organisation_file_that_carries_the_checks(
    store: Store, actor: str, tmp_path: Path
) -> None:
    shipped = load_directory()
    entry = _pamq(shipped).program  # type: ignore[attr-defined]
    contact = next(
        f for f, p in entry.facts().items() if f.startswith("contacts[") and p.status != "verified"
    )
    for fact in ("hours", contact):
        checks.mark_checked(
            store, actor, shipped, entry_id=entry.id, fact=fact, source="phoned", today=TODAY
        )
    text = checks.export_checks(store, actor, shipped, checks.stored_checks(store))
    exported = tmp_path / "organisation.toml"
    exported.write_text(text, encoding="utf-8")
    merged = load_directory(exported)  # the loader accepts it, over the shipped directory
    assert len(merged) == len(shipped)
    program = next(p for p in merged if p.id == entry.id)
    for fact in ("hours", contact):
        provenance = program.facts()[fact]
        assert (provenance.status, provenance.source, provenance.checked) == (
            "verified",
            "phoned",
            TODAY,
        )
    unchecked = next(p for p in shipped if p.id == entry.id)
    assert program.name == unchecked.name  # the rest of the entry as it was
    assert program.eligibility == unchecked.eligibility
    assert "directory-exported checks=2" in [r[0] for r in store.query("SELECT detail FROM audit")]
