"""The crisis route and the directory without a PIN or a passphrase (issue 18).

A caller in crisis may be on the line while the station is locked, or before anyone could sign
in (the shared server is down, the passphrase is not at hand). Routing and the directory ship
with the application: this view shows 9-8-8, emergency services and the 24/7 lines of the
province or territory chosen here, the steps to follow, and the whole directory, from that
shipped data alone. It shows nothing stored (no caller, no note, not even the on-call
supervisor's contact, which the store keeps), and it never asks the store or the server
anything, so it opens the same whether the server answers or not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake.crisis import CrisisPlan, crisis_plan
from intake.i18n import _, current_language, pgettext, translate
from intake.provinces import provinces_by_name
from intake.routing.engine import Router
from intake.ui.call.crisis import STEPS_TITLES, entry_frame, steps_for
from intake.ui.language import Retranslatable
from intake.ui.widgets import clear_layout, heading, hint, refill_combo

log = logging.getLogger(__name__)

RouterSource = Callable[[], Router]


def shipped_router() -> Router:
    """The directory that ships with the application (or the one named by the environment,
    as at sign-in on the shared server): no store, no server. About 0.2 s, read once."""
    global _SHIPPED
    if _SHIPPED is None:
        from intake.directory.load import load_directory, override_from_environment  # noqa: PLC0415

        try:
            _SHIPPED = Router(load_directory(override_from_environment()))
        except Exception:
            # The crisis route never depends on it: the shipped directory alone (emergency
            # services, 9-8-8 and every province's 24/7 lines are in it).
            log.warning("the organisation's directory file could not be read: shipped one used")
            _SHIPPED = Router(load_directory())
    return _SHIPPED


_SHIPPED: Router | None = None


def _now() -> datetime:
    return datetime.now().astimezone()


class CrisisRouteView(Retranslatable, QWidget):
    """The crisis route for a chosen province or territory, and the directory, with a way
    back to where the person was (the lock screen, the unlock or sign-in page)."""

    back_requested = QtSignal()

    def __init__(
        self,
        router: RouterSource,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = _now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("open-crisis-route")
        self._router_source = router
        self._router: Router | None = None
        self._now = now
        self.plan: CrisisPlan | None = None
        self.crisis_tab = QPushButton(self)
        self.crisis_tab.setObjectName("open-crisis-tab")
        self.crisis_tab.setCheckable(True)
        self.directory_tab = QPushButton(self)
        self.directory_tab.setObjectName("open-directory-tab")
        self.directory_tab.setCheckable(True)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("open-crisis-back")
        self.back_button.setProperty("secondary", True)
        tabs = QHBoxLayout()
        tabs.addWidget(self.crisis_tab)
        tabs.addWidget(self.directory_tab)
        tabs.addStretch(1)
        tabs.addWidget(self.back_button)

        self.crisis_page = QWidget(self)
        self.crisis_page.setObjectName("open-crisis-page")
        self.title = heading(self.crisis_page, "open-crisis-title")
        self.title.setProperty("crisis", True)
        self.intro = hint(self.crisis_page, "open-crisis-intro")
        self.province_label = QLabel(self.crisis_page)
        self.province = QComboBox(self.crisis_page)
        self.province.setObjectName("open-crisis-province")
        self.province_label.setBuddy(self.province)
        self.plan_box = QGroupBox(self.crisis_page)
        self.plan_box.setObjectName("open-crisis-plan")
        self.plan_layout = QVBoxLayout(self.plan_box)
        self.steps_box = QGroupBox(self.crisis_page)
        self.steps_box.setObjectName("open-crisis-steps-box")
        self.steps = QLabel(self.steps_box)
        self.steps.setObjectName("open-crisis-steps")
        self.steps.setWordWrap(True)
        QVBoxLayout(self.steps_box).addWidget(self.steps)
        row = QHBoxLayout()
        row.addWidget(self.province_label)
        row.addWidget(self.province)
        row.addStretch(1)
        inner = QVBoxLayout(self.crisis_page)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(row)
        for box in (self.plan_box, self.steps_box):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            inner.addWidget(box)
        inner.addStretch(1)
        scroller = QScrollArea(self)
        scroller.setObjectName("open-crisis-scroller")
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.crisis_page)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(scroller)
        self._scroller = scroller
        self.directory: QWidget | None = None  # built when first asked for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tabs)
        layout.addWidget(self.stack, 1)

        self.crisis_tab.clicked.connect(self.show_crisis)
        self.directory_tab.clicked.connect(self.show_directory)
        self.back_button.clicked.connect(self.back_requested)
        self.province.currentIndexChanged.connect(lambda _index: self._fill_plan())
        self.retranslate_ui()

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = self._router_source()
        return self._router

    def show_crisis(self) -> None:
        self.stack.setCurrentWidget(self._scroller)
        self._mark_tab()
        self._fill_plan()
        self.province.setFocus()

    def show_directory(self) -> None:
        if self.directory is None:
            from intake.ui.directory_browser import DirectoryBrowser  # noqa: PLC0415

            self.directory = DirectoryBrowser(self.router, self._now, self.stack)
            self.stack.addWidget(self.directory)
        self.stack.setCurrentWidget(self.directory)
        self._mark_tab()
        self.directory.search.setFocus()  # type: ignore[attr-defined]

    @property
    def on_directory(self) -> bool:
        return self.directory is not None and self.stack.currentWidget() is self.directory

    def _mark_tab(self) -> None:
        """The part on screen is the filled button; the other is outlined."""
        for tab, current in (
            (self.crisis_tab, not self.on_directory),
            (self.directory_tab, self.on_directory),
        ):
            tab.setChecked(current)
            tab.setProperty("secondary", not current)
            tab.style().unpolish(tab)
            tab.style().polish(tab)

    def choose_province(self, code: str | None) -> None:
        self.province.setCurrentIndex(max(self.province.findData(code), 0))

    def retranslate_ui(self) -> None:
        language = current_language()
        self.crisis_tab.setText(_("Crisis route"))
        self.directory_tab.setText(pgettext("action", "Directory"))
        self.back_button.setText(_("Back"))
        self.title.setText(_("Crisis route"))
        self.intro.setText(
            _(
                "No PIN is needed: this shows only what comes with the application, never a "
                "caller's record, and it works without the shared server. Stay with the caller."
            )
        )
        self.province_label.setText(_("Where the caller is"))
        chosen = self.province.currentData()
        refill_combo(
            self.province,
            [(_("Not known yet"), None), *provinces_by_name(language)],
        )
        self.province.setCurrentIndex(max(self.province.findData(chosen), 0))
        self.plan_box.setTitle(pgettext("group title", "Who to call"))
        self.steps_box.setTitle(translate(STEPS_TITLES["imminent"]))
        self.steps.setText(
            "\n".join(f"{n}. {_(step)}" for n, step in enumerate(steps_for("imminent"), 1))
        )
        self._mark_tab()
        if self.isVisible():
            self._fill_plan()

    def _fill_plan(self) -> None:
        language = current_language()
        self.plan = crisis_plan(
            self.router, self.province.currentData(), self._now(), language=language
        )
        clear_layout(self.plan_layout)
        for entry in self.plan.entries:
            self.plan_layout.addWidget(entry_frame(entry, language, self.plan_box, "open-crisis"))
        if self.plan.province is None:
            # 9-1-1 comes first while nobody knows where the caller is; it does not reach every
            # community in Nunavut, which has its own numbers: never let that go unsaid.
            unknown = hint(self.plan_box, "open-crisis-province-unknown")
            unknown.setText(
                _(
                    "Where the caller is decides the local crisis line. In Nunavut, 9-1-1 does "
                    "not reach every community: choose Nunavut to see its emergency numbers."
                )
            )
            self.plan_layout.insertWidget(0, unknown)
