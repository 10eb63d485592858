"""The window a person sees before signing in: set-up, unlock, sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from intake.i18n import _
from intake.ui.language import LanguageManager, Retranslatable
from intake.ui.unlock_page import UnlockPage
from intake.ui.widgets import LanguageSwitch

if TYPE_CHECKING:
    from intake.ui.crisis_route import CrisisRouteView
    from intake.ui.setup_page import SetupPage
    from intake.ui.signin_page import SignInPage

PageT = TypeVar("PageT", bound=QWidget)


class GateWindow(Retranslatable, QWidget):
    page_created = QtSignal(QWidget)
    # Once, just after the window's first paint has finished: what a person does not need to
    # see the window is done from here (the application's input filter is installed then).
    first_painted = QtSignal()

    def __init__(self, manager: LanguageManager, store_path: Path) -> None:
        super().__init__()
        self.setObjectName("gate-window")
        self.app_name = QLabel(self)
        self.app_name.setObjectName("app-name")
        # The pointing cursor is given once painted: nothing on the way to the first paint
        # names `Qt` (see intake.ui.widgets), so the switch keeps to the top with a stretch
        # under it rather than an alignment flag.
        self.language_switch = LanguageSwitch(manager, self, defer_cursor=True)
        self.first_painted.connect(self.language_switch.use_pointing_cursor)
        corner = QVBoxLayout()
        corner.addWidget(self.language_switch)
        corner.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.app_name)
        header.addStretch(1)
        header.addLayout(corner)

        self._manager = manager
        self._store_path = store_path
        self._painted = False
        self._setup: SetupPage | None = None
        self._unlock: UnlockPage | None = None
        self._signin: SignInPage | None = None
        # The crisis route and the directory, opened from the unlock or sign-in page without a
        # passphrase or a PIN (shipped data only: no store, no server); back to that page.
        self.help: CrisisRouteView | None = None
        self._before_help: QWidget | None = None
        self._done_after_help = False  # signed in while the crisis route was read (`done`)
        self.pages = QStackedWidget(self)

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

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)  # after this paint has finished

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Peer Support Intake"))
        self.app_name.setText(_("Peer Support Intake"))

    # Pages are built when first needed: most starts show only the unlock page, and building
    # the set-up form costs start-up time for nothing.
    @property
    def setup(self) -> SetupPage:
        if self._setup is None:
            from intake.ui.setup_page import SetupPage  # noqa: PLC0415 - first run only

            self._setup = self._adopt(SetupPage(self._manager, self._store_path, self.pages))
        return self._setup

    @property
    def unlock(self) -> UnlockPage:
        if self._unlock is None:
            self._unlock = self._adopt(UnlockPage(self._store_path, self.pages))
        return self._unlock

    @property
    def signin(self) -> SignInPage:
        if self._signin is None:
            from intake.ui.signin_page import SignInPage  # noqa: PLC0415 - after the first paint

            self._signin = self._adopt(SignInPage(self.pages))
        return self._signin

    def _adopt(self, page: PageT) -> PageT:
        self.pages.addWidget(page)
        if isinstance(page, UnlockPage) or page.objectName() == "signin-page":
            page.crisis_requested.connect(self.open_crisis_route)  # type: ignore[attr-defined]
            page.directory_requested.connect(self.open_directory)  # type: ignore[attr-defined]
        self.page_created.emit(page)
        return page

    def _help(self) -> CrisisRouteView:
        from intake.ui.crisis_route import CrisisRouteView, shipped_router  # noqa: PLC0415

        if self.help is None:
            self.help = CrisisRouteView(shipped_router, self.pages)
            self.help.back_requested.connect(self.close_help)
            self.pages.addWidget(self.help)
        if self.pages.currentWidget() is not self.help:
            self._before_help = self.pages.currentWidget()
        self.pages.setCurrentWidget(self.help)
        return self.help

    def open_crisis_route(self) -> None:
        self._help().show_crisis()

    def open_directory(self) -> None:
        self._help().show_directory()

    def close_help(self) -> None:
        """Back to the unlock or sign-in page, as it was left; or, signed in meanwhile, away."""
        page, self._before_help = self._before_help or self.unlock, None
        if self._done_after_help:
            self._done_after_help = False
            self.hide()
            return
        self._show(page)

    def done(self) -> None:
        """The person is signed in and their window is open: the gate goes, unless they are
        reading the crisis route or the directory, which is never taken away mid-read (it stays
        in front; Back closes it)."""
        if self.help is not None and self.pages.currentWidget() is self.help:
            self._done_after_help = True
            self.raise_()
            self.activateWindow()
            return
        self.hide()

    def show_page(self, page: QWidget) -> None:
        """Show `page`; while the crisis route is open it stays open, and its Back leads to
        `page` (the store opened meanwhile: the sign-in page, say)."""
        if self.help is not None and self.pages.currentWidget() is self.help:
            self._before_help = page
            return
        self._show(page)

    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        # Compared with the fields, not the properties: reading `self.setup` would build the
        # set-up form on every start just to find that it is not the page being shown.
        if page is self._setup and self._setup is not None:
            self._setup.passphrase.setFocus()
        elif page is self._unlock and self._unlock is not None:
            self._unlock.passphrase.setFocus()
        elif page is self._signin and self._signin is not None:
            self._signin.pin.setFocus()
