"""Leaving kiosk mode at a shared line's kiosk while its server cannot be reached (issue 18):
the panel tells staff, in their language, that the server cannot be reached and that only the
supervisor who started kiosk mode can end it now; another supervisor's right PIN is refused,
the starter's wrong PIN too, and the starter's right PIN ends kiosk mode. Both languages, the
real kiosk window, the real throwaway server stopped mid-session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.pins import hash_pin
from intake.services.kiosk_exit import OnlyKioskStarter
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.kiosk.window import KioskWindow
from intake.ui.shells import KioskShell
from tests.conftest import PIN, SUPERVISOR
from tests.gui.conftest import sign_in, wait_idle
from tests.gui.texts import foreign_texts
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store

SUES_PIN = "284613"
SUE = "Sue Nakamura"


@pytest.fixture
def kiosk(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path, lang: Language
) -> Iterator[tuple[PgServer, IntakeApplication, KioskWindow]]:
    """Kiosk mode on a shared line, started by its first supervisor through the real pages."""
    with throwaway_server() as server:
        dsn = server.create_database()
        owner = make_shared_store(dsn)
        owner.add_account(SUE, "supervisor", hash_pin(SUES_PIN))
        owner.close()
        create_qapplication([])
        settings_file.save(replace(settings_file.load().with_language(lang), kiosk_language=lang))
        app = IntakeApplication(
            tmp_path / "never.db", settings_file, kiosk=True, server=dsn, outbox=tmp_path / "out"
        )
        qtbot.addWidget(app.gate)
        app.start()
        sign_in(qtbot, app)
        qtbot.waitUntil(lambda: app.kiosk_window is not None, timeout=20_000)
        window = app.kiosk_window
        assert window is not None
        window.setFixedSize(1280, 720)
        yield server, app, window
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        window.allow_exit()
        app.shutdown()


def _leave(qtbot: QtBot, window: KioskWindow, name: str, pin: str) -> None:
    staff = window.staff
    staff.account.setCurrentIndex(staff.account.findText(name))
    staff.pin.setText(pin)
    staff.leave_button.click()
    assert staff.busy  # the field ignores input while the check runs
    wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: staff.leave_button.isEnabled() or not window.isVisible(), timeout=20_000
    )


def test_only_the_starter_ends_kiosk_mode_while_the_server_is_down(
    qtbot: QtBot, kiosk: tuple[PgServer, IntakeApplication, KioskWindow], lang: Language
) -> None:
    server, app, window = kiosk
    staff = window.staff
    note = _(
        "The shared store's server cannot be reached. Until it answers again, only {name}, "
        "who started kiosk mode, can end it, with their own PIN."
    ).format(name=SUPERVISOR)
    window.staff_corner.opened.emit()  # five taps on the corner: the server answers
    wait_idle(qtbot)
    assert not staff.server_down.isVisibleTo(staff)

    # The server stops; a visit goes on; staff come to close the kiosk: the panel says who can.
    server.stop("immediate")
    window.staff_corner.opened.emit()
    qtbot.waitUntil(lambda: staff.server_down.isVisibleTo(staff), timeout=20_000)
    assert staff.server_down.text() == note
    assert foreign_texts(window, lang) == []

    _leave(qtbot, window, SUE, SUES_PIN)  # right, but it cannot be checked without the server
    assert window.isVisible()
    title, advice = OnlyKioskStarter(SUPERVISOR).explain()
    assert staff.banner.title.text() == title == _("The shared store's server cannot be reached")
    assert SUPERVISOR in advice
    assert staff.banner.detail.text() == advice
    assert staff.pin.text() == ""  # forgotten after the try
    assert foreign_texts(window, lang) == []

    _leave(qtbot, window, SUPERVISOR, "000000")
    assert window.isVisible()
    assert staff.banner.title.text() == _("That PIN is not right")
    assert foreign_texts(window, lang) == []

    # The server answers again: the note goes, and the server checks the PINs again.
    server.start()
    shell = app.shell
    assert isinstance(shell, KioskShell)
    shell.deliver_kept()  # what the kiosk's 10-second timer runs
    qtbot.waitUntil(lambda: not staff.server_down.isVisibleTo(staff), timeout=20_000)
    server.stop("immediate")
    shell.deliver_kept()
    qtbot.waitUntil(lambda: staff.server_down.isVisibleTo(staff), timeout=20_000)

    _leave(qtbot, window, SUPERVISOR, PIN)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
