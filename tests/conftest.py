"""Shared fixtures: every test gets its own store folder and settings file, in English unless
a test asks for `lang` (which runs it once in each language)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.accounts import Role
from intake.i18n import Language, set_language
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account
from intake.storage.db import Store, create_store

PASSPHRASE = "Le café d'O'Brien, 3 h du matin"  # quotes, spaces, accents: all must work
PIN = "482916"
SUPERVISOR = "Dr Sam Okafor"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never read or write the real user's store or settings; always start in English."""
    monkeypatch.delenv("INTAKE_STORE", raising=False)
    monkeypatch.setenv("INTAKE_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _cycles_collected_where_qt_allows(request: pytest.FixtureRequest) -> None:
    """A window test collects cycles on the UI thread only, as the application does
    (`intake.ui.collector`); any other test runs with the interpreter's own collection, after
    one collection here, on the main thread, of what window tests left (a dropped window
    collected later by another test's thread would crash the run)."""
    if "qtbot" in request.fixturenames:
        from intake.ui import collector

        collector.install(request.getfixturevalue("qapp"))
    elif "intake.ui.collector" in sys.modules and not gc.isenabled():
        gc.collect()
        gc.enable()


@pytest.fixture(params=["en", "fr"])
def lang(request: pytest.FixtureRequest) -> Language:
    language: Language = request.param
    return language


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "store.db"


@pytest.fixture
def settings_file(tmp_path: Path) -> SettingsFile:
    return SettingsFile(tmp_path / "settings.json")


def make_store(path: Path, passphrase: str = PASSPHRASE) -> Store:
    pin_hash = hash_pin(PIN)
    return create_store(
        path,
        passphrase,
        initialize=lambda conn: insert_account(conn, SUPERVISOR, Role.SUPERVISOR.value, pin_hash),
    )


@pytest.fixture
def existing_store(store_path: Path) -> Path:
    make_store(store_path).close()
    return store_path
