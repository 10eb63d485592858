"""Application start-up: where things live, and the path from first run or unlock to the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from intake import paths
from intake.accounts import Account, Role
from intake.i18n import _
from intake.settings import SettingsFile
from intake.storage.location import store_exists
from intake.ui import ops
from intake.ui.failures import explain
from intake.ui.gate import GateWindow
from intake.ui.language import LanguageManager, system_language
from intake.ui.style import style_sheet
from intake.ui.widgets import EnterPressesButtons

if TYPE_CHECKING:
    from intake.storage.db import Store
    from intake.ui.kiosk.window import KioskWindow
    from intake.ui.main_window import MainWindow

log = logging.getLogger(__name__)
ORGANIZATION = paths.ORGANIZATION
APPLICATION = paths.APPLICATION


def default_store_path() -> Path:
    return paths.data_folder() / "store.db"


def default_settings_path() -> Path:
    return paths.default_settings()


def _ignore(_result: object) -> None:
    pass


def _wrong_pin() -> tuple[str, str]:
    return _("That PIN does not match this name"), _("Check the name and type the PIN again.")


class IntakeApplication(QObject):
    """Owns the store and the windows; every slow step runs off the UI thread."""

    def __init__(
        self, store_path: Path, settings_file: SettingsFile, *, kiosk: bool = False
    ) -> None:
        super().__init__()
        self.setObjectName("intake-application")
        self.store_path = store_path
        self.settings_file = settings_file
        self.kiosk = kiosk or settings_file.load().kiosk
        self.store: Store | None = None
        self.account: Account | None = None
        self.accounts: list[Account] = []
        self.main_window: MainWindow | None = None  # built after sign-in
        self.kiosk_window: KioskWindow | None = None  # instead of the main window in kiosk mode
        self.language = LanguageManager(settings_file, self)
        self.language.apply(settings_file.load().ui_language or system_language())
        self.gate = GateWindow(self.language, store_path)
        self.gate.page_created.connect(self._connect_page)

    def _connect_page(self, page: QWidget) -> None:
        handlers = {
            "setup-page": self._create,
            "unlock-page": self._unlock,
            "signin-page": self._sign_in,
        }
        page.submitted.connect(handlers[page.objectName()])  # type: ignore[attr-defined]

    def start(self) -> None:
        first_run = not store_exists(self.store_path)
        self.gate.show_page(self.gate.setup if first_run else self.gate.unlock)
        self.gate.show()

    # First run --------------------------------------------------------------------------
    def _create(self, passphrase: str, display_name: str, pin: str) -> None:
        path = self.store_path

        def work() -> tuple[Store, list[Account]]:
            # Imported on the worker thread: the driver is not needed to paint the first screen.
            from intake.pins import hash_pin  # noqa: PLC0415
            from intake.storage.account_store import insert_account, list_accounts  # noqa: PLC0415
            from intake.storage.db import create_store  # noqa: PLC0415

            pin_hash = hash_pin(pin)
            store = create_store(
                path,
                passphrase,
                initialize=lambda conn: insert_account(
                    conn, display_name, Role.SUPERVISOR.value, pin_hash
                ),
            )
            return store, list_accounts(store)

        ops.run_in_background(work, self._created, self._create_failed, name="create-store")

    def _created(self, result: tuple[Store, list[Account]]) -> None:
        store, accounts = result
        self.accounts = accounts
        self.gate.setup.forget_secrets()
        # The language picked during set-up is the one to start in from now on.
        self.settings_file.save(self.settings_file.load().with_language(self.language.language))
        self.store = store
        self._open_main_window(accounts[0])

    def _create_failed(self, exc: BaseException) -> None:
        self.gate.setup.show_error(explain(exc))

    # Unlock and sign in -----------------------------------------------------------------
    def _unlock(self, passphrase: str) -> None:
        path = self.store_path

        def work() -> tuple[Store, list[Account]]:
            from intake.storage.account_store import list_accounts  # noqa: PLC0415
            from intake.storage.db import open_store  # noqa: PLC0415

            store = open_store(path, passphrase)
            return store, list_accounts(store)

        ops.run_in_background(work, self._unlocked, self._unlock_failed, name="open-store")

    def _unlocked(self, result: tuple[Store, list[Account]]) -> None:
        self.store, accounts = result
        self.accounts = accounts
        self.gate.unlock.set_busy(False)
        self.gate.signin.set_accounts(accounts)
        self.gate.show_page(self.gate.signin)

    def _unlock_failed(self, exc: BaseException) -> None:
        self.gate.unlock.show_error(explain(exc))

    def _sign_in(self, account_id: str, pin: str) -> None:
        from intake.storage.account_store import check_pin  # noqa: PLC0415 - loaded by unlock

        store = self._require_store()
        ops.run_in_background(
            lambda: check_pin(store, account_id, pin),
            self._signed_in,
            self._sign_in_failed,
            name="check-pin",
        )

    def _signed_in(self, account: Account | None) -> None:
        if account is None:
            self.gate.signin.show_error(_wrong_pin)
            return
        self.gate.signin.forget_secrets()
        self.gate.signin.set_busy(False)
        self._open_main_window(account)

    def _sign_in_failed(self, exc: BaseException) -> None:
        self.gate.signin.show_error(explain(exc))

    # Main window ------------------------------------------------------------------------
    def _open_main_window(self, account: Account) -> None:
        if self.kiosk:
            self._open_kiosk(account)
            return
        from intake.ui.call.start import load_call_data  # noqa: PLC0415

        store = self._require_store()
        self.account = account
        ops.run_in_background(
            lambda: load_call_data(store, account.id, sees_all=account.role is Role.SUPERVISOR),
            self._call_data_ready,
            self._start_failed,
            name="call-data",
        )

    def _call_data_ready(self, data: object) -> None:
        # Imported here: the main window (and Babel's date formatting) is not needed to paint
        # the first screen, so it stays off the start-up path.
        from intake.ui.call.start import services_for  # noqa: PLC0415
        from intake.ui.main_window import MainWindow  # noqa: PLC0415

        store, account = self._require_store(), self.account
        assert account is not None
        settings = self.settings_file.load()
        services, drafts, due = services_for(data, store, account, settings)
        self.main_window = MainWindow(
            self.language,
            account,
            store.cipher_version,
            store.sqlite_version,
            services,
            settings.idle_lock_minutes,
        )
        self.main_window.unlock_requested.connect(self._unlock_main)
        self.main_window.locked_now.connect(self._audit_lock)
        self.main_window.discard_draft.connect(self._discard_draft)
        self.main_window.offer_resume(drafts)
        self.main_window.home.show_followups(due)
        self.main_window.show()
        self.gate.hide()

    def _start_failed(self, exc: BaseException) -> None:
        """Loading the data files for the phone line or the kiosk failed: say so at sign-in."""
        from intake.ui.call.start import explain_start_failure  # noqa: PLC0415

        self.gate.signin.set_busy(False)
        self.gate.signin.show_error(explain_start_failure(exc) or explain(exc))

    def _discard_draft(self, contact_id: str) -> None:
        from intake.storage.records import delete_draft  # noqa: PLC0415

        store = self._require_store()
        ops.run_in_background(
            lambda: delete_draft(store, contact_id),
            _ignore,
            self._main_unlock_failed,
            name="discard",
        )

    # Kiosk ------------------------------------------------------------------------------
    def _open_kiosk(self, account: Account) -> None:
        from intake.ui.kiosk.start import load_kiosk_data  # noqa: PLC0415

        self.account = account
        store = self._require_store()
        ops.run_in_background(
            lambda: load_kiosk_data(store, account.id),
            self._kiosk_ready,
            self._start_failed,
            name="kiosk-data",
        )

    def _kiosk_ready(self, data: object) -> None:
        from intake.ui.kiosk.start import build_kiosk  # noqa: PLC0415

        store, account = self._require_store(), self.account
        assert account is not None
        settings = self.settings_file.load()
        self.kiosk_window = build_kiosk(
            data, self.language, store, account, self.accounts, settings
        )
        self.kiosk_window.exit_requested.connect(self._kiosk_exit)
        self.kiosk_window.showFullScreen()
        self.gate.hide()

    def _kiosk_exit(self, account_id: str, pin: str) -> None:
        from intake.storage.account_store import check_pin  # noqa: PLC0415

        store = self._require_store()
        ops.run_in_background(
            lambda: check_pin(store, account_id, pin, action="kiosk-exit"),
            self._kiosk_exit_checked,
            self._kiosk_exit_failed,
            name="kiosk-exit-pin",
        )

    def _kiosk_exit_checked(self, account: Account | None) -> None:
        window = self.kiosk_window
        if window is None:
            return
        if account is None or account.role is not Role.SUPERVISOR:
            window.staff.show_error(
                lambda: (_("That PIN is not right"), _("Only a supervisor can leave kiosk mode."))
            )
            return
        window.allow_exit()
        window.close()

    def _kiosk_exit_failed(self, exc: BaseException) -> None:
        if self.kiosk_window is not None:
            self.kiosk_window.staff.show_error(explain(exc))

    def _audit_lock(self) -> None:
        from intake.storage.account_store import record_event  # noqa: PLC0415

        store, account = self._require_store(), self.account
        assert account is not None
        ops.run_in_background(
            lambda: record_event(store, account.id, "lock"),
            _ignore,
            self._main_unlock_failed,
            name="audit-lock",
        )

    def _unlock_main(self, pin: str) -> None:
        from intake.storage.account_store import check_pin  # noqa: PLC0415 - loaded by unlock

        store, account = self._require_store(), self.account
        assert account is not None
        ops.run_in_background(
            lambda: check_pin(store, account.id, pin, action="unlock"),
            self._main_unlocked,
            self._main_unlock_failed,
            name="unlock-pin",
        )

    def _main_unlocked(self, account: Account | None) -> None:
        if self.main_window is None:
            return
        if account is None:
            self.main_window.lock_page.show_error(
                lambda: (_("That PIN is not right"), _("Type it again."))
            )
        else:
            self.main_window.unlock()

    def _main_unlock_failed(self, exc: BaseException) -> None:
        if self.main_window is not None:
            self.main_window.lock_page.show_error(explain(exc))

    def _require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is not open")
        return self.store

    def shutdown(self) -> None:
        ops.wait_all()
        if self.store is not None:
            self.store.close()
            self.store = None


def create_qapplication(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app: Any = existing if existing is not None else QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyleSheet(style_sheet(QApplication.font().pointSizeF()))
    if app.findChild(EnterPressesButtons, "enter-presses-buttons") is None:
        enter = EnterPressesButtons(app)
        enter.setObjectName("enter-presses-buttons")
        app.installEventFilter(enter)
    return app  # type: ignore[no-any-return]


def run(store: Path | None, *, kiosk: bool = False) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_qapplication(sys.argv[:1])
    controller = IntakeApplication(
        store or default_store_path(), SettingsFile(default_settings_path()), kiosk=kiosk
    )
    controller.start()
    code = app.exec()
    controller.shutdown()
    return int(code)
