"""One person's visit to the kiosk: every screen they see and everything they enter.

A session is thrown away whole when the person leaves (finish, start over, or idle): the kiosk
window builds a new one, so no field, undo stack or button state of theirs survives.
Saving (coded answers, a consented callback, anonymous feedback) runs off the UI thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from intake.callback_numbers import CallbackNumber
from intake.crisis import crisis_plan
from intake.guidance import Section
from intake.i18n import Language, _, current_language, pgettext
from intake.kiosk import FORMATS, NEEDS, SAFETY, SERVICE_LANGUAGES, STEPS, WHO, KioskAnswers
from intake.provinces import PROVINCES
from intake.routing.engine import Result, Router
from intake.storage.db import Store
from intake.storage.records import ContactRecord
from intake.ui import ops
from intake.ui.kiosk.parts import KioskScreen
from intake.ui.kiosk.results import MAX_CARDS, CallbackScreen, FeedbackScreen, ResultsScreen
from intake.ui.kiosk.screens import (
    ChoiceScreen,
    CrisisScreen,
    WelcomeScreen,
    explained_options_from,
    options_from,
    province_options,
)
from intake.ui.language import Retranslatable

log = logging.getLogger(__name__)


def _ignore(_result: object) -> None:
    pass


def _log_failure(exc: BaseException) -> None:
    # Coded answers only: the person carries on; whoever looks after the kiosk sees the log.
    log.warning("kiosk record not saved: %s", type(exc).__name__)


@dataclass(frozen=True)
class KioskServices:
    """What a session needs from the application; `now` is injectable for tests."""

    router: Router
    guidance: tuple[Section, ...]
    store: Store
    account_id: str | None
    default_province: str | None
    now: Callable[[], datetime]


def _questions() -> dict[str, Callable[[], str]]:
    return {
        "who": lambda: _("Who are you?"),
        "province": lambda: _("Where do you live or work?"),
        "safety": lambda: _("Are you having thoughts of ending your life, or of hurting yourself?"),
        "need": lambda: _("What kind of help would you like?"),
        "format": lambda: _("How would you like to meet?"),
        "service_language": lambda: _("In which language would you like the service?"),
    }


def _safety_about_colleague() -> str:
    return _("Do you think your colleague is thinking of ending their life, or is in danger now?")


class _LazyQuestions(Mapping[str, ChoiceScreen]):
    """The question screens by step, each built when first asked for."""

    def __init__(self, session: KioskSession) -> None:
        self._session = session
        self._built: dict[str, ChoiceScreen] = {}

    def __getitem__(self, step: str) -> ChoiceScreen:
        if step not in STEPS:
            raise KeyError(step)
        if step not in self._built:
            self._built[step] = self._session.build_question(step)
        return self._built[step]

    def __iter__(self) -> Iterator[str]:
        return iter(STEPS)

    def __len__(self) -> int:
        return len(STEPS)


class KioskSession(Retranslatable, QWidget):
    language_chosen = QtSignal(str)
    ended = QtSignal()  # finished or "Start over": the window wipes and rebuilds

    def __init__(self, services: KioskServices, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-session")
        self.services = services
        self.contact_id = str(uuid.uuid4())
        self.started_at = services.now()
        self.answers: KioskAnswers | None = None
        self.crisis_shown = False
        self._crisis_after_safety = False
        self._history: list[QWidget] = []
        self._result: Result | None = None
        self._callback: CallbackNumber | None = None
        self._pending_callback: CallbackNumber | None = None

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("kiosk-stack")
        self.welcome = WelcomeScreen(self.stack)
        self.stack.addWidget(self.welcome)
        # Every other screen is built the first time it is needed: a new session (after each
        # visitor) then costs one screen, not twelve (measured: tests/bench/bench_kiosk.py).
        self.questions = _LazyQuestions(self)
        self._crisis: CrisisScreen | None = None
        self._results: ResultsScreen | None = None
        self._callback_screen: CallbackScreen | None = None
        self._feedback: FeedbackScreen | None = None

        self.back_button = QPushButton(self)
        self.back_button.setObjectName("kiosk-back")
        self.back_button.setProperty("secondary", True)
        self.start_over_button = QPushButton(self)
        self.start_over_button.setObjectName("kiosk-start-over")
        self.start_over_button.setProperty("secondary", True)
        footer = QHBoxLayout()
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.start_over_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.welcome.language_chosen.connect(self._language_chosen)
        self.back_button.clicked.connect(self.back)
        self.start_over_button.clicked.connect(self.ended)
        self._show(self.welcome)
        self.retranslate_ui()

    # Screens, built on first use ---------------------------------------------------------
    def build_question(self, step: str) -> ChoiceScreen:
        questions = _questions()
        if step == "province":
            screen = ChoiceScreen(
                step, questions[step], province_options(), self.stack, columns=2, sort_by_title=True
            )
        elif step == "safety":
            screen = ChoiceScreen(
                step,
                self._safety_question,
                options_from(SAFETY),
                self.stack,
                intro=lambda: _("Whatever you answer, you can keep going."),
            )
        elif step == "need":
            screen = ChoiceScreen(step, questions[step], explained_options_from(NEEDS), self.stack)
        else:
            table = {"who": WHO, "format": FORMATS, "service_language": SERVICE_LANGUAGES}[step]
            screen = ChoiceScreen(step, questions[step], options_from(table), self.stack)
        screen.chosen.connect(self._answered)
        self.stack.addWidget(screen)
        return screen

    @property
    def crisis(self) -> CrisisScreen:
        if self._crisis is None:
            self._crisis = CrisisScreen(self.stack)
            self._crisis.continue_requested.connect(self._after_crisis)
            self.stack.addWidget(self._crisis)
        return self._crisis

    @property
    def results(self) -> ResultsScreen:
        if self._results is None:
            self._results = ResultsScreen(self.services.router, self.stack)
            self._results.callback_requested.connect(lambda: self._go(self.callback))
            self._results.finish_requested.connect(lambda: self._go(self.feedback))
            self.stack.addWidget(self._results)
        return self._results

    @property
    def callback(self) -> CallbackScreen:
        if self._callback_screen is None:
            self._callback_screen = CallbackScreen(self.stack)
            self._callback_screen.submitted.connect(self._save_callback)
            self.stack.addWidget(self._callback_screen)
        return self._callback_screen

    @property
    def feedback(self) -> FeedbackScreen:
        if self._feedback is None:
            self._feedback = FeedbackScreen(self.stack)
            self._feedback.finished.connect(self._save_feedback)
            self.stack.addWidget(self._feedback)
        return self._feedback

    def retranslate_ui(self) -> None:
        self.back_button.setText(pgettext("kiosk", "Back"))
        self.start_over_button.setText(pgettext("kiosk", "Start over"))

    # Navigation -------------------------------------------------------------------------
    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)
        at_start = screen is self.welcome
        self.back_button.setVisible(not at_start)
        self.start_over_button.setVisible(not at_start)
        if isinstance(screen, KioskScreen) and (focus := screen.first_focus()) is not None:
            focus.setFocus()

    def _go(self, screen: QWidget) -> None:
        current = self.current
        if current is not None and screen is not current:
            self._history.append(current)
        self._show(screen)

    def back(self) -> None:
        if self._history:
            self._show(self._history.pop())

    @property
    def pristine(self) -> bool:
        """Nothing entered yet: on the welcome screen, in the kiosk's own language."""
        return self.answers is None and self.current is self.welcome

    def _language_chosen(self, language: str) -> None:
        self.answers = KioskAnswers(cast(Language, language))
        self.language_chosen.emit(language)
        self._ask("who")

    def _ask(self, step: str) -> None:
        screen = self.questions[step]
        screen.show_answer(getattr(self.answers, step))
        screen.retranslate_ui()
        self._go(screen)
        # Build the next screen while the person reads this one, so their next tap only
        # switches pages. Tied to this session: the timer is cancelled if it is wiped first.
        following = STEPS[STEPS.index(step) + 1 :]
        if following:
            QTimer.singleShot(0, self, partial(self.questions.__getitem__, following[0]))
        else:
            QTimer.singleShot(0, self, lambda: self.results)

    def _safety_question(self) -> str:
        if self.answers is not None and self.answers.about_colleague:
            return _safety_about_colleague()
        return _questions()["safety"]()

    def _answered(self, step: str, value: str) -> None:
        assert self.answers is not None
        self.answers = self.answers.answer(step, value)
        if step == "safety" and self.answers.in_danger:
            self.show_crisis(after_safety=True)
            return
        self._advance_from(step)

    def _advance_from(self, step: str) -> None:
        following = STEPS[STEPS.index(step) + 1 :]
        if following:
            self._ask(following[0])
        else:
            self._show_results()

    def _after_crisis(self) -> None:
        if self._crisis_after_safety:
            # Shown because of the answer: carry on to the next question, not back to it.
            self._crisis_after_safety = False
            self._advance_from("safety")
        elif self._history:
            self.back()
        else:
            self._show(self.welcome)

    def show_crisis(self, *, after_safety: bool = False) -> None:
        """Who to call now; reachable from every screen, and nothing entered is lost."""
        self._crisis_after_safety = after_safety
        answers = self.answers
        language: Language = answers.language if answers else current_language()
        province = (answers.province if answers else None) or self.services.default_province
        if province not in PROVINCES:
            province = None
        plan = crisis_plan(
            self.services.router,
            province,
            self.services.now(),
            role=(answers.role if answers else None) or "physician",
            language=language,
            about_colleague=bool(answers and answers.about_colleague),
        )
        self.crisis.show_plan(plan, language)
        self.crisis_shown = True
        self._go(self.crisis)
        if answers is not None and answers.province is not None:
            self._save_record()

    def _show_results(self) -> None:
        answers = self.answers
        assert answers is not None
        self._result = self.services.router.route(answers.request(self.services.now()))
        guidance = self.services.guidance if answers.about_colleague else ()
        self.results.show_result(self._result, guidance, answers.language)
        self._go(self.results)
        self._save_record()

    # Saving -----------------------------------------------------------------------------
    def _record(self, callback: CallbackNumber | None) -> ContactRecord:
        answers = self.answers
        assert answers is not None
        shown = self._result.recommendations[:MAX_CARDS] if self._result else ()
        return answers.record(
            self.contact_id,
            self.started_at,
            current_language(),
            tuple(r.program.id for r in shown),
            outcome="callback-requested" if callback else "referred",
            callback_number=callback.e164 if callback else None,
            crisis_shown=self.crisis_shown,
        )

    def _save_record(self) -> None:
        from intake.storage.records import save_contact  # noqa: PLC0415

        record = self._record(self._callback)
        store, actor = self.services.store, self.services.account_id
        ops.run_in_background(
            lambda: save_contact(store, record, actor),
            _ignore,
            _log_failure,
            name="kiosk-save",
        )

    def _save_callback(self, number: CallbackNumber, best_time: str) -> None:
        from intake.storage.records import add_callback, save_contact  # noqa: PLC0415

        answers = self.answers
        assert answers is not None
        assert answers.province is not None
        record = self._record(number)
        store, actor, contact_id = self.services.store, self.services.account_id, self.contact_id
        zone = PROVINCES[answers.province].zone
        callback_id = str(uuid.uuid4())

        def work() -> None:
            save_contact(store, record, actor)
            add_callback(
                store,
                callback_id,
                contact_id,
                number=number.e164,
                best_time=best_time,
                time_zone=zone,
                actor=actor,
            )

        self._pending_callback = number
        ops.run_in_background(
            work, self._callback_saved, self._callback_failed, name="kiosk-callback"
        )

    def _callback_saved(self, _result: object) -> None:
        self._callback = self._pending_callback
        self.feedback.callback_saved()
        self._go(self.feedback)

    def _callback_failed(self, _exc: BaseException) -> None:
        self.callback.save_failed()

    def _save_feedback(self, rating: int | None, found: bool | None) -> None:
        from intake.storage.feedback import save_feedback  # noqa: PLC0415

        answers = self.answers
        if (rating is None and found is None) or answers is None:
            self.ended.emit()
            return
        store, feedback_id = self.services.store, str(uuid.uuid4())
        day = self.services.now().date()
        ops.run_in_background(
            lambda: save_feedback(
                store,
                feedback_id,
                day=day,
                channel="kiosk",
                language=answers.language,
                rating=rating,
                found=found,
            ),
            self._feedback_saved,
            self._feedback_saved,
            name="kiosk-feedback",
        )

    def _feedback_saved(self, _result: object) -> None:
        # Saved or not, the visit is over: a failed anonymous rating is not worth keeping anyone.
        self.ended.emit()
