"""The kiosk's question screens: the welcome, one question per screen, and the crisis screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from itertools import pairwise

from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from intake.crisis import NINE_ONE_ONE, CrisisEntry, CrisisPlan
from intake.i18n import Language, _, pgettext, translate
from intake.kiosk import Label
from intake.provinces import PROVINCES, province_name
from intake.routing.engine import may_not_run
from intake.routing.render import contact_line
from intake.ui.kiosk.parts import ChoiceButton, KioskScreen, card, text_label
from intake.ui.widgets import ENDONYMS, clear_layout, collated

# An option: its value, then a function giving its title (and one line of explanation) now.
Option = tuple[str, Callable[[], str], Callable[[], str] | None]


class WelcomeScreen(KioskScreen):
    language_chosen = QtSignal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kiosk-welcome", parent)
        self.privacy = text_label(self, "kiosk-privacy")
        self.privacy.setProperty("hint", True)
        self.buttons: dict[Language, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(24)
        for language, name in ENDONYMS.items():
            button = QPushButton(name, self)
            button.setObjectName(f"kiosk-start-{language}")
            button.setProperty("big", True)
            button.setProperty("endonym", True)
            # Each language is named in itself; its button reads in that language too.
            button.setAccessibleName(name)
            button.clicked.connect(lambda _c=False, lang=language: self.language_chosen.emit(lang))
            row.addWidget(button)
            self.buttons[language] = button
        self.body.addStretch(1)
        self.body.addLayout(row)
        self.body.addSpacing(24)
        self.body.addWidget(self.privacy)
        self.body.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Support for physicians, in confidence"))
        self.set_intro(
            _("Choose your language to begin. / Choisissez votre langue pour commencer.")
        )
        self.privacy.setText(
            _(
                "Nothing you enter is shown to the next person: this screen forgets it when you "
                "leave.\nOnly a callback request, if you make one, is kept, encrypted, for our staff."
            )
        )

    def first_focus(self) -> QWidget:
        return self.buttons["en"]


class ChoiceScreen(KioskScreen):
    """One question, one tap: emits the chosen value."""

    chosen = QtSignal(str, str)  # step, value

    def __init__(
        self,
        step: str,
        question: Callable[[], str],
        options: list[Option],
        parent: QWidget,
        *,
        intro: Callable[[], str] | None = None,
        columns: int = 1,
        sort_by_title: bool = False,
    ) -> None:
        super().__init__(f"kiosk-{step}", parent)
        self.step = step
        self._question = question
        self._intro = intro
        self._options = options
        self.choices: dict[str, ChoiceButton] = {}
        self._columns = columns
        self._sorted = sort_by_title
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        for index, (value, _title, _detail) in enumerate(options):
            button = ChoiceButton(value, self)
            button.clicked.connect(lambda _c=False, v=value: self.chosen.emit(self.step, v))
            self.grid.addWidget(button, index // columns, index % columns)
            self.choices[value] = button
        self.body.addLayout(self.grid)
        self.body.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self._question())
        self.set_intro(self._intro() if self._intro else "")
        for value, title, detail in self._options:
            self.choices[value].set_texts(title(), detail() if detail else None)
        if self._sorted:
            self._order_by_title()

    def _order_by_title(self) -> None:
        """Lay the answers out in the display language's alphabetical order (QCollator)."""
        names = [(button.title.text(), value) for value, button in self.choices.items()]
        for index, (_name, value) in enumerate(collated(names)):
            button = self.choices[value]
            self.grid.removeWidget(button)
            self.grid.addWidget(button, index // self._columns, index % self._columns)
        # Tab follows the new reading order.
        ordered = [self.choices[value] for _name, value in collated(names)]
        for first, second in pairwise(ordered):
            QWidget.setTabOrder(first, second)

    def show_answer(self, value: str | None) -> None:
        """Mark the answer given earlier (after Back), so the person sees what they chose."""
        for key, button in self.choices.items():
            button.setChecked(key == value)

    def first_focus(self) -> QWidget | None:
        checked = [b for b in self.choices.values() if b.isChecked()]
        return checked[0] if checked else next(iter(self.choices.values()), None)


def province_options() -> list[Option]:
    def name(code: str) -> Callable[[], str]:
        from intake.i18n import current_language  # noqa: PLC0415 - tiny, avoids a cycle

        return lambda: province_name(code, current_language())

    return [(code, name(code), None) for code in sorted(PROVINCES, key=_english_order)]


def _english_order(code: str) -> str:
    return PROVINCES[code].name_en


def options_from(table: Mapping[str, Label]) -> list[Option]:
    """Options from a table of marked labels."""
    return [(value, partial(translate, label), None) for value, label in table.items()]


def explained_options_from(table: Mapping[str, tuple[Label, str]]) -> list[Option]:
    """Options from a table of (label, one-line explanation) pairs."""
    return [
        (value, partial(translate, label), partial(_, detail))
        for value, (label, detail) in table.items()
    ]


class CrisisScreen(KioskScreen):
    """Who to call now, for the person's province or territory, and the staff at the desk."""

    continue_requested = QtSignal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__("kiosk-crisis", parent)
        self._plan: CrisisPlan | None = None
        self._language: Language = "en"
        self.staff, staff_layout = card(self, "kiosk-crisis-staff")
        self.staff.setProperty("urgent", True)
        self.staff_text = text_label(self.staff, "kiosk-crisis-staff-text")
        staff_layout.addWidget(self.staff_text)
        self.entries = QWidget(self)
        self.entries.setObjectName("kiosk-crisis-entries")
        self.entries_layout = QGridLayout(self.entries)
        self.entries_layout.setContentsMargins(0, 0, 0, 0)
        self.continue_button = QPushButton(self)
        self.continue_button.setObjectName("kiosk-crisis-continue")
        self.continue_button.clicked.connect(self.continue_requested)
        self.body.addWidget(self.staff)
        self.body.addWidget(self.entries)
        self.body.addWidget(self.continue_button)
        self.body.addStretch(1)
        self.retranslate_ui()

    def show_plan(self, plan: CrisisPlan, language: Language) -> None:
        self._plan, self._language = plan, language
        self._fill()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Help is available right now"))
        self.staff_text.setText(
            _(
                "The staff here have been alerted. You can also tell them at the desk: they "
                "are here to help, right now."
            )
        )
        self.continue_button.setText(pgettext("kiosk", "Continue"))
        self.continue_button.setAccessibleName(pgettext("kiosk", "Continue"))
        self._fill()

    def _fill(self) -> None:
        clear_layout(self.entries_layout)
        plan = self._plan
        if plan is None:
            return
        for row, entry in enumerate(plan.entries):
            self.entries_layout.addWidget(self._entry_card(entry, plan), row, 0)

    def _entry_card(self, entry: CrisisEntry, plan: CrisisPlan) -> QWidget:
        program, language = entry.program, self._language
        frame, layout = card(self.entries, f"kiosk-crisis-{program.id}")
        if program.kind == "emergency":
            if program.id == NINE_ONE_ONE:
                head = _("In danger right now? Call 9-1-1.")
                lines = []
            else:  # no 9-1-1 here (Nunavut): the local alternative, described in the directory
                head = _("In danger right now? Call your local emergency number.")
                lines = [program.description.get(language)]
        elif program.id == "ca-988":
            head = _("Call or text 9-8-8, any time")
            lines = [_("Free, in English or French, 24 hours a day.")]
        else:
            head = program.name.text.get(language)
            lines = [_("Open 24/7")]
            if may_not_run(program) and program.doubt is not None:
                lines.append(program.doubt.get(language))  # it may no longer answer
        layout.addWidget(text_label(frame, "crisis-entry-title", head, level=2))
        for line in lines:
            layout.addWidget(text_label(frame, "crisis-entry-line", line))
        for contact in entry.contacts:
            if program.id == NINE_ONE_ONE and contact.type != "voice":
                continue  # text to 9-1-1 needs prior registration: not for a kiosk visitor
            layout.addWidget(
                text_label(
                    frame, "crisis-entry-contact", contact_line(contact, language, with_note=False)
                )
            )
            if contact.note:
                layout.addWidget(text_label(frame, "crisis-entry-line", contact.note.get(language)))
        if plan.province is None and program.kind == "emergency":
            layout.addWidget(
                text_label(
                    frame,
                    "crisis-entry-line",
                    _(
                        "In some northern communities, and in Nunavut, use the local emergency number."
                    ),
                )
            )
        return frame

    def first_focus(self) -> QWidget:
        return self.continue_button
