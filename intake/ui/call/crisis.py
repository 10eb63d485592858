"""The crisis route during a call: who to call for the caller's province or territory, the
warm-transfer steps, and what was done. Opening it never loses what was entered before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from intake.call import CRISIS_ACTIONS, TICKED_ACTIONS, Call
from intake.callback_numbers import CallbackNumber, parse_callback
from intake.crisis import CrisisEntry, CrisisPlan, crisis_plan
from intake.i18n import N_, NP_, Language, _, pgettext, translate
from intake.routing.engine import may_not_run
from intake.routing.render import contact_line
from intake.safety import NO_CONNECTION, NO_CONNECTION_REASONS, NO_SUPERVISOR, NO_SUPERVISOR_REASONS
from intake.ui.call.base import CallServices, ReadAloud, StepPage, shown_number
from intake.ui.call.steps import RISK_NAMES
from intake.ui.widgets import clear_layout, refill_combo

# What to do, by tier (the Lifeline imminent-risk policy; docs/safety-screen.md). The order of
# who to call in the panel follows the same tier (intake.crisis), as the recommendations do.
CONCERN_STEPS = (
    N_("Keep listening. You do not have to fix anything; staying with them helps."),
    N_("Offer 9-8-8 (call or text, any hour, in English or French) and the peer program."),
    N_("Ask what they will do, and whom they will call, if it gets worse: a safety plan."),
    N_("Ask the safety questions again before the call ends."),
)
HIGH_STEPS = (
    N_("Before any hand-off, get a number to call them back and where they are now."),
    N_(
        "Offer a warm transfer to 9-8-8 or the provincial crisis line: call on another line "
        "and, where you can, stay on a three-way call."
    ),
    N_("Introduce the caller to the responder and stay until they have taken over."),
    N_(
        "Confirm the connection. If the caller declines, make a short safety plan together: "
        "warning signs, whom to call, putting the means away, reasons to stay safe."
    ),
    N_("Tell the on-call supervisor."),
)
IMMINENT_STEPS = (
    N_("Stay on the line. Get where they are now and a number to call them back."),
    N_(
        "Work it out together first: with their agreement, put the means away or hand them to "
        "someone, go to an emergency department, bring someone in to be with them."
    ),
    N_(
        "If they remain unwilling or unable to stay safe, or an attempt is in progress (then "
        "even without their consent): call emergency services on another line with the "
        "location and the callback number."
    ),
    N_("Tell the on-call supervisor now: you are not alone in this."),
    N_("Confirm that emergency services actually made contact."),
)
STEPS_BY_TIER = {"concern": CONCERN_STEPS, "high": HIGH_STEPS, "imminent": IMMINENT_STEPS}
STEPS_TITLES = {
    "concern": NP_("group title", "Concern: keep listening, offer 9-8-8"),
    "high": NP_("group title", "High risk: warm transfer and a safety plan"),
    "imminent": NP_("group title", "Imminent risk: work it out together, then rescue"),
}


def steps_for(risk: str) -> tuple[str, ...]:
    """The steps to show; a route opened before any tier is treated as imminent."""
    return STEPS_BY_TIER.get(risk, IMMINENT_STEPS)


def entry_frame(entry: CrisisEntry, language: Language, parent: QWidget, prefix: str) -> QFrame:
    """One line of a crisis plan as a volunteer reads it: the program's name, then how to reach
    it (or what it is, when it has no contact), selectable to copy a number. Object names start
    with `prefix` (the call's panel and the route opened without a PIN each have their own)."""
    frame = QFrame(parent)
    frame.setObjectName(f"{prefix}-entry-{entry.program.id}")
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 4, 0, 4)
    name = QLabel(entry.program.name.text.get(language), frame)
    name.setObjectName(f"{prefix}-entry-name")
    name.setProperty("heading", 2)
    name.setWordWrap(True)
    layout.addWidget(name)
    if may_not_run(entry.program) and entry.program.doubt is not None:
        # A line that may no longer answer says so where the volunteer reads its number.
        doubt = QLabel(entry.program.doubt.get(language), frame)
        doubt.setObjectName(f"{prefix}-entry-doubt")
        doubt.setProperty("caution", True)
        doubt.setWordWrap(True)
        layout.addWidget(doubt)
    lines = [contact_line(c, language) for c in entry.contacts]
    if not entry.contacts:
        lines.append(entry.program.description.get(language))
    details = QLabel("\n".join(lines), frame)
    details.setObjectName(f"{prefix}-entry-contacts")
    details.setWordWrap(True)
    details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(details)
    return frame


class CrisisPanel(StepPage):
    back_requested = QtSignal()

    def __init__(self, call: Call, services: CallServices, parent: QWidget) -> None:
        super().__init__("crisis-panel", call, services, parent)
        self.title.setProperty("crisis", True)
        self.plan_box = QGroupBox(self)
        self.plan_box.setObjectName("crisis-plan")
        self.plan_layout = QVBoxLayout(self.plan_box)
        self.steps_box = QGroupBox(self)
        self.steps = QLabel(self.steps_box)
        self.steps.setObjectName("crisis-steps")
        self.steps.setWordWrap(True)
        QVBoxLayout(self.steps_box).addWidget(self.steps)
        self.number = QLineEdit(self)
        self.number.setObjectName("crisis-callback-number")
        self.location = QLineEdit(self)
        self.location.setObjectName("crisis-location")
        self.number_label, self.location_label = QLabel(self), QLabel(self)
        self.number_label.setBuddy(self.number)
        self.location_label.setBuddy(self.location)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long French labels
        form.addRow(self.number_label, self.number)
        form.addRow(self.location_label, self.location)
        self.action_boxes: dict[str, QCheckBox] = {}
        actions_box = QWidget(self)
        actions_layout = QVBoxLayout(actions_box)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        for code in TICKED_ACTIONS:
            box = QCheckBox(actions_box)
            box.setObjectName(f"crisis-{code}")
            box.toggled.connect(lambda on, c=code: self._action(c, on))
            actions_layout.addWidget(box)
            self.action_boxes[code] = box
        self.no_connection = QComboBox(self)
        self.no_connection.setObjectName("crisis-no-connection")
        self.no_supervisor = QComboBox(self)
        self.no_supervisor.setObjectName("crisis-no-supervisor")
        self.no_connection_label, self.no_supervisor_label = QLabel(self), QLabel(self)
        self.no_connection_label.setWordWrap(True)
        self.no_supervisor_label.setWordWrap(True)
        self.no_connection_label.setBuddy(self.no_connection)
        self.no_supervisor_label.setBuddy(self.no_supervisor)
        for combo in (self.no_connection, self.no_supervisor):
            # Long French reasons must not set the page's width: the list opens wide enough.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
        reasons = QFormLayout()
        reasons.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        reasons.addRow(self.no_connection_label, self.no_connection)
        reasons.addRow(self.no_supervisor_label, self.no_supervisor)
        self.no_connection.currentIndexChanged.connect(
            lambda: self._reason(NO_CONNECTION, self.no_connection)
        )
        self.no_supervisor.currentIndexChanged.connect(
            lambda: self._reason(NO_SUPERVISOR, self.no_supervisor)
        )
        self.tier = QLabel(self)
        self.tier.setObjectName("crisis-tier")
        self.tier.setWordWrap(True)
        self.supervisor = QLabel(self)
        self.supervisor.setObjectName("on-call-supervisor")
        self.supervisor.setWordWrap(True)
        self.supervisor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("crisis-back")
        for widget in (self.tier, self.supervisor, self.steps_box, self.plan_box):
            # Never squeezed below what they need to show: the page scrolls instead.
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            self.body.addWidget(widget)
        self.body.addLayout(form)
        self.body.addWidget(actions_box)
        self.body.addLayout(reasons)
        self.body.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignRight)
        self.body.addStretch(1)
        self.number.textEdited.connect(self._number)
        self.back_button.clicked.connect(self.back_requested)
        self.plan: CrisisPlan | None = None
        self.refresh()

    def _show(self) -> None:
        call = self.call
        self.plan = crisis_plan(
            self.services.router,
            call.province,
            self.services.now(),
            role=call.role or "physician",
            language=call.caller_language,
            about_colleague=call.about_colleague,
            risk=call.risk,
            about_family=call.about_family,
        )
        for code, box in self.action_boxes.items():
            box.setChecked(code in call.crisis_actions)
        self._fill_reasons()
        if not self.number.text() and call.callback_number:
            self.number.setText(shown_number(call.callback_number))

    def _action(self, code: str, on: bool) -> None:
        if self._loading:
            return
        if on:
            self.call.add_crisis_action(code)
        else:
            self.call.crisis_actions = [a for a in self.call.crisis_actions if a != code]
        self.edited()

    def _fill_reasons(self) -> None:
        for combo, prefix, codes in (
            (self.no_connection, NO_CONNECTION, NO_CONNECTION_REASONS),
            (self.no_supervisor, NO_SUPERVISOR, NO_SUPERVISOR_REASONS),
        ):
            items: list[tuple[str, str | None]] = [(pgettext("reason", "Not applicable"), None)]
            items += [(translate(CRISIS_ACTIONS[prefix + code]), code) for code in codes]
            was = self._loading
            self._loading = True
            try:
                refill_combo(combo, items)
                combo.setCurrentIndex(max(combo.findData(self.call.reason(prefix)), 0))
            finally:
                self._loading = was

    def _reason(self, prefix: str, combo: QComboBox) -> None:
        if self._loading:
            return
        self.call.set_reason(prefix, combo.currentData())
        self.edited()

    def _number(self, text: str) -> None:
        # Typed to act on now; kept in the record only if the caller agreed to notes. Every
        # keystroke updates the call, so the whole number is kept and a correction replaces
        # an earlier one; a number that does not parse is kept as typed (no time to fix it).
        if self.call.keeps_text:
            parsed = parse_callback(text) if text.strip() else None
            self.call.callback_number = (
                parsed.e164 if isinstance(parsed, CallbackNumber) else text.strip()
            )
            self.edited()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Crisis route"))
        self.intro.setText(_("Stay with the caller. Everything entered so far is kept."))
        contact = self.services.on_call_contact
        self.supervisor.setText(
            _("On-call supervisor: {contact}").format(contact=contact)
            if contact
            else _("On-call supervisor: not set. Ask a supervisor to add it.")
        )
        self.plan_box.setTitle(pgettext("group title", "Who to call"))
        self.fill_when_shown(self._fill_plan)
        risk = self.call.risk
        self.tier.setText(
            _("Risk tier: {tier}").format(tier=translate(RISK_NAMES[risk]))
            if risk in RISK_NAMES
            else ""
        )
        self.tier.setProperty("risk", risk)
        self.tier.style().unpolish(self.tier)
        self.tier.style().polish(self.tier)
        self.steps_box.setTitle(translate(STEPS_TITLES.get(risk, STEPS_TITLES["imminent"])))
        self.steps.setText(
            "\n".join(f"{n}. {_(step)}" for n, step in enumerate(steps_for(risk), 1))
        )
        self.number_label.setText(_("Caller's callback number"))
        self.location_label.setText(_("Where the caller is now"))
        self.location.setPlaceholderText(_("To pass on now; never stored"))
        for code, box in self.action_boxes.items():
            box.setText(translate(CRISIS_ACTIONS[code]))
        self.no_connection_label.setText(_("If the connection could not be confirmed, why"))
        self.no_supervisor_label.setText(_("If the on-call supervisor was not informed, why"))
        self._fill_reasons()
        self.back_button.setText(_("Back to the intake"))

    def _fill_plan(self) -> None:
        clear_layout(self.plan_layout)
        if self.plan is None:
            return
        caller = self.call.caller_language
        for entry in self.plan.entries:
            frame = entry_frame(entry, caller, self.plan_box, "crisis")
            layout = frame.layout()
            assert layout is not None
            script = ReadAloud(frame, f"crisis-script-{entry.program.id}")
            script.say(entry.program.referral.get(caller), caller)
            layout.addWidget(script)
            self.plan_layout.addWidget(frame)

    def first_focus(self) -> QWidget:
        return self.number
