"""Where this station keeps the line's records (supervisors, from the home page): the encrypted
file on this computer, or the line's shared server. The address is checked as set-up checks it
(no password in it; TLS outside this computer), can be tried at once ("Test the connection"),
and the choice is kept in the settings file for the next start: the open store is never
switched under a signed-in person."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake.i18n import _
from intake.services.session import StoreError
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.language import Retranslatable
from intake.ui.widgets import Message, MessageBanner, heading, hint


class StationSettingsPage(Retranslatable, QWidget):
    """`closed` when the person goes back to the home page."""

    closed = QtSignal()

    def __init__(
        self,
        settings_file: SettingsFile,
        now_on_server: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("station-settings")
        self._settings_file = settings_file
        self._now_on_server = now_on_server  # the address this session opened, or None
        self._result: Message | None = None
        self._testing = False

        self.title = heading(self, "station-settings-title")
        self.current = hint(self, "station-settings-current")
        self.where_box = QGroupBox(self)
        self.this_computer = QRadioButton(self.where_box)
        self.this_computer.setObjectName("settings-this-computer")
        self.shared_server = QRadioButton(self.where_box)
        self.shared_server.setObjectName("settings-shared-server")
        self.address_label = QLabel(self.where_box)
        self.address = QLineEdit(self.where_box)
        self.address.setObjectName("settings-server-address")
        self.address_label.setBuddy(self.address)
        self.address_hint = hint(self.where_box, "settings-server-hint")
        box = QVBoxLayout(self.where_box)
        box.addWidget(self.this_computer)
        box.addWidget(self.shared_server)
        box.addWidget(self.address_label)
        box.addWidget(self.address)
        box.addWidget(self.address_hint)

        self.test_button = QPushButton(self)
        self.test_button.setObjectName("settings-test-connection")
        self.test_button.setProperty("secondary", True)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("settings-save")
        self.save_button.setDefault(True)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("settings-back")
        self.back_button.setProperty("secondary", True)
        self.banner = MessageBanner(self)  # what is wrong, and what to do
        self.result = QLabel(self)  # what went well
        self.result.setObjectName("settings-result")
        self.result.setWordWrap(True)
        self.result.hide()
        self.next_start = hint(self, "settings-next-start")

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.addWidget(self.title)
        column.addWidget(self.current)
        column.addWidget(self.where_box)
        column.addWidget(self.banner)
        column.addWidget(self.result)
        column.addLayout(buttons)
        column.addWidget(self.next_start)
        column.addStretch(1)
        content.setMaximumWidth(900)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.shared_server.toggled.connect(self._where_changed)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.back_button.clicked.connect(self.closed.emit)
        self.address.returnPressed.connect(self.test_connection)
        self.address.textEdited.connect(self._edited)
        self.load()

    def load(self) -> None:
        """Show what the settings file says now (what the next start will use)."""
        saved = self._settings_file.load().server
        self.shared_server.setChecked(saved is not None)
        self.this_computer.setChecked(saved is None)
        self.address.setText(saved or "")
        self._where_changed(saved is not None)
        self.banner.clear()
        self._show_result(None)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Where this station keeps the line's records"))
        self.current.setText(
            _("Now in use: the line's shared server ({address}).").format(
                address=self._now_on_server
            )
            if self._now_on_server
            else _("Now in use: the encrypted file on this computer.")
        )
        self.where_box.setTitle(_("At the next start, use"))
        self.this_computer.setText(_("This computer (an encrypted file)"))
        self.shared_server.setText(_("The line's shared server (PostgreSQL)"))
        self.address_label.setText(_("Server address"))
        self.address_hint.setText(
            _(
                "Without the server's password: it stays in this computer's PostgreSQL password "
                "file (~/.pgpass). A server on another computer must be reached over TLS: end "
                "the address with sslmode=verify-full so that its certificate is checked."
            )
        )
        self.test_button.setText(_("Testing…") if self._testing else _("Test the connection"))
        self.save_button.setText(_("Save for the next start"))
        self.back_button.setText(_("Back to the home page"))
        self.next_start.setText(
            _(
                "The change takes effect the next time the application starts: this session "
                "keeps using what it opened. Calls waiting on this computer for the server are "
                "sent when this station next opens the server. A --server option or the "
                "INTAKE_SERVER variable, when given, still comes first."
            )
        )
        self.result.setText(self._result()[0] if self._result else "")

    # what the person does

    def _where_changed(self, shared: bool) -> None:
        self.address.setEnabled(shared)
        self.test_button.setEnabled(shared and not self._testing)
        self._edited()

    def _edited(self) -> None:
        self.banner.clear()
        self._show_result(None)

    def _show_result(self, message: Message | None) -> None:
        self._result = message
        self.result.setVisible(message is not None)
        self.retranslate_ui()

    def _address_refused(self) -> bool:
        """Show why the typed address cannot be used; False when it can."""
        from intake.services.shared import address_problem  # noqa: PLC0415 - psycopg on demand

        address = self.address.text().strip()
        if not address:
            self.banner.show_message(lambda: (_("Type the shared server's address."), ""))
        elif address_problem(address) is None:
            return False
        else:
            self.banner.show_message(lambda: address_problem(address) or ("", ""))
        self._show_result(None)
        self.address.setFocus()
        return True

    def test_connection(self) -> None:
        """Try the typed address now, off the UI thread; the answer is shown in place."""
        if self._testing or not self.shared_server.isChecked() or self._address_refused():
            return
        from intake.services.shared import check_server  # noqa: PLC0415

        address = self.address.text().strip()
        self.banner.clear()
        self._show_result(None)
        self._testing = True
        self.test_button.setEnabled(False)
        self.retranslate_ui()
        ops.run_in_background(
            lambda: check_server(address), self._tested, self._test_failed, name="test-server"
        )

    def _done_testing(self) -> None:
        self._testing = False
        self.test_button.setEnabled(self.shared_server.isChecked())
        self.retranslate_ui()

    def _tested(self, outcome: object) -> None:
        self._done_testing()
        if outcome == "ready":
            self._show_result(
                lambda: (
                    _("The connection works: the server answered and holds the line's records."),
                    "",
                )
            )
        else:
            self.banner.show_message(
                lambda: (
                    _("The server answered, but the line's records are not set up on it yet"),
                    _(
                        "Ask the person who looks after the server to create them (intake db "
                        "init), or choose another address."
                    ),
                )
            )

    def _test_failed(self, exc: BaseException) -> None:
        self._done_testing()
        if isinstance(exc, StoreError):
            self.banner.show_message(exc.explain)
        else:
            self.banner.show_message(
                lambda: (
                    _("The connection could not be tested"),
                    _(
                        "Nothing was changed. Try again, or tell the person who looks after the server."
                    ),
                )
            )

    def save(self) -> None:
        """Keep the choice for the next start (the address refused as set-up refuses it)."""
        from intake.services.shared import choose_store  # noqa: PLC0415

        shared = self.shared_server.isChecked()
        if shared and self._address_refused():
            return
        address = self.address.text().strip() if shared else None
        try:
            choose_store(self._settings_file, address)
        except OSError:
            self.banner.show_message(
                lambda: (
                    _("The choice could not be saved"),
                    _("The settings file could not be written. Nothing was changed."),
                )
            )
            return
        self.banner.clear()
        if address is None:
            self._show_result(
                lambda: (
                    _(
                        "Saved. At the next start this station opens the encrypted file on this "
                        "computer (if there is none yet, set-up creates it)."
                    ),
                    "",
                )
            )
        else:
            self._show_result(
                lambda: (
                    _(
                        "Saved. At the next start this station opens the line's shared server; "
                        "sign in there with the line passphrase."
                    ),
                    "",
                )
            )
