"""The kiosk window: full screen, no way out without a supervisor PIN, and a fresh session for
every person.

The window itself holds nothing a visitor entered: that lives in the `KioskSession`, which is
destroyed and rebuilt when the person leaves (finish, start over, or idle), so undo stacks,
button states and scroll positions go with it. The clipboard is cleared too.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import (
    QClipboard,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account
from intake.i18n import Language, _, current_language, gettext_in, ngettext, pgettext
from intake.passphrase import PIN_LENGTHS
from intake.services.waiting import Waiting
from intake.ui.idle import IdleWatch
from intake.ui.kiosk.parts import HELP_NOW, text_label
from intake.ui.kiosk.session import KioskServices, KioskSession
from intake.ui.kiosk.style import KIOSK_STYLE
from intake.ui.language import LanguageManager, Retranslatable
from intake.ui.outbox_status import what_waits
from intake.ui.widgets import (
    CurrentPageStack,
    Message,
    MessageBanner,
    forget,
    heading,
    hint,
    secret_field,
)

STAFF_SHORTCUT = "Ctrl+Alt+Shift+K"
STAFF_TAPS = 5  # in the top-left corner, within STAFF_TAP_SECONDS
STAFF_TAP_SECONDS = 3.0


class StaffCorner(QWidget):
    """An unmarked corner: five quick taps open the staff panel."""

    opened = QtSignal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-staff-corner")
        self.setFixedSize(56, 56)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._taps: list[float] = []

    def mousePressEvent(self, event: QMouseEvent) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < STAFF_TAP_SECONDS] + [now]
        if len(self._taps) >= STAFF_TAPS:
            self._taps.clear()
            self.opened.emit()
        event.accept()


class StillTherePage(Retranslatable, QWidget):
    still_here = QtSignal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-still-there")
        self.seconds_left = 0
        self.title = heading(self, "kiosk-still-there-title")
        self.countdown = text_label(self, "kiosk-countdown")
        self.button = QPushButton(self)
        self.button.setObjectName("kiosk-still-here")
        self.button.setProperty("big", True)
        for label in (self.title, self.countdown):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.countdown)
        layout.addSpacing(24)
        layout.addWidget(self.button)
        layout.addStretch(2)
        self.button.clicked.connect(self.still_here)
        self.retranslate_ui()

    def set_seconds(self, seconds: int) -> None:
        self.seconds_left = seconds
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Are you still there?"))
        self.countdown.setText(
            ngettext(
                "To protect your privacy, this screen will clear in {count} second.",
                "To protect your privacy, this screen will clear in {count} seconds.",
                self.seconds_left,
            ).format(count=self.seconds_left)
        )
        self.button.setText(_("I'm still here"))


class StaffPage(Retranslatable, QWidget):
    """Leaving kiosk mode: a supervisor's name and PIN, checked off the UI thread."""

    submitted = QtSignal(str, str, object)  # account id, PIN, server password (or None)
    cancelled = QtSignal()

    def __init__(self, supervisors: list[Account], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-staff")
        self.title = heading(self, "kiosk-staff-title")
        self.intro = hint(self, "kiosk-staff-intro")
        # Shown while the shared server cannot be reached (`show_server_down`): who can end
        # kiosk mode until it answers again.
        self.server_down = hint(self, "kiosk-staff-server-down")
        self.server_down.setVisible(False)
        self._starter: str | None = None
        # What this kiosk keeps for the shared server (visits, peer requests, ratings), as its
        # regular check found it (`show_waiting`); hidden when nothing waits.
        self.waiting = hint(self, "kiosk-staff-waiting")
        self.waiting.setVisible(False)
        self._kept: Waiting = Waiting()
        self._kept_aside: Waiting = Waiting()
        self.account = QComboBox(self)
        self.account.setObjectName("kiosk-staff-account")
        self.account.setEditable(False)
        for account in supervisors:
            self.account.addItem(account.display_name, account.id)
        self.pin = secret_field(self, "kiosk-staff-pin")
        self.pin.setMaxLength(PIN_LENGTHS.stop - 1)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        # Asked only when the supervisor's own server login needs a password this computer does
        # not keep (row-level security on a shared line), as at sign-in; never saved.
        # (The banner says why it is asked and that it is not saved: no hint under it, so the
        # panel still fits a 1280x720 screen.)
        self.server_password = secret_field(self, "kiosk-staff-server-password")
        self.banner = MessageBanner(self)
        self.leave_button = QPushButton(self)
        self.leave_button.setObjectName("kiosk-staff-leave")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("kiosk-staff-cancel")
        self.cancel_button.setProperty("secondary", True)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.leave_button)
        column = QVBoxLayout()
        column.addStretch(1)
        for widget in (
            self.title,
            self.intro,
            self.server_down,
            self.waiting,
            self.account,
            self.pin,
            self.server_password,
            self.banner,
        ):
            column.addWidget(widget)
        self._show_server_password(False)
        column.addLayout(row)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 5)  # wide enough for the password field and its message
        outer.addStretch(1)
        self.leave_button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.server_password.returnPressed.connect(self._submit)
        self.cancel_button.clicked.connect(self.cancelled)
        # Another name is another person: their own login, perhaps with no password to ask.
        self.account.currentIndexChanged.connect(lambda _index: self._show_server_password(False))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Staff: leave kiosk mode"))
        self.intro.setText(_("A supervisor's PIN is needed to leave kiosk mode."))
        self.account.setAccessibleName(pgettext("field label", "Name"))
        self.pin.setAccessibleName(pgettext("field label", "PIN"))
        self.pin.setPlaceholderText(pgettext("field label", "PIN"))
        self.server_password.setAccessibleName(pgettext("field label", "Server password"))
        self.server_password.setPlaceholderText(pgettext("field label", "Server password"))
        self.leave_button.setText(_("Leave kiosk mode"))
        self.cancel_button.setText(pgettext("button", "Cancel"))
        if self._starter is not None:
            self.server_down.setText(
                _(
                    "The shared store's server cannot be reached. Until it answers again, "
                    "only {name}, who started kiosk mode, can end it, with their own PIN."
                ).format(name=self._starter)
            )
        lines = []
        if self._kept.items:
            lines.append(
                _("Kept on this kiosk for the shared server, encrypted: {what}.").format(
                    what=what_waits(self._kept)
                )
            )
        if self._kept_aside.items:
            lines.append(
                _(
                    "Kept but could not be sent: {what}. Tell the person who looks after this "
                    "computer."
                ).format(what=what_waits(self._kept_aside))
            )
        self.waiting.setText("\n".join(lines))

    def show_waiting(self, kept: Waiting, aside: Waiting) -> None:
        """What this kiosk keeps for the shared server, and what it could not send."""
        self._kept, self._kept_aside = kept, aside
        self._show_waiting()
        self.retranslate_ui()

    def _show_waiting(self) -> None:
        # Not while a server password is asked (the server answers then, and sends what
        # waits) nor while a refusal is shown: the panel must still fit a 1280x720 screen with
        # the field and the message, which matter more to the person leaving kiosk mode.
        shown = bool(self._kept.items or self._kept_aside.items)
        busy = self.server_password.isVisibleTo(self) or self.banner.isVisibleTo(self)
        self.waiting.setVisible(shown and not busy)

    def show_server_down(self, starter: str | None) -> None:
        """The shared server cannot be reached: say that only `starter` (the supervisor who
        started kiosk mode) can end it now; None when it answers again."""
        self._starter = starter
        self.server_down.setVisible(starter is not None)
        self.retranslate_ui()

    def _show_server_password(self, shown: bool) -> None:
        if not shown:
            forget(self.server_password)
        self.server_password.setVisible(shown)
        self._show_waiting()

    def ask_server_password(self) -> None:
        """The server wants the password of this supervisor's own login (or refused the one
        typed): show its field (the error's message says why)."""
        self._show_server_password(True)
        self.server_password.setFocus()

    def _submit(self) -> None:
        # One check at a time: Enter pressed again (or typing) while a PIN is checked is ignored.
        if not (self.pin.text() and self.account.currentData()) or self.busy:
            return
        asked = self.server_password.isVisibleTo(self)
        password = self.server_password.text() if asked else ""
        if asked and not password:
            self.banner.show_message(
                lambda: (_("Enter your server password."), _("It is not your PIN."))
            )
            self.server_password.setFocus()
            return
        self._set_busy(True)
        self.submitted.emit(self.account.currentData(), self.pin.text(), password or None)

    @property
    def busy(self) -> bool:
        return self.pin.isReadOnly()

    def _set_busy(self, busy: bool) -> None:
        self.pin.setReadOnly(busy)
        self.server_password.setReadOnly(busy)
        self.account.setEnabled(not busy)
        self.leave_button.setEnabled(not busy)

    def show_error(self, message: Message) -> None:
        self._set_busy(False)
        forget(self.pin, self.server_password)  # as at sign-in: forgotten after each try
        self.banner.show_message(message)
        self._show_waiting()
        self.pin.setFocus()

    def reset(self) -> None:
        self._set_busy(False)
        forget(self.pin)
        self._show_server_password(False)
        self.banner.clear()
        self._show_waiting()


class KioskWindow(Retranslatable, QWidget):
    exit_requested = QtSignal(str, str, object)  # account id, PIN, server password (or None)
    staff_alerted = QtSignal(bool)  # raised; True when a sound was played too

    def __init__(
        self,
        manager: LanguageManager,
        services: KioskServices,
        supervisors: list[Account],
        *,
        default_language: Language,
        idle_seconds: int,
        countdown_seconds: int,
        crisis_idle_seconds: int = 1800,
        staff_alert: str = "sound-and-flag",
    ) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kiosk-window")
        self.setStyleSheet(KIOSK_STYLE)
        self._manager = manager
        self._services = services
        self.default_language = default_language
        self.countdown_seconds = countdown_seconds
        self._may_close = False
        self.crisis_idle_seconds = crisis_idle_seconds
        self.staff_alert = staff_alert
        self.crisis_shown_at: float | None = None  # time.monotonic() when the crisis screen came up
        # When the staff were alerted: shown on the flag until the staff open their panel.
        self.alert_since: datetime | None = None
        self._bilingual_help = True

        header = QWidget(self)
        header.setObjectName("kiosk-header")
        self.staff_corner = StaffCorner(header)
        self.app_name = QLabel(header)
        self.app_name.setObjectName("kiosk-app-name")
        self.help_button = QPushButton(header)
        self.help_button.setObjectName("kiosk-help-now")
        # Staff-facing: in the staff corner's side of the header, raised when the crisis screen
        # comes up, kept through any wipe, cleared only when the staff open their panel.
        self.staff_flag = QLabel(header)
        self.staff_flag.setObjectName("kiosk-staff-alert")
        self.staff_flag.setAccessibleName(_("Staff alert"))
        self.staff_flag.hide()
        row = QHBoxLayout(header)
        row.setContentsMargins(0, 0, 16, 0)
        row.addWidget(self.staff_corner)
        row.addWidget(self.staff_flag)
        row.addWidget(self.app_name)
        row.addStretch(1)
        row.addWidget(self.help_button)

        self.pages = CurrentPageStack(self)  # lays out only the page on screen
        self.still_there = StillTherePage(self.pages)
        self.staff = StaffPage(supervisors, self.pages)
        self.pages.addWidget(self.still_there)
        self.pages.addWidget(self.staff)
        body = QWidget(self)
        body.setObjectName("kiosk-body")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(32, 16, 32, 24)
        body_layout.addWidget(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(body, 1)

        self.session = self._new_session()
        self.idle = IdleWatch(idle_seconds * 1000, self)
        self.countdown = QTimer(self)
        self.countdown.setObjectName("kiosk-countdown-timer")
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        self.staff_shortcut = QShortcut(QKeySequence(STAFF_SHORTCUT), self)
        self.staff_shortcut.activated.connect(self.open_staff)

        self.help_button.clicked.connect(self.help_now)
        self.staff_corner.opened.connect(self.open_staff)
        self.idle.idle.connect(self._idle)
        self.still_there.still_here.connect(self._resume)
        self.staff.submitted.connect(self.exit_requested)
        self.staff.cancelled.connect(self._resume)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Peer Support Intake"))
        self.app_name.setText(_("Peer support for physicians"))
        # Until a visitor has chosen a language, the crisis button speaks both.
        ask = HELP_NOW
        other: Language = "fr" if self._manager.language == "en" else "en"
        text = f"{_(ask)}\n{gettext_in(other, ask)}" if self._bilingual_help else _(ask)
        self.help_button.setText(text)
        self.help_button.setAccessibleName(text)
        self.help_button.setProperty("bilingual", self._bilingual_help)
        self.staff_flag.setAccessibleName(_("Staff alert"))
        if self.alert_since is not None:
            since = self.alert_since
            shown = (
                f"{since.hour}\u00a0h\u00a0{since.minute:02d}"
                if current_language() == "fr"
                else since.strftime("%H:%M")
            )
            self.staff_flag.setText(_("STAFF ALERT {time}").format(time=shown))
            self.staff_flag.setToolTip(_("Someone at this kiosk needs help now"))

    # Staff alert ------------------------------------------------------------------------
    def alert_staff(self) -> None:
        """The crisis screen is up: a flag on the staff-facing corner and, if set, a sound."""
        self.crisis_shown_at = time.monotonic()
        if self.alert_since is None:
            self.alert_since = self._services.now()
        self.staff_flag.show()
        self.app_name.hide()  # room for the flag: "Need help now?" must never be cut
        self.retranslate_ui()
        sound = self.staff_alert == "sound-and-flag"
        if sound:
            QApplication.beep()
        self.staff_alerted.emit(sound)

    def acknowledge_alert(self) -> None:
        self.alert_since = None
        self.staff_flag.hide()
        self.app_name.show()

    # Sessions ---------------------------------------------------------------------------
    def _new_session(self) -> KioskSession:
        session = KioskSession(self._services, self.pages)
        session.language_chosen.connect(self._language_chosen)
        session.ended.connect(self.wipe)
        session.help_needed.connect(self.alert_staff)
        self.pages.insertWidget(0, session)
        self.pages.setCurrentWidget(session)
        return session

    def _language_chosen(self, language: str) -> None:
        # apply(), not switch(): a visitor's choice is never saved as the kiosk's language.
        self._bilingual_help = False
        self._manager.apply(cast(Language, language))
        self.retranslate_ui()

    def wipe(self) -> None:
        """Forget the person: destroy their session, clear the clipboard, start again."""
        self.countdown.stop()
        old = self.session
        self.pages.removeWidget(old)
        old.hide()
        # Destroyed when control returns to the event loop, before any further input: the tap
        # that ended the visit may still be being delivered to it. Not reparented first: moving
        # it out of the styled window re-polishes every child (measured: 50 ms of a 60 ms wipe).
        old.deleteLater()
        self.staff.reset()
        for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
            QGuiApplication.clipboard().clear(mode)
        if self._manager.language != self.default_language:
            self._manager.apply(self.default_language)
        self._bilingual_help = True
        self.retranslate_ui()
        self.session = self._new_session()
        self.idle.poke()

    def help_now(self) -> None:
        self.countdown.stop()
        if self.pages.currentWidget() is not self.staff:
            self.pages.setCurrentWidget(self.session)
            self.session.show_crisis()

    # Idle -------------------------------------------------------------------------------
    def _idle(self) -> None:
        if self.session.pristine and self.pages.currentWidget() is self.session:
            self.idle.poke()  # nothing to forget yet
            return
        if self._on_crisis_screen() and (
            self.crisis_shown_at is None
            or time.monotonic() - self.crisis_shown_at < self.crisis_idle_seconds
        ):
            self.idle.poke()  # the crisis screen stays up much longer, and never goes silently
            return
        self.still_there.set_seconds(self.countdown_seconds)
        self.pages.setCurrentWidget(self.still_there)
        self.still_there.button.setFocus()
        self.countdown.start()

    def _on_crisis_screen(self) -> bool:
        return self.pages.currentWidget() is self.session and (
            self.session.current is self.session.crisis_screen_if_built
        )

    def tick(self) -> None:
        """One second of the countdown (the timer calls it; tests may call it directly)."""
        left = self.still_there.seconds_left - 1
        if left <= 0:
            self.wipe()
        else:
            self.still_there.set_seconds(left)

    def _resume(self) -> None:
        self.countdown.stop()
        self.staff.reset()
        self.pages.setCurrentWidget(self.session)
        self.idle.poke()

    # Staff ------------------------------------------------------------------------------
    def open_staff(self) -> None:
        self.acknowledge_alert()  # the staff have come: the flag has done its job
        self.countdown.stop()
        self.staff.reset()
        self.pages.setCurrentWidget(self.staff)
        self.staff.pin.setFocus()

    def allow_exit(self) -> None:
        self._may_close = True
        self.idle.stop()
        self.countdown.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            self.idle.stop()
            event.accept()
        else:
            event.ignore()  # Alt+F4 and friends: a kiosk only closes through the staff panel

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # Escape and other unhandled keys go nowhere
