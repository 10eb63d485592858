"""After unlocking: who is working (name + PIN)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from intake.accounts import Account
from intake.i18n import _, pgettext
from intake.passphrase import PIN_LENGTHS
from intake.ui.language import Retranslatable
from intake.ui.widgets import Message, MessageBanner, forget, heading, hint, secret_field


class SignInPage(Retranslatable, QWidget):
    submitted = QtSignal(str, str)  # account id, PIN

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signin-page")
        self._busy = False
        self.title = heading(self, "signin-title")
        self.intro = hint(self, "signin-intro")
        self.account = QComboBox(self)
        self.account.setObjectName("account")
        self.account.setEditable(False)
        self.pin = secret_field(self, "pin")
        self.pin.setMaxLength(PIN_LENGTHS.stop - 1)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.account_label = QLabel(self)
        self.pin_label = QLabel(self)
        self.signin_button = QPushButton(self)
        self.signin_button.setObjectName("sign-in")
        self.signin_button.setDefault(True)
        self.banner = MessageBanner(self)

        form = QFormLayout()
        form.addRow(self.account_label, self.account)
        form.addRow(self.pin_label, self.pin)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(self.signin_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(2)

        self.signin_button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(pgettext("heading", "Sign in"))
        self.intro.setText(_("The store is open. Choose your name and enter your PIN."))
        self.account_label.setText(pgettext("field label", "Name"))
        self.pin_label.setText(pgettext("field label", "PIN"))
        self.set_busy(self._busy)

    def set_accounts(self, accounts: list[Account]) -> None:
        # Display names are the people's own names: shown as typed, never translated.
        self.account.clear()
        for account in accounts:
            self.account.addItem(account.display_name, account.id)
        self.pin.setFocus()

    def _submit(self) -> None:
        if self._busy or self.account.currentIndex() < 0:
            return
        if not self.pin.text():
            self.banner.show_message(lambda: (_("Enter your PIN."), ""))
            return
        self.banner.clear()
        self.set_busy(True)
        self.submitted.emit(self.account.currentData(), self.pin.text())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        # While a PIN is checked the fields ignore input: one check at a time.
        self.pin.setReadOnly(busy)
        self.account.setEnabled(not busy)
        self.signin_button.setEnabled(not busy)
        self.signin_button.setText(_("Checking…") if busy else pgettext("button", "Sign in"))

    def show_error(self, message: Message) -> None:
        self.set_busy(False)
        forget(self.pin)
        self.banner.show_message(message)
        self.pin.setFocus()

    def forget_secrets(self) -> None:
        forget(self.pin)
