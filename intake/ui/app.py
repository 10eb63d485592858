"""Application start-up: where things live, and the path from first run or unlock to the main window."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from intake import paths
from intake.accounts import Account
from intake.i18n import _
from intake.services import session
from intake.services.session import Session
from intake.settings import SettingsFile
from intake.ui import collector, ops
from intake.ui.failures import explain
from intake.ui.gate import GateWindow
from intake.ui.language import INPUT_FILTER, INSTALLED, LanguageManager, system_language
from intake.ui.style import style_sheet
from intake.ui.widgets import EnterPressesButtons, input_filter

if TYPE_CHECKING:
    from intake.services.session import Store
    from intake.ui.kiosk.window import KioskWindow
    from intake.ui.main_window import MainWindow
    from intake.ui.shells import Shell

log = logging.getLogger(__name__)
ORGANIZATION = paths.ORGANIZATION
APPLICATION = paths.APPLICATION


def default_store_path() -> Path:
    return paths.data_folder() / "store.db"


def default_settings_path() -> Path:
    return paths.default_settings()


def default_outbox() -> Path:
    """Where calls saved while the shared server cannot be reached wait, sealed."""
    return paths.data_folder() / "outbox"


def _wrong_pin() -> tuple[str, str]:
    return _("That PIN does not match this name"), _("Check the name and type the PIN again.")


class IntakeApplication(QObject):
    """The gate (first run, unlock, sign-in), then ONE shell chosen by the settings: the phone
    line's main window or the kiosk. Every slow step runs off the UI thread; the store is
    reached only through intake.services."""

    def __init__(
        self,
        store_path: Path,
        settings_file: SettingsFile,
        *,
        kiosk: bool = False,
        server: str | None = None,
        outbox: Path | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("intake-application")
        self.store_path = store_path
        self.settings_file = settings_file
        # The line's shared server (issue 18): --server, INTAKE_SERVER, or chosen at set-up.
        self.server = server or settings_file.load().server
        self._outbox = outbox  # the default is looked up when first needed (a shared line)
        self.kiosk = kiosk or settings_file.load().kiosk
        self.session: Session | None = None
        self.account: Account | None = None
        self.shell: Shell | None = None  # built after sign-in
        self.language = LanguageManager(settings_file, self)
        self.language.apply(settings_file.load().ui_language or system_language())
        self.gate = GateWindow(self.language, store_path)
        self.gate.page_created.connect(self._connect_page)
        self.gate.first_painted.connect(install_input_filter)

    @property
    def outbox(self) -> Path:
        """Where this station keeps calls for the shared server while it cannot be reached.
        Found when first needed: the per-user folders cost the start of a file store's window
        an import (platformdirs) before its first paint."""
        if self._outbox is None:
            self._outbox = default_outbox()
        return self._outbox

    # What tests and tools look at ---------------------------------------------------------
    @property
    def store(self) -> Store | None:
        return self.session.store if self.session is not None else None

    @property
    def accounts(self) -> list[Account]:
        return self.session.accounts if self.session is not None else []

    @property
    def main_window(self) -> MainWindow | None:
        from intake.ui.shells import PhoneShell  # noqa: PLC0415 - after sign-in (see _open_shell)

        return self.shell.window if isinstance(self.shell, PhoneShell) else None

    @property
    def kiosk_window(self) -> KioskWindow | None:
        from intake.ui.shells import KioskShell  # noqa: PLC0415 - after sign-in (see _open_shell)

        return self.shell.window if isinstance(self.shell, KioskShell) else None

    def _connect_page(self, page: QWidget) -> None:
        handlers = {
            "setup-page": self._create,
            "unlock-page": self._unlock,
            "signin-page": self._sign_in,
        }
        page.submitted.connect(handlers[page.objectName()])  # type: ignore[attr-defined]

    def start(self) -> None:
        if self.server is not None:
            self.gate.unlock.use_server(self.server)
            self.gate.show_page(self.gate.unlock)
            self.gate.show()
            return
        first_run = not session.store_exists(self.store_path)
        self.gate.show_page(self.gate.setup if first_run else self.gate.unlock)
        self.gate.show()

    # First run --------------------------------------------------------------------------
    def _create(self, passphrase: str, display_name: str, pin: str, on_call: str = "") -> None:
        if (address := self.gate.setup.server()) is not None:
            self._create_shared(address, passphrase, display_name, pin, on_call)
            return
        path = self.store_path
        ops.run_in_background(
            lambda: session.create(path, passphrase, display_name, pin, on_call or None),
            self._created,
            self._create_failed,
            name="create-store",
        )

    def _created(self, opened: Session) -> None:
        self.session = opened
        self.gate.setup.forget_secrets()
        # The language picked during set-up is the one to start in from now on.
        self.settings_file.save(self.settings_file.load().with_language(self.language.language))
        self._open_shell(opened.accounts[0])

    def _create_shared(
        self, address: str, passphrase: str, display_name: str, pin: str, on_call: str
    ) -> None:
        from intake.services.shared import create_shared  # noqa: PLC0415 - shared lines only

        outbox = self.outbox
        ops.run_in_background(
            lambda: create_shared(address, passphrase, display_name, pin, outbox),
            lambda result: self._created_shared(address, on_call, *result),
            self._create_failed,
            name="create-shared-store",
        )

    def _created_shared(self, address: str, on_call: str, opened: Session, created: bool) -> None:
        self.server = address
        settings = self.settings_file.load().with_language(self.language.language)
        # The settings file holds the on-call contact until the first supervisor's sign-in,
        # which moves it onto the server, sealed (`call.start.server_console_settings`).
        if on_call:
            settings = replace(settings, on_call_contact=on_call)
        self.settings_file.save(replace(settings, server=address))
        self.gate.setup.forget_secrets()
        self.gate.setup.set_busy(False)
        self.session = opened
        if created:
            self._open_shell(opened.accounts[0])
            return
        # The line's server was already set up: this station joins it; sign in as yourself.
        self.gate.unlock.use_server(address)
        self.gate.signin.set_accounts(opened.accounts)
        self.gate.show_page(self.gate.signin)

    def _create_failed(self, exc: BaseException) -> None:
        from intake.ui.offline_messages import at_setup  # noqa: PLC0415 - on failure only

        self.gate.setup.show_error(at_setup(exc))

    # Unlock and sign in -----------------------------------------------------------------
    def _unlock(self, passphrase: str) -> None:
        if self.server is not None:
            from intake.services.shared import unlock_shared  # noqa: PLC0415 - shared lines only

            address, outbox = self.server, self.outbox
            ops.run_in_background(
                lambda: unlock_shared(address, passphrase, outbox),
                self._unlocked,
                self._unlock_failed,
                name="open-shared-store",
            )
            return
        path = self.store_path
        ops.run_in_background(
            lambda: session.unlock(path, passphrase),
            self._unlocked,
            self._unlock_failed,
            name="open-store",
        )

    def _unlocked(self, opened: Session) -> None:
        self.session = opened
        self.gate.unlock.set_busy(False)
        self.gate.signin.set_accounts(opened.accounts)
        self.gate.show_page(self.gate.signin)

    def _unlock_failed(self, exc: BaseException) -> None:
        from intake.ui.offline_messages import at_unlock  # noqa: PLC0415 - on failure only

        self.gate.unlock.show_error(at_unlock(exc))

    def _sign_in(self, account_id: str, pin: str) -> None:
        opened = self._require_session()
        password = self.gate.signin.server_password_text()  # a shared line's, when asked
        kiosk = self.kiosk  # a kiosk's starter may end it while the server cannot be reached
        ops.run_in_background(
            lambda: opened.sign_in(account_id, pin, password, kiosk=kiosk),
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
        self._open_shell(account)

    def _sign_in_failed(self, exc: BaseException) -> None:
        from intake.ui.offline_messages import at_pin  # noqa: PLC0415 - on failure only

        self.gate.signin.show_error(
            at_pin(exc), ask_server_password=getattr(exc, "asks_server_password", False)
        )

    # The shell, chosen once -------------------------------------------------------------
    def _open_shell(self, account: Account) -> None:
        # Imported at sign-in, not before the first window is painted.
        from intake.ui.shells import KioskShell, PhoneShell  # noqa: PLC0415

        self.account = account
        kind = KioskShell if self.kiosk else PhoneShell
        self.shell = kind(self._require_session(), account, self.language, self.settings_file, self)
        self.shell.opened.connect(self.gate.done)
        self.shell.failed.connect(self._start_failed)
        self.shell.start()

    def _start_failed(self, exc: BaseException) -> None:
        """Loading the data files for the phone line or the kiosk failed: say so at sign-in."""
        from intake.ui.call.start import explain_start_failure  # noqa: PLC0415

        self.gate.signin.set_busy(False)
        self.gate.signin.show_error(explain_start_failure(exc) or explain(exc))

    def _require_session(self) -> Session:
        if self.session is None:
            raise RuntimeError("the store is not open")
        return self.session

    def shutdown(self) -> None:
        if self.shell is not None:
            self.shell.stop()  # the kiosk's delivery timer, say: nothing new once closing
        ops.wait_all()
        if self.session is not None:
            self.session.close()
            self.session = None


def create_qapplication(argv: list[str], *, defer_input_filter: bool = False) -> QApplication:
    """The QApplication with the style sheet and the application's one input filter.

    `defer_input_filter` (the application's start, `run`): the filter is installed only when
    the first window has painted (`install_input_filter`, from `GateWindow.first_painted`).
    Every event of every object passes through a Python filter, and the first one for an
    object of one of Qt's private classes (the text control of a selectable label, the window
    handle) makes PySide6 build every class and enum it had left for later, about 180 enums:
    measured, the largest single part of the start before the first paint. Nobody can press
    Enter or touch anything before the window is there, so nothing is lost by waiting."""
    existing = QApplication.instance()
    app: Any = existing if existing is not None else QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyleSheet(style_sheet(QApplication.font().pointSizeF()))
    collector.install(app)  # cycles collected on this thread only, never on a worker
    if input_filter() is None:
        enter = EnterPressesButtons(app)
        enter.setObjectName(INPUT_FILTER)
        if not defer_input_filter:
            install_input_filter()
    return app  # type: ignore[no-any-return]


def install_input_filter() -> None:
    """Install the application's input filter (again: Qt keeps one copy of a filter)."""
    app = QApplication.instance()
    enter = input_filter()
    if app is not None and enter is not None:
        app.installEventFilter(enter)
        enter.setProperty(INSTALLED, True)  # the language switch steps it aside and back


def run(store: Path | None, *, kiosk: bool = False, server: str | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_qapplication(sys.argv[:1], defer_input_filter=True)
    controller = IntakeApplication(
        store or default_store_path(),
        SettingsFile(default_settings_path()),
        kiosk=kiosk,
        server=server,
    )
    controller.start()
    code = app.exec()
    controller.shutdown()
    return int(code)
