"""A whole call on one page: the step list, the caller's language, the crisis route (button and
F12 on every step), autosave into the encrypted store, and saving at the end."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from intake.call import STEP_NAMES, STEPS, Call
from intake.i18n import Language, _, current_language, translate
from intake.safety import RescueMissing
from intake.services.drafts import Draft, draft_of, start_call, start_time
from intake.ui import ops
from intake.ui.call.base import CallServices, StepPage
from intake.ui.call.crisis import CrisisPanel
from intake.ui.call.referral import RecommendationsStep, WrapUpStep, rescue_message
from intake.ui.call.steps import RISK_NAMES, GreetingStep, NeedsStep, SafetyStep, WhoStep
from intake.ui.language import Retranslatable
from intake.ui.widgets import ENDONYMS, CurrentPageStack

log = logging.getLogger(__name__)

# After a call opens, how long before its other steps are prepared (its first frame comes first).
PREPARE_AFTER_MS = 300
AUTOSAVE_MS = 3000
CRISIS_KEY = "F12"
CALLER_LANGUAGE_KEY = "Ctrl+Shift+L"


def new_call(services: CallServices, caller_language: Language) -> Call:
    return start_call(services.now(), caller_language)


class CallPage(Retranslatable, QWidget):
    saved = QtSignal(str)  # contact id
    closed = QtSignal()

    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("call-page")
        self.call = call
        self.services = services
        self._dirty = False
        self._saving_draft = False
        self._saving_call = False  # no autosave may start while the call itself is saved
        self._save_after_draft = False
        self._finished = False
        self._autosave_state: str | None = (
            None  # "saved", "kept-here" or "failed", shown in the current language
        )

        self.step_list = QListWidget(self)
        self.step_list.setObjectName("step-list")
        self.step_list.setMaximumWidth(260)
        for step in STEPS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, step)
            self.step_list.addItem(item)
        self.caller_label = QLabel(self)
        self.caller_label.setObjectName("caller-language-label")
        self.caller_buttons: dict[Language, QToolButton] = {}
        group = QButtonGroup(self)
        language_row = QHBoxLayout()
        language_row.setSpacing(0)
        for language, name in ENDONYMS.items():
            button = QToolButton(self)
            button.setObjectName(f"caller-language-{language}")
            button.setText(name)
            button.setCheckable(True)
            button.setProperty("endonym", True)
            group.addButton(button)
            button.clicked.connect(lambda _c=False, lang=language: self.set_caller_language(lang))
            language_row.addWidget(button)
            self.caller_buttons[language] = button
        self.risk = QLabel(self)
        self.risk.setObjectName("call-risk")
        self.risk.setWordWrap(True)
        self.crisis_button = QPushButton(self)
        self.crisis_button.setObjectName("crisis-button")
        self.crisis_button.setProperty("crisis", True)
        self.autosave_state = QLabel(self)
        self.autosave_state.setObjectName("autosave-state")
        self.autosave_state.setProperty("hint", True)
        # The side column keeps its width in every language and at any font size: its labels
        # wrap rather than widen it (which pushed the window past a 1280-px screen).
        self.caller_label.setWordWrap(True)
        self.autosave_state.setWordWrap(True)
        self.step_list.setWordWrap(True)
        self.step_list.setMaximumWidth(16777215)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_panel = QWidget(self)
        side_panel.setObjectName("call-side")
        # As wide as its widest button or the step names need, never wider: labels wrap.
        side_panel.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.step_list, 1)
        side.addWidget(self.caller_label)
        side.addLayout(language_row)
        side.addWidget(self.risk)
        side.addWidget(self.crisis_button)
        side.addWidget(self.autosave_state)
        # A call started by mistake: abandon it with a short reason (issue 16).
        self.abandon_button = QPushButton(self)
        self.abandon_button.setObjectName("abandon-call")
        self.abandon_button.setProperty("secondary", True)
        self.abandon_button.clicked.connect(self.ask_abandon)
        side.addWidget(self.abandon_button)

        self.stack = CurrentPageStack(self)
        self.steps: dict[str, StepPage] = {
            "greeting": GreetingStep(call, services, self.stack),
            "who": WhoStep(call, services, self.stack),
            "safety": SafetyStep(call, services, self.stack),
            "needs": NeedsStep(call, services, self.stack),
            "recommendations": RecommendationsStep(call, services, self.stack),
            "wrapup": WrapUpStep(call, services, self.stack),
        }
        self.crisis = CrisisPanel(call, services, self.stack)
        for page in (*self.steps.values(), self.crisis):
            self.stack.addWidget(page)
            page.changed.connect(self._changed)
        # While the volunteer reads the greeting, the other steps and the crisis route are
        # styled and laid out, so a first visit to each is as quick as the next.
        self.stack.prepare_hidden(PREPARE_AFTER_MS)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("step-back")
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("step-next")
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        main = QVBoxLayout()
        main.addWidget(self.stack, 1)
        main.addLayout(nav)
        layout = QHBoxLayout(self)
        layout.addWidget(side_panel)
        layout.addLayout(main, 1)

        self.autosave = QTimer(self)
        self.autosave.setObjectName("autosave-timer")
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)
        self.autosave.start()
        for key, slot in (
            (CRISIS_KEY, self.open_crisis),
            (CALLER_LANGUAGE_KEY, self.toggle_caller_language),
            ("Ctrl+PgDown", self.next_step),
            ("Ctrl+PgUp", self.previous_step),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.step_list.currentRowChanged.connect(self._row)
        self.crisis_button.clicked.connect(self.open_crisis)
        self.crisis.back_requested.connect(self.leave_crisis)
        safety = self.steps["safety"]
        assert isinstance(safety, SafetyStep)
        safety.tier_changed.connect(self._tier)
        safety.crisis_needed.connect(self._crisis_needed)
        wrapup = self.steps["wrapup"]
        assert isinstance(wrapup, WrapUpStep)
        wrapup.save_requested.connect(self.save)
        greeting = self.steps["greeting"]
        assert isinstance(greeting, GreetingStep)
        greeting.caller_language_chosen.connect(self.set_caller_language)
        self.back_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.show_step(call.step if call.step in STEPS else "greeting")
        self.retranslate_ui()

    # Steps ------------------------------------------------------------------------------
    @property
    def current_step(self) -> str:
        page = self.stack.currentWidget()
        if page is self.crisis:
            return "crisis"
        return next(step for step, p in self.steps.items() if p is page)

    def show_step(self, step: str) -> None:
        page = self.steps[step]
        page.refresh()
        self.stack.setCurrentWidget(page)
        self.call.step = step
        self.step_list.blockSignals(True)
        self.step_list.setCurrentRow(STEPS.index(step))
        self.step_list.blockSignals(False)
        self._nav()
        if self.isVisible():  # a page built before its call takes no focus while hidden
            self.focus_step()

    def prepare_current_step(self) -> None:
        """Lay out the step on show at the page's size, for a page built hidden before its call
        (its other steps are prepared by `prepare_hidden`): Qt leaves a hidden page's inner
        layouts for its first show."""
        if (page := self.stack.currentWidget()) is not None:
            self.stack.prepare(page)

    def focus_step(self) -> None:
        """The keyboard on the step's first field."""
        page = self.stack.currentWidget()
        if isinstance(page, StepPage) and (focus := page.first_focus()) is not None:
            focus.setFocus()

    def _row(self, row: int) -> None:
        if row >= 0:
            self.show_step(STEPS[row])

    def next_step(self) -> None:
        index = STEPS.index(self.call.step)
        if self.current_step == "crisis":
            self.leave_crisis()
        elif index + 1 < len(STEPS):
            self.show_step(STEPS[index + 1])

    def previous_step(self) -> None:
        index = STEPS.index(self.call.step)
        if self.current_step == "crisis":
            self.leave_crisis()
        elif index > 0:
            self.show_step(STEPS[index - 1])

    def _nav(self) -> None:
        index = STEPS.index(self.call.step)
        self.back_button.setEnabled(index > 0 or self.current_step == "crisis")
        self.next_button.setEnabled(index + 1 < len(STEPS) or self.current_step == "crisis")

    # Crisis route -----------------------------------------------------------------------
    def open_crisis(self) -> None:
        self.call.add_crisis_action("crisis-route-opened")
        self.crisis.refresh()
        self.stack.setCurrentWidget(self.crisis)
        self.step_list.clearSelection()
        self._nav()
        self.crisis.number.setFocus()
        self._changed()

    def leave_crisis(self) -> None:
        self.show_step(self.call.step)

    def _tier(self, _tier: str) -> None:
        self._show_risk()
        self.crisis.refresh()  # the steps and the order of who to call follow the tier

    def _crisis_needed(self, _tier: str) -> None:
        self.open_crisis()

    def _show_risk(self) -> None:
        self.risk.setText(_("Risk: {tier}").format(tier=translate(RISK_NAMES[self.call.risk])))
        self.risk.setProperty("risk", self.call.risk)
        self.risk.style().unpolish(self.risk)
        self.risk.style().polish(self.risk)

    # Caller's language ------------------------------------------------------------------
    def set_caller_language(self, language: Language) -> None:
        self._use_caller_language(language)
        self._changed()

    def _use_caller_language(self, language: Language) -> None:
        self.call.caller_language = language
        self.caller_buttons[language].setChecked(True)
        for page in (*self.steps.values(), self.crisis):
            page.retranslate_ui()

    def toggle_caller_language(self) -> None:
        self.set_caller_language("fr" if self.call.caller_language == "en" else "en")

    # Saving -----------------------------------------------------------------------------
    def _changed(self) -> None:
        self._dirty = True

    def draft(self) -> Draft:
        return draft_of(self.call)

    def save_draft(self) -> None:
        """Autosave: off the UI thread, at most one at a time, only when something changed."""
        if not self._dirty or self._saving_draft or self._finished or self._saving_call:
            return
        draft, drafts = self.draft(), self.services.drafts
        self._dirty = False
        self._saving_draft = True
        ops.run_in_background(
            lambda: drafts.autosave(draft),
            self._draft_saved,
            self._draft_failed,
            name="autosave",
        )

    def _draft_saved(self, result: object) -> None:
        self._saving_draft = False
        # "kept-here": the shared server did not answer; the draft waits, sealed, here.
        self._autosave_state = "kept-here" if result == "kept-here" else "saved"
        self._show_autosave_state()
        self._save_if_waiting()

    def _draft_failed(self, exc: BaseException) -> None:
        self._saving_draft = False
        self._dirty = True  # try again at the next tick; what is on screen is untouched
        log.warning("autosave failed: %s", type(exc).__name__)
        self._autosave_state = "failed"
        self._show_autosave_state()
        self._save_if_waiting()

    def _show_autosave_state(self) -> None:
        texts = {
            "saved": _("Saved a moment ago"),
            "kept-here": _(
                "Saved a moment ago on this computer only, encrypted: the shared server did "
                "not answer. It will be sent when the server answers."
            ),
            "failed": _("Not saved yet: the store did not answer. Retrying."),
        }
        self.autosave_state.setText(texts.get(self._autosave_state or "", ""))

    def _save_if_waiting(self) -> None:
        if self._save_after_draft:
            self._save_after_draft = False
            self.save()

    def save(self) -> None:
        """Save the whole call from a snapshot taken now, in one transaction, off the UI thread.

        An autosave still running would write the draft back after the save removed it, so the
        save waits for it."""
        from intake.ui.call.saving import save_snapshot, snapshot_of  # noqa: PLC0415

        if self._saving_draft:
            self._save_after_draft = True
            return
        services = self.services
        snap = snapshot_of(self.call, services, current_language())
        self._saving_call = True
        ops.run_in_background(
            lambda: save_snapshot(snap, services),
            self._saved,
            self._save_failed,
            name="save-call",
        )

    def _saved(self, _result: object) -> None:
        self._finished = True
        self.autosave.stop()
        self.saved.emit(self.call.contact_id)

    def _save_failed(self, exc: BaseException) -> None:
        from intake.ui.failures import explain  # noqa: PLC0415

        self._saving_call = False
        wrapup = self.steps["wrapup"]
        assert isinstance(wrapup, WrapUpStep)
        if isinstance(exc, RescueMissing):
            problems = exc.problems
            wrapup.show_error(lambda: rescue_message(problems))
            return
        wrapup.show_error(explain(exc))

    def stop(self) -> None:
        self.autosave.stop()

    def begin(self, now: datetime, caller_language: Language) -> None:
        """Start the call on a page built before it (while the volunteer waited for the phone):
        it starts now, the caller's language is the volunteer's as it is now, and autosave runs
        from here. Nothing was typed in it: a page waiting for its call saves no draft."""
        self.call.started_at = start_time(now)
        if self.call.caller_language != caller_language:
            self._use_caller_language(caller_language)
        self.show_step("greeting")
        self.autosave.start()

    # Abandoning a call started by mistake -------------------------------------------------
    def ask_abandon(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # noqa: PLC0415

        from intake.vocabulary import ABANDON_REASONS  # noqa: PLC0415
        from intake.vocabulary_labels import label  # noqa: PLC0415

        names = [label("abandon-reason", code) for code in ABANDON_REASONS]
        chosen, ok = QInputDialog.getItem(
            self,
            _("Abandon this call"),
            _("Nothing of this call will be kept but a line saying it was abandoned. Why?"),
            names,
            0,
            False,
        )
        if ok and chosen in names:
            self.abandon(ABANDON_REASONS[names.index(chosen)])

    def abandon(self, reason: str) -> None:
        """Keep only a coded "abandoned" line (audited with the reason), and drop the draft."""
        from intake.services.abandon import abandon_call  # noqa: PLC0415

        if self._saving_draft:  # the autosave would write the draft back: after it
            QTimer.singleShot(50, lambda: self.abandon(reason))
            return
        self._saving_call = True
        self.autosave.stop()
        call, store, actor = self.call, self.services.session.records, self.services.account_id
        language = current_language()
        ops.run_in_background(
            lambda: abandon_call(
                store,
                contact_id=call.contact_id,
                started_at=call.started_at,
                ui_language=language,
                caller_language=call.caller_language,
                risk=call.risk,
                crisis_actions=tuple(call.crisis_actions),
                reason=reason,
                draft_id=call.contact_id,
                actor=actor,
            ),
            self._saved,
            self._abandon_failed,
            name="abandon-call",
        )

    def _abandon_failed(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        from intake.ui.failures import explain  # noqa: PLC0415

        self._saving_call = False
        self.autosave.start()
        title, advice = explain(exc)()
        QMessageBox.warning(self, title, advice)

    def retranslate_ui(self) -> None:
        for row, step in enumerate(STEPS):
            item = self.step_list.item(row)
            item.setText(f"{row + 1}. {translate(STEP_NAMES[step])}")
        self.step_list.setAccessibleName(_("Steps of the call"))
        self.caller_label.setText(_("Caller's language ({key})").format(key=CALLER_LANGUAGE_KEY))
        self.caller_buttons[self.call.caller_language].setChecked(True)
        self.crisis_button.setText(_("Crisis route ({key})").format(key=CRISIS_KEY))
        self.crisis_button.setToolTip(
            _("Who to call now for the caller's province, and the warm-transfer steps")
        )
        self.abandon_button.setText(_("Abandon (started by mistake)"))
        self.back_button.setText(_("Previous step"))
        self.next_button.setText(_("Next step"))
        self.back_button.setToolTip("Ctrl+PgUp")
        self.next_button.setToolTip("Ctrl+PgDown")
        self._show_risk()
        self._show_autosave_state()
