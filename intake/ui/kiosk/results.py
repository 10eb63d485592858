"""The kiosk's last screens: recommendations as cards, a callback request, "was this useful?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from intake.callback_numbers import CallbackNumber, explain, parse_callback
from intake.guidance import Section
from intake.i18n import Language, _, language_name, pgettext, translate
from intake.kiosk import BEST_TIMES
from intake.routing.engine import Recommendation, Result, Router
from intake.routing.reasons import plain_cautions, self_reason_text
from intake.routing.render import contact_line, status_line
from intake.services.matching import PeerAsk
from intake.ui.kiosk.parts import (
    HELP_NOW,
    ChoiceButton,
    KioskScreen,
    NumberPad,
    PrivateLineEdit,
    breakable,
    card,
    no_drag_to_scroll,
    text_label,
)
from intake.ui.kiosk.screens import options_from
from intake.ui.widgets import clear_layout
from intake.vocabulary_labels import TOPICS

MAX_CARDS = 5
# Reasons that say nothing about fit (every card has them) or that the status line already says.
_QUIET_REASONS = frozenset(
    {"role-eligible", "open-now", "open-24-7", "closed-now", "hours-unknown", "serves-province"}
)


class ResultsScreen(KioskScreen):
    callback_requested = QtSignal()
    peer_requested = QtSignal()
    finish_requested = QtSignal()

    def __init__(self, router: Router, parent: QWidget) -> None:
        super().__init__("kiosk-results", parent)
        self._router = router
        self._result: Result | None = None
        self._guidance: tuple[Section, ...] = ()
        self._language: Language = "en"
        self._family = False  # the guidance is for a physician's family member
        self._laid_out_wide = False
        self.cards = QWidget(self)
        self.cards.setObjectName("kiosk-cards")
        self.cards_layout = QGridLayout(self.cards)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(14)
        self.callback_button = QPushButton(self)
        self.callback_button.setObjectName("kiosk-ask-callback")
        self.peer_button = QPushButton(self)
        self.peer_button.setObjectName("kiosk-ask-peer")
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("kiosk-finish")
        self.finish_button.setProperty("secondary", True)
        # Always on screen, under the cards however long they are. On a portrait screen the two
        # requests go one above the other: side by side with "Finish", their French labels were
        # cut; a landscape screen keeps them in a row, leaving the height to the cards.
        self.requests = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.requests.setSpacing(14)
        self.requests.addWidget(self.callback_button)
        self.requests.addWidget(self.peer_button)
        self.footer.addLayout(self.requests)
        self.footer.addStretch(1)
        self.footer.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignBottom)
        # On every results screen, whatever the answers: help at any hour.
        self.line_988 = text_label(self, "kiosk-results-988")
        self.line_988.setProperty("caution", True)
        self.body.addWidget(self.line_988)
        self.body.addWidget(self.cards)
        self.body.addStretch(1)
        self.callback_button.clicked.connect(self.callback_requested)
        self.peer_button.clicked.connect(self.peer_requested)
        self.finish_button.clicked.connect(self.finish_requested)
        self.retranslate_ui()

    def show_result(
        self,
        result: Result,
        guidance: tuple[Section, ...],
        language: Language,
        *,
        family: bool = False,
    ) -> None:
        self._result, self._guidance, self._language = result, guidance, language
        self._family = family
        self.retranslate_ui()
        self.scroller.verticalScrollBar().setValue(0)

    def retranslate_ui(self) -> None:
        if self._guidance and self._family:
            self.title.setText(_("How to support the physician in your family, and who can help"))
        elif self._guidance:
            self.title.setText(_("How to help your colleague, and who can help"))
        else:
            self.title.setText(_("Programs that can help"))
        self.set_intro(_("All of them are confidential. You can contact more than one."))
        self.line_988.setText(
            _(
                "Thinking about suicide, or worried about someone? Call or text 9-8-8, any "
                "time, in English or French."
            )
        )
        self.callback_button.setText(_("Ask for a callback"))
        self.peer_button.setText(_("Ask for a trained peer supporter"))
        self.finish_button.setText(pgettext("kiosk", "Finish"))
        self._fill()

    def _fill(self) -> None:
        clear_layout(self.cards_layout)
        if self._result is None:
            return
        recommendations = self._result.recommendations[:MAX_CARDS]
        # Guidance beside the programs on a landscape screen, above them on a portrait one.
        column, row = 0, 0
        # Remembered, so a resize that turns the screen lays the cards out again (the screen
        # may be filled before it has its real size).
        self._laid_out_wide = self._wide
        if self._guidance:
            if self._laid_out_wide:
                self.cards_layout.addWidget(
                    self._guidance_card(), 0, 0, max(len(recommendations), 1), 1
                )
                column = 1
            else:
                self.cards_layout.addWidget(self._guidance_card(), 0, 0)
                row = 1
        for offset, rec in enumerate(recommendations):
            self.cards_layout.addWidget(self._program_card(rec), row + offset, column)

    @property
    def _wide(self) -> bool:
        return self.width() > self.height() * 1.2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.requests.setDirection(
            QBoxLayout.Direction.LeftToRight if self._wide else QBoxLayout.Direction.TopToBottom
        )
        if self._guidance and self._laid_out_wide != self._wide:
            self._fill()

    def _guidance_card(self) -> QWidget:
        language = self._language
        frame, layout = card(self.cards, "kiosk-guidance")
        frame.setProperty("guidance", True)
        if self._family:
            title = _("Supporting a physician in your family")
        else:
            title = _("Helping a colleague in distress")
        layout.addWidget(text_label(frame, "guidance-title", title, level=2))
        for section in self._guidance:
            layout.addWidget(text_label(frame, "guidance-section", section.title.get(language)))
            points = "\n".join(f"•  {point.get(language)}" for point in section.points)
            layout.addWidget(text_label(frame, "guidance-points", points))
        layout.addStretch(1)
        return frame

    def _program_card(self, rec: Recommendation) -> QWidget:
        # Three labels per card, not one per line: a label costs more to polish, lay out and
        # paint than its text, and the results screen must appear within 50 ms.
        language, program = self._language, rec.program
        frame, layout = card(self.cards, f"kiosk-card-{program.id}")
        layout.addWidget(text_label(frame, "card-name", program.name.text.get(language), level=2))
        lines: list[str] = []
        why = [self_reason_text(code) for code in rec.reasons if code not in _QUIET_REASONS][:3]
        if why:
            lines.append(_("Why: {reasons}").format(reasons=" ".join(why)))
        lines.append(status_line(rec, language))
        if rec.alternative and (alternative := self._router.get(rec.alternative)) is not None:
            lines.append(_("At any hour: {name}").format(name=alternative.name.text.get(language)))
        layout.addWidget(text_label(frame, "card-details", "\n".join(lines)))
        contacts: list[str] = []
        for contact in rec.contacts:
            contacts.append(breakable(contact_line(contact, language, with_note=False)))
            if contact.note:
                contacts.append(contact.note.get(language))
        if contacts:
            layout.addWidget(text_label(frame, "card-contact", "\n".join(contacts)))
        cautions = plain_cautions(rec.warnings)
        if cautions:
            note = text_label(frame, "card-caution", "\n".join(cautions))
            note.setProperty("caution", True)
            layout.addWidget(note)
        return frame

    def first_focus(self) -> QWidget:
        return self.callback_button


class CallbackScreen(KioskScreen):
    submitted = QtSignal(object, str, bool)  # CallbackNumber, best time, messages agreed

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kiosk-callback", parent)
        self.number_label = text_label(self, "kiosk-callback-number-label")
        self.number = PrivateLineEdit(self)
        self.number.setObjectName("kiosk-callback-number")
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.number.setMaxLength(30)
        self.number_label.setBuddy(self.number)
        self.pad = NumberPad(self.number, self)
        # No drag-to-scroll on this screen: Qt's scroller holds back a touch until it knows it
        # is not a drag, and lost quick taps on the keypad (measured). The screen is short; its
        # scroll bar remains.
        no_drag_to_scroll(self.scroller.viewport())
        self.error = text_label(self, "kiosk-callback-error")
        self.error.setProperty("error", True)
        self.error.hide()
        self.time_label = text_label(self, "kiosk-callback-time-label")
        self.times = QButtonGroup(self)
        self.times.setExclusive(True)
        self.time_buttons: dict[str, ChoiceButton] = {}
        times_row = QHBoxLayout()
        for value, title, _detail in options_from(BEST_TIMES):
            button = ChoiceButton(value, self)
            button.set_texts(title())
            self.times.addButton(button)
            times_row.addWidget(button)
            self.time_buttons[value] = button
        # A large toggle rather than a QCheckBox: a check box's label cannot wrap, and the
        # consent sentence must be read whole, in either language, on a narrow portrait screen.
        self.consent = ChoiceButton("consent", self)
        self.consent.setObjectName("kiosk-callback-consent")
        self.consent.toggled.connect(self._mark_consent)
        # Optional, and off unless the person turns it on: a message left on a shared phone can
        # tell others they sought help.
        self.messages = ChoiceButton("messages", self)
        self.messages.setObjectName("kiosk-callback-messages")
        self.messages.toggled.connect(self._mark_consent)
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("kiosk-callback-submit")
        number_row = QHBoxLayout()
        number_row.addWidget(self.number, 1, Qt.AlignmentFlag.AlignTop)
        number_row.addWidget(self.pad)
        self.body.addWidget(self.number_label)
        self.body.addLayout(number_row)
        self.body.addWidget(self.time_label)
        self.body.addLayout(times_row)
        self.body.addWidget(self.consent)
        self.body.addWidget(self.messages)
        self.body.addWidget(self.error)
        self.body.addStretch(1)
        self.footer.addStretch(1)
        self.footer.addWidget(self.submit_button)
        self._problem: str | None = None
        self.submit_button.clicked.connect(self._submit)
        self.number.returnPressed.connect(self._submit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Ask for a callback"))
        self.set_intro(
            _("Leave a number and someone from the program will call you back. This is optional.")
        )
        self.number_label.setText(_("Your phone number"))
        self.number.setAccessibleName(_("Your phone number"))
        self.number.setPlaceholderText(_("for example 514 555 0199"))
        self.pad.keys[" "].setAccessibleName(_("Space"))
        self.pad.keys["⌫"].setAccessibleName(_("Erase the last character"))
        self.time_label.setText(_("Best time to call you (your local time)"))
        for value, title, _detail in options_from(BEST_TIMES):
            self.time_buttons[value].set_texts(title())
        self._mark_consent()
        self.submit_button.setText(_("Send my request"))
        self._show_problem()

    def _mark_consent(self) -> None:
        mark = "☑" if self.consent.isChecked() else "☐"
        sentence = _(
            "I agree that this number is kept, encrypted, so that the staff can call me back."
        )
        self.consent.set_texts(f"{mark}  {sentence}")
        self.consent.setAccessibleName(sentence)
        mark = "☑" if self.messages.isChecked() else "☐"
        sentence = _("If you do not answer, the staff may leave a message at this number.")
        self.messages.set_texts(f"{mark}  {sentence}")
        self.messages.setAccessibleName(sentence)

    def _submit(self) -> None:
        parsed = parse_callback(self.number.text())
        checked = self.times.checkedButton()
        if not isinstance(parsed, CallbackNumber):
            self._problem = parsed.value
        elif checked is None:
            self._problem = "time"
        elif not self.consent.isChecked():
            self._problem = "consent"
        else:
            self._problem = None
        self._show_problem()
        if self._problem is not None:
            return
        assert isinstance(parsed, CallbackNumber)
        assert isinstance(checked, ChoiceButton)
        self.submit_button.setEnabled(False)
        self.submitted.emit(parsed, checked.value, self.messages.isChecked())

    def _show_problem(self) -> None:
        from intake.callback_numbers import NumberProblem  # noqa: PLC0415 - enum only

        problem = self._problem
        if problem is None:
            self.error.hide()
            return
        if problem == "time":
            text = _("Choose a time of day for the call.")
        elif problem == "consent":
            text = _(
                "Tap “I agree” above to confirm, or go back if you would rather not leave a number."
            )
        elif problem == "save":
            text = _(
                "Your request could not be saved. Nothing you entered is lost: please tell the "
                "staff at the desk, or try again."
            )
        else:
            text = explain(NumberProblem(problem))
        self.error.setText(text)
        self.error.show()
        self.reveal(self.error)

    def save_failed(self) -> None:
        self._problem = "save"
        self.submit_button.setEnabled(True)
        self._show_problem()

    def first_focus(self) -> QWidget:
        return self.number


PEER_FORMATS = ("phone", "virtual", "in-person")


class PeerScreen(KioskScreen):
    """Ask for a trained peer supporter: a match request for the program's coordinator.

    Nothing is sent without the visitor's explicit "I agree" (a toggle that starts off). The
    visit stays anonymous unless they give a way to reach them (optional)."""

    submitted = QtSignal(object)  # PeerAsk

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kiosk-peer", parent)
        self.topics_label = text_label(self, "kiosk-peer-topics-label")
        self.topic_buttons: dict[str, ChoiceButton] = {}
        topics = QGridLayout()
        for index, code in enumerate(TOPICS):
            button = ChoiceButton(code, self)
            button.setObjectName(f"kiosk-peer-topic-{code}")
            topics.addWidget(button, index // 3, index % 3)
            self.topic_buttons[code] = button
        self.site_label = text_label(self, "kiosk-peer-site-label")
        self.site = PrivateLineEdit(self)
        self.site.setObjectName("kiosk-peer-site")
        self.site.setMaxLength(200)
        self.site_label.setBuddy(self.site)
        self.outside = ChoiceButton("outside", self)
        self.outside.setObjectName("kiosk-peer-outside")
        self.outside.toggled.connect(self._mark)
        self.language_label = text_label(self, "kiosk-peer-language-label")
        self.languages = QButtonGroup(self)
        self.language_buttons: dict[str, ChoiceButton] = {}
        languages = QHBoxLayout()
        for code in ("en", "fr"):
            button = ChoiceButton(code, self)
            button.setObjectName(f"kiosk-peer-language-{code}")
            self.languages.addButton(button)
            languages.addWidget(button)
            self.language_buttons[code] = button
        self.format_label = text_label(self, "kiosk-peer-format-label")
        self.formats = QButtonGroup(self)
        self.formats.setExclusive(False)  # optional: tapping the chosen one again clears it
        self.format_buttons: dict[str, ChoiceButton] = {}
        formats = QHBoxLayout()
        for code in PEER_FORMATS:
            button = ChoiceButton(code, self)
            button.setObjectName(f"kiosk-peer-format-{code}")
            button.clicked.connect(lambda _on=False, c=code: self._one_format(c))
            formats.addWidget(button)
            self.format_buttons[code] = button
        self.reach_label = text_label(self, "kiosk-peer-reach-label")
        self.reach = PrivateLineEdit(self)
        self.reach.setObjectName("kiosk-peer-reach")
        self.reach.setMaxLength(200)
        self.reach_label.setBuddy(self.reach)
        self.consent = ChoiceButton("consent", self)
        self.consent.setObjectName("kiosk-peer-consent")
        self.consent.toggled.connect(self._mark)
        self.error = text_label(self, "kiosk-peer-error")
        self.error.setProperty("error", True)
        self.error.hide()
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("kiosk-peer-submit")
        self.body.addWidget(self.topics_label)
        self.body.addLayout(topics)
        self.body.addWidget(self.site_label)
        self.body.addWidget(self.site)
        self.body.addWidget(self.outside)
        self.body.addWidget(self.language_label)
        self.body.addLayout(languages)
        self.body.addWidget(self.format_label)
        self.body.addLayout(formats)
        self.body.addWidget(self.reach_label)
        self.body.addWidget(self.reach)
        self.body.addWidget(self.consent)
        self.body.addWidget(self.error)
        self.body.addStretch(1)
        self.footer.addStretch(1)
        self.footer.addWidget(self.submit_button)
        self._problem: str | None = None
        self.submit_button.clicked.connect(self._submit)
        self.retranslate_ui()

    def preset(self, language: str, fmt: str | None) -> None:
        """The visitor's language (and a format they already chose), chosen for them."""
        self.language_buttons["fr" if language == "fr" else "en"].setChecked(True)
        if fmt in self.format_buttons:
            self._one_format(str(fmt), on=True)

    def _one_format(self, code: str, *, on: bool | None = None) -> None:
        chosen = self.format_buttons[code].isChecked() if on is None else on
        for other, button in self.format_buttons.items():
            button.setChecked(chosen and other == code)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Ask for a trained peer supporter"))
        self.set_intro(
            _(
                "The program's coordinator can match you with a physician trained to offer peer "
                "support: a colleague who listens, not a therapist. This is optional and "
                "confidential."
            )
        )
        self.topics_label.setText(_("What would you like support with? (optional)"))
        for code, button in self.topic_buttons.items():
            button.set_texts(translate(TOPICS[code]))
        self.site_label.setText(_("Your site or community (hospital, clinic or town)"))
        self.site.setAccessibleName(self.site_label.text())
        self.language_label.setText(_("Language for the support"))
        for code, button in self.language_buttons.items():
            button.set_texts(language_name(code))
        self.format_label.setText(_("How would you like to meet? (optional)"))
        names = {
            "phone": pgettext("format", "By phone"),
            "virtual": pgettext("format", "Video"),
            "in-person": pgettext("format", "In person"),
        }
        for code, button in self.format_buttons.items():
            button.set_texts(names[code])
        self.reach_label.setText(
            _(
                "How can the coordinator reach you? Phone or email (optional: without it, tell "
                "the staff at the desk or call the line)"
            )
        )
        self.reach.setAccessibleName(_("How can the coordinator reach you?"))
        self._mark()
        self.submit_button.setText(_("Send my request"))
        self._show_problem()

    def _mark(self) -> None:
        for button, sentence in (
            (self.outside, _("I would rather have someone from outside my own site")),
            (
                self.consent,
                _(
                    "I agree that this request is kept, encrypted, and passed to the peer "
                    "support coordinator."
                ),
            ),
        ):
            mark = "☑" if button.isChecked() else "☐"
            button.set_texts(f"{mark}  {sentence}")
            button.setAccessibleName(sentence)

    def ask(self) -> PeerAsk:
        checked = self.languages.checkedButton()
        fmt = next((c for c, b in self.format_buttons.items() if b.isChecked()), None)
        return PeerAsk(
            consent=self.consent.isChecked(),
            site=self.site.text().strip(),
            wants_outside=self.outside.isChecked(),
            language=checked.value if isinstance(checked, ChoiceButton) else "en",
            format=fmt,
            topics=tuple(c for c, b in self.topic_buttons.items() if b.isChecked()),
            reach=self.reach.text().strip() or None,
        )

    def _submit(self) -> None:
        ask = self.ask()
        if not ask.site:
            self._problem = "site"
        elif not ask.consent:
            self._problem = "consent"
        else:
            self._problem = None
        self._show_problem()
        if self._problem is not None:
            if self._problem == "site":
                self.site.setFocus()
            return
        self.submit_button.setEnabled(False)
        self.submitted.emit(ask)

    def _show_problem(self) -> None:
        texts = {
            "site": lambda: _("Type your site or community: the coordinator matches from it."),
            "consent": lambda: _(
                "Tap “I agree” above to send it, or go back if you would rather not."
            ),
            "save": lambda: _(
                "Your request could not be saved. Nothing you entered is lost: please tell the "
                "staff at the desk, or try again."
            ),
        }
        if self._problem is None:
            self.error.hide()
            return
        self.error.setText(texts[self._problem]())
        self.error.show()
        self.reveal(self.error)

    def save_failed(self) -> None:
        self._problem = "save"
        self.submit_button.setEnabled(True)
        self._show_problem()

    def first_focus(self) -> QWidget:
        return self.site


class FeedbackScreen(KioskScreen):
    finished = QtSignal(
        object, object
    )  # rating (int or None), found what they needed (bool or None)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kiosk-feedback", parent)
        self._callback_saved = False
        self._callback_kept_here = False
        self._peer_saved = False
        self._peer_kept_here = False
        self.confirmation = text_label(self, "kiosk-feedback-confirmation")
        self.confirmation.setProperty("confirmation", True)
        self.confirmation.hide()
        self.rating_label = text_label(self, "kiosk-rating-label")
        self.ratings = QButtonGroup(self)
        self.rating_buttons: dict[int, QPushButton] = {}
        ratings_row = QHBoxLayout()
        for value in range(1, 6):
            button = QPushButton(str(value), self)
            button.setObjectName(f"kiosk-rating-{value}")
            button.setCheckable(True)
            button.setProperty("rating", True)
            self.ratings.addButton(button, value)
            ratings_row.addWidget(button)
            self.rating_buttons[value] = button
        self.scale = QLabel(self)
        self.scale.setObjectName("kiosk-rating-scale")
        self.found_label = text_label(self, "kiosk-found-label")
        self.found = QButtonGroup(self)
        self.found_buttons: dict[bool, ChoiceButton] = {}
        found_row = QHBoxLayout()
        for value in (True, False):
            button = ChoiceButton("yes" if value else "no", self)
            self.found.addButton(button)
            found_row.addWidget(button)
            self.found_buttons[value] = button
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("kiosk-feedback-finish")
        self.body.addWidget(self.confirmation)
        self.body.addWidget(self.rating_label)
        self.body.addLayout(ratings_row)
        self.body.addWidget(self.scale)
        self.body.addSpacing(12)
        self.body.addWidget(self.found_label)
        self.body.addLayout(found_row)
        self.body.addSpacing(12)
        self.body.addWidget(self.finish_button)
        self.body.addStretch(1)
        self.finish_button.clicked.connect(self._finish)
        self.retranslate_ui()

    def callback_saved(self) -> None:
        self._callback_saved = True
        self._callback_kept_here = False
        self.retranslate_ui()

    def callback_kept_here(self) -> None:
        """The request is kept, sealed, on this kiosk until the shared server answers again."""
        self._callback_saved = True
        self._callback_kept_here = True
        self.retranslate_ui()

    def peer_saved(self) -> None:
        self._peer_saved = True
        self._peer_kept_here = False
        self.retranslate_ui()

    def peer_kept_here(self) -> None:
        """The request for a peer supporter is kept, sealed, on this kiosk until the shared
        server answers again."""
        self._peer_saved = True
        self._peer_kept_here = True
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Was this useful?"))
        self.set_intro(_("Both questions are optional. Your answers are kept without your name."))
        saved = []
        # What a visitor needs to hear when the kiosk cannot reach the server: the request is
        # not lost, where it is, when it will reach the team, and where to turn sooner.
        if self._callback_kept_here and self._peer_kept_here:
            saved.append(
                _(
                    "Your callback request and your request for a peer supporter are kept on "
                    "this kiosk. The kiosk cannot reach the peer support team right now: both "
                    "will be sent to them as soon as the connection is back, so their answer "
                    "may come later than usual. If you need to talk to someone soon, please "
                    "speak to the staff at the desk. If you need help right now, tap "
                    "“{button}” at the top of the screen."
                ).format(button=_(HELP_NOW))
            )
        elif self._callback_kept_here:
            saved.append(
                _(
                    "Your callback request is kept on this kiosk. The kiosk cannot reach the "
                    "peer support team right now: your request will be sent to them as soon as "
                    "the connection is back, so their call may come later than usual. If you "
                    "need to talk to someone soon, please speak to the staff at the desk. If "
                    "you need help right now, tap “{button}” at the top of the screen."
                ).format(button=_(HELP_NOW))
            )
        elif self._peer_kept_here:
            saved.append(
                _(
                    "Your request for a peer supporter is kept on this kiosk. The kiosk cannot "
                    "reach the peer support team right now: your request will be sent to the "
                    "coordinator as soon as the connection is back, so their answer may come "
                    "later than usual. If you need to talk to someone soon, please speak to the "
                    "staff at the desk. If you need help right now, tap “{button}” at the top "
                    "of the screen."
                ).format(button=_(HELP_NOW))
            )
        if self._callback_saved and not self._callback_kept_here:
            saved.append(_("Your callback request was saved. Thank you."))
        if self._peer_saved and not self._peer_kept_here:
            saved.append(_("Your request for a peer supporter was sent to the coordinator."))
        self.confirmation.setText("\n".join(saved))
        self.confirmation.setVisible(bool(saved))
        self.rating_label.setText(_("How useful was this, from 1 to 5?"))
        for value, button in self.rating_buttons.items():
            button.setAccessibleName(_("Rating {value} out of 5").format(value=value))
        self.scale.setText(_("1: not useful · 5: very useful"))
        self.found_label.setText(_("Did you find what you needed?"))
        self.found_buttons[True].set_texts(pgettext("answer", "Yes"))
        self.found_buttons[False].set_texts(pgettext("answer", "No"))
        self.finish_button.setText(pgettext("kiosk", "Finish"))

    def _finish(self) -> None:
        rating = self.ratings.checkedId()
        checked = self.found.checkedButton()
        found = None if checked is None else checked is self.found_buttons[True]
        self.finish_button.setEnabled(False)
        self.finished.emit(rating if rating > 0 else None, found)

    def first_focus(self) -> QWidget:
        return self.rating_buttons[5]
