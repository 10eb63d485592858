"""First run: interface language, store passphrase (twice), first supervisor (name + PIN), and
optionally the on-call supervisor's contact (kept in the encrypted store, shown on the crisis
route)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake.i18n import _, pgettext
from intake.passphrase import (
    MIN_PASSPHRASE_LENGTH,
    PIN_LENGTHS,
    PassphraseProblem,
    explain_passphrase,
    explain_pin,
    passphrase_problem,
    pin_problem,
)
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


class SetupPage(Retranslatable, QWidget):
    """Emits `submitted(passphrase, display_name, pin, on_call)` once every rule is met
    (`on_call`: "name, number", or "" when skipped)."""

    submitted = QtSignal(str, str, str, str)

    def __init__(self, manager: LanguageManager, store_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("setup-page")
        self._store_path = store_path
        self._busy = False
        self.title = heading(self, "setup-title")
        self.intro = hint(self, "setup-intro")

        self.language_box = QGroupBox(self)
        self.language_hint = hint(self.language_box, "setup-language-hint")
        self.language_switch = LanguageSwitch(manager, self.language_box)
        box = QVBoxLayout(self.language_box)
        box.addWidget(self.language_hint)
        box.addWidget(self.language_switch, 0, Qt.AlignmentFlag.AlignLeft)

        # Where the line's records are kept (issue 18): this computer's encrypted file, or the
        # line's shared PostgreSQL server (its address; TLS outside this computer).
        self.where_box = QGroupBox(self)
        self.where_hint = hint(self.where_box, "where-hint")
        self.this_computer = QRadioButton(self.where_box)
        self.this_computer.setObjectName("store-this-computer")
        self.this_computer.setChecked(True)
        self.shared_server = QRadioButton(self.where_box)
        self.shared_server.setObjectName("store-shared-server")
        self.server_address = QLineEdit(self.where_box)
        self.server_address.setObjectName("server-address")
        self.server_address.setEnabled(False)
        self.server_label = QLabel(self.where_box)
        self.server_label.setBuddy(self.server_address)
        self.server_hint = hint(self.where_box, "server-hint")
        box = QVBoxLayout(self.where_box)
        box.addWidget(self.where_hint)
        box.addWidget(self.this_computer)
        box.addWidget(self.shared_server)
        box.addWidget(self.server_label)
        box.addWidget(self.server_address)
        box.addWidget(self.server_hint)
        self.shared_server.toggled.connect(self._where_changed)

        self.passphrase_box = QGroupBox(self)
        self.passphrase_hint = hint(self.passphrase_box, "passphrase-hint")
        self.passphrase = secret_field(self.passphrase_box, "passphrase")
        self.passphrase_again = secret_field(self.passphrase_box, "passphrase-again")
        self.passphrase_feedback = hint(self.passphrase_box, "passphrase-feedback")
        self.passphrase_label = QLabel(self.passphrase_box)
        self.passphrase_again_label = QLabel(self.passphrase_box)
        self.location = hint(self.passphrase_box, "store-location")
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.passphrase_again_label, self.passphrase_again)
        box = QVBoxLayout(self.passphrase_box)
        box.addWidget(self.passphrase_hint)
        box.addLayout(form)
        box.addWidget(self.passphrase_feedback)
        box.addWidget(self.location)

        self.account_box = QGroupBox(self)
        self.account_hint = hint(self.account_box, "account-hint")
        self.display_name = QLineEdit(self.account_box)
        self.display_name.setObjectName("display-name")
        self.display_name.setMaxLength(80)
        self.pin = secret_field(self.account_box, "pin")
        self.pin_again = secret_field(self.account_box, "pin-again")
        for field in (self.pin, self.pin_again):
            field.setMaxLength(PIN_LENGTHS.stop - 1)
            field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.name_label = QLabel(self.account_box)
        self.pin_label = QLabel(self.account_box)
        self.pin_again_label = QLabel(self.account_box)
        form = QFormLayout()
        form.addRow(self.name_label, self.display_name)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.pin_again_label, self.pin_again)
        box = QVBoxLayout(self.account_box)
        box.addWidget(self.account_hint)
        box.addLayout(form)

        # Optional: who a volunteer calls for support during a crisis call. Skipped, the crisis
        # route says "not set" until a supervisor sets it in the console.
        self.on_call_box = QGroupBox(self)
        self.on_call_hint = hint(self.on_call_box, "on-call-hint")
        self.on_call_name = QLineEdit(self.on_call_box)
        self.on_call_name.setObjectName("on-call-name")
        self.on_call_name.setMaxLength(60)
        self.on_call_number = QLineEdit(self.on_call_box)
        self.on_call_number.setObjectName("on-call-number")
        self.on_call_number.setMaxLength(30)
        self.on_call_number.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.on_call_skipped = hint(self.on_call_box, "on-call-skipped")
        self.on_call_name_label = QLabel(self.on_call_box)
        self.on_call_number_label = QLabel(self.on_call_box)
        self.on_call_name_label.setBuddy(self.on_call_name)
        self.on_call_number_label.setBuddy(self.on_call_number)
        form = QFormLayout()
        form.addRow(self.on_call_name_label, self.on_call_name)
        form.addRow(self.on_call_number_label, self.on_call_number)
        box = QVBoxLayout(self.on_call_box)
        box.addWidget(self.on_call_hint)
        box.addLayout(form)
        box.addWidget(self.on_call_skipped)

        self.banner = MessageBanner(self)
        self.create_button = QPushButton(self)
        self.create_button.setObjectName("create-store")
        self.create_button.setDefault(True)
        self.create_button.setAutoDefault(True)

        # The form scrolls rather than squeezes: wrapped hints keep their full height on a
        # small screen or with large fonts.
        content = QWidget(self)
        content.setObjectName("setup-content")
        form_layout = QVBoxLayout(content)
        form_layout.addWidget(self.title)
        form_layout.addWidget(self.intro)
        form_layout.addWidget(self.language_box)
        form_layout.addWidget(self.where_box)
        form_layout.addWidget(self.passphrase_box)
        form_layout.addWidget(self.account_box)
        form_layout.addWidget(self.on_call_box)
        form_layout.addWidget(self.banner)
        form_layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        form_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.passphrase.textChanged.connect(self._update_feedback)
        self.passphrase_again.textChanged.connect(self._update_feedback)
        self.create_button.clicked.connect(self._submit)
        for field in (
            self.passphrase,
            self.passphrase_again,
            self.display_name,
            self.pin,
            self.pin_again,
            self.server_address,
            self.on_call_name,
            self.on_call_number,
        ):
            field.returnPressed.connect(self._submit)
        self.on_call_name.textChanged.connect(self._update_on_call)
        self.on_call_number.textChanged.connect(self._update_on_call)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Set up this workstation"))
        self.intro.setText(
            _(
                "Nothing is stored yet. These steps choose where this workstation keeps its "
                "records, protect them with a passphrase and name the first supervisor; the last "
                "one may be left for later."
            )
        )
        self.language_box.setTitle(_("1. Interface language"))
        self.language_hint.setText(_("You can change it at any time from the top of the window."))
        self.where_box.setTitle(_("2. Where the records are kept"))
        self.where_hint.setText(
            _(
                "A line with one computer keeps its records here. A line whose volunteers work "
                "from several computers keeps them on its shared server, so a call taken here "
                "can be seen from the others."
            )
        )
        self.this_computer.setText(_("On this computer (an encrypted file)"))
        self.shared_server.setText(_("On the line's shared server (PostgreSQL)"))
        self.server_label.setText(_("Server address"))
        self.server_hint.setText(
            _(
                "Ask the coordinator of your line for it. A server on another computer must be "
                "reached over TLS (the address ends with sslmode=verify-full). Never put the "
                "server's password in the address. If the line's server is already set up, type "
                "the line passphrase below: the name and PIN are then not used, and you sign in "
                "with your own account."
            )
        )
        self.passphrase_box.setTitle(_("3. Store passphrase"))
        self.passphrase_hint.setText(
            _(
                "The passphrase encrypts everything this application keeps. It is never saved "
                "anywhere: if it is lost, the records cannot be recovered. Use at least {minimum} "
                "characters; a short sentence is easy to remember and hard to guess."
            ).format(minimum=MIN_PASSPHRASE_LENGTH)
        )
        self.passphrase_label.setText(pgettext("field label", "Passphrase"))
        self.passphrase_again_label.setText(_("Passphrase again"))
        self.location.setText(
            _("The records will be kept on the shared server.")
            if self.shared_server.isChecked()
            else _("The store will be created at: {path}").format(path=self._store_path)
        )
        self.account_box.setTitle(_("4. First supervisor"))
        self.account_hint.setText(
            _(
                "The supervisor signs in with a name and a PIN of {low} to {high} digits, and can "
                "add volunteer accounts later."
            ).format(low=PIN_LENGTHS.start, high=PIN_LENGTHS.stop - 1)
        )
        self.name_label.setText(_("Display name"))
        self.pin_label.setText(pgettext("field label", "PIN"))
        self.pin_again_label.setText(_("PIN again"))
        self.on_call_box.setTitle(_("5. On-call supervisor (optional)"))
        self.on_call_hint.setText(
            _(
                "Who volunteers call for support during a crisis call. It is kept in the "
                "encrypted store and shown on the crisis route; a supervisor can change it later "
                "in the console."
            )
        )
        self.on_call_name_label.setText(pgettext("field label", "Name"))
        self.on_call_number_label.setText(pgettext("field label", "Phone number"))
        self.on_call_skipped.setText(
            _(
                "Skipped for now: until a supervisor sets it in the console, the crisis route "
                "will say that the on-call supervisor is not set."
            )
        )
        self._update_on_call()
        self.set_busy(self._busy)
        self._update_feedback()

    def _update_feedback(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.passphrase_feedback.setText("")
            return
        problem = passphrase_problem(text, self.passphrase_again.text() or None)
        if problem is None and self.passphrase_again.text():
            self.passphrase_feedback.setText(_("The passphrases match and meet the rule."))
        elif problem is PassphraseProblem.TOO_SHORT:
            self.passphrase_feedback.setText(
                _("{count} of {minimum} characters.").format(
                    count=len(text), minimum=MIN_PASSPHRASE_LENGTH
                )
            )
        elif problem is None or problem is PassphraseProblem.MISMATCH:
            self.passphrase_feedback.setText(_("Long enough. Now type it again below."))
        else:
            self.passphrase_feedback.setText(explain_passphrase(problem))

    def _update_on_call(self) -> None:
        skipped = not (self.on_call_name.text().strip() or self.on_call_number.text().strip())
        self.on_call_skipped.setVisible(skipped)

    def on_call_contact(self) -> str:
        """ "Name, number" as people write it in the interface language, or "" when skipped
        (call only once `first_problem` is None)."""
        from intake.callback_numbers import CallbackNumber, parse_callback  # noqa: PLC0415
        from intake.i18n import current_language  # noqa: PLC0415

        name, number = self.on_call_name.text().strip(), self.on_call_number.text().strip()
        if not name and not number:
            return ""
        parsed = parse_callback(number)
        assert isinstance(parsed, CallbackNumber)
        return f"{name}, {parsed.display(current_language())}"

    def _where_changed(self, shared: bool) -> None:
        self.server_address.setEnabled(shared)
        self.retranslate_ui()
        if shared:
            self.server_address.setFocus()

    def server(self) -> str | None:
        """The shared server's address if one was chosen; None: a file on this computer."""
        return self.server_address.text().strip() if self.shared_server.isChecked() else None

    def first_problem(self) -> tuple[str, QLineEdit] | None:
        if self.shared_server.isChecked():
            from intake.services.shared import address_problem  # noqa: PLC0415 - rarely

            address = self.server_address.text().strip()
            if not address:
                return _("Type the shared server's address."), self.server_address
            if (wrong := address_problem(address)) is not None:
                title, advice = wrong
                return f"{title}. {advice}", self.server_address
        problem = passphrase_problem(self.passphrase.text(), self.passphrase_again.text())
        if problem is not None:
            return explain_passphrase(problem), self.passphrase
        if not self.display_name.text().strip():
            return _("Enter the supervisor's display name."), self.display_name
        pin = pin_problem(self.pin.text(), self.pin_again.text())
        if pin is not None:
            return explain_pin(pin), self.pin
        return self._on_call_problem()

    def _on_call_problem(self) -> tuple[str, QLineEdit] | None:
        from intake.callback_numbers import CallbackNumber, explain, parse_callback  # noqa: PLC0415

        name, number = self.on_call_name.text().strip(), self.on_call_number.text().strip()
        if not name and not number:
            return None  # skipped: allowed, and said under the fields
        if not name:
            return _("Enter the on-call supervisor's name too, or clear the number."), (
                self.on_call_name
            )
        if not number:
            return _("Enter the on-call supervisor's number too, or clear the name."), (
                self.on_call_number
            )
        parsed = parse_callback(number)
        if not isinstance(parsed, CallbackNumber):
            return explain(parsed), self.on_call_number
        return None

    def _problem_message(self) -> tuple[str, str]:
        problem = self.first_problem()
        return (problem[0], "") if problem else ("", "")

    def _submit(self) -> None:
        problem = self.first_problem()
        if problem is not None:
            field = problem[1]
            self.banner.show_message(self._problem_message)
            field.setFocus()
            return
        self.banner.clear()
        self.set_busy(True)
        self.submitted.emit(
            self.passphrase.text(),
            self.display_name.text().strip(),
            self.pin.text(),
            self.on_call_contact(),
        )

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.create_button.setText(
            _("Creating…")
            if busy
            else _("Connect to the shared server")
            if self.shared_server.isChecked()
            else _("Create the encrypted store")
        )

    def show_error(self, message: Message) -> None:
        """Creation failed: keep everything typed so the person can simply try again."""
        self.set_busy(False)
        self.banner.show_message(message)

    def forget_secrets(self) -> None:
        forget(self.passphrase, self.passphrase_again, self.pin, self.pin_again)
