"""Numbered, append-only schema migrations keyed on `PRAGMA user_version`.

Rules: never edit a shipped migration; add the next number. Each step runs inside the caller's
transaction, so a store is always at exactly one version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intake.storage.migrations import (
    m0001_initial,
    m0002_records,
    m0003_feedback,
    m0004_indexes,
    m0005_audit_key,
    m0006_search_owner,
    m0007_matching,
    m0008_worklist,
    m0009_account_roles,
    m0010_family,
    m0011_worklist_console,
    m0012_report_indexes,
    m0013_match_work,
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Any], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", m0001_initial.apply),
    Migration(2, "records", m0002_records.apply),
    Migration(3, "feedback", m0003_feedback.apply),
    Migration(4, "indexes", m0004_indexes.apply),
    Migration(5, "audit-key", m0005_audit_key.apply),
    Migration(6, "search-owner", m0006_search_owner.apply),
    Migration(7, "matching", m0007_matching.apply),
    Migration(8, "worklist", m0008_worklist.apply),
    Migration(9, "account-roles", m0009_account_roles.apply),
    Migration(10, "family", m0010_family.apply),
    Migration(11, "worklist-console", m0011_worklist_console.apply),
    Migration(12, "report-indexes", m0012_report_indexes.apply),
    Migration(13, "match-work", m0013_match_work.apply),
)

LATEST = MIGRATIONS[-1].version


def _check_sequence(migrations: tuple[Migration, ...]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise AssertionError(f"migration versions must be 1..N with no gaps: {versions}")


_check_sequence(MIGRATIONS)
