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
from functools import cache, partial
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from intake.callback_numbers import CallbackNumber
from intake.crisis import crisis_plan
from intake.guidance import Section, family_guidance
from intake.i18n import Language, _, current_language, pgettext
from intake.kiosk import (
    FORMATS,
    NEEDS,
    OUTCOME_CALLBACK,
    OUTCOME_CRISIS,
    OUTCOME_REFERRED,
    SAFETY,
    SERVICE_LANGUAGES,
    STEPS,
    WHO,
    KioskAnswers,
    kiosk_tier,
    next_safety_question,
)
from intake.provinces import PROVINCES
from intake.routing.engine import Result, Router
from intake.safety import Screen, load_screen
from intake.services.kiosk import CallbackRequest, ContactRecord, KioskDesk, PeerRequestNotSaved
from intake.services.matching import PeerAsk
from intake.ui import ops
from intake.ui.kiosk.parts import KioskScreen
from intake.ui.kiosk.results import (
    MAX_CARDS,
    CallbackScreen,
    FeedbackScreen,
    PeerScreen,
    ResultsScreen,
)
from intake.ui.kiosk.screens import (
    ChoiceScreen,
    CrisisScreen,
    WelcomeScreen,
    explained_options_from,
    options_from,
    province_options,
)
from intake.ui.language import Retranslatable
from intake.ui.widgets import CurrentPageStack

log = logging.getLogger(__name__)


def _log_failure(exc: BaseException) -> None:
    # Coded answers only: the person carries on; whoever looks after the kiosk sees the log.
    log.warning("kiosk record not saved: %s", type(exc).__name__)


@dataclass(frozen=True)
class KioskServices:
    """What a session needs from the application; `now` is injectable for tests."""

    router: Router
    guidance: tuple[Section, ...]
    desk: KioskDesk  # saves visits and ratings; the window never holds the store
    account_id: str | None
    default_province: str | None
    now: Callable[[], datetime]
    screen: Screen | None = None  # None: the shipped safety screen


@cache
def _shipped_screen() -> Screen:
    return load_screen()


def _questions() -> dict[str, Callable[[], str]]:
    return {
        "who": lambda: _("Who are you?"),
        "province": lambda: _("Where do you live or work?"),
        "need": lambda: _("What kind of help would you like?"),
        "format": lambda: _("How would you like to meet?"),
        "service_language": lambda: _("In which language would you like the service?"),
    }


class _LazyQuestions(Mapping[str, ChoiceScreen]):
    """The question screens by step, each built when first asked for."""

    def __init__(self, session: KioskSession) -> None:
        self._session = session
        self._built: dict[str, ChoiceScreen] = {}

    def __getitem__(self, step: str) -> ChoiceScreen:
        """A step of STEPS, or "safety:<id>" for a safety question after the first."""
        if step not in STEPS and not step.startswith(SAFETY_PREFIX):
            raise KeyError(step)
        if step not in self._built:
            self._built[step] = self._session.build_question(step)
        return self._built[step]

    def __iter__(self) -> Iterator[str]:
        return iter(STEPS)

    def __len__(self) -> int:
        return len(STEPS)


SAFETY_PREFIX = "safety:"
# After a new session's welcome screen is up, how long before the rest of its screens are built
# (the wipe's own frame is painted first; a visitor is rarely at the screen within it).
PREPARE_AFTER_MS = 300


class KioskSession(Retranslatable, QWidget):
    language_chosen = QtSignal(str)
    ended = QtSignal()  # finished or "Start over": the window wipes and rebuilds
    help_needed = QtSignal()  # the crisis screen is up: the window alerts the staff

    def __init__(self, services: KioskServices, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk-session")
        self.services = services
        self.contact_id = str(uuid.uuid4())
        self.started_at = services.now()
        self.answers: KioskAnswers | None = None
        self.crisis_shown = False
        self.staff_alerted = False
        self.results_shown = False
        self.safety_screen = services.screen or _shipped_screen()
        self.screen_answers: dict[str, str] = {}
        self._crisis_after_safety = False
        self._history: list[QWidget] = []
        self._result: Result | None = None
        # The callback request the person confirmed (kept from "Send my request" on: every
        # later save of the visit carries it), and whether the store has it yet.
        self._callback: CallbackRequest | None = None
        self._callback_stored = False
        # The request for a peer supporter the person agreed to send (issue 17), likewise.
        self._peer: PeerAsk | None = None
        self._peer_stored = False
        self._peer_id = str(uuid.uuid4())
        self._peer_at = datetime.now().astimezone()  # when the visitor confirmed it
        # One save at a time, each of the visit as it is then: a save asked for while another
        # runs waits and then writes the latest state, so an older state never lands last.
        self._saving = False
        self._save_again = False

        # Lays out only the screen on show (as the call's steps): a visitor's language choice
        # then re-measures one screen's wrapped text, not every screen built so far.
        self.stack = CurrentPageStack(self)
        self.stack.setObjectName("kiosk-stack")
        self.welcome = WelcomeScreen(self.stack)
        self.stack.addWidget(self.welcome)
        # Every other screen is built the first time it is needed: a new session (after each
        # visitor) then costs one screen, not twelve (measured: tests/bench/bench_kiosk.py).
        self.questions = _LazyQuestions(self)
        self._crisis: CrisisScreen | None = None
        self._results: ResultsScreen | None = None
        self._callback_screen: CallbackScreen | None = None
        self._peer_screen: PeerScreen | None = None
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
        # The screens a visit needs are built while the kiosk waits at the welcome screen for
        # its next visitor, one per turn of the event loop (a tap meanwhile waits for one
        # screen at most), so a visitor's taps only switch pages. The crisis screen is among
        # them: it must come up at once. Tied to this session: the timers die with it.
        self._to_prepare: list[Callable[[], QWidget]] = [
            lambda: self.crisis,
            *(partial(self.questions.__getitem__, step) for step in STEPS),
            lambda: self.results,
        ]
        self.prepared = False
        QTimer.singleShot(PREPARE_AFTER_MS, self, self._prepare_next)

    # Screens, built on first use or ahead of it -------------------------------------------
    def _prepare_next(self) -> None:
        if not self._to_prepare:
            self.prepared = True
            return
        self.stack.prepare(self._to_prepare.pop(0)())
        QTimer.singleShot(0, self, self._prepare_next)

    def build_question(self, step: str) -> ChoiceScreen:
        questions = _questions()
        if step == "province":
            screen = ChoiceScreen(
                step, questions[step], province_options(), self.stack, columns=2, sort_by_title=True
            )
        elif step == "safety" or step.startswith(SAFETY_PREFIX):
            qid = self._safety_id(step)
            screen = ChoiceScreen(
                step,
                partial(self._safety_question, qid),
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
    def crisis_screen_if_built(self) -> CrisisScreen | None:
        return self._crisis

    @property
    def results(self) -> ResultsScreen:
        if self._results is None:
            self._results = ResultsScreen(self.services.router, self.stack)
            self._results.callback_requested.connect(lambda: self._go(self.callback))
            self._results.peer_requested.connect(self._ask_peer)
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
    def peer(self) -> PeerScreen:
        if self._peer_screen is None:
            self._peer_screen = PeerScreen(self.stack)
            self._peer_screen.submitted.connect(self._save_peer)
            self.stack.addWidget(self._peer_screen)
        return self._peer_screen

    def _ask_peer(self) -> None:
        answers = self.answers
        screen = self.peer
        if answers is not None and self._peer is None:
            screen.preset(answers.service_language or answers.language, answers.format)
        self._go(screen)

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
        if step == "safety" or step.startswith(SAFETY_PREFIX):
            screen.show_answer(self.screen_answers.get(self._safety_id(step)))
        else:
            screen.show_answer(getattr(self.answers, step))
        screen.retranslate_ui()
        self._go(screen)
        # Build the next screen while the person reads this one, so their next tap only
        # switches pages. Tied to this session: the timer is cancelled if it is wiped first.
        following = STEPS[STEPS.index(step) + 1 :] if step in STEPS else ("need",)
        if following:
            QTimer.singleShot(0, self, partial(self.questions.__getitem__, following[0]))
        else:
            QTimer.singleShot(0, self, lambda: self.results)

    # The safety screen: the kiosk questions of the protocol, one per screen ----------------
    def _safety_id(self, step: str) -> str:
        if step.startswith(SAFETY_PREFIX):
            return step[len(SAFETY_PREFIX) :]
        return self.safety_screen.kiosk_questions[0].id

    def _safety_step(self, qid: str) -> str:
        return "safety" if qid == self.safety_screen.kiosk_questions[0].id else SAFETY_PREFIX + qid

    def _safety_question(self, qid: str) -> str:
        question = self.safety_screen.question(qid)
        about_other = self.answers is not None and self.answers.about_colleague
        text = question.ask_about_other if about_other else question.ask
        return text.get(current_language())

    def _answered_safety(self, step: str, value: str) -> None:
        assert self.answers is not None
        self.screen_answers[self._safety_id(step)] = value
        following = next_safety_question(self.safety_screen, self.screen_answers)
        if following is not None:
            self._ask(self._safety_step(following))
            return
        self.answers = self.answers.answer(
            "safety", kiosk_tier(self.safety_screen, self.screen_answers)
        )
        if self.answers.in_danger:
            self.show_crisis(after_safety=True)
        else:
            self._advance_from("safety")

    def _answered(self, step: str, value: str) -> None:
        assert self.answers is not None
        if step == "safety" or step.startswith(SAFETY_PREFIX):
            self._answered_safety(step, value)
            return
        self.answers = self.answers.answer(step, value)
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
        """Who to call now; reachable from every screen, and nothing entered is lost. The staff
        are alerted: the answers, or the person's own tap on "Need help now?", say so."""
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
            risk=answers.risk if answers else "imminent",
            about_family=bool(answers and answers.who == "family"),
        )
        self.crisis.show_plan(plan, language)
        self.crisis_shown = True
        self.staff_alerted = True
        self._go(self.crisis)
        self.help_needed.emit()
        if answers is not None and answers.province is not None:
            self._save_record()

    def _show_results(self) -> None:
        answers = self.answers
        assert answers is not None
        self._result = self.services.router.route(
            answers.request(self.services.now()), limit=MAX_CARDS
        )
        family = answers.who == "family"
        if family:
            guidance = family_guidance()  # what the call reads to a family member
        else:
            guidance = self.services.guidance if answers.about_colleague else ()
        self.results.show_result(self._result, guidance, answers.language, family=family)
        self.results_shown = True
        self._go(self.results)
        self._save_record()

    # Saving -----------------------------------------------------------------------------
    def _record(self) -> ContactRecord:
        answers = self.answers
        assert answers is not None
        callback = self._callback
        shown = self._result.recommendations[:MAX_CARDS] if self._result else ()
        return answers.record(
            self.contact_id,
            self.started_at,
            current_language(),
            tuple(r.program.id for r in shown),
            outcome=self.outcome(callback),
            callback_number=callback.number if callback else None,
            crisis_shown=self.crisis_shown,
            staff_alerted=self.staff_alerted,
        )

    def outcome(self, callback: CallbackRequest | None = None) -> str:
        """What really happened: a callback, programs shown, or left from the crisis screen."""
        if callback is not None:
            return OUTCOME_CALLBACK
        if self.results_shown:
            return OUTCOME_REFERRED
        return OUTCOME_CRISIS if self.crisis_shown else OUTCOME_REFERRED

    def _save_record(self) -> None:
        """Save the visit as it is now (coded answers, and the callback once confirmed)."""
        if self._saving:
            self._save_again = True
            return
        record, callback = self._record(), self._callback
        desk = self.services.desk
        with_callback = callback is not None and not self._callback_stored
        peer, peer_id, when = self._peer, self._peer_id, self._peer_at
        with_peer = peer is not None and not self._peer_stored

        def save() -> tuple[str, Exception | None]:
            # The visit first, then the request for a peer supporter, which points at it; saves
            # run one at a time. The request goes with every save once the visitor confirmed
            # it (added once: its id is this session's), so a later save of the visit kept in
            # the shared server's outbox ("kept-here") never leaves it behind.
            request, refused = None, None
            if peer is not None:
                try:
                    request = desk.peer_request(peer_id, peer, record, when)
                except Exception as exc:  # the screen checked; the visit is saved without it
                    refused = exc
            try:
                return desk.save_visit(record, callback, request), refused
            except PeerRequestNotSaved as exc:  # the visit is kept: only the request failed
                return exc.kept, exc.cause

        self._saving = True
        ops.run_in_background(
            save,
            partial(self._visit_saved, with_callback, with_peer),
            partial(self._visit_failed, with_callback, with_peer),
            name="kiosk-callback" if with_callback or with_peer else "kiosk-save",
        )

    def _visit_saved(
        self, with_callback: bool, with_peer: bool, result: tuple[str, Exception | None]
    ) -> None:
        """The visit (its callback and its peer request) is kept, on the store or, while the
        shared server cannot be reached, sealed on this kiosk ("kept-here": the person is
        told their request will reach the team when the connection is back); the peer request
        too unless it was refused: the screens then say exactly that, never that the callback
        was lost."""
        kept, peer_failure = result
        self._saving = False
        if with_callback:
            self._callback_stored = True
            if kept == "kept-here":
                self.feedback.callback_kept_here()
            else:
                self.feedback.callback_saved()
            if self.current is self.callback:
                self._go(self.feedback)
        if with_peer and peer_failure is not None:
            self._peer = None
            self.peer.save_failed()
        elif with_peer:
            self._peer_stored = True
            if kept == "kept-here":
                self.feedback.peer_kept_here()
            else:
                self.feedback.peer_saved()
            if self.current is self.peer:
                self._go(self.feedback)
        self._next_save()

    def _visit_failed(self, with_callback: bool, with_peer: bool, exc: BaseException) -> None:
        self._saving = False
        if with_callback and not self._callback_stored:
            # Not kept: the person is told on the callback screen and can try again.
            self._callback = None
            self.callback.save_failed()
        if with_peer and not self._peer_stored:
            self._peer = None
            self.peer.save_failed()
        if not (with_callback or with_peer):
            _log_failure(exc)
        self._next_save()

    def _next_save(self) -> None:
        if self._save_again:
            self._save_again = False
            self._save_record()

    def _save_callback(
        self, number: CallbackNumber, best_time: str, messages_ok: bool = False
    ) -> None:
        answers = self.answers
        assert answers is not None
        assert answers.province is not None
        self._callback = CallbackRequest(
            # Sent again (after a detour to the crisis screen): the same request, updated.
            id=self._callback.id if self._callback else str(uuid.uuid4()),
            number=number.e164,
            best_time=best_time,
            time_zone=PROVINCES[answers.province].zone,
            messages_ok=messages_ok,
        )
        self._callback_stored = False
        self._save_record()

    def _save_peer(self, ask: PeerAsk) -> None:
        """The person agreed (the screen checked): saved with the visit, one save at a time."""
        self._peer = ask
        self._peer_at = self.services.now()
        self._peer_stored = False
        self._save_record()

    def _save_feedback(self, rating: int | None, found: bool | None) -> None:
        answers = self.answers
        if (rating is None and found is None) or answers is None:
            self.ended.emit()
            return
        desk, feedback_id = self.services.desk, str(uuid.uuid4())
        day = self.services.now().date()
        ops.run_in_background(
            lambda: desk.save_feedback(
                feedback_id,
                day=day,
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
