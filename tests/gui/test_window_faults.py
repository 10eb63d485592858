"""Faults in the window are typed messages in the person's language: a full disk while saving
a call says so (it said "Something went wrong inside the application"), and loses nothing."""

from __future__ import annotations

import resource
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.test_call import NOTE, fill_whole_call, start_call, steps


@contextmanager
def disk_full() -> Iterator[None]:
    """Every file write past 2 KB fails as on a full disk (a real limit, no mock)."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    writes_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # a cut .pyc would break later imports
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        sys.dont_write_bytecode = writes_bytecode
        signal.signal(signal.SIGXFSZ, old_handler)


def test_a_full_disk_while_saving_a_call_says_so_and_keeps_it(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wait_idle(qtbot)
    page.autosave.stop()
    wrapup = steps(page)[5]
    with disk_full():
        wrapup.save_button.click()
        qtbot.waitUntil(wrapup.banner.isVisible, timeout=10_000)
        wait_idle(qtbot)
    assert wrapup.banner.title.text() == _("The disk is full or cannot be written to")
    assert window.call_page is page
    assert wrapup.notes.toPlainText() == NOTE
    assert store_of(app).query("SELECT count(*) FROM contacts")[0][0] == 0
    wrapup.save_button.click()  # room again: the same call saves
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT body FROM notes") == [(NOTE,)]
