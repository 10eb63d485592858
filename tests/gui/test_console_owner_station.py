"""A supervisor sees plainly when their station reaches the shared server as the database owner
(issue 18: who sees what must be enforced by the server, and the owner is not subject to row
security). The console says so, in the supervisor's language, for as long as it is true; not on
a station with its own station login, nor on a station's file. The real windows, the real
throwaway server, both languages."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.ui.console import ConsolePage
from tests.gui.conftest import AppFactory, main_window_of
from tests.gui.test_console_own_login import Line, line
from tests.gui.test_console_server_login import _supervisor_console
from tests.gui.test_shared_window import shared_app
from tests.gui.texts import foreign_texts
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["line", "pg_dsn", "pg_server", "shared_app"]  # fixtures used here


def _warning() -> str:
    return _(
        "This station connects to the shared server as the database owner: the server "
        "does not limit what each person sees, and anyone using this computer's server "
        "password can read and change every record. Ask the person who looks after the "
        "server to give this station its own station login and to switch on row "
        "security (see the shared store's set-up)."
    )


def _console(qtbot: QtBot, window: object) -> ConsolePage:
    window.show_console()  # type: ignore[attr-defined]
    page = window.console_page  # type: ignore[attr-defined]
    assert page is not None
    return page  # type: ignore[no-any-return]


def test_a_station_on_the_owners_login_is_told_to_the_supervisor(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()  # the address names the database's owner
    window = main_window_of(qtbot, shared_app(pg_dsn, lang))  # type: ignore[operator]
    page = _console(qtbot, window)
    assert page.owner_warning.isVisible()
    assert page.owner_warning.text() == _warning()
    assert foreign_texts(window, lang) == []


def test_a_station_with_its_own_login_is_not_warned(
    qtbot: QtBot, shared_app: object, line: Line, lang: Language
) -> None:
    station = shared_app(line.station_address, lang)  # type: ignore[operator]
    page = _supervisor_console(qtbot, station)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    assert not page.owner_warning.isVisible()


def test_a_stations_file_is_not_warned(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = main_window_of(qtbot, make_app(lang))
    page = _console(qtbot, window)
    assert not page.owner_warning.isVisible()
