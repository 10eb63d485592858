"""Small shared widgets: the language switch, a message banner, form helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QCollator, QEvent, QLocale, QObject, QSignalBlocker, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake.i18n import Language, _, pgettext
from intake.ui.language import INPUT_FILTER, LanguageManager, Retranslatable

# Each language is named in its own language, in every interface language: a person who
# does not read the current one can still find theirs.
ENDONYMS: dict[Language, str] = {"en": "English", "fr": "Français"}

# What the first window builds never names `Qt` (`QtCore.Qt` only inside functions run later):
# PySide6 builds the Python type of all 93 enums of the `Qt` namespace at its first use, about
# 40 ms, the largest single part of the start before the first paint that a bare PySide6
# window does not pay. An enum property is written by its key's name instead (Qt converts it).


class LanguageSwitch(Retranslatable, QWidget):
    """English | Français, always visible; switches every open window at once."""

    def __init__(
        self, manager: LanguageManager, parent: QWidget | None = None, *, defer_cursor: bool = False
    ) -> None:
        """`defer_cursor`: the caller calls `use_pointing_cursor` later (the first window does,
        once painted: a cursor shape can only be given as a `Qt` enum)."""
        super().__init__(parent)
        self.setObjectName("language-switch")
        self._manager = manager
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[Language, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for language, name in ENDONYMS.items():
            button = QToolButton(self)
            button.setObjectName(f"language-{language}")
            button.setText(name)
            button.setCheckable(True)
            button.setProperty("language", language)
            button.setProperty("endonym", True)
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[language] = button
        self._group.buttonClicked.connect(self._clicked)
        manager.changed.connect(self._sync)
        self._sync(manager.language)
        self.retranslate_ui()
        if not defer_cursor:
            self.use_pointing_cursor()

    def use_pointing_cursor(self) -> None:
        for button in self.buttons.values():
            button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)

    def retranslate_ui(self) -> None:
        self.setToolTip(_("Interface language"))
        self.setAccessibleName(_("Interface language"))

    def _clicked(self, button: QToolButton) -> None:
        self._manager.switch(button.property("language"))

    def _sync(self, language: str) -> None:
        self.buttons[language].setChecked(True)  # type: ignore[index]


# A message is produced when shown and again after each language switch, never stored as text.
Message = Callable[[], tuple[str, str]]


class MessageBanner(Retranslatable, QFrame):
    """A title and what to do, shown in place (never a popup that can be dismissed unread)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message-banner")
        self._message: Message | None = None
        self.title = QLabel(self)
        self.title.setObjectName("banner-title")
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("banner-detail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        self.hide()

    def show_message(self, message: Message) -> None:
        self._message = message
        self.retranslate_ui()
        self.show()

    def retranslate_ui(self) -> None:
        title, detail = self._message() if self._message else ("", "")
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))

    def clear(self) -> None:
        self._message = None
        self.retranslate_ui()
        self.hide()


def secret_field(parent: QWidget, name: str) -> QLineEdit:
    """A masked field. Cleared with setText(""), which (unlike clear()) cannot be undone."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    # No copy, drag or context menu: a passphrase should never reach the clipboard.
    field.setProperty("contextMenuPolicy", "NoContextMenu")  # without `Qt`: see the top
    field.setDragEnabled(False)
    return field


def forget(*fields: QLineEdit) -> None:
    for field in fields:
        field.setText("")


def heading(parent: QWidget, name: str, level: int = 1) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setProperty("heading", level)
    label.setWordWrap(True)
    return label


def hint(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setProperty("hint", True)
    label.setWordWrap(True)
    return label


def open_buttons(parent: QWidget, prefix: str) -> tuple[QPushButton, QPushButton, QLabel]:
    """ "Crisis route" and "Directory" for a page shown before anyone has a PIN in (the lock
    screen, the unlock and sign-in pages): they open without one (`intake.ui.crisis_route`),
    and a line under them says so."""
    crisis = QPushButton(parent)
    crisis.setObjectName(f"{prefix}-crisis-route")
    crisis.setProperty("crisis", True)
    directory = QPushButton(parent)
    directory.setObjectName(f"{prefix}-directory")
    directory.setProperty("secondary", True)
    return crisis, directory, hint(parent, f"{prefix}-open-note")


def retranslate_open_buttons(crisis: QPushButton, directory: QPushButton, note: QLabel) -> None:
    crisis.setText(_("Crisis route"))
    directory.setText(pgettext("action", "Directory"))
    note.setText(
        _("Anyone at this station can open these without a PIN: they show no caller's record.")
    )


def clear_layout(layout: QLayout) -> None:
    """Remove and destroy every widget in `layout`.

    Hidden at once: a widget taken out of a layout stays visible where it was until its
    deferred deletion runs, and would be painted over the new contents meanwhile.
    """
    while (item := layout.takeAt(0)) is not None:
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def refill_combo(combo: QComboBox, items: Iterable[tuple[str, Any]]) -> None:
    """Replace a combo box's entries (after a language switch) and keep the chosen one, without
    emitting change signals: nothing was chosen anew."""
    current = combo.currentData()
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))


def collated(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """(name, value) pairs in the display language's alphabetical order (Qt's QCollator for
    the current locale): « Île-du-Prince-Édouard » after « Colombie-Britannique », not last."""
    collator = QCollator(QLocale())
    return sorted(items, key=lambda item: collator.sortKey(item[0]))


# Input a person makes, checked by type: a Python event filter sees every event of the
# application, and building a Python enum for each (event.type()) cost more than the check.
ACTIVITY = (QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent, QInputMethodEvent)


class EnterPressesButtons(QObject):
    """Enter or Return on a focused button presses it, as Space does; and `activity` tells
    who listens (the idle watches) that a person pressed, typed or touched something.

    Qt only does the first for buttons in dialogs; in our windows Enter on a focused "Next
    step" did nothing (or reached another control). Installed once on the application, it is
    its only Python event filter: every event of every widget passes through it (about 900
    for one language switch), and each Python filter cost 12-15 ms of CPU per switch, so the
    idle watches listen here instead of filtering everything again.
    """

    activity = QtSignal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, ACTIVITY):
            return False
        self.activity.emit()
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
            and event.modifiers()
            in (QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier)
            and isinstance(watched, QPushButton | QAbstractButton)
            and watched.hasFocus()
            and watched.isEnabled()
            and not event.isAutoRepeat()
        ):
            watched.animateClick()
            return True
        return False


def input_filter() -> EnterPressesButtons | None:
    """The application's one input filter (made by `create_qapplication`), if there is one."""
    app = QApplication.instance()
    return app.findChild(EnterPressesButtons, INPUT_FILTER) if app is not None else None


class CurrentPageStack(QWidget):
    """Pages shown one at a time, like QStackedWidget, but only the page on screen is laid out.

    QStackedWidget asks every page for its size and height-for-width, hidden ones included, on
    every re-layout: after a language switch that meant measuring and shaping the wrapped text
    of all the call's steps (a third of the switch) to show one of them. Here the hidden pages
    are hidden widgets in a box layout, which Qt leaves out of the layout; a page is measured
    when it is shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None
        self.prepared = True  # no page waits for `prepare_hidden`
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def addWidget(self, page: QWidget) -> int:
        return self.insertWidget(len(self._pages), page)

    def insertWidget(self, index: int, page: QWidget) -> int:
        """Put `page` at `index` (hidden unless it is the first page); returns its index."""
        index = max(0, min(index, len(self._pages)))
        page.setParent(self)
        self._pages.insert(index, page)
        self._layout.insertWidget(index, page)
        if self._current is None:
            self._current = page
            page.show()
        else:
            page.hide()
        return index

    def removeWidget(self, page: QWidget) -> None:
        """Take `page` out (hidden, not deleted); the next page, or else the previous, shows."""
        if page not in self._pages:
            return
        index = self._pages.index(page)
        self._pages.remove(page)
        self._layout.removeWidget(page)
        if page is self._current:
            self._current = None
            if self._pages:
                self.setCurrentWidget(self._pages[min(index, len(self._pages) - 1)])
        page.hide()

    def prepare(self, page: QWidget) -> None:
        """Style a hidden page and lay it out at the stack's size before its first show, while
        nobody waits: showing it later then mostly paints (a first show styled and measured
        every control of the page, the slowest switches between a call's steps)."""
        page.ensurePolished()
        page.setGeometry(self.contentsRect())
        if (layout := page.layout()) is not None:
            layout.activate()

    def prepare_hidden(self, after_ms: int) -> None:
        """`prepare` every hidden page, one per turn of the event loop from `after_ms` on (a
        click meanwhile waits for one page at most)."""
        pending = [page for page in self._pages if page is not self._current]
        self.prepared = False

        def next_page() -> None:
            while pending:
                page = pending.pop(0)
                if page in self._pages and not page.isVisible():
                    self.prepare(page)
                    break
            if pending:
                QTimer.singleShot(0, self, next_page)
            else:
                self.prepared = True

        QTimer.singleShot(after_ms, self, next_page)

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, page: QWidget) -> int:
        return self._pages.index(page) if page in self._pages else -1

    def currentWidget(self) -> QWidget | None:
        return self._current

    def currentIndex(self) -> int:
        return -1 if self._current is None else self._pages.index(self._current)

    def setCurrentIndex(self, index: int) -> None:
        page = self.widget(index)
        if page is not None:
            self.setCurrentWidget(page)

    def setCurrentWidget(self, page: QWidget) -> None:
        """As QStackedLayout does it, focus included: focus on the old page moves into the new."""
        old = self._current
        if page is old or page not in self._pages:
            return
        focus = self.window().focusWidget()
        had_focus = old is not None and focus is not None and old.isAncestorOf(focus)
        updates = self.updatesEnabled()
        self.setUpdatesEnabled(False)
        if old is not None:
            old.clearFocus()
            old.hide()
        self._current = page
        page.raise_()
        page.show()
        if had_focus and focus is not None:
            target = page.focusWidget() or _next_focusable(focus, page)
            (target or page).setFocus()
        self.setUpdatesEnabled(updates)


def _next_focusable(start: QWidget, page: QWidget) -> QWidget | None:
    """The first widget after `start` in the focus chain that can take focus inside `page`."""
    widget = start.nextInFocusChain()
    while widget is not None and widget is not start:
        if (
            widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and widget.isVisibleTo(page)
            and widget.isEnabled()
            and page.isAncestorOf(widget)
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None
