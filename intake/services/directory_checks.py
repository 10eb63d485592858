"""Directory checks in the application: a supervisor marks one fact of a directory entry (its
name, eligibility, languages, format, cost, hours, or one of its contacts) checked today, with
the source they used; sees, province by province, what is stale (checked more than 12 months
ago) or not verified; and exports those checks as an organisation directory file, which the
directory loader merges over the shipped one on every station.

The checks are kept in the encrypted store (table `directory_checks`) and applied to the
directory when a workflow starts (`apply_checks`), so the status shown at the point of referral
follows at once on this station; the exported file carries them to the others. Qt-free; every
check is audited (entry, fact; never the source text).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from intake.directory.load import SCHEMA_VERSION
from intake.directory.model import Fact, Program, Provenance
from intake.i18n import N_, NP_
from intake.provinces import ALL, CODES
from intake.storage import audit
from intake.storage.db import Store
from intake.storage.errors import NotAllowed, StoreError

T = TypeVar("T")
STALE_AFTER = timedelta(days=365)  # as the routing's stale warning
MAX_SOURCE = 200
NATIONAL = "national"  # the group of entries offered in every province
FACT_NAMES = {
    "name": NP_("directory fact", "Name"),
    "eligibility": NP_("directory fact", "Eligibility"),
    "languages": NP_("directory fact", "Languages"),
    "format": NP_("directory fact", "Format"),
    "cost": NP_("directory fact", "Cost"),
    "hours": NP_("directory fact", "Hours"),
    "contact": NP_("directory fact", "Contact"),
}


class BadSource(StoreError):
    title = N_("Say where the fact was checked (at most 200 characters)")
    advice = N_("For example the program's website or a call to its office. Nothing was saved.")


class UnknownFact(StoreError):
    title = N_("That directory entry or fact no longer exists")
    advice = N_("The list has been refreshed. Nothing was saved.")


@dataclass(frozen=True)
class Check:
    entry_id: str
    fact: str  # a key of Program.facts(): name, hours, contacts[0]...
    checked_on: date
    source: str


@dataclass(frozen=True)
class ReviewRow:
    group: str  # a province code, or NATIONAL
    entry_id: str
    name_en: str
    name_fr: str
    fact: str
    status: str  # verified | third-party | unverified
    checked: date
    stale: bool

    def fact_kind(self) -> str:
        return "contact" if self.fact.startswith("contacts[") else self.fact


def _supervisor(conn: Any, actor: str) -> None:
    row = conn.execute("SELECT role, disabled_at FROM accounts WHERE id = ?", (actor,)).fetchone()
    if row is None or row[0] != "supervisor" or row[1] is not None:
        raise NotAllowed()


def stored_checks(store: Store) -> dict[tuple[str, str], Check]:
    rows = store.query("SELECT entry_id, fact, checked_on, source FROM directory_checks")
    return {(r[0], r[1]): Check(r[0], r[1], date.fromisoformat(r[2]), r[3]) for r in rows}


def mark_checked(
    store: Store,
    actor: str,
    programs: Iterable[Program],
    *,
    entry_id: str,
    fact: str,
    source: str,
    today: date,
) -> Check:
    """A supervisor checked this fact today with `source` (audited, never the source text)."""
    clean = " ".join(source.split())
    if not clean or len(clean) > MAX_SOURCE:
        raise BadSource()
    program = next((p for p in programs if p.id == entry_id), None)
    if program is None or fact not in program.facts():
        raise UnknownFact()
    with store.transaction() as conn:
        _supervisor(conn, actor)
        conn.execute(
            "INSERT INTO directory_checks (entry_id, fact, checked_on, source, checked_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, fact) DO UPDATE SET "
            "checked_on = excluded.checked_on, source = excluded.source, "
            "checked_by = excluded.checked_by",
            (entry_id, fact, today.isoformat(), clean, actor),
        )
        audit.append(conn, actor, "console", entry_id, f"directory-checked fact={fact}")
    return Check(entry_id, fact, today, clean)


def _checked(check: Check) -> Provenance:
    return Provenance("verified", check.source, check.checked_on)


def apply_checks(
    programs: Iterable[Program], checks: dict[tuple[str, str], Check]
) -> list[Program]:
    """The directory with the checks kept in the store applied: each checked fact verified,
    with its source and date (a check older than the directory's own date changes nothing)."""
    by_entry: dict[str, list[Check]] = {}
    for check in checks.values():
        by_entry.setdefault(check.entry_id, []).append(check)
    result = []
    for program in programs:
        updated = program
        for check in by_entry.get(program.id, ()):
            updated = _with_check(updated, check)
        result.append(updated)
    return result


def _with_check(program: Program, check: Check) -> Program:  # noqa: PLR0911 - one per fact
    facts = program.facts()
    old = facts.get(check.fact)
    if old is None or (old.status == "verified" and old.checked >= check.checked_on):
        return program
    new = _checked(check)
    if check.fact == "name":
        return replace(program, name=replace(program.name, provenance=new))
    if check.fact == "hours":
        return replace(program, hours=replace(program.hours, provenance=new))
    if check.fact.startswith("contacts["):
        index = int(check.fact[9:-1])
        contacts = list(program.contacts)
        contacts[index] = replace(contacts[index], provenance=new)
        return replace(program, contacts=tuple(contacts))
    if check.fact == "eligibility":
        return replace(program, eligibility=_fact(program.eligibility, new))
    if check.fact == "languages":
        return replace(program, languages=_fact(program.languages, new))
    if check.fact == "format":
        return replace(program, formats=_fact(program.formats, new))
    if check.fact == "cost":
        return replace(program, cost=_fact(program.cost, new))
    return program


def _fact(fact: Fact[T], provenance: Provenance) -> Fact[T]:
    return replace(fact, provenance=provenance)


def current_directory(store: Store) -> list[Program]:
    """The directory this station routes with (shipped, the organisation's file if any), with
    the checks kept in the store applied: what the point of referral shows."""
    from intake.directory.load import load_directory, override_from_environment  # noqa: PLC0415

    return apply_checks(load_directory(override_from_environment()), stored_checks(store))


def review(programs: Iterable[Program], today: date) -> list[ReviewRow]:
    """Every fact stale (checked more than 12 months before `today`) or not verified, by
    province (an entry offered everywhere is in the national group), then entry and fact."""
    oldest = today - STALE_AFTER
    rows = []
    for program in programs:
        if program.kind == "emergency":
            continue  # public services: nothing for a supervisor to check
        provinces = program.provinces
        groups = (
            [NATIONAL]
            if ALL in provinces or set(CODES) <= provinces
            else sorted(provinces & set(CODES))
        )
        for fact, provenance in program.facts().items():
            stale = provenance.checked < oldest
            if not stale and provenance.status == "verified":
                continue
            for group in groups:
                rows.append(
                    ReviewRow(
                        group,
                        program.id,
                        program.name.text.en,
                        program.name.text.fr,
                        fact,
                        provenance.status,
                        provenance.checked,
                        stale,
                    )
                )
    rows.sort(key=lambda r: (r.group != NATIONAL, r.group, r.entry_id, r.fact))
    return rows


def _raw_entries(programs: Iterable[Program], wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The entries' tables as written in the files they came from (the shipped file or an
    organisation's), so an export keeps every other field exactly."""
    files: dict[str, dict[str, Any]] = {}
    found: dict[str, dict[str, Any]] = {}
    for program in programs:
        if program.id not in wanted or not program.origin:
            continue
        if program.origin not in files:
            files[program.origin] = tomllib.loads(Path(program.origin).read_text(encoding="utf-8"))
        for table in files[program.origin].get("program", []):
            if table.get("id") == program.id:
                found[program.id] = table
    return found


def export_checks(
    store: Store, actor: str, programs: Iterable[Program], checks: dict[tuple[str, str], Check]
) -> str:
    """An organisation directory file (TOML) holding every checked entry with its checks: each
    checked fact verified, with its source and date; everything else as it was. The loader
    merges it over the shipped directory (INTAKE_DIRECTORY). Supervisors only; audited."""
    import tomli_w  # noqa: PLC0415 - only an export needs it

    listed = list(programs)
    with store.transaction() as conn:
        _supervisor(conn, actor)
        audit.append(conn, actor, "console", None, f"directory-exported checks={len(checks)}")
    raw = _raw_entries(listed, {c.entry_id for c in checks.values()})
    entries = []
    for entry_id in sorted(raw):
        table = _plain(raw[entry_id])
        for check in (c for c in checks.values() if c.entry_id == entry_id):
            target = _fact_table(table, check.fact)
            if target is None:
                continue
            target["status"] = "verified"
            target["source"] = check.source
            target["checked"] = check.checked_on
        entries.append(table)
    header = (
        "# Directory checks made in the supervisor console, exported as an organisation file.\n"
        "# Point INTAKE_DIRECTORY at it on every station: it replaces the entries it lists.\n"
    )
    return header + tomli_w.dumps({"schema": SCHEMA_VERSION, "program": entries})


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _fact_table(table: dict[str, Any], fact: str) -> dict[str, Any] | None:
    if fact.startswith("contacts["):
        contacts = table.get("contacts", [])
        index = int(fact[9:-1])
        return contacts[index] if index < len(contacts) else None
    found = table.get(fact)
    return found if isinstance(found, dict) else None
