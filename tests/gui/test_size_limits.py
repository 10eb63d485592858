"""Size limits: a note over the limit is refused at saving with a message (nothing cut, nothing
lost), and History opens the largest allowed note quickly."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.storage.db import open_store
from intake.storage.errors import MAX_NOTE_LENGTH
from intake.storage.records import ContactRecord, add_note, save_contact
from tests.conftest import PASSPHRASE
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.test_call import fill_whole_call, start_call, steps

WORDS = [
    "nuit",
    "garde",
    "épuisement",
    "plainte",
    "famille",
    "sommeil",
    "erreur",
    "urgence",
    "stress",
    "deuil",
]


def long_text(length: int) -> str:
    text = " ".join(WORDS[i % len(WORDS)] for i in range(length // 5))
    return (text * 2)[:length]


def test_a_note_over_the_limit_is_refused_with_a_message(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    too_long = long_text(MAX_NOTE_LENGTH + 1)
    wrapup.notes.setPlainText(too_long)
    wrapup.save_button.click()
    qtbot.waitUntil(wrapup.banner.isVisible, timeout=10_000)
    wait_idle(qtbot)
    assert wrapup.banner.title.text() == _("The note is too long to save")
    assert str(MAX_NOTE_LENGTH) in wrapup.banner.detail.text().replace("\u202f", "").replace(
        "\u00a0", ""
    ).replace(",", "").replace(" ", "")
    assert window.call_page is page  # still open, nothing cut
    assert wrapup.notes.toPlainText() == too_long


def test_history_opens_the_largest_allowed_note_quickly(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    store = open_store(existing_store, PASSPHRASE)
    actor = store.query("SELECT id FROM accounts")[0][0]
    record = ContactRecord(
        id="c-long",
        channel="phone",
        started_at="2026-11-22T03:10:00-05:00",
        ui_language="en",
        caller_language="fr",
        consent_notes=True,
    )
    save_contact(store, record, actor)
    add_note(store, "n-long", "c-long", long_text(MAX_NOTE_LENGTH), actor)
    store.close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show_history()
    history = window.history_page
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10_000)
    history.table.selectRow(0)
    history.open_button.click()
    qtbot.waitUntil(lambda: "épuisement" in history.detail.text(), timeout=10_000)
    timings = []
    for _round in range(5):
        start = time.perf_counter()
        history._show_detail()  # lay out and paint the whole record with its note
        history.grab()
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.2, timings
