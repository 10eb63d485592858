"""History and follow-ups: lazy paging, note search, filters, who sees what, audited opening."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _
from intake.storage.account_store import insert_account
from intake.storage.db import Store, open_store
from intake.storage.records import ContactRecord, add_followup, add_note, save_contact
from intake.ui.history import PAGE_SIZE, HistoryPage
from tests.conftest import PASSPHRASE
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.texts import foreign_texts


def record(index: int, province: str = "QC", outcome: str = "referred") -> ContactRecord:
    return ContactRecord(
        id=f"c{index:04d}",
        channel="phone",
        started_at=f"2026-11-{1 + index % 20:02d}T{index % 24:02d}:00:{index % 60:02d}+00:00",
        ui_language="en",
        caller_language="fr",
        province=province,
        outcome=outcome,
        consent_notes=True,
    )


def seeded(path: Path, count: int = 250) -> tuple[str, str]:
    """`count` contacts by the supervisor, three by a volunteer, one note each to search."""
    store = open_store(path, PASSPHRASE)
    with store.transaction() as conn:
        volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
    supervisor = store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0]
    for index in range(count):
        save_contact(store, record(index, "ON" if index % 2 else "QC"), supervisor)
    for index in range(count, count + 3):
        save_contact(store, record(index, "NB", "declined"), volunteer)
    add_note(store, "n1", "c0007", "overnight shifts and a complaint", supervisor)
    add_note(store, "n2", f"c{count:04d}", "overnight shifts, volunteer's caller", volunteer)
    add_followup(store, "f1", "c0003", "2026-01-01T10:00:00+00:00", supervisor)
    store.close()
    return supervisor, volunteer


def open_history(
    qtbot: QtBot, make_app: AppFactory, language: Language
) -> tuple[Store, HistoryPage]:
    app = make_app(language)
    window = main_window_of(qtbot, app)
    window.show_history()
    page = window.history_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    assert app.store is not None
    return app.store, page


def test_the_list_loads_a_page_at_a_time(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store)
    _store, page = open_history(qtbot, make_app, lang)
    assert page.model.rowCount() == PAGE_SIZE  # 253 stored, one page shown
    assert page.model.canFetchMore(QModelIndex())
    page.table.scrollToBottom()  # scrolling to the end asks for the next page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * PAGE_SIZE, timeout=10_000)
    started = [row.started_at for row in page.model.rows]
    assert started == sorted(started, reverse=True)
    assert foreign_texts(page.window(), lang) == []


def unreadable_columns(page: HistoryPage) -> list[int]:
    """Columns narrower than their rows or title need (the last one takes what is left)."""
    table = page.table
    return [
        column
        for column in range(page.model.columnCount() - 1)
        if table.columnWidth(column)
        < max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
    ]


def test_columns_fit_rows_that_arrive_later_and_the_other_language(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Columns are fitted when rows arrive and when the language changes, not on every layout
    (issue 14): a later page's longer names, and the other language's, are still read whole."""
    store = open_store(existing_store, PASSPHRASE)
    supervisor = store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0]
    for index in range(PAGE_SIZE + 20):  # newest first: a page of Ontario, then the longest name
        row = replace(
            record(index, "ON" if index < PAGE_SIZE else "NL", "declined"),
            started_at=f"2026-11-20T{23 - index // 60:02d}:{59 - index % 60:02d}:00+00:00",
        )
        save_contact(store, row, supervisor)
    store.close()
    _store, page = open_history(qtbot, make_app, lang)
    assert {row.province for row in page.model.rows} == {"ON"}
    assert unreadable_columns(page) == []
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE_SIZE + 20, timeout=10_000)
    assert unreadable_columns(page) == []
    window = page.window()
    window.language_switch.buttons["fr" if lang == "en" else "en"].click()  # type: ignore[attr-defined]
    assert unreadable_columns(page) == []


def _drag_column_edge(page: HistoryPage, column: int, by: int) -> None:
    """Widen a column as a person does: press on its right edge in the header, drag, release."""
    header = page.table.horizontalHeader()
    edge = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) - 1, 5)
    viewport = header.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, edge)
    QTest.mouseMove(viewport, edge + QPoint(by // 2, 0))
    QTest.mouseMove(viewport, edge + QPoint(by, 0))
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, edge + QPoint(by, 0)
    )


def test_a_column_a_person_widened_keeps_its_width_as_more_rows_arrive(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Scrolling down loads the next page of rows; it used to fit every column to its contents
    again, undoing the width the person had just dragged a column to."""
    seeded(existing_store, PAGE_SIZE + 20)
    _store, page = open_history(qtbot, make_app, lang)
    page.window().resize(1280, 720)
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE_SIZE, timeout=10_000)
    fitted = page.table.columnWidth(1)
    _drag_column_edge(page, 1, 120)
    widened = page.table.columnWidth(1)
    assert widened >= fitted + 100
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE_SIZE, timeout=10_000)
    wait_idle(qtbot)
    assert page.table.columnWidth(1) == widened


def test_a_language_switch_fits_the_columns_to_the_new_texts_again(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store, 30)
    _store, page = open_history(qtbot, make_app, lang)
    page.window().resize(1280, 720)
    _drag_column_edge(page, 1, -40)  # narrower than its contents: the person's choice
    assert 1 in unreadable_columns(page)
    page.apply_filters()
    wait_idle(qtbot)
    assert 1 in unreadable_columns(page)
    window = page.window()
    window.language_switch.buttons["fr" if lang == "en" else "en"].click()  # type: ignore[attr-defined]
    assert unreadable_columns(page) == []


def test_note_search_and_filters(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store)
    _store, page = open_history(qtbot, make_app, lang)
    page.search.setText("overnight complaint")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c0007"], timeout=10_000)
    page.search.setText("")
    page.province.setCurrentIndex(page.province.findData("NB"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    page.province.setCurrentIndex(0)
    page.due.click()
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c0003"], timeout=10_000)
    assert foreign_texts(page.window(), lang) == []


def test_opening_a_record_is_audited(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store, count=20)
    store, page = open_history(qtbot, make_app, lang)
    page.search.setText("complaint")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    page.open_button.click()
    qtbot.waitUntil(lambda: "complaint" in page.detail.text(), timeout=10_000)
    wait_idle(qtbot)
    opened = store.query("SELECT actor, record, detail FROM audit WHERE action = 'open'")
    assert [(r[1], r[2]) for r in opened] == [("c0007", "contact")]
    # The audit says who opened what, never the note itself.
    assert "complaint" not in repr(store.query("SELECT * FROM audit"))
    assert foreign_texts(page.window(), lang) == []
    assert _("Choose a contact and press Enter to open it.") != page.detail.text()


def test_a_volunteer_sees_only_their_own_contacts(qtbot: QtBot, existing_store: Path) -> None:
    _supervisor, volunteer = seeded(existing_store, count=30)
    store = open_store(existing_store, PASSPHRASE)
    holder = QWidget()
    qtbot.addWidget(holder)
    page = HistoryPage(store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER), holder)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert {r.province for r in page.model.rows} == {"NB"}
    page.search.setText("overnight")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c0030"], timeout=10_000)
    wait_idle(qtbot)
    store.close()


def test_the_home_page_shows_follow_ups_due(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store, count=10)  # one follow-up, due long ago
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    assert window.home.followups.isVisible()
    assert "1" in window.home.followups_text.text()
    assert foreign_texts(window, lang) == []
    window.home.followups_button.click()
    page = window.history_page
    assert page is not None
    assert page.due.isChecked()
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c0003"], timeout=10_000)


def test_a_follow_up_can_be_marked_done(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    seeded(existing_store, count=10)
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.home.followups_button.click()
    page = window.history_page
    assert page is not None
    qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c0003"], timeout=10_000)
    page.table.selectRow(0)
    page.open_button.click()
    qtbot.waitUntil(page.followup_done.isVisible, timeout=10_000)
    assert foreign_texts(window, lang) == []
    page.followup_done.click()
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 0 and not page.followup_done.isVisible(), timeout=10_000
    )
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert store.query("SELECT status FROM followups WHERE id = 'f1'") == [("done",)]
    assert ("edit", "f1") in {(r[0], r[1]) for r in store.query("SELECT action, record FROM audit")}
