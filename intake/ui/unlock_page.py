"""Later runs: the store passphrase opens the encrypted store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from intake.i18n import _, pgettext
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


class UnlockPage(Retranslatable, QWidget):
    submitted = QtSignal(str)
    # The crisis route and the directory, without the passphrase (the gate opens them).
    crisis_requested = QtSignal()
    directory_requested = QtSignal()

    def __init__(self, store_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlock-page")
        self._store_path = store_path
        self._server: str | None = None  # the line's shared server, when that is what opens
        self._busy = False
        self.title = heading(self, "unlock-title")
        self.intro = hint(self, "unlock-intro")
        self.passphrase_label = QLabel(self)
        self.passphrase = secret_field(self, "passphrase")
        self.passphrase_label.setBuddy(self.passphrase)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.banner = MessageBanner(self)
        self.crisis_button, self.directory_button, self.open_note = open_buttons(self, "unlock")
        self.location = hint(self, "store-location")
        # By the flag's name, not `Qt.TextInteractionFlag` (see intake.ui.widgets: first window)
        self.location.setProperty("textInteractionFlags", "TextSelectableByMouse")

        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.passphrase_label)
        layout.addLayout(row)
        layout.addWidget(self.banner)
        layout.addSpacing(16)
        open_row = QHBoxLayout()
        open_row.addWidget(self.crisis_button)
        open_row.addWidget(self.directory_button)
        open_row.addStretch(1)
        layout.addLayout(open_row)
        layout.addWidget(self.open_note)
        layout.addStretch(2)
        layout.addWidget(self.location)

        self.unlock_button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)
        self.crisis_button.clicked.connect(self.crisis_requested)
        self.directory_button.clicked.connect(self.directory_requested)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Unlock the store"))
        self.intro.setText(
            _(
                "The line's records are on its shared server, encrypted on each computer. Type "
                "the line passphrase to open them."
            )
            if self._server is not None
            else _(
                "Everything this application keeps is encrypted. Type the store passphrase to open it."
            )
        )
        self.passphrase_label.setText(pgettext("field label", "Passphrase"))
        self.location.setText(
            _("Shared server: {address}").format(address=self._server)
            if self._server is not None
            else _("Store: {path}").format(path=self._store_path)
        )
        retranslate_open_buttons(self.crisis_button, self.directory_button, self.open_note)
        self.set_busy(self._busy)

    def use_server(self, address: str) -> None:
        """The passphrase opens the line's shared store on this server (its address holds no
        password: set-up and the command line refuse one that does)."""
        self._server = address
        self.retranslate_ui()

    def _submit(self) -> None:
        if self._busy:
            return
        if not self.passphrase.text():
            self.banner.show_message(lambda: (_("Type the store passphrase first."), ""))
            return
        self.banner.clear()
        self.set_busy(True)
        self.submitted.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setText(_("Unlocking…") if busy else pgettext("button", "Unlock"))

    def show_error(self, message: Message) -> None:
        """Say what went wrong; the passphrase must be typed again, so its field is emptied."""
        self.set_busy(False)
        forget(self.passphrase)
        self.banner.show_message(message)
        self.passphrase.setFocus()
