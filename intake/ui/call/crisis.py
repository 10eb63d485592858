"""The crisis route during a call: who to call for the caller's province or territory, the
warm-transfer steps, and what was done. Opening it never loses what was entered before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake.call import CRISIS_ACTIONS, Call
from intake.crisis import CrisisPlan, crisis_plan
from intake.i18n import N_, _, pgettext, translate
from intake.routing.render import contact_line
from intake.ui.call.base import CallServices, ReadAloud, StepPage, shown_number
from intake.ui.widgets import clear_layout

TRANSFER_STEPS = (
    N_(
        "Stay on the line and keep the caller talking; you are not alone: call the on-call supervisor if you can."
    ),
    N_("Get where they are right now and a number to call them back."),
    N_("Call emergency services or 9-8-8 on another line, or ask someone near the caller to call."),
    N_("Introduce the caller to the responder and stay until they have taken over."),
    N_("Confirm the connection, then tell the on-call supervisor."),
)


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
        for code in CRISIS_ACTIONS:
            if code == "crisis-route-opened":
                continue
            box = QCheckBox(actions_box)
            box.setObjectName(f"crisis-{code}")
            box.toggled.connect(lambda on, c=code: self._action(c, on))
            actions_layout.addWidget(box)
            self.action_boxes[code] = box
        self.supervisor = QLabel(self)
        self.supervisor.setObjectName("on-call-supervisor")
        self.supervisor.setWordWrap(True)
        self.supervisor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("crisis-back")
        for widget in (self.supervisor, self.plan_box, self.steps_box):
            self.body.addWidget(widget)
        self.body.addLayout(form)
        self.body.addWidget(actions_box)
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
        )
        for code, box in self.action_boxes.items():
            box.setChecked(code in call.crisis_actions)
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

    def _number(self, text: str) -> None:
        # Typed to act on now; kept in the record only if the caller agreed to notes.
        if self.call.keeps_text and not self.call.callback_number:
            self.call.callback_number = text
            self.edited()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Crisis route"))
        self.intro.setText(_("Stay with the caller. Everything entered so far is kept."))
        contact = self.services.on_call_contact
        self.supervisor.setText(
            _("On-call supervisor: {contact}").format(contact=contact)
            if contact
            else _("On-call supervisor: not set. Ask your coordinator to add it to the settings.")
        )
        self.plan_box.setTitle(pgettext("group title", "Who to call"))
        self.fill_when_shown(self._fill_plan)
        self.steps_box.setTitle(pgettext("group title", "Warm transfer"))
        self.steps.setText("\n".join(f"{n}. {_(step)}" for n, step in enumerate(TRANSFER_STEPS, 1)))
        self.number_label.setText(_("Caller's callback number"))
        self.location_label.setText(_("Where the caller is now"))
        self.location.setPlaceholderText(_("To pass on now; never stored"))
        for code, box in self.action_boxes.items():
            box.setText(translate(CRISIS_ACTIONS[code]))
        self.back_button.setText(_("Back to the intake"))

    def _fill_plan(self) -> None:
        clear_layout(self.plan_layout)
        if self.plan is None:
            return
        caller = self.call.caller_language
        for entry in self.plan.entries:
            frame = QFrame(self.plan_box)
            frame.setObjectName(f"crisis-entry-{entry.program.id}")
            layout = QVBoxLayout(frame)
            layout.setContentsMargins(0, 4, 0, 4)
            name = QLabel(entry.program.name.text.get(caller), frame)
            name.setProperty("heading", 2)
            name.setWordWrap(True)
            layout.addWidget(name)
            lines = [contact_line(c, caller) for c in entry.contacts]
            if not entry.contacts:
                lines.append(entry.program.description.get(caller))
            details = QLabel("\n".join(lines), frame)
            details.setObjectName("crisis-entry-contacts")
            details.setWordWrap(True)
            details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(details)
            script = ReadAloud(frame, f"crisis-script-{entry.program.id}")
            script.say(entry.program.referral.get(caller), caller)
            layout.addWidget(script)
            self.plan_layout.addWidget(frame)

    def first_focus(self) -> QWidget:
        return self.number
