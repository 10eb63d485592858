"""Building blocks of kiosk screens: large choice buttons and the base screen.

Everything is sized for a finger (at least 44×44 px, most much larger) and labelled for a screen
reader in the current language.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from intake.i18n import N_
from intake.ui.language import Retranslatable
from intake.ui.widgets import heading, hint

HELP_NOW = N_("Need help now?")  # the crisis button in the kiosk's header
MIN_TARGET = 44  # px: the smallest touch target allowed anywhere on a kiosk screen
Label = Callable[[], str]  # produced in the current language each time it is shown


class ChoiceButton(QPushButton):
    """A large answer button: a title and an optional one-line explanation under it."""

    def __init__(self, value: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.value = value
        self.setObjectName(f"choice-{value}")
        self.setProperty("choice", True)
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title = QLabel(self)
        self.title.setObjectName("choice-title")
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("choice-detail")
        self.detail.setWordWrap(True)
        self.detail.hide()
        for label in (self.title, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)

    def set_texts(self, title: str, detail: str | None = None) -> None:
        self.title.setText(title)
        self.detail.setText(detail or "")
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(title)
        self.setAccessibleDescription(detail or "")

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint_size = layout.totalSizeHint() if layout is not None else super().sizeHint()
        return hint_size.expandedTo(QSize(MIN_TARGET * 3, MIN_TARGET + 20))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


def _drag_gesture() -> Qt.GestureType:
    """The application's one drag-to-scroll recognizer, registered on first use.

    QScroller.grabGesture registers a new recognizer, under a new gesture type, on every call;
    PySide turns each new type into a Python enum member that is never freed. Every kiosk
    session builds its screens anew, so a kiosk grew by a dozen of them per visit (about 20 KB,
    for ever). Registered once on the application itself (which lives as long as the
    recognizer must), the one type serves every viewport.
    """
    app = QApplication.instance()
    assert app is not None
    found = app.property(_DRAG_GESTURE)
    if found is None:
        gesture = QScroller.grabGesture(app, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        app.setProperty(_DRAG_GESTURE, int(gesture))
        return gesture
    return Qt.GestureType(found)


_DRAG_GESTURE = "intake-drag-gesture"


def drag_to_scroll(viewport: QWidget) -> None:
    """A drag on `viewport` scrolls it with momentum (the recognizer drives its QScroller)."""
    QScroller.scroller(viewport)  # must exist before the first gesture on this viewport
    viewport.grabGesture(_drag_gesture())


def no_drag_to_scroll(viewport: QWidget) -> None:
    """Undo `drag_to_scroll`: only the scroll bar scrolls `viewport`."""
    viewport.ungrabGesture(_drag_gesture())


class KioskScreen(Retranslatable, QWidget):
    """A title, an optional line under it, and a scrollable body (large text can get long)."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = heading(self, f"{name}-title")
        self.intro = hint(self, f"{name}-intro")
        self.intro.hide()
        content = QWidget()
        content.setObjectName(f"{name}-content")
        content.setProperty("screen-content", True)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 8, 0, 8)
        self.body.setSpacing(14)
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName(f"{name}-scroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the focused answer shows instead
        self.scroller.setWidget(content)
        # Touch: a drag anywhere on the content scrolls it, with momentum (Qt's own scroller);
        # a tap still reaches the button under the finger.
        drag_to_scroll(self.scroller.viewport())
        # The screen's main actions sit under the scrolling content and never scroll away.
        self.footer = QHBoxLayout()
        self.footer.setContentsMargins(0, 8, 0, 0)
        self.footer.setSpacing(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(self.footer)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def first_focus(self) -> QWidget | None:
        """Where keyboard focus goes when the screen is shown."""
        return None

    def reveal(self, widget: QWidget) -> None:
        """Scroll `widget` (a message just shown) into view: on a landscape screen it can sit
        below the fold, where a visitor would never see it."""
        # Once the layout has made room for it (the scroll area resizes its content later).
        QTimer.singleShot(0, self, lambda: self.scroller.ensureWidgetVisible(widget))

    def retranslate_ui(self) -> None:
        raise NotImplementedError


class PrivateLineEdit(QLineEdit):
    """A text field whose contents never reach the system clipboard or a drag.

    No context menu, no copy or cut keys, no drag: the next person at the kiosk could paste it.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) or event.matches(
            QKeySequence.StandardKey.Cut
        ):
            event.accept()
            return
        super().keyPressEvent(event)


def breakable(text: str) -> str:
    """Let a long web address wrap after each "/" (a zero-width space), instead of running
    past the edge of a card in large kiosk type."""
    return text.replace("/", "/\u200b")


def card(parent: QWidget, name: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(parent)
    frame.setObjectName(name)
    frame.setProperty("card", True)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(6)
    return frame, layout


def text_label(parent: QWidget, name: str, text: str = "", *, level: int = 0) -> QLabel:
    label = heading(parent, name, level) if level else QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    if text:
        label.setText(text)
    # Never selectable: selected text can be copied, and the clipboard outlives the person.
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class NumberPad(QWidget):
    """An on-screen keypad for a phone number: a kiosk may have no keyboard at all.

    The keys type into `field` (digits, a space to group them, and a key that erases the last
    character); they take no keyboard focus, so Tab still goes from the field to what follows.
    """

    KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", " ", "⌫")
    COLUMNS = 4  # three rows: the whole pad fits beside the field on a 720-px-high screen

    def __init__(self, field: QLineEdit, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-number-pad")
        self.field = field
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        for index, key in enumerate(self.KEYS):
            button = QPushButton("␣" if key == " " else key, self)
            button.setObjectName(
                f"kiosk-key-{'space' if key == ' ' else 'erase' if key == '⌫' else key}"
            )
            button.setProperty("key", True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(QSize(MIN_TARGET * 2, MIN_TARGET + 20))
            button.clicked.connect(lambda _c=False, k=key: self.press(k))
            grid.addWidget(button, index // self.COLUMNS, index % self.COLUMNS)
            self.keys[key] = button

    def press(self, key: str) -> None:
        if key == "⌫":
            self.field.backspace()
        else:
            self.field.insert(key)
        # As if typed: whatever listens to typing (checks, the idle timer) hears it.
        self.field.textEdited.emit(self.field.text())
