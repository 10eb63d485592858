"""What every step of a call shares: the call being edited, a title, a scrollable body, and
"read aloud" boxes that speak the caller's language whatever the interface language is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from intake.call import Call
from intake.guidance import Section
from intake.i18n import Language, _, language_name
from intake.routing.engine import Router
from intake.safety import Screen
from intake.services.calls import CallDesk
from intake.services.drafts import Drafts
from intake.services.session import Session
from intake.ui.language import Retranslatable
from intake.ui.widgets import heading, hint


@dataclass(frozen=True)
class CallServices:
    """What the call screens need from the application; `now` is injectable for tests."""

    router: Router
    screen: Screen
    guidance: tuple[Section, ...]
    desk: CallDesk  # saves finished calls
    drafts: Drafts  # autosaves the call in progress
    session: Session  # the open store, handed to the History screen's services
    account_id: str
    volunteer_name: str
    on_call_contact: str | None
    now: Callable[[], datetime]


class ReadAloud(QFrame):
    """Words to say to the caller, in the caller's language, set apart from the interface."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("read-aloud", True)
        self.caption = QLabel(self)
        self.caption.setObjectName(f"{name}-caption")
        self.text = QLabel(self)
        self.text.setObjectName(f"{name}-text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addWidget(self.caption)
        layout.addWidget(self.text)

    def say(self, text: str, language: Language) -> None:
        self.caption.setText(_("Read aloud ({language})").format(language=language_name(language)))
        self.text.setText(text)
        # Screen readers should read it in the caller's language too.
        self.text.setAccessibleName(text)
        self.text.setAccessibleDescription(_("Read aloud to the caller"))


class StepPage(Retranslatable, QWidget):
    """One step of the call. Widgets write into `call` as the volunteer works; `refresh()`
    puts the call back into the widgets (after resuming a draft, or a caller-language switch)."""

    changed = QtSignal()

    def __init__(self, name: str, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.call = call
        self.services = services
        self.title = heading(self, f"{name}-title")
        self.intro = hint(self, f"{name}-intro")
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.body.setSpacing(10)
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        # Not a tab stop of its own (it showed no focus); it follows the focused control.
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroller.setWidget(content)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(self.title)
        self._outer.addWidget(self.intro)
        self._outer.addWidget(scroller, 1)
        self._loading = False

    def pin_above_scrolling(self, widget: QWidget) -> None:
        """Show `widget` under the intro, outside the scrolling body: always in view."""
        self._outer.insertWidget(self._outer.count() - 1, widget)

    def set_call(self, call: Call) -> None:
        self.call = call
        self.refresh()

    def refresh(self) -> None:
        """Show the call's values; subclasses fill `_show` and must not emit while loading."""
        self._loading = True
        try:
            self._show()
        finally:
            self._loading = False
        self.retranslate_ui()

    def _show(self) -> None:
        raise NotImplementedError

    def fill_when_shown(self, fill: Callable[[], None]) -> None:
        """Rebuild generated content now if the step is on screen, else when it is next shown:
        a language switch then costs nothing for the cards of steps nobody is looking at."""
        if self.isVisible():
            self._stale_fill = None
            fill()
        else:
            self._stale_fill = fill

    def showEvent(self, event: QShowEvent) -> None:
        fill, self._stale_fill = getattr(self, "_stale_fill", None), None
        if fill is not None:
            fill()
        super().showEvent(event)

    def edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def first_focus(self) -> QWidget | None:
        return None


def shown_number(number: str) -> str:
    """A stored number (E.164) as people write it; anything else as it was typed."""
    from intake.callback_numbers import CallbackNumber, parse_callback  # noqa: PLC0415
    from intake.i18n import current_language  # noqa: PLC0415

    parsed = parse_callback(number) if number else None
    return parsed.display(current_language()) if isinstance(parsed, CallbackNumber) else number
