"""A peer supporter's own page: the matches they accepted, nothing else of the line.

What a matched peer expects (the BC program's description of local matching): to see who asked
for support and how to reach them, what it is about, the date their first contact is due, and to
record that first contact and, later, the end of the support. They never see the line's calls,
other peers' matches or the roster. Every opening of the page is audited per request shown, in
the store, with whether the identity was shown (it is: they are the matched peer).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account
from intake.i18n import _, current_language, language_name, ngettext, pgettext
from intake.provinces import province_name
from intake.services import matching
from intake.ui.language import Retranslatable
from intake.ui.matching import format_name, topic_names
from intake.ui.widgets import MessageBanner, heading, hint, refill_combo
from intake.vocabulary import MATCH_OUTCOMES
from intake.vocabulary_labels import label as vocabulary_label

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


class OwnMatchesPage(Retranslatable, QWidget):
    def __init__(
        self,
        store: matching.AnyStore,
        account: Account,
        parent: QWidget | None = None,
        now: Clock = _now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("own-matches-page")
        self.store = store
        self.account = account
        self.now = now
        self.title = heading(self, "own-matches-title")
        self.banner = MessageBanner(self)
        self.note = hint(self, "own-matches-note")
        # The worklist items of kind "first-contact" that are this peer's: what they still owe.
        self.owed = QLabel(self)
        self.owed.setObjectName("own-first-contacts-owed")
        self.owed.setWordWrap(True)
        self.matches = QListWidget(self)
        self.matches.setObjectName("own-matches")
        self.detail = QLabel(self)
        self.detail.setObjectName("own-match-detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact_button = QPushButton(self)
        self.contact_button.setObjectName("own-first-contact")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("own-outcome")
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("own-close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_button)
        buttons.addStretch(1)
        buttons.addWidget(self.outcome)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.banner)
        column.addWidget(self.note)
        column.addWidget(self.owed)
        column.addWidget(self.matches, 1)
        column.addWidget(self.detail)
        column.addLayout(buttons)
        self.matches.currentItemChanged.connect(lambda *_args: self._render())
        self.contact_button.clicked.connect(self.first_contact)
        self.close_button.clicked.connect(self.close_match)
        self._rows: list[matching.OwnMatch] = []
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(_("My matches"))
        self.note.setText(
            _(
                "The physicians matched with you, and how to reach them. Keep this confidential: "
                "each opening of this page is recorded."
            )
        )
        self.contact_button.setText(_("First contact made"))
        self.close_button.setText(_("End the support"))
        # How the support ended: the coded outcomes the coordinator's closure and the reports use.
        refill_combo(
            self.outcome,
            [(vocabulary_label("match-outcome", code), code) for code in MATCH_OUTCOMES],
        )
        self.banner.retranslate_ui()
        self._fill()

    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except matching.StoreError as exc:
            self.banner.show_message(exc.explain)
            return False
        self.banner.clear()
        return True

    def refresh(self) -> None:
        """Read this peer's matches (each one audited as opened)."""

        def load() -> None:
            self._rows = matching.own_matches(self.store, self.account.id)

        if not self._guard(load):
            self._rows = []
        self._fill()

    def _selected(self) -> matching.OwnMatch | None:
        row = self.matches.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _fill(self) -> None:
        keep = self._selected()
        self.matches.blockSignals(True)
        self.matches.clear()
        today = self.now().date()
        owed = [
            own
            for own in self._rows
            if own.closed_at is None and own.first_contact_at is None and own.first_contact_due
        ]
        late = sum(1 for own in owed if matching.is_overdue(own.first_contact_due, None, today))
        if not owed:
            self.owed.setText(_("You owe no first contact at the moment."))
        elif late:
            self.owed.setText(
                ngettext(
                    "First contacts you owe: {count}, {late} of them overdue. Reach them first.",
                    "First contacts you owe: {count}, {late} of them overdue. Reach them first.",
                    len(owed),
                ).format(count=len(owed), late=late)
            )
        else:
            self.owed.setText(
                ngettext(
                    "First contacts you owe: {count}, due within three business days of accepting.",
                    "First contacts you owe: {count}, due within three business days of accepting.",
                    len(owed),
                ).format(count=len(owed))
            )
        self.owed.setProperty("risk", "high" if late else None)
        self.owed.style().unpolish(self.owed)
        self.owed.style().polish(self.owed)
        for index, own in enumerate(self._rows):
            request = own.request
            if own.closed_at:
                state = _("ended on {day}").format(day=own.closed_at[:10])
            elif own.first_contact_at:
                state = _("first contact made on {day}").format(day=own.first_contact_at[:10])
            elif matching.is_overdue(own.first_contact_due, own.first_contact_at, today):
                state = _("first contact overdue since {day}").format(day=own.first_contact_due)
            else:
                state = _("first contact due by {day}").format(day=own.first_contact_due or "—")
            QListWidgetItem(
                _("{name} · {site} · {state}").format(
                    name=request.requester_name or _("(no name given)"),
                    site=request.site,
                    state=state,
                ),
                self.matches,
            )
            if keep is not None and own.match_id == keep.match_id:
                self.matches.setCurrentRow(index)
        if self.matches.currentRow() < 0 and self._rows:
            self.matches.setCurrentRow(0)
        self.matches.blockSignals(False)
        self._render()

    def _render(self) -> None:
        own = self._selected()
        if own is None:
            self.detail.setText(_("No match for you at the moment."))
            self.contact_button.setEnabled(False)
            self.close_button.setEnabled(False)
            self.outcome.setEnabled(False)
            return
        request = own.request
        lines = [
            _("{name}, {site} ({province})").format(
                name=request.requester_name or _("(no name given)"),
                site=request.site,
                province=province_name(request.province, current_language()),
            ),
            _("Reach: {how}").format(how=request.requester_reach or "—"),
            _("Language: {language}").format(language=language_name(request.language)),
            _("What it is about: {topics}").format(
                topics=topic_names(request.topics) or pgettext("topic", "Not said")
            ),
            _("Format: {format}").format(
                format=format_name(request.format) or pgettext("format", "No preference")
            ),
        ]
        self.detail.setText("\n".join(lines))
        open_match = own.closed_at is None
        self.contact_button.setEnabled(open_match and own.first_contact_at is None)
        self.close_button.setEnabled(open_match)
        self.outcome.setEnabled(open_match)

    def first_contact(self) -> None:
        own = self._selected()
        if own is None:
            return
        match_id = own.match_id
        if self._guard(
            lambda: matching.record_first_contact(self.store, match_id, self.account.id, self.now())
        ):
            self.refresh()

    def close_match(self) -> None:
        own = self._selected()
        if own is None:
            return
        request_id, outcome = own.request.id, str(self.outcome.currentData())
        if self._guard(
            lambda: matching.close(self.store, request_id, outcome, self.account.id, self.now())
        ):
            self.refresh()
