"""The main window shell: who is signed in, the language switch, lock and About.

The phone-line and kiosk workflows will live in the workspace; locking hides the workspace
(without destroying it, so nothing typed is lost) until the signed-in person's PIN is entered.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account, Role
from intake.i18n import N_, _, pgettext
from intake.i18n.formatting import format_date, format_time
from intake.ui.about import show_about
from intake.ui.language import LanguageManager, Retranslatable
from intake.ui.widgets import (
    LanguageSwitch,
    Message,
    MessageBanner,
    forget,
    heading,
    hint,
    secret_field,
)

ROLE_NAMES = {
    Role.VOLUNTEER: N_("Volunteer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.KIOSK: N_("Kiosk"),
}


def role_name(role: Role) -> str:
    return _(ROLE_NAMES[role])


class HomePage(Retranslatable, QWidget):
    def __init__(self, account: Account, cipher_version: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("home-page")
        self._account = account
        self._cipher_version = cipher_version
        self._opened_at = datetime.now().astimezone()
        self.title = heading(self, "home-title")
        self.session = hint(self, "home-session")
        self.next_steps = hint(self, "home-next")
        self.security = hint(self, "home-security")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.session)
        layout.addSpacing(12)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        layout.addWidget(self.security)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Welcome, {name}").format(name=self._account.display_name))
        self.session.setText(
            _("Signed in on {date} at {time}").format(
                date=format_date(self._opened_at), time=format_time(self._opened_at)
            )
        )
        self.next_steps.setText(
            _(
                "The phone-line and kiosk workflows will open from here. Use Lock whenever you "
                "step away: the window hides everything until your PIN is entered."
            )
        )
        self.security.setText(
            _("Records are encrypted at rest with SQLCipher {version}.").format(
                version=self._cipher_version
            )
        )


class LockPage(Retranslatable, QWidget):
    unlock_requested = QtSignal(str)

    def __init__(self, account: Account, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock-page")
        self._account = account
        self.title = heading(self, "lock-title")
        self.intro = hint(self, "lock-intro")
        self.pin = secret_field(self, "lock-pin")
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("lock-unlock")
        self.unlock_button.setDefault(True)
        self.banner = MessageBanner(self)
        column = QWidget(self)
        column.setMaximumWidth(520)
        row = QHBoxLayout()
        row.addWidget(self.pin, 1)
        row.addWidget(self.unlock_button)
        inner = QVBoxLayout(column)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(row)
        inner.addWidget(self.banner)
        for widget in (self.title, self.intro, self.pin, self.unlock_button, self.banner):
            widget.setParent(column)
        outer = QHBoxLayout()
        outer.addStretch(1)
        outer.addWidget(column, 3)
        outer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(outer)
        layout.addStretch(2)
        self.unlock_button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("This window is locked"))
        self.intro.setText(
            _("{name}, enter your PIN to continue.").format(name=self._account.display_name)
        )
        self.unlock_button.setText(pgettext("button", "Unlock"))

    def _submit(self) -> None:
        if self.pin.text():
            self.unlock_button.setEnabled(False)
            self.unlock_requested.emit(self.pin.text())

    def show_error(self, message: Message) -> None:
        self.unlock_button.setEnabled(True)
        forget(self.pin)
        self.banner.show_message(message)
        self.pin.setFocus()

    def reset(self) -> None:
        self.unlock_button.setEnabled(True)
        forget(self.pin)
        self.banner.clear()


class MainWindow(Retranslatable, QMainWindow):
    unlock_requested = QtSignal(str)  # PIN, checked by the application off the UI thread
    locked_now = QtSignal()

    def __init__(
        self,
        manager: LanguageManager,
        account: Account,
        cipher_version: str,
        sqlite_version: str,
    ) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.account = account
        self._versions = (cipher_version, sqlite_version)

        # A plain header row, not a QToolBar: a toolbar hides whatever does not fit behind an
        # overflow arrow, and the French labels are longer.
        header = QWidget(self)
        header.setObjectName("main-header")
        self.app_name = QLabel(header)
        self.app_name.setObjectName("app-name")
        self.signed_in = QLabel(header)
        self.signed_in.setObjectName("signed-in")
        self.language_switch = LanguageSwitch(manager, header)
        self.lock_action = QAction(self)
        self.lock_action.setObjectName("lock-action")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.about_action = QAction(self)
        self.about_action.setObjectName("about-action")
        self.addAction(self.lock_action)
        self.addAction(self.about_action)
        self.lock_button = QToolButton(header)
        self.lock_button.setObjectName("lock-button")
        self.lock_button.setDefaultAction(self.lock_action)
        self.about_button = QToolButton(header)
        self.about_button.setObjectName("about-button")
        self.about_button.setDefaultAction(self.about_action)
        row = QHBoxLayout(header)
        row.addWidget(self.app_name)
        row.addWidget(self.signed_in)
        row.addStretch(1)
        row.addWidget(self.language_switch)
        row.addSpacing(12)
        row.addWidget(self.lock_button)
        row.addWidget(self.about_button)

        self.pages = QStackedWidget(self)
        self.home = HomePage(account, cipher_version, self.pages)
        self.lock_page = LockPage(account, self.pages)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.lock_page)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(header)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.lock_action.triggered.connect(self.lock)
        self.about_action.triggered.connect(self.show_about)
        self.lock_page.unlock_requested.connect(self.unlock_requested)
        self.resize(1000, 680)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Peer Support Intake"))
        self.app_name.setText(_("Peer Support Intake"))
        self.signed_in.setText(
            _("Signed in: {name} ({role})").format(
                name=self.account.display_name, role=role_name(self.account.role)
            )
        )
        self.lock_action.setText(pgettext("action", "Lock"))
        self.lock_action.setToolTip(_("Hide everything until your PIN is entered (Ctrl+L)"))
        self.about_action.setText(pgettext("action", "About"))

    @property
    def locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_page

    def lock(self) -> None:
        self.lock_page.reset()
        self.pages.setCurrentWidget(self.lock_page)
        self.lock_action.setEnabled(False)
        self.lock_page.pin.setFocus()
        self.locked_now.emit()

    def unlock(self) -> None:
        self.lock_page.reset()
        self.pages.setCurrentWidget(self.home)
        self.lock_action.setEnabled(True)

    def show_about(self) -> None:
        show_about(self, *self._versions)
