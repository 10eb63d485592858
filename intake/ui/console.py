"""The supervisor console (supervisors only; every action audited by the service), in tabs:
accounts (add, disable, reset a PIN, clear a lockout); settings (the on-call supervisor's
contact, the idle lock time, the retention period, the kiosk's policy); directory checks. Thin:
the rules live in intake.services.accounts; every call runs on a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account, Role
from intake.directory.browse import STATUS_NAMES
from intake.i18n import _, current_language, ngettext, pgettext, translate
from intake.i18n.formatting import format_date
from intake.provinces import CODES, province_name
from intake.services import accounts as console
from intake.services import directory_checks as checks
from intake.services.session import StoreError
from intake.settings import Settings
from intake.ui import ops
from intake.ui.history import when_with_zone
from intake.ui.language import Retranslatable
from intake.ui.widgets import collated, heading, refill_combo
from intake.vocabulary_labels import label

if TYPE_CHECKING:
    from intake.services.session import Store


class ConsolePage(Retranslatable, QWidget):
    idle_saved = QtSignal(int)  # minutes: the window's idle lock follows at once

    def __init__(self, store: console.AnyStore, account: Account, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("console-page")
        if account.role is not Role.SUPERVISOR:
            raise PermissionError("the console is for supervisors")  # the window never offers it
        self.store = store
        self.account = account
        self._rows: list[console.AccountRow] = []
        self.captions: dict[str, QLabel] = {}
        self._message = ""
        self._select_after: str | None = None  # an account just added: selected once listed
        self.title = heading(self, "console-title")
        self.status = QLabel(self)
        self.status.setObjectName("console-status")
        self.status.setWordWrap(True)
        # A station that reaches the shared server as the line's owner: said to the supervisor
        # for as long as it does (docs/shared-store.md, "Setting it up").
        self.owner_warning = QLabel(self)
        self.owner_warning.setObjectName("console-owner-warning")
        self.owner_warning.setWordWrap(True)
        self.owner_warning.setFrameShape(QFrame.Shape.StyledPanel)
        self.owner_warning.setMargin(6)
        self.owner_warning.setVisible(console.station_is_owner(store))
        # Accounts
        self.accounts_box = QGroupBox(self)
        self.table = QTableWidget(0, 3, self.accounts_box)
        self.table.setObjectName("console-accounts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(  # the header and three accounts, whatever is shown below
            self.table.horizontalHeader().sizeHint().height()
            + 3 * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.clear_button = QPushButton(self.accounts_box)
        self.clear_button.setObjectName("console-clear-lockout")
        self.new_pin = QLineEdit(self.accounts_box)
        self.new_pin.setObjectName("console-new-pin")
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_button = QPushButton(self.accounts_box)
        self.reset_button.setObjectName("console-reset-pin")
        self.disable_button = QPushButton(self.accounts_box)
        self.disable_button.setObjectName("console-disable")
        self.disable_button.setEnabled(False)
        self.name = QLineEdit(self.accounts_box)
        self.name.setObjectName("console-name")
        self.role = QComboBox(self.accounts_box)
        self.role.setObjectName("console-role")
        self.pin = QLineEdit(self.accounts_box)
        self.pin.setObjectName("console-pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(self.accounts_box)
        self.add_button.setObjectName("console-add")
        # On a line whose server enforces who sees what, an account without its own server
        # login cannot sign in: what to ask the server's administrator, for the selected one.
        self.login_box = QGroupBox(self.accounts_box)
        self.login_box.setObjectName("console-server-login")
        self.login_text = QLabel(self.login_box)
        self.login_text.setObjectName("console-server-login-text")
        self.login_text.setWordWrap(True)
        # Shown whole (a label sizes itself to its lines), selectable, and copied by the button.
        self.login_commands = QLabel(self.login_box)
        self.login_commands.setObjectName("console-server-login-commands")
        self.login_commands.setTextFormat(Qt.TextFormat.PlainText)
        self.login_commands.setWordWrap(True)
        self.login_commands.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.login_commands.setFrameShape(QFrame.Shape.StyledPanel)
        self.login_commands.setMargin(6)
        self.login_commands.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy_commands = QPushButton(self.login_box)
        self.copy_commands.setObjectName("console-copy-commands")
        login_column = QVBoxLayout(self.login_box)
        login_column.addWidget(self.login_text)
        commands_row = QHBoxLayout()
        commands_row.addWidget(self.login_commands, 1)
        commands_row.addWidget(self.copy_commands, 0, Qt.AlignmentFlag.AlignTop)
        login_column.addLayout(commands_row)
        self.login_box.hide()
        row_actions = QHBoxLayout()
        row_actions.addWidget(self.clear_button)
        row_actions.addSpacing(16)
        row_actions.addWidget(self.new_pin)
        row_actions.addWidget(self.reset_button)
        row_actions.addSpacing(16)
        row_actions.addWidget(self.disable_button)
        row_actions.addStretch(1)
        self.add_form = QFormLayout()
        self.add_form.addRow(self._caption("name"), self.name)
        self.add_form.addRow(self._caption("role"), self.role)
        self.add_form.addRow(self._caption("pin"), self.pin)
        self.add_form.addRow("", self.add_button)
        box = QVBoxLayout(self.accounts_box)
        box.addWidget(self.table, 1)
        box.addWidget(self.login_box)
        box.addLayout(row_actions)
        box.addLayout(self.add_form)
        # Settings kept in the encrypted store
        self.settings_box = QGroupBox(self)
        self.on_call = QLineEdit(self.settings_box)
        self.on_call.setObjectName("console-on-call")
        self.idle = QSpinBox(self.settings_box)
        self.idle.setObjectName("console-idle")
        self.idle.setRange(*console.IDLE_RANGE)
        self.retention = QSpinBox(self.settings_box)
        self.retention.setObjectName("console-retention")
        self.retention.setRange(*console.RETENTION_RANGE)
        self.save_settings = QPushButton(self.settings_box)
        self.save_settings.setObjectName("console-save-settings")
        self.settings_form = QFormLayout(self.settings_box)
        self.settings_form.addRow(self._caption("on_call"), self.on_call)
        self.settings_form.addRow(self._caption("idle"), self.idle)
        self.settings_form.addRow(self._caption("retention"), self.retention)
        self.settings_form.addRow("", self.save_settings)
        # The kiosk's policy (kept in the encrypted store; where a kiosk stands stays its own)
        self.kiosk_box = QGroupBox(self)
        self.kiosk_idle = QSpinBox(self.kiosk_box)
        self.kiosk_idle.setObjectName("console-kiosk-idle")
        self.kiosk_idle.setRange(*console.KIOSK_RANGES["kiosk_idle_seconds"])
        self.kiosk_countdown = QSpinBox(self.kiosk_box)
        self.kiosk_countdown.setObjectName("console-kiosk-countdown")
        self.kiosk_countdown.setRange(*console.KIOSK_RANGES["kiosk_countdown_seconds"])
        self.kiosk_crisis_idle = QSpinBox(self.kiosk_box)
        self.kiosk_crisis_idle.setObjectName("console-kiosk-crisis-idle")
        self.kiosk_crisis_idle.setRange(*console.KIOSK_RANGES["kiosk_crisis_idle_seconds"])
        self.kiosk_alert = QComboBox(self.kiosk_box)
        self.kiosk_alert.setObjectName("console-kiosk-alert")
        self.save_kiosk = QPushButton(self.kiosk_box)
        self.save_kiosk.setObjectName("console-save-kiosk")
        self.save_kiosk.setEnabled(False)
        self.kiosk_form = QFormLayout(self.kiosk_box)
        self.kiosk_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.kiosk_form.addRow(self._caption("kiosk_idle"), self.kiosk_idle)
        self.kiosk_form.addRow(self._caption("kiosk_countdown"), self.kiosk_countdown)
        self.kiosk_form.addRow(self._caption("kiosk_crisis_idle"), self.kiosk_crisis_idle)
        self.kiosk_form.addRow(self._caption("kiosk_alert"), self.kiosk_alert)
        self.kiosk_form.addRow("", self.save_kiosk)
        settings_tab = QWidget(self)
        settings_column = QVBoxLayout(settings_tab)
        settings_column.addWidget(self.settings_box)
        settings_column.addWidget(self.kiosk_box)
        settings_column.addStretch(1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("console-tabs")
        # Scrolled when the window is too short for the list, what a selected account needs
        # from the server's administrator, and the form to add one (1280x720 included).
        accounts_tab = QScrollArea(self)
        accounts_tab.setObjectName("console-accounts-tab")
        accounts_tab.setWidgetResizable(True)
        accounts_tab.setFrameShape(QFrame.Shape.NoFrame)
        accounts_tab.setWidget(self.accounts_box)
        self.tabs.addTab(accounts_tab, "")
        self.tabs.addTab(settings_tab, "")
        # The directory checks are kept in the station's file: not on the shared server yet.
        file_store = console.file_store(store)
        self.on_server = file_store is None
        self.directory_tab: DirectoryChecks | None = None
        if file_store is not None:
            self.directory_tab = DirectoryChecks(file_store, account, self)
            self.tabs.addTab(self.directory_tab, "")
            self.directory_tab.said.connect(self._say)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.owner_warning)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.clear_button.clicked.connect(self.clear_lockout)
        self.reset_button.clicked.connect(self.reset_pin)
        self.add_button.clicked.connect(self.add_account)
        self.copy_commands.clicked.connect(self.copy_login_commands)
        self.save_settings.clicked.connect(self.save)
        self.save_kiosk.clicked.connect(self.save_kiosk_policy)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.retranslate_ui()
        self.refresh()

    def _caption(self, name: str) -> QLabel:
        caption = QLabel(self)
        self.captions[name] = caption
        return caption

    # Loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        store, actor = self.store, self.account.id
        # Until the store's values are shown, the spin boxes hold their minimums (1 minute, 30
        # days): saving then would cut the retention period. Save waits for the load.
        self.save_settings.setEnabled(False)
        self.save_kiosk.setEnabled(False)

        def load() -> tuple[list[console.AccountRow], Any, Any, Any, console.KioskPolicy]:
            return (
                console.accounts(store, actor),
                console.on_call_contact(store),
                console.idle_minutes(store),
                console.retention_days(store),
                console.kiosk_policy(store, Settings()),
            )

        ops.run_in_background(load, self._loaded, self._failed, name="console")

    def _loaded(self, result: tuple[list[console.AccountRow], Any, Any, Any, Any]) -> None:
        self._rows, on_call, idle, retention, kiosk = result
        self.on_call.setText(on_call or "")
        self.idle.setValue(idle or Settings().idle_lock_minutes)
        self.retention.setValue(retention or 365)
        self.kiosk_idle.setValue(kiosk.idle_seconds)
        self.kiosk_countdown.setValue(kiosk.countdown_seconds)
        self.kiosk_crisis_idle.setValue(kiosk.crisis_idle_seconds)
        self.kiosk_alert.setCurrentIndex(max(0, self.kiosk_alert.findData(kiosk.staff_alert)))
        self.save_settings.setEnabled(True)
        self.save_kiosk.setEnabled(True)
        self._fill_table()
        added = next((r for r in self._rows if r.id == self._select_after), None)
        self._select_after = None
        if added is not None:
            self.table.selectRow(self._rows.index(added))
            if added.needs_server_login:
                self._message = " ".join(
                    (
                        _("The account was added, but {name} cannot sign in yet.").format(
                            name=added.name
                        ),
                        _(
                            "This line's server needs their own server login first: what to "
                            "ask the person who looks after the server is under the list."
                        ),
                    )
                )
                self.status.setText(self._message)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self._rows))
        for row, account in enumerate(self._rows):
            lock = (
                pgettext("account", "Disabled: cannot sign in")
                if account.disabled
                else pgettext("account", "Cannot sign in yet: no server login")
                if account.needs_server_login
                else _("Locked until {when}").format(when=when_with_zone(account.locked_until))
                if account.locked_until
                else ngettext(
                    "{count} failed PIN try", "{count} failed PIN tries", account.failed_pins
                ).format(count=account.failed_pins)
                if account.failed_pins
                else "—"
            )
            items = [
                QTableWidgetItem(text)
                for text in (account.name, label("account-role", account.role), lock)
            ]
            for column, item in enumerate(items):
                self.table.setItem(row, column, item)
            if account.needs_server_login and not account.disabled:
                items[2].setToolTip(
                    _(
                        "This line's server lets each person in only with their own server "
                        "login, and none is set up for this account yet. Select it to see what "
                        "to ask the person who looks after the server."
                    )
                )
        self._show_selected()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            title, advice = exc.explain()
            self._message = f"{title}. {advice}"
        else:
            self._message = _("That could not be done. Try again.")
        self.retranslate_ui()

    def _run(
        self, action: Callable[[], object], done: str, after: Callable[[], None] | None = None
    ) -> None:
        def finished(_result: object) -> None:
            if after is not None:
                after()
            self._message = done
            self.retranslate_ui()
            self.refresh()

        ops.run_in_background(action, finished, self._failed, name="console-action")

    def _selected(self) -> console.AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def _tab_shown(self, index: int) -> None:
        if self.directory_tab is not None and self.tabs.widget(index) is self.directory_tab:
            self.directory_tab.load_once()

    def _say(self, message: str) -> None:
        self._message = message
        self.retranslate_ui()

    def _show_selected(self) -> None:
        chosen = self._selected()
        self.disable_button.setEnabled(chosen is not None and chosen.id != self.account.id)
        if chosen is not None and chosen.disabled:
            self.disable_button.setText(_("Enable the account"))
        else:
            self.disable_button.setText(_("Disable the account"))
        needs = chosen is not None and chosen.needs_server_login and not chosen.disabled
        if chosen is not None and needs:
            self._show_login_request(chosen)
        self.login_box.setVisible(needs)

    def _show_login_request(self, chosen: console.AccountRow) -> None:
        create, mapping = console.server_login_commands(chosen)
        self.login_box.setTitle(_("Server login needed"))
        self.login_text.setText(
            _(
                "{name} cannot sign in yet: this line's server has no login for this account. "
                "Ask the person who looks after the server to create one and map it with the "
                "commands below. They choose its password and give it to {name} in confidence "
                "(it is not the PIN)."
            ).format(name=chosen.name)
        )
        self.login_commands.setText(
            "\n".join(
                (
                    "-- " + _("1. On the server, in psql, as its administrator:"),
                    create,
                    "# " + _("2. Then with the line owner's address (--server or INTAKE_SERVER):"),
                    mapping,
                )
            )
        )
        self.login_commands.setAccessibleName(_("Commands for the server's administrator"))
        self.copy_commands.setText(_("Copy the commands"))

    def copy_login_commands(self) -> None:
        QGuiApplication.clipboard().setText(self.login_commands.text())
        self._say(_("The commands were copied."))

    # Actions -----------------------------------------------------------------------------
    def toggle_disabled(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        store, actor, disable = self.store, self.account.id, not chosen.disabled
        self._run(
            lambda: console.set_disabled(store, actor, chosen.id, disable),
            _("The account was disabled: it can no longer sign in.")
            if disable
            else _("The account was enabled again."),
        )

    def save_kiosk_policy(self) -> None:
        store, actor = self.store, self.account.id
        policy = console.KioskPolicy(
            self.kiosk_idle.value(),
            self.kiosk_countdown.value(),
            self.kiosk_crisis_idle.value(),
            self.kiosk_alert.currentData(),
        )
        self._run(
            lambda: console.set_kiosk_policy(store, actor, policy),
            _("The kiosk settings were saved. A kiosk uses them from its next start."),
        )

    def clear_lockout(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        store, actor = self.store, self.account.id
        self._run(
            lambda: console.clear_lockout(store, actor, chosen.id),
            _("The lockout was cleared."),
        )

    def reset_pin(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        store, actor, pin = self.store, self.account.id, self.new_pin.text()
        self.new_pin.clear()
        self._run(
            lambda: console.reset_pin(store, actor, chosen.id, pin),
            _("The PIN was changed. Give it to the person in confidence."),
        )

    def add_account(self) -> None:
        store, actor = self.store, self.account.id
        name, role, pin = self.name.text(), self.role.currentData(), self.pin.text()
        self.pin.clear()

        def add() -> None:
            self._select_after = console.add_account(store, actor, name, role, pin)

        self._run(add, _("The account was added."))
        self.name.clear()

    def save(self) -> None:
        store, actor = self.store, self.account.id
        on_call, idle, retention = self.on_call.text(), self.idle.value(), self.retention.value()

        def write() -> None:
            console.set_on_call_contact(store, actor, on_call)
            console.set_idle_minutes(store, actor, idle)
            console.set_retention_days(store, actor, retention)

        def saved() -> None:
            self.idle_saved.emit(idle)

        self._run(write, _("The settings were saved."), after=saved)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Supervisor console"))
        self.owner_warning.setText(
            _(
                "This station connects to the shared server as the database owner: the server "
                "does not limit what each person sees, and anyone using this computer's server "
                "password can read and change every record. Ask the person who looks after the "
                "server to give this station its own station login and to switch on row "
                "security (see the shared store's set-up)."
            )
        )
        self.status.setText(self._message)
        self.status.setVisible(bool(self._message))
        self.accounts_box.setTitle(_("Accounts"))
        self.table.setHorizontalHeaderLabels(
            [
                pgettext("column", "Name"),
                pgettext("column", "Role"),
                pgettext("column", "Sign-in"),
            ]
        )
        self.clear_button.setText(_("Clear the lockout"))
        self.new_pin.setPlaceholderText(_("New PIN"))
        self.new_pin.setAccessibleName(_("New PIN"))
        self.reset_button.setText(_("Set this PIN"))
        self.captions["name"].setText(pgettext("field label", "Name"))
        self.captions["role"].setText(pgettext("field label", "Role"))
        self.captions["pin"].setText(pgettext("field label", "PIN"))
        self.add_button.setText(_("Add the account"))
        refill_combo(
            self.role,
            [(label("account-role", code), code) for code in console.ADDABLE_ROLES],
        )
        self.settings_box.setTitle(
            _("Settings (kept on the line's shared server; the on-call contact encrypted)")
            if self.on_server
            else _("Settings (kept in the encrypted store)")
        )
        self.captions["on_call"].setText(
            pgettext("field label", "On-call supervisor (name and number)")
        )
        self.captions["idle"].setText(pgettext("field label", "Lock after (minutes idle)"))
        self.captions["retention"].setText(pgettext("field label", "Keep records for (days)"))
        self.save_settings.setText(_("Save the settings"))
        self.tabs.setTabText(0, _("Accounts"))
        self.tabs.setTabText(1, _("Settings"))
        if self.directory_tab is not None:
            self.tabs.setTabText(2, _("Directory checks"))
        self.kiosk_box.setTitle(
            _("Kiosks (kept on the line's shared server)")
            if self.on_server
            else _("Kiosks (kept in the encrypted store)")
        )
        self.captions["kiosk_idle"].setText(
            pgettext("field label", "Ask “Are you still there?” after (seconds untouched)")
        )
        self.captions["kiosk_countdown"].setText(
            pgettext("field label", "Then wipe the visit after (seconds)")
        )
        self.captions["kiosk_crisis_idle"].setText(
            pgettext("field label", "On the crisis screen, ask after (seconds)")
        )
        self.captions["kiosk_alert"].setText(pgettext("field label", "Alert the staff with"))
        refill_combo(
            self.kiosk_alert,
            [
                (pgettext("staff alert", "A sound and a flag"), "sound-and-flag"),
                (pgettext("staff alert", "A flag only"), "flag"),
            ],
        )
        self.save_kiosk.setText(_("Save the kiosk settings"))
        self._show_selected()
        self.table.setAccessibleName(_("Accounts"))
        self._fill_table()


class DirectoryChecks(Retranslatable, QWidget):
    """What in the directory is stale (checked over 12 months ago) or not verified, province by
    province; a supervisor marks a fact checked today with its source, and exports the checks
    as an organisation directory file for the other stations."""

    said = QtSignal(str)  # what happened, for the console's status line

    def __init__(self, store: Store, account: Account, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("console-directory")
        self.store = store
        self.account = account
        self._loaded = False
        self.programs: list[Any] = []
        self.rows: list[checks.ReviewRow] = []
        self.shown: list[checks.ReviewRow] = []
        self.hint = QLabel(self)
        self.hint.setObjectName("directory-checks-hint")
        self.hint.setWordWrap(True)
        self.province = QComboBox(self)
        self.province.setObjectName("directory-checks-province")
        self.province_label = QLabel(self)
        self.province_label.setBuddy(self.province)
        self.summary = QLabel(self)
        self.summary.setObjectName("directory-checks-summary")
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("directory-checks-table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.source = QLineEdit(self)
        self.source.setObjectName("directory-checks-source")
        self.source.setMaxLength(checks.MAX_SOURCE)
        self.source_label = QLabel(self)
        self.source_label.setBuddy(self.source)
        self.mark_button = QPushButton(self)
        self.mark_button.setObjectName("directory-checks-mark")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("directory-checks-export")
        self.export_button.setProperty("secondary", True)
        filters = QHBoxLayout()
        filters.addWidget(self.province_label)
        filters.addWidget(self.province, 1)
        filters.addSpacing(16)
        filters.addWidget(self.summary)
        filters.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.source_label)
        actions.addWidget(self.source, 1)
        actions.addWidget(self.mark_button)
        actions.addSpacing(16)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.province.currentIndexChanged.connect(self._fill)
        self.table.itemSelectionChanged.connect(self._enable)
        self.mark_button.clicked.connect(self.mark_checked)
        self.export_button.clicked.connect(self.export)
        self.retranslate_ui()

    # Loading ------------------------------------------------------------------------------
    def load_once(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        from intake.services.directory_checks import current_directory  # noqa: PLC0415

        store = self.store
        today = date.today()

        def load() -> tuple[list[Any], list[checks.ReviewRow]]:
            programs = current_directory(store)
            return programs, checks.review(programs, today)

        ops.run_in_background(load, self._arrived, self._failed, name="directory-checks")

    def _arrived(self, result: tuple[list[Any], list[checks.ReviewRow]]) -> None:
        self.programs, self.rows = result
        self._fill()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            title, advice = exc.explain()
            self.said.emit(f"{title}. {advice}")
        else:
            self.said.emit(_("That could not be done. Try again."))
        self._enable()

    # Showing ------------------------------------------------------------------------------
    def _group_name(self, group: str) -> str:
        if group == checks.NATIONAL:
            return pgettext("directory group", "All provinces")
        return province_name(group, current_language())

    def _fill(self) -> None:
        chosen = self.province.currentData()
        self.shown = [r for r in self.rows if chosen is None or r.group == chosen]
        language = current_language()
        self.table.setRowCount(len(self.shown))
        for row, item in enumerate(self.shown):
            kind = translate(checks.FACT_NAMES[item.fact_kind()])
            if item.fact.startswith("contacts["):
                kind = f"{kind} {int(item.fact[9:-1]) + 1}"
            why = []
            if item.status != "verified":
                why.append(translate(STATUS_NAMES[item.status]))
            if item.stale:
                why.append(_("checked more than 12 months ago"))
            # The program's (long) name last: the short columns stay in view at 1280 px.
            texts = (
                self._group_name(item.group),
                kind,
                "; ".join(why),
                format_date(
                    datetime.combine(item.checked, datetime.min.time(), UTC),
                    fmt="medium",
                    language=language,
                ),
                item.name_fr if language == "fr" else item.name_en,
            )
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.summary.setText(
            ngettext("{count} fact to check", "{count} facts to check", len(self.shown)).format(
                count=len(self.shown)
            )
        )
        self._enable()

    def _selected(self) -> checks.ReviewRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _enable(self) -> None:
        self.mark_button.setEnabled(self._selected() is not None)
        self.export_button.setEnabled(bool(self.programs))

    # Actions ------------------------------------------------------------------------------
    def mark_checked(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        store, actor, programs = self.store, self.account.id, self.programs
        source, today = self.source.text(), date.today()
        self.mark_button.setEnabled(False)

        def done(_result: object) -> None:
            self.said.emit(_("Marked as checked today. The referral shows it from the next call."))
            self.refresh()

        ops.run_in_background(
            lambda: checks.mark_checked(
                store,
                actor,
                programs,
                entry_id=chosen.entry_id,
                fact=chosen.fact,
                source=source,
                today=today,
            ),
            done,
            self._failed,
            name="directory-check",
        )

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export the directory checks"),
            "organisation-directory.toml",
            _("Directory files (*.toml)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the organisation directory file (on a worker thread; said when done)."""
        store, actor, programs = self.store, self.account.id, self.programs

        def write() -> None:
            text = checks.export_checks(store, actor, programs, checks.stored_checks(store))
            path.write_text(text, encoding="utf-8")

        def done(_result: object) -> None:
            self.said.emit(
                _(
                    "The checks were exported. Point INTAKE_DIRECTORY at that file on every "
                    "station to use them there."
                )
            )

        ops.run_in_background(write, done, self._failed, name="directory-export")

    def retranslate_ui(self) -> None:
        self.hint.setText(
            _(
                "Facts of the directory that are not verified, or were checked more than 12 "
                "months ago. Check one with its source (a website, a call to the office), then "
                "mark it checked today."
            )
        )
        self.province_label.setText(pgettext("field label", "Province"))
        refill_combo(
            self.province,
            [
                (pgettext("directory group", "Everywhere"), None),
                (pgettext("directory group", "All provinces"), checks.NATIONAL),
                *collated((province_name(c, current_language()), c) for c in CODES),
            ],
        )
        self.table.setHorizontalHeaderLabels(
            [
                pgettext("column", "Where"),
                pgettext("column", "Fact"),
                pgettext("column", "Why"),
                pgettext("column", "Last checked"),
                pgettext("column", "Program"),
            ]
        )
        self.source_label.setText(pgettext("field label", "Source"))
        self.source.setPlaceholderText(_("for example the program's website"))
        self.mark_button.setText(_("Mark checked today"))
        self.export_button.setText(_("Export the checks…"))
        self.table.setAccessibleName(_("Directory checks"))
        if self.rows:
            self._fill()
        self._enable()
