"""The two shells a signed-in person can get, chosen once after the gate: the phone line's main
window, or the kiosk. Each loads its data files off the UI thread, builds its window and talks
to the store only through services (intake.services.session and the services it builds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtCore import Signal as QtSignal

from intake.accounts import Account, Role
from intake.i18n import _
from intake.services.kiosk_exit import OnlyKioskStarter, ServerUnreachable
from intake.services.offline_unlock import server_did_not_answer
from intake.services.session import Session
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.failures import explain
from intake.ui.language import LanguageManager

if TYPE_CHECKING:
    from intake.ui.kiosk.window import KioskWindow
    from intake.ui.main_window import MainWindow


def _ignore(_result: object) -> None:
    pass


class Shell(QObject):
    """What the application controller knows of a shell: start it, hear it opened or failed."""

    opened = QtSignal()
    failed = QtSignal(object)  # the exception; the gate says what went wrong

    def __init__(
        self,
        session: Session,
        account: Account,
        language: LanguageManager,
        settings_file: SettingsFile,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.account = account
        self.language = language
        self.settings_file = settings_file

    def start(self) -> None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        self.failed.emit(exc)

    def stop(self) -> None:
        """The application is closing: start no more background work."""


class PhoneShell(Shell):
    """The phone line: home, calls, history, directory, the idle lock."""

    window: MainWindow | None = None

    def start(self) -> None:
        from intake.ui.call.start import load_call_data  # noqa: PLC0415

        session, account, settings_file = self.session, self.account, self.settings_file
        ops.run_in_background(
            lambda: load_call_data(
                session,
                account.id,
                sees_all=account.role is Role.SUPERVISOR,
                settings_file=settings_file,
            ),
            self._ready,
            self._failed,
            name="call-data",
        )

    def _ready(self, data: object) -> None:
        # Imported here: the main window (and Babel's date formatting) is not needed to paint
        # the first screen, so it stays off the start-up path.
        from intake.ui.call.start import idle_minutes_for, services_for  # noqa: PLC0415
        from intake.ui.main_window import MainWindow  # noqa: PLC0415

        settings = self.settings_file.load()
        services, drafts, due = services_for(data, self.session, self.account, settings)
        window = MainWindow(
            self.language,
            self.account,
            self.session.cipher_version,
            self.session.sqlite_version,
            services,
            idle_minutes_for(data, settings),
        )
        self.window = window
        window.settings_file = self.settings_file  # the station's settings page writes it
        window.unlock_requested.connect(self._unlock)
        window.locked_now.connect(self._audit_lock)
        window.discard_draft.connect(self._discard_draft)
        window.offer_resume(drafts)
        window.home.show_followups(due)
        window.show()
        self.opened.emit()

    def _discard_draft(self, contact_id: str) -> None:
        assert self.window is not None
        assert self.window.services is not None
        drafts = self.window.services.drafts
        ops.run_in_background(
            lambda: drafts.discard(contact_id), _ignore, self._window_failed, name="discard"
        )

    def _audit_lock(self) -> None:
        session, account_id = self.session, self.account.id
        ops.run_in_background(
            lambda: session.locked(account_id), _ignore, self._lock_failed, name="audit-lock"
        )

    def _lock_failed(self, exc: BaseException) -> None:
        """The lock could not be audited: while the server cannot be reached the lock screen
        says so under the PIN and in its status strip (no error banner: nothing went wrong
        for the person, who can still unlock with their own PIN)."""
        if self.window is not None and server_did_not_answer(exc):
            self.window.server_unreachable()
            return
        self._window_failed(exc)

    def _unlock(self, pin: str) -> None:
        session, account_id = self.session, self.account.id
        ops.run_in_background(
            lambda: session.unlock(account_id, pin),
            self._unlocked,
            self._unlock_failed,
            name="unlock-pin",
        )

    def _unlock_failed(self, exc: BaseException) -> None:
        from intake.ui.offline_messages import at_pin  # noqa: PLC0415 - on failure only

        if self.window is None:
            return
        if server_did_not_answer(exc):
            self.window.server_unreachable()  # the strip agrees with the banner at once
        self.window.lock_page.show_error(at_pin(exc))

    def _unlocked(self, account: Account | None) -> None:
        if self.window is None:
            return
        if account is None:
            self.window.lock_page.show_error(
                lambda: (_("That PIN is not right"), _("Type it again."))
            )
        else:
            self.window.unlock()

    def _window_failed(self, exc: BaseException) -> None:
        if self.window is not None:
            self.window.lock_page.show_error(explain(exc))


KIOSK_DELIVERY_MS = 10_000  # how often a kiosk on the shared server sends what it kept


class KioskShell(Shell):
    """The kiosk: full screen, anonymous visits, left only with a supervisor's PIN. On the
    shared server it sends the visits kept in the outbox while the server could not be reached
    (every 10 seconds, as the phone line's status check; the next visit's save sends them too)."""

    window: KioskWindow | None = None
    delivery: QTimer | None = None
    _delivering = False

    def start(self) -> None:
        from intake.ui.kiosk.start import load_kiosk_data  # noqa: PLC0415

        session, account_id = self.session, self.account.id
        ops.run_in_background(
            lambda: load_kiosk_data(session, account_id),
            self._ready,
            self._failed,
            name="kiosk-data",
        )

    def _ready(self, data: object) -> None:
        from intake.ui.kiosk.start import build_kiosk  # noqa: PLC0415

        settings = self.settings_file.load()
        window = build_kiosk(data, self.language, self.session, self.account, settings)
        self.window = window
        window.exit_requested.connect(self._exit)
        if self.session.shared:
            self.delivery = QTimer(self)
            self.delivery.setInterval(KIOSK_DELIVERY_MS)
            self.delivery.timeout.connect(self.deliver_kept)
            self.delivery.start()
            # Opening the staff panel checks the server at once: it says who can end kiosk
            # mode while the server cannot be reached.
            window.staff_corner.opened.connect(self.deliver_kept)
        window.showFullScreen()
        self.opened.emit()

    def deliver_kept(self) -> None:
        """Send what waits in the outbox if the server answers (off the UI thread, one at a
        time; the visitor sees nothing of it)."""
        if self._delivering or not self.session.shared:
            return
        self._delivering = True
        ops.run_in_background(
            self.session.status,  # type: ignore[attr-defined]
            self._delivered,
            self._delivered,
            name="kiosk-delivery",
        )

    def _delivered(self, result: object) -> None:
        from intake.services.shared import ServerStatus  # noqa: PLC0415 - shared lines only

        self._delivering = False
        if isinstance(result, ServerStatus):
            self._server_down(not result.connected)
            if self.window is not None:
                self.window.staff.show_waiting(result.kept, result.kept_aside)
        elif isinstance(result, ServerUnreachable):
            self._server_down(True)

    def _server_down(self, down: bool) -> None:
        """Tell the staff panel whether the server answers, and so who can end kiosk mode."""
        if self.window is None:
            return
        starter = getattr(self.session, "kiosk_starter", None) if down else None
        self.window.staff.show_server_down(starter)

    def stop(self) -> None:
        if self.delivery is not None:
            self.delivery.stop()

    def _exit(self, account_id: str, pin: str, server_password: str | None = None) -> None:
        session = self.session
        ops.run_in_background(
            lambda: session.may_leave_kiosk(account_id, pin, server_password),
            self._exit_checked,
            self._exit_failed,
            name="kiosk-exit-pin",
        )

    def _exit_checked(self, allowed: bool) -> None:
        window = self.window
        if window is None:
            return
        if not allowed:
            window.staff.show_error(
                lambda: (_("That PIN is not right"), _("Only a supervisor can leave kiosk mode."))
            )
            return
        if self.delivery is not None:
            self.delivery.stop()
        window.allow_exit()
        window.close()

    def _exit_failed(self, exc: BaseException) -> None:
        if server_did_not_answer(exc) or isinstance(exc, OnlyKioskStarter):
            self._server_down(True)
        if self.window is not None:
            self.window.staff.show_error(explain(exc))
            if getattr(exc, "asks_server_password", False):
                self.window.staff.ask_server_password()
