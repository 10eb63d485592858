"""The first four steps of a call: greeting and consent, who is calling, safety, what is going on."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from intake.call import NEED_SCRIPTS, TOPICS, Call
from intake.callback_numbers import CallbackNumber, explain, parse_callback
from intake.guidance import family_guidance
from intake.i18n import (
    N_,
    NP_,
    _,
    current_language,
    gettext_in,
    ngettext,
    pgettext,
    translate,
)
from intake.provinces import (
    ROLE_NAMES,
    ROLES,
    province_in_sentence,
    province_name,
    provinces_by_name,
)
from intake.safety import ANSWERS, SEVERITY, Assessment, Tier
from intake.ui.call.base import CallServices, ReadAloud, StepPage, shown_number
from intake.ui.widgets import ENDONYMS, collated, refill_combo
from intake.vocabulary import CHANNELS, MODES

GREETING = N_(
    "Hello, you have reached the physician peer support line. My name is {name}. I am a trained "
    "peer volunteer, not a clinician, and I am here to listen."
)
CONFIDENTIALITY = N_(
    "What you tell me stays confidential, and you do not have to give your name. There is one "
    "limit: if I believe someone's life is in immediate danger, I will get emergency help."
)
CONSENT_QUESTION = N_(
    "May I keep brief notes of this call? They are encrypted. You can say no, and I can still help "
    "you in the same way."
)
LANGUAGE_QUESTION = N_("Would you like to continue in English or in French?")
RISK_NAMES = {
    "not-screened": NP_("risk tier", "Not screened"),
    "none": NP_("risk tier", "No risk identified"),
    "concern": NP_("risk tier", "Concern"),
    "high": NP_("risk tier", "High risk"),
    "imminent": NP_("risk tier", "Imminent risk"),
}
FORMAT_NAMES = {
    "one-on-one": NP_("format", "One-on-one"),
    "group": NP_("format", "Group"),
    "phone": NP_("format", "By phone"),
    "virtual": NP_("format", "Video"),
    "in-person": NP_("format", "In person"),
    "text": NP_("format", "By text"),
}


class GreetingStep(StepPage):
    # The caller's language is asked, not assumed from the volunteer's interface language.
    caller_language_chosen = QtSignal(str)

    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-greeting", call, services, parent)
        self.language_box = QGroupBox(self)
        self.language_box.setObjectName("caller-language-question")
        self.language_ask = QLabel(self.language_box)
        self.language_ask.setObjectName("caller-language-ask")
        self.language_ask.setWordWrap(True)
        self.language_ask.setProperty("bilingual", True)  # asked in both languages on purpose
        self.language_choices: dict[str, QRadioButton] = {}
        language_row = QHBoxLayout()
        for code, name in ENDONYMS.items():
            choice = QRadioButton(name, self.language_box)
            choice.setObjectName(f"greeting-caller-language-{code}")
            choice.setProperty("endonym", True)
            choice.toggled.connect(lambda on, lang=code: self._language(lang, on))
            language_row.addWidget(choice)
            self.language_choices[code] = choice
        language_row.addStretch(1)
        language_layout = QVBoxLayout(self.language_box)
        language_layout.addWidget(self.language_ask)
        language_layout.addLayout(language_row)
        self.body.addWidget(self.language_box)
        self.script = ReadAloud(self, "greeting-script")
        self.consent_box = QGroupBox(self)
        self.consent_yes = QRadioButton(self.consent_box)
        self.consent_yes.setObjectName("consent-yes")
        self.consent_no = QRadioButton(self.consent_box)
        self.consent_no.setObjectName("consent-no")
        # A radio button's text cannot wrap: the consequence is a wrapping line under them.
        self.consent_note = QLabel(self.consent_box)
        self.consent_note.setObjectName("consent-note")
        self.consent_note.setProperty("hint", True)
        self.consent_note.setWordWrap(True)
        row = QVBoxLayout(self.consent_box)
        row.addWidget(self.consent_yes)
        row.addWidget(self.consent_no)
        row.addWidget(self.consent_note)
        self.anonymous = QCheckBox(self)
        self.anonymous.setObjectName("anonymous")
        self.name_label = QLabel(self)
        self.caller_name = QLineEdit(self)
        self.caller_name.setObjectName("caller-name")
        self.name_label.setBuddy(self.caller_name)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long French labels
        form.addRow(self.name_label, self.caller_name)
        for widget in (self.script, self.consent_box, self.anonymous):
            self.body.addWidget(widget)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.consent_yes.toggled.connect(self._consent)
        self.consent_no.toggled.connect(self._consent)
        self.anonymous.toggled.connect(self._anonymous)
        self.caller_name.textEdited.connect(self._name)
        self.refresh()

    def _show(self) -> None:
        self.language_choices[self.call.caller_language].setChecked(True)
        self.consent_yes.setChecked(self.call.consent_notes is True)
        self.consent_no.setChecked(self.call.consent_notes is False)
        self.anonymous.setChecked(self.call.anonymous)
        self.caller_name.setText(self.call.caller_name)
        self._enable()

    def _enable(self) -> None:
        can_name = bool(self.call.consent_notes) and not self.call.anonymous
        self.caller_name.setEnabled(can_name)
        self.name_label.setEnabled(can_name)

    def _consent(self) -> None:
        if self._loading:
            return
        if self.consent_yes.isChecked():
            self.call.consent_notes = True
        elif self.consent_no.isChecked():
            self.call.consent_notes = False
            self.call.forget_private_text()
            self.caller_name.setText("")  # setText: not undoable, unlike clear()
        self._enable()
        self.edited()

    def _language(self, language: str, on: bool) -> None:
        if on and not self._loading and language != self.call.caller_language:
            self.caller_language_chosen.emit(language)

    def _anonymous(self, checked: bool) -> None:
        if self._loading:
            return
        self.call.anonymous = checked
        if checked:
            self.call.caller_name = ""
            self.caller_name.setText("")
        self._enable()
        self.edited()

    def _name(self, text: str) -> None:
        self.call.caller_name = text
        self.edited()

    def retranslate_ui(self) -> None:
        language = self.call.caller_language
        self.title.setText(pgettext("call step", "Greeting and consent"))
        self.intro.setText(
            _("Ask which language the caller prefers, read the greeting, then ask for consent.")
        )
        self.language_box.setTitle(_("Caller's language"))
        # Asked in both languages, whatever the interface language is.
        self.language_ask.setText(
            gettext_in("en", LANGUAGE_QUESTION) + " / " + gettext_in("fr", LANGUAGE_QUESTION)
        )
        self.language_choices[language].setChecked(True)
        self.script.say(
            "\n\n".join(
                (
                    gettext_in(language, GREETING).format(name=self.services.volunteer_name),
                    gettext_in(language, CONFIDENTIALITY),
                    gettext_in(language, CONSENT_QUESTION),
                )
            ),
            language,
        )
        self.consent_box.setTitle(pgettext("group title", "Note-keeping"))
        self.consent_yes.setText(_("The caller agrees to notes"))
        self.consent_no.setText(_("The caller declines notes"))
        self.consent_note.setText(_("When the caller declines, only coded answers are kept."))
        self.anonymous.setText(_("The caller stays anonymous"))
        self.name_label.setText(pgettext("field label", "Caller's name"))
        self.caller_name.setAccessibleName(pgettext("field label", "Caller's name"))

    def first_focus(self) -> QWidget:
        return self.language_choices[self.call.caller_language]


class WhoStep(StepPage):
    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-who", call, services, parent)
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        self.about_colleague = QCheckBox(self)
        self.about_colleague.setObjectName("about-colleague")
        self.about_family = QCheckBox(self)
        self.about_family.setObjectName("about-family")
        self.number = QLineEdit(self)
        self.number.setObjectName("callback-number")
        self.number_problem = QLabel(self)
        self.number_problem.setObjectName("callback-number-problem")
        self.number_problem.setProperty("error", True)
        self.number_problem.setWordWrap(True)
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("province-suggestion")
        self.use_suggestion = QPushButton(self)
        self.use_suggestion.setObjectName("use-suggestion")
        self.province = QComboBox(self)
        self.province.setObjectName("province")
        self.role_label, self.number_label, self.province_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        self.role_label.setBuddy(self.role)
        self.number_label.setBuddy(self.number)
        self.province_label.setBuddy(self.province)
        # The suggestion wraps under the province box: a long French sentence on one line
        # pushed the whole form sideways and clipped its labels.
        self.suggestion.setWordWrap(True)
        suggestion_row = QHBoxLayout()
        suggestion_row.addWidget(self.suggestion, 1)
        suggestion_row.addWidget(self.use_suggestion, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long French labels
        form.addRow(self.role_label, self.role)
        form.addRow("", self.about_colleague)
        form.addRow("", self.about_family)
        form.addRow(self.number_label, self.number)
        form.addRow("", self.number_problem)
        form.addRow(self.province_label, self.province)
        form.addRow("", suggestion_row)
        self.guidance = ReadAloud(self, "colleague-guidance")
        # Tab follows reading order: the province box before the suggestion under it.
        order = (self.role, self.about_colleague, self.number, self.province, self.use_suggestion)
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.body.addLayout(form)
        self.body.addWidget(self.guidance)
        self.body.addStretch(1)
        self._suggested: str | None = None
        self.role.currentIndexChanged.connect(self._role)
        self.about_colleague.toggled.connect(self._colleague)
        self.about_family.toggled.connect(self._family)
        self.number.textEdited.connect(self._number)
        self.province.currentIndexChanged.connect(self._province)
        self.use_suggestion.clicked.connect(self._use_suggestion)
        self.refresh()

    def _show(self) -> None:
        self._fill_choices()
        self.role.setCurrentIndex(max(self.role.findData(self.call.role), 0))
        self.about_colleague.setChecked(self.call.about_colleague)
        self.about_family.setChecked(self.call.about_family)
        self.number.setText(shown_number(self.call.callback_number))
        self.province.setCurrentIndex(max(self.province.findData(self.call.province), 0))
        self._check_number()

    def _fill_choices(self) -> None:
        choose = (pgettext("no choice yet", "Choose…"), None)
        refill_combo(self.role, [choose, *((_(ROLE_NAMES[code]), code) for code in ROLES)])
        refill_combo(self.province, [choose, *collated(provinces_by_name(current_language()))])

    def _role(self) -> None:
        if not self._loading:
            self.call.role = self.role.currentData()
            self.edited()

    def _colleague(self, checked: bool) -> None:
        if not self._loading:
            self.call.about_colleague = checked
            if checked:  # about a colleague or about a family member, not both
                self.call.about_family = False
                self.about_family.setChecked(False)
            self.edited()
        self.retranslate_ui()

    def _family(self, checked: bool) -> None:
        if not self._loading:
            self.call.about_family = checked
            if checked:
                self.call.about_colleague = False
                self.about_colleague.setChecked(False)
            self.edited()
        self.retranslate_ui()

    def _province(self) -> None:
        if not self._loading:
            self.call.province = self.province.currentData()
            self.edited()

    def _number(self, text: str) -> None:
        self.call.callback_number = ""
        self._check_number()
        self.edited()

    def _check_number(self) -> None:
        text = self.number.text()
        self.number.setEnabled(bool(self.call.consent_notes))
        parsed = parse_callback(text) if text.strip() else None
        self._suggested = None
        if isinstance(parsed, CallbackNumber):
            self.call.callback_number = parsed.e164
            self.number_problem.hide()
            if len(parsed.provinces) >= 1:
                self._suggested = parsed.provinces[0]
        elif parsed is not None:
            self.number_problem.setText(explain(parsed))
            self.number_problem.show()
        else:
            self.number_problem.hide()
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        visible = self._suggested is not None and self._suggested != self.call.province
        self.suggestion.setVisible(visible)
        self.use_suggestion.setVisible(visible)
        if self._suggested is not None:
            self.suggestion.setText(
                _("The area code suggests {province}: confirm with the caller.").format(
                    province=province_in_sentence(self._suggested, current_language())
                )
            )
            self.use_suggestion.setText(
                _("Use {province}").format(
                    province=province_name(self._suggested, current_language())
                )
            )

    def _use_suggestion(self) -> None:
        if self._suggested is not None:
            self.province.setCurrentIndex(self.province.findData(self._suggested))
            self._show_suggestion()

    def retranslate_ui(self) -> None:
        self.title.setText(pgettext("call step", "Who is calling"))
        self.intro.setText(
            _("A callback number's area code can suggest the province; always confirm it.")
        )
        self.role_label.setText(pgettext("field label", "Role"))
        self.about_colleague.setText(_("Calling about a colleague"))
        self.about_family.setText(_("Calling about a physician in their family"))
        self.number_label.setText(pgettext("field label", "Callback number"))
        self.number.setPlaceholderText(
            _("Only with consent to notes") if not self.call.consent_notes else "514 555 0199"
        )
        self.province_label.setText(pgettext("field label", "Province or territory"))
        self._fill_choices()
        self._show_suggestion()
        if not self.number_problem.isHidden():
            self._check_number()
        language = self.call.caller_language
        self.guidance.setVisible(self.call.about_colleague or self.call.about_family)
        lines = []
        sections = family_guidance() if self.call.about_family else self.services.guidance
        for section in sections:
            lines.append(section.title.get(language).upper())
            lines += [f"•  {point.get(language)}" for point in section.points]
        self.guidance.say("\n".join(lines), language)

    def first_focus(self) -> QWidget:
        return self.role


class SafetyStep(StepPage):
    """Every question of the screen, read aloud in the caller's language; the tier, why, and what
    is still open. The crisis route opens by itself (`crisis_needed`) only once the capability
    and intent questions are answered, or at once when an attempt may be in progress."""

    tier_changed = QtSignal(str)
    crisis_needed = QtSignal(str)

    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-safety", call, services, parent)
        self.boxes: dict[str, QWidget] = {}
        self.scripts: dict[str, ReadAloud] = {}
        self.buttons: dict[str, dict[str, QRadioButton]] = {}
        self.choices: dict[str, dict[str, QCheckBox]] = {}
        self.hints: dict[str, QLabel] = {}
        self._opened_at: Tier | None = None  # the tier at which the crisis route last opened
        for question in services.screen.questions:
            box = QWidget(self)
            box.setObjectName(f"safety-{question.id}")
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            script = ReadAloud(box, f"safety-{question.id}-ask")
            column.addWidget(script)
            if question.answerable:
                group = QButtonGroup(box)
                row = QHBoxLayout()
                buttons: dict[str, QRadioButton] = {}
                for answer in ANSWERS:
                    button = QRadioButton(box)
                    button.setObjectName(f"safety-{question.id}-{answer}")
                    group.addButton(button)
                    row.addWidget(button)
                    buttons[answer] = button
                    button.toggled.connect(self._answered)
                row.addStretch(1)
                column.addLayout(row)
                self.buttons[question.id] = buttons
            elif question.kind == "choices":
                boxes: dict[str, QCheckBox] = {}
                for choice in question.choices:
                    check = QCheckBox(box)
                    check.setObjectName(f"safety-{question.id}-{choice.id}")
                    check.toggled.connect(self._answered)
                    column.addWidget(check)
                    boxes[choice.id] = check
                self.choices[question.id] = boxes
            hint_label = QLabel(box)
            hint_label.setObjectName(f"safety-{question.id}-hint")
            hint_label.setProperty("hint", True)
            hint_label.setWordWrap(True)
            column.addWidget(hint_label)
            self.hints[question.id] = hint_label
            self.body.addWidget(box)
            self.boxes[question.id] = box
            self.scripts[question.id] = script
        self.tier = QLabel(self)
        self.tier.setObjectName("safety-tier")
        self.tier.setWordWrap(True)
        self.open_items = QLabel(self)
        self.open_items.setObjectName("safety-open")
        self.open_items.setWordWrap(True)
        self.open_items.setProperty("hint", True)
        self.pin_above_scrolling(self.tier)  # the tier stays in view while scrolling
        self.body.insertWidget(0, self.open_items)
        self.body.addStretch(1)
        # Scroll rather than squeeze the read-aloud questions into a line each.
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.refresh()

    @property
    def questions(self) -> dict[str, tuple[ReadAloud, dict[str, QRadioButton]]]:
        """The yes-no questions: their read-aloud box and answer buttons."""
        return {qid: (self.scripts[qid], buttons) for qid, buttons in self.buttons.items()}

    def answers(self) -> dict[str, str]:
        """The yes-no answers only (what the rules read)."""
        return {q: a for q, a in self.call.safety.items() if q in self.buttons}

    def assessment(self) -> Assessment:
        return self.services.screen.assess(self.answers())

    def _show(self) -> None:
        for qid, buttons in self.buttons.items():
            answer = self.call.safety.get(qid)
            for value, button in buttons.items():
                button.setAutoExclusive(False)
                button.setChecked(value == answer)
                button.setAutoExclusive(True)
        for qid, boxes in self.choices.items():
            chosen = set(self.call.safety.get(qid, "").split(","))
            for code, check in boxes.items():
                check.setChecked(code in chosen)
        self._show_applicable()

    def _show_applicable(self) -> None:
        answers = self.answers()
        for question in self.services.screen.questions:
            self.boxes[question.id].setVisible(question.applies(answers))

    def _answered(self) -> None:
        if self._loading:
            return
        answers: dict[str, str] = {}
        for qid, buttons in self.buttons.items():
            for value, button in buttons.items():
                if button.isChecked():
                    answers[qid] = value
        for qid, boxes in self.choices.items():
            chosen = [code for code, check in boxes.items() if check.isChecked()]
            if chosen:
                answers[qid] = ",".join(chosen)
        self.call.safety = answers
        self._show_applicable()
        result = self.assessment()
        changed = result.tier != self.call.risk
        self.call.risk = result.tier
        self._show_tier()
        self.edited()
        if changed:
            self.tier_changed.emit(result.tier)
        opened = self._opened_at
        if result.opens_crisis and (
            opened is None or SEVERITY.index(result.tier) > SEVERITY.index(opened)
        ):
            self._opened_at = result.tier
            self.crisis_needed.emit(result.tier)

    def _show_tier(self) -> None:
        result = self.assessment()
        language = current_language()
        text = _("Risk tier: {tier}").format(tier=translate(RISK_NAMES[result.tier]))
        if result.tier == "not-screened":
            text += " — " + _("no question answered yet. This is not the same as no risk.")
        elif result.reasons:
            text += " — " + " ".join(rule.why.get(language) for rule in result.reasons)
        self.tier.setText(text)
        self.tier.setProperty("risk", result.tier)
        self.tier.style().unpolish(self.tier)
        self.tier.style().polish(self.tier)
        lines = []
        if result.tier in ("high", "imminent") and not result.opens_crisis:
            lines.append(
                _(
                    "Ask the remaining questions about intent and means now; the crisis route "
                    "opens when they are answered (F12 opens it at any time)."
                )
            )
        if result.ask_again:
            count = len(result.ask_again)
            lines.append(
                ngettext(
                    "Unsure: ask it again, gently, before the call ends ({count} question).",
                    "Unsure: ask them again, gently, before the call ends ({count} questions).",
                    count,
                ).format(count=count)
            )
        if result.not_asked and result.tier != "not-screened":
            count = len(result.not_asked)
            lines.append(
                ngettext(
                    "Not asked yet: {count} question.", "Not asked yet: {count} questions.", count
                ).format(count=count)
            )
        self.open_items.setText("\n".join(lines))
        self.open_items.setVisible(bool(lines))
        for qid, hint_label in self.hints.items():
            answer = self.call.safety.get(qid)
            question = self.services.screen.question(qid)
            if question.kind == "prompt":
                hint_label.setText(_("Type it in the crisis route if it is needed; never stored."))
            elif answer == "unsure":
                hint_label.setText(_("Ask again later, in other words; counted as yes meanwhile."))
            else:
                hint_label.setText("")
            hint_label.setVisible(bool(hint_label.text()))

    def retranslate_ui(self) -> None:
        language = self.call.caller_language
        self.title.setText(pgettext("call step", "Safety"))
        self.intro.setText(
            _(
                "Ask early, directly and calmly, and ask every question whatever the first "
                "answer. High or imminent risk opens the crisis route; everything entered stays."
            )
        )
        names = {
            "yes": pgettext("answer", "Yes"),
            "no": pgettext("answer", "No"),
            "unsure": pgettext("answer", "Unsure"),
            "declined": _("Would rather not say"),
        }
        for question in self.services.screen.questions:
            about_other = self.call.about_colleague or self.call.about_family
            text = question.ask_about_other if about_other else question.ask
            self.scripts[question.id].say(text.get(language), language)
            for value, button in self.buttons.get(question.id, {}).items():
                button.setText(names[value])
            for choice in question.choices:
                self.choices[question.id][choice.id].setText(choice.text.get(current_language()))
        self._show_tier()

    def first_focus(self) -> QWidget:
        return next(iter(self.buttons.values()))["yes"]


class NeedsStep(StepPage):
    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("step-needs", call, services, parent)
        self.topics_box = QGroupBox(self)
        topics_layout = QVBoxLayout(self.topics_box)
        self.topics: dict[str, QCheckBox] = {}
        for code in TOPICS:
            box = QCheckBox(self.topics_box)
            box.setObjectName(f"topic-{code}")
            box.toggled.connect(self._topics)
            topics_layout.addWidget(box)
            self.topics[code] = box
        self.need_box = QGroupBox(self)
        need_layout = QVBoxLayout(self.need_box)
        self.needs: dict[str, tuple[QRadioButton, QLabel]] = {}
        group = QButtonGroup(self.need_box)
        for code in NEED_SCRIPTS:
            button = QRadioButton(self.need_box)
            button.setObjectName(f"need-{code}")
            group.addButton(button)
            button.toggled.connect(self._need)
            script = QLabel(self.need_box)
            script.setObjectName(f"need-{code}-script")
            script.setProperty("hint", True)
            script.setWordWrap(True)
            need_layout.addWidget(button)
            need_layout.addWidget(script)
            self.needs[code] = (button, script)
        self.format_box = QGroupBox(self)
        # Three to a row: six on one row did not fit in French at a large font.
        format_layout = QGridLayout(self.format_box)
        self.formats: dict[str, QCheckBox] = {}
        for index, code in enumerate((*MODES, *CHANNELS)):
            box = QCheckBox(self.format_box)
            box.setObjectName(f"format-{code}")
            box.toggled.connect(self._formats)
            format_layout.addWidget(box, index // 3, index % 3)
            self.formats[code] = box
        self.outside = QCheckBox(self)
        self.outside.setObjectName("outside-community")
        self.outside.toggled.connect(self._outside)
        for widget in (self.topics_box, self.need_box, self.format_box, self.outside):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.refresh()

    def _show(self) -> None:
        for code, box in self.topics.items():
            box.setChecked(code in self.call.topics)
        for code, (button, _script) in self.needs.items():
            button.setAutoExclusive(False)
            button.setChecked(code == self.call.need)
            button.setAutoExclusive(True)
        for code, box in self.formats.items():
            box.setChecked(code in self.call.modes or code in self.call.channels)
        self.outside.setChecked(self.call.outside_community)

    def _topics(self) -> None:
        if not self._loading:
            self.call.topics = [c for c, b in self.topics.items() if b.isChecked()]
            self.edited()

    def _need(self) -> None:
        if not self._loading:
            chosen = [c for c, (b, _s) in self.needs.items() if b.isChecked()]
            self.call.need = chosen[0] if chosen else None
            self.edited()

    def _formats(self) -> None:
        if not self._loading:
            self.call.modes = [c for c in MODES if self.formats[c].isChecked()]
            self.call.channels = [c for c in CHANNELS if self.formats[c].isChecked()]
            self.edited()

    def _outside(self, checked: bool) -> None:
        if not self._loading:
            self.call.outside_community = checked
            self.edited()

    def retranslate_ui(self) -> None:
        language = self.call.caller_language
        self.title.setText(pgettext("call step", "What is going on"))
        self.intro.setText(_("Listen first. Note the topics, then the kind of help wanted."))
        self.topics_box.setTitle(pgettext("group title", "Topics"))
        for code, box in self.topics.items():
            box.setText(translate(TOPICS[code]))
        self.need_box.setTitle(_("Kind of help wanted (read the differences aloud)"))
        names = {
            "peer": pgettext("kind of help", "Peer support"),
            "counselling": pgettext("kind of help", "Counselling"),
            "mentorship": pgettext("kind of help", "Mentorship"),
            "coaching": pgettext("kind of help", "Coaching"),
            "information": pgettext("kind of help", "Information"),
        }
        for code, (button, script) in self.needs.items():
            button.setText(names[code])
            script.setText(gettext_in(language, NEED_SCRIPTS[code]))
        self.format_box.setTitle(pgettext("group title", "Format preferences"))
        for code, box in self.formats.items():
            box.setText(translate(FORMAT_NAMES[code]))
        self.outside.setText(_("Wants support outside their own community"))

    def first_focus(self) -> QWidget:
        return self.topics["burnout"]
