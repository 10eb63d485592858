"""After unlocking: who is working (name + PIN)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account
from intake.i18n import _, pgettext
from intake.passphrase import PIN_LENGTHS
from intake.ui.language import Retranslatable
from intake.ui.widgets import (
    Message,
    MessageBanner,
    forget,
    heading,
    hint,
    open_buttons,
    retranslate_open_buttons,
    secret_field,
)


class SignInPage(Retranslatable, QWidget):
    submitted = QtSignal(str, str)  # account id, PIN
    # The crisis route and the directory, without a PIN (the gate opens them).
    crisis_requested = QtSignal()
    directory_requested = QtSignal()

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
        # The person's own server login's password, asked only when the server wants it and
        # this computer's password file does not hold it (row-level security on a shared
        # line); used to open that login, never saved.
        self.server_password = secret_field(self, "server-password")
        self.account_label = QLabel(self)
        self.pin_label = QLabel(self)
        self.server_password_label = QLabel(self)
        self.server_password_hint = hint(self, "server-password-hint")
        self.signin_button = QPushButton(self)
        self.signin_button.setObjectName("sign-in")
        self.signin_button.setDefault(True)
        self.banner = MessageBanner(self)
        self.crisis_button, self.directory_button, self.open_note = open_buttons(self, "signin")

        form = QFormLayout()
        form.addRow(self.account_label, self.account)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.server_password_label, self.server_password)
        form.addRow("", self.server_password_hint)
        self._form = form
        self._show_server_password(False)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(self.signin_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addSpacing(16)
        open_row = QHBoxLayout()
        open_row.addWidget(self.crisis_button)
        open_row.addWidget(self.directory_button)
        open_row.addStretch(1)
        layout.addLayout(open_row)
        layout.addWidget(self.open_note)
        layout.addStretch(2)

        self.signin_button.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        self.server_password.returnPressed.connect(self._submit)
        self.crisis_button.clicked.connect(self.crisis_requested)
        self.directory_button.clicked.connect(self.directory_requested)
        # Another name is another person: their own login, perhaps with no password to ask.
        self.account.currentIndexChanged.connect(lambda _index: self._show_server_password(False))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(pgettext("heading", "Sign in"))
        self.intro.setText(_("The store is open. Choose your name and enter your PIN."))
        self.account_label.setText(pgettext("field label", "Name"))
        self.pin_label.setText(pgettext("field label", "PIN"))
        self.server_password_label.setText(pgettext("field label", "Server password"))
        self.server_password_hint.setText(
            _(
                "The password of your own login on the line's server, not your PIN. It is used "
                "to sign you in and is not saved on this computer."
            )
        )
        retranslate_open_buttons(self.crisis_button, self.directory_button, self.open_note)
        self.set_busy(self._busy)

    def set_accounts(self, accounts: list[Account]) -> None:
        # Display names are the people's own names: shown as typed, never translated.
        self.account.clear()
        for account in accounts:
            self.account.addItem(account.display_name, account.id)
        self.pin.setFocus()

    def _show_server_password(self, shown: bool) -> None:
        if not shown:
            forget(self.server_password)
        self._form.setRowVisible(self.server_password, shown)
        self._form.setRowVisible(self.server_password_hint, shown)

    def ask_server_password(self) -> None:
        """The server wants the password of this person's own login (or refused the one typed):
        show its field (the error's message says why)."""
        self._show_server_password(True)

    def server_password_text(self) -> str | None:
        """The server password typed, or None when none is asked."""
        if not self._form.isRowVisible(self.server_password):
            return None
        return self.server_password.text() or None

    def _submit(self) -> None:
        if self._busy or self.account.currentIndex() < 0:
            return
        if not self.pin.text():
            self.banner.show_message(lambda: (_("Enter your PIN."), ""))
            return
        if self._form.isRowVisible(self.server_password) and not self.server_password.text():
            self.banner.show_message(
                lambda: (_("Enter your server password."), _("It is not your PIN."))
            )
            self.server_password.setFocus()
            return
        self.banner.clear()
        self.set_busy(True)
        self.submitted.emit(self.account.currentData(), self.pin.text())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        # While a PIN is checked the fields ignore input: one check at a time.
        self.pin.setReadOnly(busy)
        self.server_password.setReadOnly(busy)
        self.account.setEnabled(not busy)
        self.signin_button.setEnabled(not busy)
        self.signin_button.setText(_("Checking…") if busy else pgettext("button", "Sign in"))

    def show_error(self, message: Message, *, ask_server_password: bool = False) -> None:
        self.set_busy(False)
        forget(self.pin, self.server_password)
        if ask_server_password:
            self.ask_server_password()
        self.banner.show_message(message)
        self.pin.setFocus()

    def forget_secrets(self) -> None:
        forget(self.pin)
        self._show_server_password(False)
