"""The window a person sees before signing in: set-up, unlock, sign-in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from intake.i18n import _
from intake.ui.language import LanguageManager, Retranslatable
from intake.ui.setup_page import SetupPage
from intake.ui.signin_page import SignInPage
from intake.ui.unlock_page import UnlockPage
from intake.ui.widgets import LanguageSwitch


class GateWindow(Retranslatable, QWidget):
    def __init__(self, manager: LanguageManager, store_path: Path) -> None:
        super().__init__()
        self.setObjectName("gate-window")
        self.app_name = QLabel(self)
        self.app_name.setObjectName("app-name")
        self.language_switch = LanguageSwitch(manager, self)
        header = QHBoxLayout()
        header.addWidget(self.app_name)
        header.addStretch(1)
        header.addWidget(self.language_switch, 0, Qt.AlignmentFlag.AlignTop)

        self.pages = QStackedWidget(self)
        self.setup = SetupPage(manager, store_path, self.pages)
        self.unlock = UnlockPage(store_path, self.pages)
        self.signin = SignInPage(self.pages)
        for page in (self.setup, self.unlock, self.signin):
            self.pages.addWidget(page)

        body = QHBoxLayout()
        body.addStretch(1)
        body.addWidget(self.pages, 6)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self.setMinimumSize(560, 480)
        self.resize(820, 900)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Peer Support Intake"))
        self.app_name.setText(_("Peer Support Intake"))

    def show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        if page is self.setup:
            self.setup.passphrase.setFocus()
        elif page is self.unlock:
            self.unlock.passphrase.setFocus()
