"""History and note search while the line's shared server cannot be reached (issue 18, item 4).

What a volunteer expects: a caller says "I called last week"; the server is down. History must
say that the server cannot be reached and that what it shows is not the full history, never a
silent "0 contacts" (which reads as "this caller never called"); a note search that could not
run says so too, and that no result does not mean none. When the server answers, the list is
whole again. The real throwaway server, stopped and started; the real window; both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, ngettext
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from tests.gui.conftest import main_window_of, wait_idle
from tests.gui.test_shared_window import other_station_saves_a_call
from tests.gui.texts import foreign_texts
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store


@pytest.fixture
def line(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path, lang: Language
) -> Iterator[tuple[PgServer, IntakeApplication]]:
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        other_station_saves_a_call(dsn)
        create_qapplication([])
        settings_file.save(settings_file.load().with_language(lang))
        app = IntakeApplication(
            tmp_path / "never.db", settings_file, server=dsn, outbox=tmp_path / "outbox"
        )
        qtbot.addWidget(app.gate)
        app.start()
        yield server, app
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
            app.main_window.deleteLater()
        app.shutdown()


def test_history_during_an_outage_says_it_is_not_the_full_history(
    qtbot: QtBot, line: tuple[PgServer, IntakeApplication], lang: Language
) -> None:
    server, app = line
    window = main_window_of(qtbot, app)
    window.server_poll.stop()
    wait_idle(qtbot)
    one = ngettext("{count} contact", "{count} contacts", 1).format(count=1)
    none = ngettext("{count} contact", "{count} contacts", 0).format(count=0)

    server.stop("immediate")
    window.show_history()
    page = window.history_page
    assert page is not None
    wait_idle(qtbot)
    unreachable = _(
        "The shared server cannot be reached: this is not the full history. Try again when "
        "it answers."
    )
    qtbot.waitUntil(lambda: page.status.text() == unreachable, timeout=20_000)
    assert none not in page.status.text()
    assert page.status.property("caution") is True
    assert foreign_texts(window, lang) == []

    # A note search cannot run either: said so, and that no result does not mean none.
    page.search.setText("épuisée")
    page.apply_filters()
    wait_idle(qtbot)
    searched = _(
        "The shared server cannot be reached: the notes could not be searched. No result here "
        "does not mean there is none."
    )
    assert page.status.text() == searched
    page.retranslate_ui()  # a language switch keeps saying it
    assert page.status.text() == searched
    assert foreign_texts(window, lang) == []

    # The server answers again: the list is whole, and the search finds the call.
    server.start()
    page.apply_filters()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.status.text() == one, timeout=20_000)
    assert page.status.property("caution") is False
    page.search.clear()
    page.apply_filters()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.status.text() == one, timeout=20_000)
