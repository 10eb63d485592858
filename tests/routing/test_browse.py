"""The directory browser's filters, over the shipped directory."""

from __future__ import annotations

from datetime import UTC, datetime

from intake.directory.browse import BrowseFilter, browse
from intake.directory.load import load_directory

PROGRAMS = load_directory()


def ids(**filters: object) -> set[str]:
    return {p.id for p in browse(PROGRAMS, BrowseFilter(**filters), "en")}  # type: ignore[arg-type]


def test_no_filter_lists_everything_sorted_by_name() -> None:
    listed = browse(PROGRAMS, BrowseFilter(), "fr")
    assert len(listed) == len(PROGRAMS)
    names = [p.name.text.fr.casefold() for p in listed]
    assert names[0] <= names[-1]


def test_province_includes_national_programs() -> None:
    found = ids(province="QC")
    assert "qc-pamq" in found
    assert "ca-988" in found
    assert "on-paro" not in found


def test_text_search_ignores_case_and_accents() -> None:
    assert "qc-pamq" in ids(text="quebec medecins")
    assert "qc-pamq" in ids(text="QUÉBEC")


def test_kind_format_language_and_cost() -> None:
    assert all(p in ids() for p in ids(kind="peer-support"))
    assert "ab-pfsp" in ids(kind="peer-support", province="AB")
    assert "ca-988" in ids(format="text")
    assert "ca-988" in ids(language="fr", cost="free")
    assert "ca-cma-wellness-connection" not in ids(format="text")


def test_open_now_keeps_only_programs_known_to_be_open() -> None:
    sunday_3am_toronto = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    found = ids(open_at=sunday_3am_toronto)
    assert "ca-988" in found
    assert "ca-cmpa" not in found  # office hours
    assert "ca-cma-wellness-connection" not in found  # hours not known: never claimed open


def test_every_kind_has_a_name_in_the_browser() -> None:
    from intake.directory.browse import KIND_NAMES
    from intake.directory.model import KINDS

    assert set(KIND_NAMES) == set(KINDS)
