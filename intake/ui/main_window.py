"""The main window shell: who is signed in, the language switch, lock and About.

The phone-line and kiosk workflows will live in the workspace; locking hides the workspace
(without destroying it, so nothing typed is lost) until the signed-in person's PIN is entered.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account, Role
from intake.i18n import N_, _, current_language, ngettext, pgettext
from intake.i18n.formatting import format_date, format_time
from intake.ui import ops
from intake.ui.about import show_about
from intake.ui.idle import IdleWatch
from intake.ui.language import LanguageManager, Retranslatable
from intake.ui.outbox_status import what_waits
from intake.ui.widgets import (
    CurrentPageStack,
    LanguageSwitch,
    Message,
    MessageBanner,
    forget,
    heading,
    hint,
    input_filter,
    open_buttons,
    retranslate_open_buttons,
    secret_field,
)

if TYPE_CHECKING:
    from intake.routing.engine import Router
    from intake.services.drafts import Draft
    from intake.services.shared import ServerStatus
    from intake.services.worklist_watch import WorklistWatch
    from intake.settings import SettingsFile
    from intake.ui.call.base import CallServices
    from intake.ui.call.page import CallPage
    from intake.ui.console import ConsolePage
    from intake.ui.crisis_route import CrisisRouteView
    from intake.ui.directory_browser import DirectoryBrowser
    from intake.ui.history import HistoryPage
    from intake.ui.worklist import WorklistPage

SERVER_POLL_MS = 10_000  # how often the shared server's state is checked
SESSION_LIMIT_MS = 12 * 60 * 60 * 1000  # a sign-in never lasts longer than 12 hours
# How long after the home screen is up (after sign-in, a saved call, an unlock) the next call's
# page is built, hidden: its first frame and the person's first clicks come first.
SPARE_AFTER_MS = 500

ROLE_NAMES = {
    Role.VOLUNTEER: N_("Volunteer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.KIOSK: N_("Kiosk"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.PEER_SUPPORTER: N_("Peer supporter"),
}


def role_name(role: Role) -> str:
    return _(ROLE_NAMES[role])


class HomePage(Retranslatable, QWidget):
    resume_requested = QtSignal(object)  # the Draft
    discard_requested = QtSignal(str)
    settings_requested = QtSignal()  # a supervisor opens the station's settings

    def __init__(self, account: Account, cipher_version: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("home-page")
        self._account = account
        self._cipher_version = cipher_version
        self.on_server = False  # the shared store: the security line says so
        self._opened_at = datetime.now().astimezone()
        self._draft: Draft | None = None
        self._saved_message = False
        self._queued = False  # the last call waits in the outbox (the server did not answer)
        self.title = heading(self, "home-title")
        self.session = hint(self, "home-session")
        self.status = QLabel(self)
        self.status.setObjectName("home-status")
        self.status.setWordWrap(True)
        self.status.hide()
        self.resume_box = QFrame(self)
        self.resume_box.setObjectName("resume-box")
        self.resume_text = QLabel(self.resume_box)
        self.resume_text.setObjectName("resume-text")
        self.resume_text.setWordWrap(True)
        self.resume_button = QPushButton(self.resume_box)
        self.resume_button.setObjectName("resume-call")
        self.discard_button = QPushButton(self.resume_box)
        self.discard_button.setObjectName("discard-draft")
        self.discard_button.setProperty("secondary", True)
        resume_row = QHBoxLayout(self.resume_box)
        resume_row.addWidget(self.resume_text, 1)
        resume_row.addWidget(self.resume_button)
        resume_row.addWidget(self.discard_button)
        self.resume_box.hide()
        self._due = 0
        self.followups = QFrame(self)
        self.followups.setObjectName("followups-box")
        self.followups_text = QLabel(self.followups)
        self.followups_text.setObjectName("followups-text")
        self.followups_button = QPushButton(self.followups)
        self.followups_button.setObjectName("show-followups")
        followups_row = QHBoxLayout(self.followups)
        followups_row.addWidget(self.followups_text, 1)
        followups_row.addWidget(self.followups_button)
        self.followups.hide()
        self.next_steps = hint(self, "home-next")
        self.security = hint(self, "home-security")
        # Where this station keeps the line's records: supervisors only.
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("station-settings-button")
        self.settings_button.setProperty("secondary", True)
        self.settings_button.setVisible(account.role is Role.SUPERVISOR)
        self.settings_button.clicked.connect(self.settings_requested.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.session)
        layout.addSpacing(12)
        layout.addWidget(self.status)
        layout.addWidget(self.resume_box)
        layout.addWidget(self.followups)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        layout.addWidget(self.security)
        layout.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.resume_button.clicked.connect(self._resume)
        self.discard_button.clicked.connect(self._discard)
        self.retranslate_ui()

    def offer_resume(self, draft: Draft | None) -> None:
        self._draft = draft
        self.resume_box.setVisible(draft is not None)
        self.retranslate_ui()

    def show_followups(self, due: int) -> None:
        self._due = due
        self.followups.setVisible(due > 0)
        self.retranslate_ui()

    def show_saved(self, saved: bool, *, queued: bool = False) -> None:
        """Say the call was saved; `queued`: it waits in the outbox on this computer (the
        shared server did not answer), which is what the person is told, not "saved"."""
        self._saved_message = saved
        self._queued = queued
        self.status.setProperty("state", "queued" if queued else "saved")
        self.status.style().unpolish(self.status)  # the colour follows the state
        self.status.style().polish(self.status)
        self.status.setVisible(saved)
        self.retranslate_ui()

    def _resume(self) -> None:
        if self._draft is not None:
            self.resume_requested.emit(self._draft)

    def _discard(self) -> None:
        if self._draft is not None:
            self.discard_requested.emit(self._draft.contact_id)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Welcome, {name}").format(name=self._account.display_name))
        self.session.setText(
            _("Signed in on {date} at {time}").format(
                date=format_date(self._opened_at), time=format_time(self._opened_at)
            )
        )
        self.next_steps.setText(
            _(
                "Start a call with New call (Ctrl+N). Use Lock (Ctrl+L) whenever you step away: "
                "the window hides everything until your PIN is entered."
            )
        )
        self.status.setText(
            _(
                "The call is kept on this computer, encrypted: the shared server did not answer. "
                "It will be sent when the server answers. Thank you."
            )
            if self._queued
            else _("The call was saved. Thank you.")
        )
        if self._draft is not None:
            started = self._draft.started_at
            self.resume_text.setText(
                _("A call was not finished (started {date} at {time}). Resume it?").format(
                    date=format_date(started), time=format_time(started)
                )
            )
        self.followups_text.setText(
            ngettext(
                "{count} follow-up is due by tomorrow.",
                "{count} follow-ups are due by tomorrow.",
                self._due,
            ).format(count=self._due)
        )
        self.followups_button.setText(_("Show the follow-ups"))
        self.settings_button.setText(_("Where this station keeps the records…"))
        self.resume_button.setText(_("Resume the call"))
        self.discard_button.setText(_("Discard it"))
        self.security.setText(
            _(
                "Notes, names and numbers are encrypted on this computer before they reach the "
                "line's shared server."
            )
            if self.on_server
            else _("Records are encrypted at rest with SQLCipher {version}.").format(
                version=self._cipher_version
            )
        )


class LockPage(Retranslatable, QWidget):
    """Hides the workspace until the signed-in person's PIN is entered. The crisis route and the
    directory stay one click away without any PIN (`intake.ui.crisis_route`: shipped data only,
    nothing stored, no server), and come back here."""

    unlock_requested = QtSignal(str)

    def __init__(
        self,
        account: Account,
        parent: QWidget,
        router: Callable[[], Router] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lock-page")
        self._account = account
        self._router = router
        # The PIN was accepted while the person read the crisis route or the directory: they
        # stay there, and Back opens the workspace (`MainWindow.unlock`).
        self.after_help: Callable[[], None] | None = None
        self._server_down = False  # the shared server cannot be reached (said under the PIN)
        self.views = QStackedWidget(self)
        self.pin_view = QWidget(self.views)
        self.pin_view.setObjectName("lock-pin-view")
        self.help: CrisisRouteView | None = None  # built when first asked for
        self.title = heading(self, "lock-title")
        self.intro = hint(self, "lock-intro")
        self.pin = secret_field(self, "lock-pin")
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("lock-unlock")
        self.unlock_button.setDefault(True)
        self.banner = MessageBanner(self)
        self.server_note = hint(self, "lock-server-note")
        self.server_note.hide()
        self.crisis_button, self.directory_button, self.open_note = open_buttons(self, "lock")
        column = QWidget(self.pin_view)
        column.setMaximumWidth(520)
        row = QHBoxLayout()
        row.addWidget(self.pin, 1)
        row.addWidget(self.unlock_button)
        open_row = QHBoxLayout()
        open_row.addWidget(self.crisis_button)
        open_row.addWidget(self.directory_button)
        open_row.addStretch(1)
        inner = QVBoxLayout(column)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(row)
        inner.addWidget(self.banner)
        inner.addWidget(self.server_note)
        inner.addSpacing(16)
        inner.addLayout(open_row)
        inner.addWidget(self.open_note)
        for widget in (
            self.title,
            self.intro,
            self.pin,
            self.unlock_button,
            self.banner,
            self.server_note,
            self.crisis_button,
            self.directory_button,
            self.open_note,
        ):
            widget.setParent(column)
        outer = QHBoxLayout()
        outer.addStretch(1)
        outer.addWidget(column, 3)
        outer.addStretch(1)
        layout = QVBoxLayout(self.pin_view)
        layout.addStretch(1)
        layout.addLayout(outer)
        layout.addStretch(2)
        self.views.addWidget(self.pin_view)
        QVBoxLayout(self).addWidget(self.views)
        self.unlock_button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.crisis_button.clicked.connect(self.open_crisis_route)
        self.directory_button.clicked.connect(self.open_directory)
        self.crisis_button.setVisible(router is not None)
        self.directory_button.setVisible(router is not None)
        self.open_note.setVisible(router is not None)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("This window is locked"))
        self.intro.setText(
            _("{name}, enter your PIN to continue.").format(name=self._account.display_name)
        )
        self.unlock_button.setText(pgettext("button", "Unlock"))
        retranslate_open_buttons(self.crisis_button, self.directory_button, self.open_note)
        self.server_note.setText(
            _(
                "The shared server cannot be reached: only {name}, who was signed in, can "
                "unlock this station now, with their own PIN. The crisis route and the "
                "directory below work without the server."
            ).format(name=self._account.display_name)
        )

    def show_server_down(self, down: bool) -> None:
        """Say under the PIN who can unlock while the shared server cannot be reached."""
        self._server_down = down
        self.server_note.setVisible(down)

    def _help(self) -> CrisisRouteView:
        if self.help is None:
            from intake.ui.crisis_route import CrisisRouteView  # noqa: PLC0415 - when asked

            assert self._router is not None
            self.help = CrisisRouteView(self._router, self.views)
            self.help.back_requested.connect(self.back_to_pin)
            self.views.addWidget(self.help)
        return self.help

    def open_crisis_route(self) -> None:
        if self._router is None:
            return
        help_view = self._help()
        self.views.setCurrentWidget(help_view)
        help_view.show_crisis()

    def open_directory(self) -> None:
        if self._router is None:
            return
        help_view = self._help()
        self.views.setCurrentWidget(help_view)
        help_view.show_directory()

    @property
    def showing_help(self) -> bool:
        return self.help is not None and self.views.currentWidget() is self.help

    def back_to_pin(self) -> None:
        if (unlocked := self.after_help) is not None:
            self.after_help = None
            unlocked()
            return
        self.views.setCurrentWidget(self.pin_view)
        self.pin.setFocus()

    def _submit(self) -> None:
        # One check at a time: Enter pressed again (or typing) while a PIN is checked is ignored.
        if self.pin.text() and not self.busy:
            self._set_busy(True)
            self.unlock_requested.emit(self.pin.text())

    @property
    def busy(self) -> bool:
        return self.pin.isReadOnly()

    def _set_busy(self, busy: bool) -> None:
        self.pin.setReadOnly(busy)
        self.unlock_button.setEnabled(not busy)

    def show_error(self, message: Message) -> None:
        self._set_busy(False)
        forget(self.pin)
        self.banner.show_message(message)
        self.pin.setFocus()

    def reset(self) -> None:
        self._set_busy(False)
        forget(self.pin)
        self.banner.clear()
        self.after_help = None
        self.views.setCurrentWidget(self.pin_view)
        if self.help is not None:
            self.help.choose_province(None)  # the last caller's province is not the next one's


class HeaderBar(QWidget):
    """The header: one row when it fits; else the workspace actions move to a second row, and who
    is signed in goes to the end of that row, or to a third row of its own when even that does not
    fit (French at a large font with every team page's button). So the window fits a 1280-px
    screen; nothing is hidden behind an overflow arrow or cut."""

    SPACING = 12
    ROWS = ("one", "two", "three")

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("main-header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._top = QHBoxLayout()
        self._bottom = QHBoxLayout()
        self._third = QHBoxLayout()
        self._column = QVBoxLayout(self)
        self._column.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for row in (self._top, self._bottom, self._third):
            self._column.addLayout(row)
        self._identity: tuple[QWidget, ...] = ()
        self._actions: tuple[QWidget, ...] = ()
        self._tools: tuple[QWidget, ...] = ()
        self.rows: str | None = None

    @property
    def one_row(self) -> bool:
        return self.rows == "one"

    def arrange(
        self,
        identity: tuple[QWidget, ...],
        actions: tuple[QWidget, ...],
        tools: tuple[QWidget, ...],
    ) -> None:
        self._identity, self._actions, self._tools = identity, actions, tools
        self._lay_out("one")

    def _width(self, widgets: tuple[QWidget, ...]) -> int:
        shown = [w for w in widgets if not w.isHidden()]
        spacing = max(self._top.spacing(), 0)
        return sum(w.sizeHint().width() for w in shown) + spacing * max(len(shown) - 1, 0)

    def _margins(self) -> int:
        margins = self._column.contentsMargins()
        return margins.left() + margins.right()

    def _rows_for(self, width: int) -> str:
        parts = (self._identity, self._actions, self._tools)
        one = sum(self._width(part) for part in parts) + 3 * self.SPACING + self._margins()
        if width >= one:
            return "one"
        two = self._width(self._actions) + self._width(self._identity[1:]) + 2 * self.SPACING
        return "two" if width >= two + self._margins() else "three"

    def minimumSizeHint(self) -> QSize:
        first, *rest = self._identity or (None,)
        top = self._width(self._tools) + (first.minimumSizeHint().width() if first else 0)
        bottom = self._width(self._actions)
        third = sum(w.minimumSizeHint().width() for w in rest)
        height = super().minimumSizeHint().height()
        widest = max(top, bottom, third) + 2 * self.SPACING + self._margins()
        return QSize(widest, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out(self._rows_for(self.width()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            # Longer labels may no longer fit on one row (checked once the texts are set).
            QTimer.singleShot(0, self, self._recheck)  # dropped if the header is gone

    def _recheck(self) -> None:
        self._lay_out(self._rows_for(self.width()))
        self.updateGeometry()

    def _lay_out(self, rows: str) -> None:
        if rows == self.rows:
            return
        self.rows = rows
        for row in (self._top, self._bottom, self._third):
            while row.takeAt(0) is not None:
                pass
        first, *rest = self._identity
        self._top.addWidget(first)
        if rows == "one":
            for widget in rest:
                self._top.addWidget(widget)
            self._top.addSpacing(self.SPACING)
        for widget in self._actions:
            (self._top if rows == "one" else self._bottom).addWidget(widget)
        if rows != "one":
            # Who is signed in: after the actions, or on its own row when that is too wide.
            self._bottom.addStretch(1)
            where = self._bottom if rows == "two" else self._third
            for widget in rest:
                where.addWidget(widget)
            if rows == "three":
                self._third.addStretch(1)
        self._top.addStretch(1)
        tools = self._tools
        self._top.addWidget(tools[0])
        self._top.addSpacing(self.SPACING)
        for widget in tools[1:]:
            self._top.addWidget(widget)


def scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    """A page in a scroll area, so that a page taller or wider than a 1280x720 screen (the
    coordinator's forms beside their lists) scrolls instead of pushing the window off-screen."""
    scroller = QScrollArea(parent)
    scroller.setObjectName(f"{page.objectName() or 'page'}-scroller")
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setWidgetResizable(True)
    scroller.setWidget(page)
    return scroller


class MainWindow(Retranslatable, QMainWindow):
    unlock_requested = QtSignal(str)  # PIN, checked by the application off the UI thread
    locked_now = QtSignal()
    discard_draft = QtSignal(str)  # contact id
    worklist_heard = QtSignal()  # the shared server announced a worklist change (any thread)

    def __init__(  # noqa: PLR0917 - the controller's state, passed once
        self,
        manager: LanguageManager,
        account: Account,
        cipher_version: str,
        sqlite_version: str,
        services: CallServices | None = None,
        idle_minutes: int = 15,
    ) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.account = account
        self.services = services
        self.call_page: CallPage | None = None
        # The next call's page, built while the volunteer waits for the phone (_prepare_spare).
        self.spare_call: CallPage | None = None
        self._spare_timer = QTimer(self)
        self._spare_timer.setObjectName("spare-call-timer")
        self._spare_timer.setSingleShot(True)
        self._spare_timer.setInterval(SPARE_AFTER_MS)
        self._spare_timer.timeout.connect(self._prepare_spare)
        if services is not None:
            self._spare_timer.start()
        # The application's input filter tells of every press and key: while the person clicks
        # or types, building that page waits for a pause (it holds the UI thread 60-70 ms).
        self._activity = input_filter()
        if self._activity is not None:
            self._activity.activity.connect(self._postpone_spare)
        self._before_lock: QWidget | None = None
        self._versions = (cipher_version, sqlite_version)
        self._server: ServerStatus | None = None  # the shared server's state (issue 18)
        self.unavailable: tuple[QAction, ...] = ()  # screens not on the shared server yet

        # A plain header row, not a QToolBar: a toolbar hides whatever does not fit behind an
        # overflow arrow, and the French labels are longer.
        header = HeaderBar(self)
        self.app_name = QLabel(header)
        self.app_name.setObjectName("app-name")
        self.signed_in = QLabel(header)
        self.signed_in.setObjectName("signed-in")
        self.language_switch = LanguageSwitch(manager, header)
        self.lock_action, self.lock_button = self._header_action(
            header, "lock", "Ctrl+L", self.lock
        )
        self.about_action, self.about_button = self._header_action(
            header, "about", None, self.show_about
        )
        # Quit closes the window, which keeps a call in progress as a draft (closeEvent). Ctrl+Q
        # on every platform (Qt's standard Quit key has none on Windows; Ctrl is Cmd on macOS).
        self.quit_action, self.quit_button = self._header_action(
            header, "quit", "Ctrl+Q", self.close
        )
        self.new_call_action, self.new_call_button = self._header_action(
            header, "new-call", "Ctrl+N", self.new_call
        )
        self.history_action, self.history_button = self._header_action(
            header, "history", "Ctrl+H", self.show_history
        )
        self.directory_action, self.directory_button = self._header_action(
            header, "directory", "Ctrl+D", self.show_directory
        )
        # Peer matching and the sponsors' reports (issue 17): coordinators and supervisors.
        self.matching_action, self.matching_button = self._header_action(
            header, "matching", None, self.show_matching
        )
        self.reports_action, self.reports_button = self._header_action(
            header, "reports", None, self.show_reports
        )
        coordinates = account.role in (Role.SUPERVISOR, Role.COORDINATOR)
        self.matching_button.setVisible(coordinates)
        self.reports_button.setVisible(coordinates)
        # A peer supporter's own matches: nothing else of the line (issue 17).
        self.own_matches_action, self.own_matches_button = self._header_action(
            header, "own-matches", None, self.show_own_matches
        )
        self.own_matches_button.setVisible(account.role is Role.PEER_SUPPORTER)
        self.own_matches_page: QWidget | None = None
        self.matching_page: QWidget | None = None
        self.reports_page: QWidget | None = None
        self.matching_scroller: QScrollArea | None = None
        self.reports_scroller: QScrollArea | None = None
        # The worklist: every callback and follow-up owed (F9: F keys are free in a call).
        self.worklist_action, self.worklist_button = self._header_action(
            header, "worklist", "F9", self.show_worklist
        )
        # The supervisor console: supervisors only (the button is not even shown to others).
        self.console_action, self.console_button = self._header_action(
            header, "console", "Ctrl+Shift+C", self.show_console
        )
        # The line's callbacks are worked by volunteers, supervisors and coordinators.
        self.worklist_button.setVisible(account.role is not Role.PEER_SUPPORTER)
        self.worklist_action.setEnabled(account.role is not Role.PEER_SUPPORTER)
        supervisor = account.role is Role.SUPERVISOR
        self.console_action.setEnabled(supervisor)
        self.console_button.setVisible(supervisor)
        # What needs the call services and must not be reachable while locked.
        self.workspace_actions = (
            self.new_call_action,
            self.history_action,
            self.directory_action,
            self.matching_action,
            self.reports_action,
            self.worklist_action,
            self.own_matches_action,
        )
        self._enable_workspace(True)
        self.history_page: HistoryPage | None = None
        self.directory_page: DirectoryBrowser | None = None
        self.worklist_page: WorklistPage | None = None
        self.console_page: ConsolePage | None = None
        header.arrange(
            identity=(self.app_name, self.signed_in),
            actions=(
                self.new_call_button,
                self.worklist_button,
                self.history_button,
                self.directory_button,
                self.matching_button,
                self.reports_button,
                self.own_matches_button,
                *((self.console_button,) if account.role is Role.SUPERVISOR else ()),
            ),
            tools=(self.language_switch, self.lock_button, self.about_button, self.quit_button),
        )

        self.pages = CurrentPageStack(self)  # lays out only the page on screen
        self.home = HomePage(account, cipher_version, self.pages)
        # The crisis route and the directory from the lock screen: the router the window
        # already has (shipped data, with the directory checks on a file); no store, no server.
        router = (lambda: services.router) if services is not None else None
        self.lock_page = LockPage(account, self.pages, router)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.lock_page)
        # The station's settings file (set by the shell): where the records are kept.
        self.settings_file: SettingsFile | None = None
        self.station_settings: QWidget | None = None
        self.home.settings_requested.connect(self.show_station_settings)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(header)
        # The shared server's state (issue 18): hidden on a store on this computer.
        self.server_status = QLabel(central)
        self.server_status.setObjectName("server-status")
        self.server_status.setWordWrap(True)
        self.server_status.setVisible(False)
        self.server_status.setContentsMargins(10, 6, 10, 6)
        # Local to this strip: calm when connected, amber while calls wait, red for a problem.
        self.server_status.setStyleSheet(
            "QLabel#server-status { border-bottom: 1px solid #c8ccd0; }"
            'QLabel#server-status[state="connected"] { background: #e6f2ea; color: #14532d; }'
            'QLabel#server-status[state="waiting"] { background: #fff4ce; color: #5c3c00; }'
            'QLabel#server-status[state="problem"] { background: #fde7e9; color: #7a1020; }'
        )
        column.addWidget(self.server_status)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.lock_page.unlock_requested.connect(self.unlock_requested)
        self.home.resume_requested.connect(self.resume_call)
        self.home.discard_requested.connect(self._discard)
        self.home.followups_button.clicked.connect(self.show_followups)
        # Idle: lock after the configured time without a key or click; and never let one
        # sign-in last more than 12 hours. Both only hide the workspace: nothing typed is lost.
        self.idle = IdleWatch(max(1, min(idle_minutes, 720)) * 60 * 1000, self)
        self.idle.idle.connect(self._idle_lock)
        self.session_limit = QTimer(self)
        self.session_limit.setObjectName("session-limit")
        self.session_limit.setSingleShot(True)
        self.session_limit.setInterval(SESSION_LIMIT_MS)
        self.session_limit.timeout.connect(self.lock)
        self.session_limit.start()
        self.resize(1100, 760)
        self.server_poll = QTimer(self)
        self.server_poll.setObjectName("server-poll")
        self.server_poll.setInterval(SERVER_POLL_MS)
        self.server_poll.timeout.connect(self.refresh_server_status)
        # Another station's new, claimed or closed item (LISTEN/NOTIFY, on its own thread):
        # the announcements of one save arrive together, so the list is read once for them.
        self.worklist_watch: WorklistWatch | None = None
        self._heard = QTimer(self)
        self._heard.setObjectName("worklist-heard")
        self._heard.setSingleShot(True)
        self._heard.setInterval(150)
        self._heard.timeout.connect(self._worklist_changed)
        self.worklist_heard.connect(self._heard.start)
        if services is not None and services.session.shared:
            self._use_shared_store()
        self.retranslate_ui()
        self.refresh_worklist_count()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Peer Support Intake"))
        self.app_name.setText(_("Peer Support Intake"))
        self._retranslate_server()
        self.signed_in.setText(
            _("Signed in: {name} ({role})").format(
                name=self.account.display_name, role=role_name(self.account.role)
            )
        )
        self.new_call_action.setText(pgettext("action", "New call"))
        self.new_call_action.setToolTip(_("Start a call (Ctrl+N)"))
        self.history_action.setText(pgettext("action", "History"))
        self.history_action.setToolTip(_("Past contacts, note search and follow-ups (Ctrl+H)"))
        self.console_action.setText(pgettext("action", "Console"))
        self.console_action.setToolTip(
            _("Accounts, on-call supervisor and settings (supervisors, Ctrl+Shift+C)")
        )
        self.worklist_action.setText(pgettext("action", "Worklist"))
        self.worklist_action.setToolTip(_("Callbacks and follow-ups to make (F9)"))
        self.directory_action.setText(pgettext("action", "Directory"))
        self.directory_action.setToolTip(
            _("Every program, with how sure we are of each fact (Ctrl+D)")
        )
        self.own_matches_action.setText(pgettext("action", "My matches"))
        self.own_matches_action.setToolTip(_("The physicians matched with you"))
        self.matching_action.setText(pgettext("action", "Matching"))
        self.matching_action.setToolTip(_("Match physicians with trained peer supporters"))
        self.reports_action.setText(pgettext("action", "Reports"))
        self.reports_action.setToolTip(_("De-identified reports for the program's sponsors"))
        self.lock_action.setText(pgettext("action", "Lock"))
        self.lock_action.setToolTip(_("Hide everything until your PIN is entered (Ctrl+L)"))
        self.about_action.setText(pgettext("action", "About"))
        self.quit_action.setText(pgettext("action", "Quit"))
        self.quit_action.setToolTip(
            _("Close the application; a call in progress is kept to resume later (Ctrl+Q)")
        )

    @property
    def locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_page

    def _header_action(
        self,
        header: QWidget,
        name: str,
        shortcut: str | None,
        slot: Callable[[], object],
    ) -> tuple[QAction, QToolButton]:
        action = QAction(self)
        action.setObjectName(f"{name}-action")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        button = QToolButton(header)
        button.setObjectName(f"{name}-button")
        button.setDefaultAction(action)
        return action, button

    def _enable_workspace(self, on: bool) -> None:
        for action in self.workspace_actions:
            action.setEnabled(on and self.services is not None and action not in self.unavailable)

    # The shared server (issue 18) ---------------------------------------------------------
    def _use_shared_store(self) -> None:
        """The server's state shows under the header and is checked every few seconds (which
        also delivers calls kept in the outbox once the server answers). Every screen uses the
        server (`shared.NOT_ON_SERVER` is empty); one that did not would be listed in
        `self.unavailable` and shown disabled, saying why."""
        self.home.on_server = True
        self.server_status.setVisible(True)
        self.server_poll.start()
        self.refresh_server_status()
        assert self.services is not None
        # Held weakly: the watch's thread must never be the one that lets the window go.
        announce = weakref.WeakMethod(self._announce_worklist)

        def heard() -> None:
            if (method := announce()) is not None:
                method()

        self.worklist_watch = self.services.session.watch_worklist(heard)  # type: ignore[attr-defined]

    def _announce_worklist(self) -> None:
        """Called on the watch's thread: only a queued signal crosses to the window's."""
        with contextlib.suppress(RuntimeError):  # the window is already gone
            self.worklist_heard.emit()

    def _worklist_changed(self) -> None:
        """Another station changed the worklist: the open worklist and the home page's count
        follow now, not at the next check of the server."""
        if self.worklist_page is not None and self.pages.currentWidget() is self.worklist_page:
            self.worklist_page.refresh()
        self.refresh_worklist_count()

    def refresh_server_status(self) -> None:
        if self.services is None or not self.services.session.shared:
            return
        session = self.services.session
        ops.run_in_background(
            session.status,  # type: ignore[attr-defined]
            self.show_server_status,
            lambda _exc: self.show_server_status(None),
            name="server-status",
        )

    def show_server_status(self, status: ServerStatus | None) -> None:
        self._server = status
        self._retranslate_server()
        # Under the lock screen's PIN: who can unlock while the server cannot be reached.
        session = self.services.session if self.services is not None else None
        self.lock_page.show_server_down(
            status is not None
            and not status.connected
            and getattr(session, "offline_unlock_name", None) is not None
        )
        if (
            status is not None
            and status.on_call_read
            and self.services is not None
            and status.on_call_contact != self.services.on_call_contact
        ):
            # A supervisor changed (or cleared) the on-call contact in the console (any
            # station): the next call's crisis route shows the new one, or none, without asking
            # the server when it opens.
            self.services = replace(self.services, on_call_contact=status.on_call_contact)
        if status is not None and status.connected:
            # Other stations' new or claimed items show with each check of the server (every
            # few seconds), on the worklist if it is open and in the home page's count.
            if self.worklist_page is not None and self.pages.currentWidget() is self.worklist_page:
                self.worklist_page.refresh()
            self.refresh_worklist_count()

    def server_unreachable(self) -> None:
        """Something the window asked of the server found it unreachable (the lock's audit, an
        unlock): say so now, in the strip and on the lock screen, as the next check would, and
        check again (which also tells when it answers)."""
        from intake.services.shared import ServerStatus  # noqa: PLC0415 - shared lines only

        if self.services is None or not self.services.session.shared:
            return
        last = self._server
        # All of the last check but the connection: what waits keeps its counts by kind.
        self.show_server_status(
            replace(last, connected=False) if last is not None else ServerStatus(False, 0, 0)
        )
        self.refresh_server_status()

    def _retranslate_server(self) -> None:
        for action in self.unavailable:
            action.setToolTip(_("Not available on the shared server yet"))
        if self.services is None or not self.services.session.shared:
            return
        status = self._server
        if status is None:
            text, state = _("Shared server: checking…"), "checking"
        elif status.connected and not status.waiting:
            text, state = _("Shared server: connected"), "connected"
        elif status.connected:
            text = _(
                "Shared server: connected; sending what was kept on this computer: {what}"
            ).format(what=what_waits(status.kept))
            state = "connected"
        elif status.waiting:
            text = _(
                "Shared server: not reachable. Kept encrypted on this computer until the server "
                "answers: {what}."
            ).format(what=what_waits(status.kept))
            state = "waiting"
        else:
            text = _(
                "Shared server: not reachable. Calls you save are kept encrypted on this "
                "computer until it answers."
            )
            state = "waiting"
        if status is not None and status.set_aside:
            text += " " + _(
                "Kept but could not be sent: {what}. Tell the person who looks after this computer."
            ).format(what=what_waits(status.kept_aside))
            state = "problem"
        self.server_status.setText(text)
        self.server_status.setProperty("state", state)
        self.server_status.style().unpolish(self.server_status)
        self.server_status.style().polish(self.server_status)

    def lock(self) -> None:
        if self.locked:
            return
        self._before_lock = self.pages.currentWidget()
        self.lock_page.reset()
        self.pages.setCurrentWidget(self.lock_page)
        self._enable_workspace(False)
        self.console_action.setEnabled(False)  # (show_console refuses while locked, too)
        self.lock_action.setEnabled(False)
        self.lock_page.pin.setFocus()
        self.locked_now.emit()

    def unlock(self) -> None:
        if self.lock_page.showing_help:
            # The PIN check ended while the person reads the crisis route: never take it away
            # mid-read; Back opens the workspace.
            self.lock_page.after_help = self._open_after_unlock
            return
        self._open_after_unlock()

    def _open_after_unlock(self) -> None:
        self.lock_page.reset()
        self.pages.setCurrentWidget(self._before_lock or self.home)
        self._before_lock = None
        self.lock_action.setEnabled(True)
        self._enable_workspace(True)
        self.console_action.setEnabled(self.account.role is Role.SUPERVISOR)
        self.session_limit.start()  # a fresh PIN starts a fresh 12 hours
        self.idle.poke()
        self._spare_timer.start()  # if it came while locked, nothing was built

    def _idle_lock(self) -> None:
        if not self.locked:
            self.lock()

    def _not_on_server(self) -> bool:
        """True (nothing opened) for a screen that does not use the shared server yet; its
        action is disabled, this is the guard behind it (a shortcut, a test)."""
        return self.services is not None and self.services.session.shared

    def show_history(self) -> None:
        if self.services is None or self.locked:
            return
        if self.history_page is None:
            self._build_history()
        else:
            self.history_page.apply_filters()  # calls saved since are listed too
        assert self.history_page is not None
        self.pages.setCurrentWidget(self.history_page)
        self.history_page.search.setFocus()

    def _build_history(self) -> HistoryPage:
        from intake.ui.history import HistoryPage  # noqa: PLC0415 - not needed to sign in

        assert self.services is not None
        # Recommended programs by name, in the interface language (not their ids).
        programs = {p.id: p for p in self.services.router.programs}
        page = HistoryPage(
            self.services.session.records,
            self.account,
            self.pages,
            program_names=lambda code, language: (
                p.name.text.get(language) if (p := programs.get(code)) else ""
            ),
        )
        self.pages.addWidget(page)
        self.history_page = page
        return page

    def show_worklist(self) -> None:
        from intake.ui.worklist import WorklistPage  # noqa: PLC0415 - not needed to sign in

        if self.services is None or self.locked:
            return
        if self.worklist_page is None:
            self.worklist_page = WorklistPage(
                self.services.session.records, self.account, self.pages
            )
            self.worklist_page.changed.connect(self.refresh_worklist_count)
            self.pages.addWidget(self.worklist_page)
        else:
            self.worklist_page.refresh()
        self.pages.setCurrentWidget(self.worklist_page)
        self.worklist_page.table.setFocus()

    def show_console(self) -> None:
        from intake.ui.console import ConsolePage  # noqa: PLC0415 - supervisors only

        if self.services is None or self.locked or self.account.role is not Role.SUPERVISOR:
            return
        if self.console_page is None:
            # The file's store, or the shared server's console part (accounts and settings).
            self.console_page = ConsolePage(self.services.session.records, self.account, self.pages)
            self.console_page.idle_saved.connect(self.set_idle_minutes)
            self.pages.addWidget(self.console_page)
        else:
            self.console_page.refresh()
        self.pages.setCurrentWidget(self.console_page)

    def show_station_settings(self) -> None:
        """Where this station keeps the line's records (supervisors; takes effect at the next
        start)."""
        from intake.services.shared import SharedSession  # noqa: PLC0415
        from intake.ui.station_settings import StationSettingsPage  # noqa: PLC0415

        if self.services is None or self.locked or self.account.role is not Role.SUPERVISOR:
            return
        if self.settings_file is None:
            return
        if self.station_settings is None:
            session = self.services.session
            address = session.address if isinstance(session, SharedSession) else None
            page = StationSettingsPage(self.settings_file, address, self.pages)
            page.closed.connect(lambda: self.pages.setCurrentWidget(self.home))
            self.pages.addWidget(page)
            self.station_settings = page
        else:
            assert isinstance(self.station_settings, StationSettingsPage)
            self.station_settings.load()
        self.pages.setCurrentWidget(self.station_settings)

    def set_idle_minutes(self, minutes: int) -> None:
        """The idle lock time saved in the console applies at once, not at the next sign-in."""
        self.idle.set_interval_ms(max(1, min(minutes, 720)) * 60 * 1000)

    def refresh_worklist_count(self) -> None:
        """The home page's count of callbacks and follow-ups due by tomorrow, everyone's (the
        worklist is the team's: a kiosk request belongs to nobody until someone claims it)."""
        if self.services is None:
            return
        from intake.services.worklist import due_count  # noqa: PLC0415

        store = self.services.session.records  # the file, or the shared server's worklist
        by = datetime.now(UTC) + timedelta(days=1)
        ops.run_in_background(
            lambda: due_count(store, by),
            self.home.show_followups,
            lambda _exc: None,  # the count stays as it was; the worklist itself says more
            name="worklist-count",
        )

    def show_followups(self) -> None:
        self.show_history()
        if self.history_page is not None and not self.history_page.due.isChecked():
            self.history_page.due.setChecked(True)

    def show_matching(self) -> None:
        from intake.ui.matching import MatchingPage  # noqa: PLC0415 - not needed to sign in

        if self.services is None or self.locked:
            return
        if self.matching_page is None or self.matching_scroller is None:
            # The file, or the shared server (its roster, requests and matches)
            self.matching_page = MatchingPage(
                self.services.session.records, self.account, self.pages
            )
            self.matching_scroller = scrolling(self.matching_page, self.pages)
            self.pages.addWidget(self.matching_scroller)
        self.pages.setCurrentWidget(self.matching_scroller)

    def show_own_matches(self) -> None:
        from intake.ui.own_matches import OwnMatchesPage  # noqa: PLC0415 - not needed to sign in

        if self.services is None or self.locked:
            return
        if self.own_matches_page is None:
            self.own_matches_page = OwnMatchesPage(
                self.services.session.records, self.account, self.pages
            )
            self.pages.addWidget(self.own_matches_page)
        else:
            self.own_matches_page.refresh()  # type: ignore[attr-defined]
        self.pages.setCurrentWidget(self.own_matches_page)

    def show_reports(self) -> None:
        from intake.ui.reports import ReportsPage  # noqa: PLC0415 - not needed to sign in

        if self.services is None or self.locked:
            return
        if self.reports_page is None or self.reports_scroller is None:
            # The file's kept counts, or the shared server's rows
            self.reports_page = ReportsPage(self.services.session.records, self.account, self.pages)
            self.reports_scroller = scrolling(self.reports_page, self.pages)
            self.pages.addWidget(self.reports_scroller)
        self.pages.setCurrentWidget(self.reports_scroller)

    def show_directory(self) -> None:
        from intake.ui.directory_browser import DirectoryBrowser  # noqa: PLC0415

        if self.services is None or self.locked:
            return
        if self.directory_page is None:
            self.directory_page = DirectoryBrowser(
                self.services.router, self.services.now, self.pages
            )
            self.pages.addWidget(self.directory_page)
        self.pages.setCurrentWidget(self.directory_page)
        self.directory_page.search.setFocus()

    # Calls ------------------------------------------------------------------------------
    def offer_resume(self, drafts: list[Draft]) -> None:
        self.home.offer_resume(drafts[0] if drafts else None)

    def new_call(self) -> None:
        from intake.ui.call.page import new_call  # noqa: PLC0415 - not needed to sign in

        if self.services is None or self.locked:
            return
        if self.call_page is not None:
            self.pages.setCurrentWidget(self.call_page)  # one call at a time: go back to it
            return
        # The caller's language starts as the volunteer's; it is set at the greeting.
        page, self.spare_call = self.spare_call, None
        if page is None:
            self._open_call(new_call(self.services, current_language()))
            return
        self._spare_timer.stop()
        page.begin(self.services.now(), current_language())
        self._show_call(page)

    def _prepare_spare(self) -> None:
        """In a pause, build the next call's page, hidden, while the volunteer waits for the
        phone: "New call" then only shows it. Building it (every step's widgets) took 70-80 ms,
        the slowest click of a shift, at the moment the phone rings. In the next pause, the
        History screen, so that its first opening is as quick as the next (building it, about
        25 ms, was half of that opening; its first rows are read on a worker, and nothing in it
        opens by itself)."""
        if self.services is None or self.locked or not self.isVisible():
            return
        if self.call_page is not None:
            return
        if self.spare_call is None:
            self._build_spare()
            if self.history_page is None:
                self._spare_timer.start()
        elif self.history_page is None:
            self.pages.prepare(self._build_history())

    def _build_spare(self) -> None:
        from intake.ui.call.page import new_call  # noqa: PLC0415

        assert self.services is not None
        page = self._add_call_page(new_call(self.services, current_language()))  # hidden
        page.stop()  # no autosave before its call begins (CallPage.begin)
        self.spare_call = page
        # At the size it will be shown, on the next turn of the event loop (before its steps
        # are prepared): a hidden page is left at Qt's default 100x30 px.
        QTimer.singleShot(0, self, self._lay_out_spare)

    def _postpone_spare(self) -> None:
        if self._spare_timer.isActive():
            self._spare_timer.start()  # from the last press or key

    def _lay_out_spare(self) -> None:
        if self.spare_call is not None and not self.spare_call.isVisible():
            self.pages.prepare(self.spare_call)
            self.spare_call.prepare_current_step()

    def resume_call(self, draft: Draft) -> None:
        if self.services is None:
            return
        self.home.offer_resume(None)
        self._open_call(draft.resume())

    def _open_call(self, call: Any) -> None:
        self._show_call(self._add_call_page(call))

    def _add_call_page(self, call: Any) -> CallPage:
        """A call's page among the window's pages, hidden (it takes no focus until shown)."""
        from intake.ui.call.page import CallPage  # noqa: PLC0415

        assert self.services is not None
        page = CallPage(call, self.services, self.pages)
        self.pages.addWidget(page)
        return page

    def _show_call(self, page: CallPage) -> None:
        self.home.show_saved(False)
        page.saved.connect(self._call_saved)
        self.pages.setCurrentWidget(page)
        self.call_page = page
        page.focus_step()

    def _call_saved(self, _contact_id: str) -> None:
        page = self.call_page
        self.call_page = None
        self.refresh_server_status()  # saved on the server, or kept in the outbox
        self.refresh_worklist_count()  # a follow-up promised in the call counts at once
        if self.locked:
            # The lock landed while the call was being saved: it stays, and the PIN opens the
            # home screen (switching here showed the workspace over the lock, with no PIN).
            self._before_lock = self.home
        else:
            self.pages.setCurrentWidget(self.home)
        from intake.services.shared import SharedCallDesk  # noqa: PLC0415 - the server's only

        desk = self.services.desk if self.services is not None else None
        queued = isinstance(desk, SharedCallDesk) and desk.last == "queued"
        self.home.show_saved(True, queued=queued)
        if page is not None:
            page.stop()
            self.pages.removeWidget(page)
            page.deleteLater()  # its fields, undo stacks and all
        self._spare_timer.start()  # the next call's page, while the volunteer waits

    def _discard(self, contact_id: str) -> None:
        self.home.offer_resume(None)
        self.discard_draft.emit(contact_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing mid-call keeps the call: one last autosave (the application waits for it).
        if self.call_page is not None:
            self.call_page.save_draft()
            self.call_page.stop()
        self._spare_timer.stop()
        if self._activity is not None:
            self._activity.activity.disconnect(self._postpone_spare)
            self._activity = None
        if self.spare_call is not None:
            self.spare_call.stop()  # nothing in it to keep
        self.idle.stop()
        self.server_poll.stop()  # the session closes after the window
        if self.worklist_watch is not None:
            # Told to stop, not waited for (a connection being tried may take seconds): the
            # session's close, after the window, waits for it.
            self.worklist_watch.stop(timeout=0)
        super().closeEvent(event)

    def show_about(self) -> None:
        show_about(self, *self._versions)
