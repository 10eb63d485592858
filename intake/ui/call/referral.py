"""The last two steps of a call: recommendations from the routing engine, and the wrap-up."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from intake.call import OUTCOMES, TOPICS, Call
from intake.callback_numbers import CallbackNumber, explain, parse_callback
from intake.i18n import _, current_language, language_name, ngettext, pgettext, translate
from intake.i18n.formatting import QT_DATETIME_FORMATS
from intake.provinces import PROVINCES
from intake.routing.engine import Recommendation, Result
from intake.routing.reasons import reason_text, warning_text
from intake.routing.render import contact_line, status_line
from intake.safety import rescue_problems
from intake.timezones import zone, zone_label
from intake.ui.call.base import CallServices, ReadAloud, StepPage, shown_number
from intake.ui.call.steps import FORMAT_NAMES
from intake.ui.widgets import Message, MessageBanner, clear_layout, refill_combo

# How many programs the call shows: the kiosk's five and a few more for the volunteer to offer.
# Both ask the router for the first n of the same ranking (route(limit=n)), so the call's first
# five are the kiosk's five for the same caller; the directory browser lists every program.
CALL_CARDS = 8


class RecommendationsStep(StepPage):
    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-recommendations", call, services, parent)
        self.missing = QLabel(self)
        self.missing.setObjectName("recommendations-missing")
        self.missing.setWordWrap(True)
        self.cards = QWidget(self)
        self.cards.setObjectName("recommendation-cards")
        self.cards_layout = QVBoxLayout(self.cards)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.more = QLabel(self)
        self.more.setObjectName("recommendations-more")
        self.more.setWordWrap(True)
        self.body.addWidget(self.missing)
        self.body.addWidget(self.cards)
        self.body.addWidget(self.more)
        self.body.addStretch(1)
        self.result: Result | None = None
        self.offered: dict[str, QCheckBox] = {}
        self.chosen: dict[str, QRadioButton] = {}
        self._chosen_group = QButtonGroup(self)
        # What the cards on screen were built for, and their interface-language texts: a
        # language switch sets those texts again instead of rebuilding every card (rebuilding
        # was 13% of a switch, and the re-layout of new widgets most of the rest).
        self._built_for: tuple[Result | None, str] | None = None
        self._card_texts: list[tuple[Recommendation, QLabel, QLabel | None]] = []
        self.refresh()

    def _show(self) -> None:
        """Route again: the answers may have changed since the last visit to this step."""
        call = self.call
        result = (
            None
            if call.province is None
            else self.services.router.route(call.request(self.services.now()), limit=CALL_CARDS)
        )
        if result is not None and result == self.result:
            # The same recommendations as on screen: keep the cards (rebuilding them on every
            # visit to this step was most of a step-to-step change), only their ticks follow
            # the call.
            for program_id, offered in self.offered.items():
                offered.setChecked(program_id in call.offered)
            for program_id, chosen in self.chosen.items():
                chosen.setChecked(program_id == call.chosen)
            return
        self.result = result

    def _not_shown(self) -> int:
        """How many eligible programs are not on a card (every program is either recommended
        or excluded, so the eligible count needs no full route)."""
        if self.result is None:
            return 0
        eligible = len(self.services.router.programs) - len(self.result.excluded)
        return max(eligible - len(self.result.recommendations), 0)

    def retranslate_ui(self) -> None:
        self.title.setText(pgettext("call step", "Recommendations"))
        self.intro.setText(
            _("Mark what you offered and what the caller chose. Reasons and warnings are for you.")
        )
        self.missing.setText(_("Choose the province or territory first (Who is calling)."))
        self.missing.setVisible(self.result is None)
        hidden = self._not_shown()
        self.more.setText(
            ngettext(
                "{count} other program fits less well: the directory lists it.",
                "{count} other programs fit less well: the directory lists them.",
                hidden,
            ).format(count=hidden)
        )
        self.more.setVisible(hidden > 0)
        built = self._built_for
        if built is not None and built[0] is self.result and built[1] == self.call.caller_language:
            self._retranslate_cards()
        else:
            self.fill_when_shown(self._fill)

    def _fill(self) -> None:
        clear_layout(self.cards_layout)
        self.offered, self.chosen, self._card_texts = {}, {}, []
        for button in self._chosen_group.buttons():
            self._chosen_group.removeButton(button)
        self._built_for = (self.result, self.call.caller_language)
        if self.result is None:
            return
        for rec in self.result.recommendations:
            self.cards_layout.addWidget(self._card(rec))

    def _retranslate_cards(self) -> None:
        for rec, details, warnings in self._card_texts:
            details.setText(self._details(rec))
            if warnings is not None:
                warnings.setText(self._warnings(rec))
            self.offered[rec.program.id].setText(pgettext("referral", "Offered"))
            self.chosen[rec.program.id].setText(_("The caller chose this one"))

    def _details(self, rec: Recommendation) -> str:
        caller = self.call.caller_language
        lines = [status_line(rec, current_language())]  # for the volunteer, like the reasons
        if rec.alternative and (alternative := self.services.router.get(rec.alternative)):
            lines.append(_("At any hour: {name}").format(name=alternative.name.text.get(caller)))
        lines += [contact_line(contact, caller) for contact in rec.contacts]
        lines.append(
            _("Why: {reasons}").format(reasons=" ".join(reason_text(c) for c in rec.reasons))
        )
        return "\n".join(lines)

    @staticmethod
    def _warnings(rec: Recommendation) -> str:
        return "\n".join(f"! {warning_text(code)}" for code in rec.warnings)

    def _card(self, rec: Recommendation) -> QWidget:
        caller, program = self.call.caller_language, rec.program
        frame = QFrame(self.cards)
        frame.setObjectName(f"card-{program.id}")
        frame.setProperty("card", True)
        layout = QVBoxLayout(frame)
        name = QLabel(program.name.text.get(caller), frame)
        name.setProperty("heading", 2)
        name.setWordWrap(True)
        layout.addWidget(name)
        details = QLabel(self._details(rec), frame)
        details.setWordWrap(True)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(details)
        script = ReadAloud(frame, f"script-{program.id}")
        script.say(program.referral.get(caller), caller)
        layout.addWidget(script)
        warnings: QLabel | None = None
        if rec.warnings:
            warnings = QLabel(self._warnings(rec), frame)
            warnings.setObjectName(f"warnings-{program.id}")
            warnings.setProperty("caution", True)
            warnings.setWordWrap(True)
            layout.addWidget(warnings)
        offered = QCheckBox(pgettext("referral", "Offered"), frame)
        offered.setObjectName(f"offered-{program.id}")
        offered.setChecked(program.id in self.call.offered)
        chosen = QRadioButton(_("The caller chose this one"), frame)
        chosen.setObjectName(f"chosen-{program.id}")
        chosen.setChecked(program.id == self.call.chosen)
        self._chosen_group.addButton(chosen)
        offered.toggled.connect(lambda on, pid=program.id: self._offer(pid, on))
        chosen.toggled.connect(lambda on, pid=program.id: self._choose(pid, on))
        layout.addWidget(offered)
        layout.addWidget(chosen)
        self.offered[program.id] = offered
        self.chosen[program.id] = chosen
        self._card_texts.append((rec, details, warnings))
        return frame

    def _offer(self, program_id: str, on: bool) -> None:
        offered = [p for p in self.call.offered if p != program_id]
        self.call.offered = [*offered, program_id] if on else offered
        self.edited()

    def _choose(self, program_id: str, on: bool) -> None:
        if on:
            self.call.chosen = program_id
            if program_id not in self.call.offered:
                self.offered[program_id].setChecked(True)
            self.edited()


def rescue_message(problems: tuple[str, ...]) -> tuple[str, str]:
    """Why a high or imminent call cannot be saved yet, and what to do (nothing is lost)."""
    lines = []
    if "connection" in problems:
        lines.append(_("Confirm the connection with crisis help, or choose why it could not be."))
    if "supervisor" in problems:
        lines.append(_("Tell the on-call supervisor, or choose why they were not told."))
    if "outcome" in problems:
        lines.append(_("“Connected to crisis help” needs the connection confirmed."))
    return (
        _("This call was at high or imminent risk: the crisis route is not finished"),
        " ".join(lines)
        + " "
        + _("Everything needed is in the crisis route (F12). Nothing was lost."),
    )


class PeerRequestBox(QGroupBox):
    """ "Ask for a trained peer supporter": a match request for the program's coordinator, saved
    with the call only when the caller says yes (the box starts unticked; its fields are off
    until then). What it is about comes from the topics noted earlier; whether they want
    someone from outside their site is the same answer as on "What is going on"."""

    changed = QtSignal()

    def __init__(self, call: Call, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("peer-request")
        self.call = call
        self._loading = False
        self.consent = QCheckBox(self)
        self.consent.setObjectName("peer-consent")
        self.explain = QLabel(self)
        self.explain.setObjectName("peer-explain")
        self.explain.setProperty("hint", True)
        self.explain.setWordWrap(True)
        self.about = QLabel(self)
        self.about.setObjectName("peer-about")
        self.about.setWordWrap(True)
        self.site = QLineEdit(self)
        self.site.setObjectName("peer-site")
        self.site.setMaxLength(200)
        self.outside = QCheckBox(self)
        self.outside.setObjectName("peer-outside")
        self.language = QComboBox(self)
        self.language.setObjectName("peer-language")
        self.format = QComboBox(self)
        self.format.setObjectName("peer-format")
        self.name = QLineEdit(self)
        self.name.setObjectName("peer-name")
        self.name.setMaxLength(200)
        self.reach = QLineEdit(self)
        self.reach.setObjectName("peer-reach")
        self.reach.setMaxLength(200)
        self.captions: list[tuple[QLabel, str]] = []
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for field, key in (
            (self.site, "site"),
            (self.language, "language"),
            (self.format, "format"),
            (self.name, "name"),
            (self.reach, "reach"),
        ):
            caption = QLabel(self)
            caption.setBuddy(field)
            self.captions.append((caption, key))
            form.addRow(caption, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addWidget(self.explain)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.outside)
        self.consent.toggled.connect(self._consent)
        self.site.textEdited.connect(self._edited)
        self.name.textEdited.connect(self._edited)
        self.reach.textEdited.connect(self._edited)
        self.outside.toggled.connect(self._edited)
        self.language.currentIndexChanged.connect(self._edited)
        self.format.currentIndexChanged.connect(self._edited)
        self.retranslate_ui()
        self.set_call(call)

    def set_call(self, call: Call) -> None:
        self.call = call
        self._loading = True
        try:
            self.consent.setChecked(call.peer_consent)
            self.site.setText(call.peer_site)
            self.outside.setChecked(call.outside_community)
            self._select(self.language, call.peer_language or call.caller_language)
            self._select(self.format, call.peer_format or None)
            self.name.setText(call.peer_name)
            self.reach.setText(call.peer_reach)
        finally:
            self._loading = False
        self._enable()
        self._about()

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        index = box.findData(value)
        box.setCurrentIndex(max(index, 0))

    def _enable(self) -> None:
        on = self.consent.isChecked()
        for widget in (self.site, self.outside, self.language, self.format, self.name, self.reach):
            widget.setEnabled(on)
        for caption, _key in self.captions:
            caption.setEnabled(on)

    def _consent(self, checked: bool) -> None:
        if self._loading:
            return
        if checked and self.call.keeps_text:
            # What the caller already gave, offered again; they may change it.
            if not self.name.text():
                self.name.setText(self.call.caller_name)
            if not self.reach.text():
                self.reach.setText(shown_number(self.call.callback_number))
        self._enable()
        self._edited()

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        call = self.call
        call.peer_consent = self.consent.isChecked()
        call.peer_site = self.site.text()
        call.outside_community = self.outside.isChecked()
        call.peer_language = str(self.language.currentData() or "")
        call.peer_format = str(self.format.currentData() or "")
        call.peer_name = self.name.text()
        call.peer_reach = self.reach.text()
        self.changed.emit()

    def _about(self) -> None:
        topics = [translate(TOPICS[t]) for t in self.call.topics if t in TOPICS]
        self.about.setText(
            _("What it is about: {topics}").format(
                topics=", ".join(topics) if topics else pgettext("topic", "Not said")
            )
        )

    def problem(self) -> Message | None:
        """What stops the request from being saved, in words (None: nothing)."""
        if not self.call.province:
            return lambda: (
                _("The province or territory is missing"),
                _("Go back to “{step}” and choose it: matching starts from it.").format(
                    step=pgettext("call step", "Who is calling")
                ),
            )
        if not self.call.peer_site.strip():
            self.site.setFocus()
            return lambda: (
                _("The site is missing"),
                _("Type the caller's site or community, or untick the request."),
            )
        return None

    def retranslate_ui(self) -> None:
        self.setTitle(_("Ask for a trained peer supporter"))
        # Short: a check box's text cannot wrap (a long French one pushed the step sideways at
        # 1280x720 with a large font); the sentence to read is the wrapped label under it.
        self.consent.setText(_("The caller said yes"))
        self.explain.setText(
            _(
                "Ask first: may we pass this request to the peer coordinator? A coordinator will "
                "match them with a trained physician peer supporter and will contact them. Only "
                "the coordinator and the matched peer see their name. Leave it unticked if they "
                "did not say yes."
            )
        )
        texts = {
            "site": _("Their site or community"),
            "language": _("Language"),
            "format": _("Format"),
            "name": _("Name for the coordinator"),
            "reach": _("How to reach them"),
        }
        for caption, key in self.captions:
            caption.setText(texts[key])
        self.outside.setText(_("Someone from outside their site"))
        self._loading = True
        try:
            refill_combo(self.language, [(language_name(c), c) for c in ("en", "fr")])
            refill_combo(
                self.format,
                [(pgettext("format", "No preference"), None)]
                + [(translate(label), code) for code, label in FORMAT_NAMES.items()],
            )
        finally:
            self._loading = False
        self._about()


class WrapUpStep(StepPage):
    save_requested = QtSignal()

    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-wrapup", call, services, parent)
        self.notes_label = QLabel(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes_label.setBuddy(self.notes)
        self.declined = QLabel(self)
        self.declined.setObjectName("notes-declined")
        self.declined.setWordWrap(True)
        self.followup = QCheckBox(self)
        self.followup.setObjectName("followup")
        self.followup_number = QLineEdit(self)
        self.followup_number.setObjectName("followup-number")
        self.number_problem = QLabel(self)
        self.number_problem.setObjectName("followup-number-problem")
        self.number_problem.setProperty("error", True)
        self.number_problem.setWordWrap(True)
        self.number_problem.hide()
        # Asked where the number is taken: may someone leave a message there? (Not, unless the
        # caller says so: a message on a shared phone can out a physician seeking help.)
        self.messages_ok = QCheckBox(self)
        self.messages_ok.setObjectName("followup-messages-ok")
        self.due = QDateTimeEdit(self)
        self.due.setObjectName("followup-due")
        self.due.setCalendarPopup(True)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("outcome")
        self.number_label, self.due_label, self.outcome_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        self.number_label.setBuddy(self.followup_number)
        self.due_label.setBuddy(self.due)
        self.outcome_label.setBuddy(self.outcome)
        self.peer = PeerRequestBox(call, self)
        self.peer.changed.connect(self.edited)
        self.banner = MessageBanner(self)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save-call")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long French labels
        form.addRow("", self.followup)
        form.addRow(self.number_label, self.followup_number)
        form.addRow("", self.number_problem)
        form.addRow("", self.messages_ok)
        form.addRow(self.due_label, self.due)
        form.addRow(self.outcome_label, self.outcome)
        for widget in (self.notes_label, self.notes, self.declined):
            self.body.addWidget(widget)
        self.body.addLayout(form)
        self.body.addWidget(self.peer)
        self.body.addWidget(self.banner)
        self.body.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.body.addStretch(1)
        self.notes.textChanged.connect(self._notes)
        self.followup.toggled.connect(self._followup)
        self.followup_number.textEdited.connect(self._number)
        self.messages_ok.toggled.connect(self._messages_ok)
        self.due.dateTimeChanged.connect(self._due)
        self.outcome.currentIndexChanged.connect(self._outcome)
        self.save_button.clicked.connect(self._save)
        self.refresh()

    _confirmed_due = ""  # a follow-up time outside the caller's daytime, confirmed by saving again

    def _zone(self) -> str:
        return PROVINCES[self.call.province].zone if self.call.province else "America/Toronto"

    def _show(self) -> None:
        keep = self.call.keeps_text
        if self.notes.toPlainText() != self.call.notes:
            self.notes.setPlainText(self.call.notes)
        self.notes.setEnabled(keep)
        self.declined.setVisible(not keep)
        self.followup.setEnabled(keep)
        self.followup.setChecked(self.call.followup and keep)
        self.followup_number.setText(
            shown_number(self.call.followup_number or self.call.callback_number)
        )
        self.messages_ok.setChecked(self.call.followup_messages_ok and keep)
        tz = QTimeZone(self._zone().encode())
        if self.call.followup_due:
            due = datetime.fromisoformat(self.call.followup_due)
        else:
            due = (self.services.now() + timedelta(days=1)).astimezone(zone(self._zone()))
            due = due.replace(hour=10, minute=0, second=0, microsecond=0)
        self.due.setTimeZone(tz)
        self.due.setDateTime(QDateTime.fromSecsSinceEpoch(int(due.timestamp()), tz))
        self._fill_outcomes()
        self._enable_followup()
        self.peer.set_call(self.call)

    def _fill_outcomes(self) -> None:
        outcomes = ((translate(label), code) for code, label in OUTCOMES.items())
        refill_combo(self.outcome, [(pgettext("no choice yet", "Choose…"), None), *outcomes])

    def _enable_followup(self) -> None:
        on = self.followup.isChecked() and self.call.keeps_text
        for widget in (
            self.followup_number,
            self.messages_ok,
            self.due,
            self.number_label,
            self.due_label,
        ):
            widget.setEnabled(on)

    def _notes(self) -> None:
        if not self._loading:
            self.call.notes = self.notes.toPlainText()
            self.edited()

    def _followup(self, checked: bool) -> None:
        if not self._loading:
            self.call.followup = checked
            self._enable_followup()
            self.edited()

    def _number(self, text: str) -> None:
        self.call.followup_number = text
        self.number_problem.hide()
        self.edited()

    def _messages_ok(self, checked: bool) -> None:
        if not self._loading:
            self.call.followup_messages_ok = checked
            self.edited()

    def _due(self) -> None:
        if not self._loading:
            moment = datetime.fromtimestamp(
                self.due.dateTime().toSecsSinceEpoch(), zone(self._zone())
            )
            self.call.followup_due = moment.isoformat(timespec="minutes")
            self.edited()

    def _outcome(self) -> None:
        if not self._loading:
            self.call.outcome = self.outcome.currentData()
            self.edited()

    def _save(self) -> None:
        if self.call.followup and self.call.keeps_text:
            parsed = parse_callback(self.followup_number.text())
            if not isinstance(parsed, CallbackNumber):
                self.number_problem.setText(explain(parsed))
                self.number_problem.show()
                self.followup_number.setFocus()
                return
            self.call.followup_number = parsed.e164
            if not self.call.followup_due:
                self._due()
            # A follow-up in the past is a promise nobody can keep: refused, said (issue 16).
            from intake.services.worklist import (  # noqa: PLC0415
                DueInPast,
                check_due,
                outside_daytime,
            )

            due = datetime.fromisoformat(self.call.followup_due)
            try:
                check_due(due, self.services.now())
            except DueInPast as refused:
                self.show_error(refused.explain)
                self.due.setFocus()
                return
            # Outside 8 a.m. to 9 p.m. where the caller lives: asked once, kept if saved again.
            if outside_daytime(due, self._zone()) and self._confirmed_due != self.call.followup_due:
                self._confirmed_due = self.call.followup_due
                when = self.due.text()
                self.show_error(
                    lambda: (
                        _("That follow-up is outside the caller's daytime"),
                        _(
                            "{when} is outside 8 a.m. to 9 p.m. in the caller's time zone. Save "
                            "again to keep it, or choose another time. Nothing was lost."
                        ).format(when=when),
                    )
                )
                self.due.setFocus()
                return
        if problems := rescue_problems(self.call.risk, self.call.crisis_actions, self.call.outcome):
            self.show_error(lambda: rescue_message(problems))
            return
        if self.call.peer_consent and (problem := self.peer.problem()) is not None:
            self.show_error(problem)
            return
        if self.call.outcome is None:
            self.show_error(
                lambda: (
                    _("Choose an outcome before saving"),
                    _("Nothing was lost; the call is still open."),
                )
            )
            self.outcome.setFocus()
            return
        self.banner.clear()
        self.save_button.setEnabled(False)
        self.save_requested.emit()

    def show_error(self, message: Message) -> None:
        self.save_button.setEnabled(True)
        self.banner.show_message(message)

    def retranslate_ui(self) -> None:
        self.title.setText(pgettext("call step", "Wrap-up"))
        self.intro.setText(_("Notes, an optional follow-up, the outcome, then save."))
        self.notes_label.setText(pgettext("field label", "Notes"))
        self.notes.setAccessibleName(pgettext("field label", "Notes"))
        self.declined.setText(
            _("The caller declined notes: no free text or number is kept, only coded answers.")
        )
        self.followup.setText(_("The caller wants a follow-up call"))
        self.number_label.setText(pgettext("field label", "Number to call"))
        self.messages_ok.setText(_("The caller agrees that a message may be left at this number"))
        # The zone's name as people say it ("Eastern Standard Time"), not its database id.
        caller_now = self.services.now().astimezone(zone(self._zone()))
        self.due_label.setText(
            _("When (the caller's time, {zone})").format(
                zone=zone_label(caller_now, current_language())
            )
        )
        # The field was built in the language of its day: give it the current one (« 10 h 00 »).
        self.due.setLocale(QLocale())
        self.due.setDisplayFormat(QT_DATETIME_FORMATS[current_language()])
        self.outcome_label.setText(pgettext("field label", "Outcome"))
        self._fill_outcomes()
        self.peer.retranslate_ui()
        self.save_button.setText(_("Save and end the call"))

    def first_focus(self) -> QWidget:
        return self.notes if self.notes.isEnabled() else self.outcome
