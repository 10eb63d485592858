"""Past contacts and follow-ups: a lazy list that stays fast with 100,000 records, note search,
filters, and opening a record (audited). Volunteers see their own contacts, supervisors all.

Every query runs on a worker thread; the list asks for the next page only when it is scrolled
to the end (Qt's canFetchMore/fetchMore), and each page is found by keyset, not by offset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account, Role
from intake.i18n import _, current_language, ngettext, pgettext
from intake.i18n.formatting import format_stamp
from intake.provinces import PROVINCES, province_name, provinces_by_name
from intake.services.history import ContactDetail, HistoryFilter, HistoryRow, HistoryStore, Page
from intake.timezones import zone, zone_label
from intake.ui import ops
from intake.ui.language import Retranslatable
from intake.ui.widgets import collated, heading, refill_combo
from intake.vocabulary import OUTCOMES as OUTCOME_CODES
from intake.vocabulary_labels import label

PAGE_SIZE = 100
Index = QModelIndex | QPersistentModelIndex


# A program's name in a language, from the directory ("" when the directory does not know it).
ProgramNames = Callable[[str, str], str]


def _when(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone()
    return format_stamp(moment, language=current_language())


def when_with_zone(iso: str, zone_name: str | None = None) -> str:
    """A stored time in a named zone (the caller's) or this computer's, with the zone said."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(zone(zone_name)) if zone_name else moment.astimezone()
    except Exception:
        moment = moment.astimezone()
    language = current_language()
    return f"{format_stamp(moment, language=language)} ({_zone_name(moment, language)})"


# A zone's name for one offset in one language: the same for every time a list shows (the
# worklist formats hundreds of them), and slow to ask the locale data for each time.
_ZONE_NAMES: dict[tuple[str, object, str], str] = {}


def _zone_name(moment: datetime, language: str) -> str:
    key = (str(getattr(moment.tzinfo, "key", moment.tzinfo)), moment.utcoffset(), language)
    name = _ZONE_NAMES.get(key)
    if name is None:
        name = _ZONE_NAMES[key] = zone_label(moment, language)
    return name


def _channel(code: str) -> str:
    return label("channel", code)


def _province(code: str | None) -> str:
    return province_name(code, current_language()) if code in PROVINCES else "—"


def _risk(code: str) -> str:
    return label("risk", code)


def _outcome(code: str | None) -> str:
    return label("outcome", code)


class HistoryModel(QAbstractTableModel):
    """Rows arrive a page at a time from a worker thread; nothing is loaded before it is needed."""

    loaded = QtSignal()

    def __init__(self, store: HistoryStore, filters: HistoryFilter, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.filters = filters
        self.rows: list[HistoryRow] = []
        self._next: tuple[str, str] | None = None
        self._more = True
        self._loading = False
        self._generation = 0  # a reset makes results of earlier queries stale
        # Why the last page could not be read (the shared server cannot be reached, say): the
        # rows shown are then not the whole list, and the page says so.
        self.error: BaseException | None = None

    def reset(self, filters: HistoryFilter) -> None:
        self.beginResetModel()
        self.filters = filters
        self.rows = []
        self._next = None
        self._more = True
        self._loading = False
        self.error = None
        self._generation += 1
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        from intake.services.history import history_page  # noqa: PLC0415

        self._loading = True
        store, after, filters, generation = self.store, self._next, self.filters, self._generation
        ops.run_in_background(
            lambda: (generation, history_page(store, after, PAGE_SIZE, filters)),
            self._arrived,
            lambda exc: self._failed(generation, exc),
            name="history-page",
        )

    def _arrived(self, result: tuple[int, Page]) -> None:
        generation, page = result
        if generation != self._generation:
            return
        self._loading = False
        if page.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self._next = page.next_key
        self._more = page.next_key is not None
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._more = False
        self.error = exc
        self.loaded.emit()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return _when(row.started_at)
        if column == 1:
            return _channel(row.channel)
        if column == 2:
            return _province(row.province)
        if column == 3:
            return _risk(row.risk)
        return _outcome(row.outcome)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            pgettext("column", "Started"),
            pgettext("column", "Channel"),
            pgettext("column", "Province or territory"),
            pgettext("column", "Risk"),
            pgettext("column", "Outcome"),
        )[section]

    def retranslate(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 4))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)


class HistoryPage(Retranslatable, QWidget):
    def __init__(
        self,
        store: HistoryStore,
        account: Account,
        parent: QWidget,
        program_names: ProgramNames | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history-page")
        self.store = store
        self.account = account
        self.program_names = program_names
        self._number: str | None = None  # revealed on request, for the contact open now
        self._search_error: BaseException | None = None  # the last note search could not run
        # A volunteer sees their own contacts; a supervisor sees everyone's.
        self.base = HistoryFilter(
            created_by=None if account.role is Role.SUPERVISOR else account.id
        )
        self.title = heading(self, "history-title")
        self.search = QLineEdit(self)
        self.search.setObjectName("history-search")
        self.search.setClearButtonEnabled(True)
        self.province = QComboBox(self)
        self.province.setObjectName("history-province")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("history-outcome")
        self.since = QComboBox(self)
        self.since.setObjectName("history-since")
        self.due = QCheckBox(self)
        self.due.setObjectName("history-followups-due")
        self.status = QLabel(self)
        self.status.setObjectName("history-status")
        self.status.setProperty("hint", True)
        # Every filter has a visible label above it; the boxes grow to their longest entry.
        self.search_label, self.province_label, self.outcome_label, self.since_label = (
            QLabel(self) for _n in range(4)
        )
        # The search on its own row, the three lists under it: one row did not fit in French.
        filters = QGridLayout()
        filters.addWidget(self.search_label, 0, 0, 1, 3)
        filters.addWidget(self.search, 1, 0, 1, 3)
        filters.addWidget(self.due, 1, 3)
        self.search_label.setBuddy(self.search)
        for column, (caption, combo) in enumerate(
            (
                (self.province_label, self.province),
                (self.outcome_label, self.outcome),
                (self.since_label, self.since),
            )
        ):
            caption.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(caption, 2, column)
            filters.addWidget(combo, 3, column)
        filters.setColumnStretch(3, 1)
        self.model = HistoryModel(store, self.base, self)
        self.table = QTableView(self)
        self.table.setObjectName("history-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Columns as wide as their title and contents; the last takes what is left. They are
        # fitted when rows arrive and when the language changes (_show_status), not on every
        # layout: ResizeToContents asked every cell of every loaded row again each time.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("history-open")
        self.followup_done = QPushButton(self)
        self.followup_done.setObjectName("history-followup-done")
        self.followup_done.hide()
        self.reveal_button = QPushButton(self)
        self.reveal_button.setObjectName("history-reveal-number")
        self.reveal_button.hide()
        # A legal hold (supervisors only; audited by the service).
        self.hold_button = QPushButton(self)
        self.hold_button.setObjectName("history-hold")
        self.hold_button.hide()
        self.detail = QLabel(self)
        self.detail.setObjectName("history-detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        detail_scroll = QScrollArea(right)
        detail_scroll.setObjectName("history-detail-scroll")
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail_scroll.setWidget(self.detail)
        right_layout.addWidget(detail_scroll, 1)
        right_buttons = QHBoxLayout()
        right_buttons.addStretch(1)
        right_buttons.addWidget(self.hold_button)
        right_buttons.addWidget(self.reveal_button)
        right_buttons.addWidget(self.followup_done)
        right_layout.addLayout(right_buttons)
        # The contact opened under the list, not beside it: the table keeps the full width for
        # its labelled columns, and a long record scrolls instead of being cut.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        # The opened contact is read in full: as much room as the list.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        detail_scroll.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self._opened: ContactDetail | None = None
        self._fit_pending = False  # rows arrived while hidden: columns fitted when shown
        # A column the person dragged to a width keeps it: later pages of rows no longer fit
        # the columns (they undid the drag as the person scrolled); a language switch does.
        self._widths_chosen = False
        self.table.horizontalHeader().sectionResized.connect(self._column_resized)
        self._opening: str | None = None  # the contact asked for last
        self._fill_choices()
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.province, self.outcome, self.since):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.due.toggled.connect(self.apply_filters)
        self.table.activated.connect(self.open_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.followup_done.clicked.connect(self.complete_followup)
        self.reveal_button.clicked.connect(self.reveal_number)
        self.hold_button.clicked.connect(self.toggle_hold)
        self.model.loaded.connect(self._show_status)
        self.model.modelReset.connect(self._forget_opened)
        # The detail always shows the selected row: choosing another opens it (audited).
        self.table.selectionModel().selectionChanged.connect(self._selection_moved)
        self.retranslate_ui()
        self.apply_filters()

    # Filters ----------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        every = (pgettext("filter", "All"), None)
        refill_combo(self.province, [every, *collated(provinces_by_name(current_language()))])
        outcomes = ((label("outcome", code), code) for code in OUTCOME_CODES)
        refill_combo(self.outcome, [every, *outcomes])
        refill_combo(
            self.since,
            [
                (pgettext("filter", "Any time"), None),
                (_("Last 7 days"), 7),
                (_("Last 30 days"), 30),
                (_("Last 12 months"), 365),
            ],
        )

    def current_filters(self, contact_ids: tuple[str, ...] | None = None) -> HistoryFilter:
        now = datetime.now(UTC)
        days = self.since.currentData()
        return replace(
            self.base,
            province=self.province.currentData(),
            outcome=self.outcome.currentData(),
            since=(now - timedelta(days=days)).isoformat() if days else None,
            followup_due_by=(now + timedelta(days=1)).isoformat() if self.due.isChecked() else None,
            contact_ids=contact_ids,
        )

    def apply_filters(self) -> None:
        self._search_error = None
        text = self.search.text().strip()
        if not text:
            self.model.reset(self.current_filters())
            return
        from intake.services.history import search_notes  # noqa: PLC0415

        store, owner = self.store, self.base.created_by
        ops.run_in_background(
            lambda: search_notes(store, text, limit=500, created_by=owner),
            self._found,
            self._search_failed,
            name="note-search",
        )

    def _found(self, hits: list[tuple[str, str]]) -> None:
        ids = tuple(dict.fromkeys(contact for contact, _note in hits))
        self.model.reset(self.current_filters(ids))

    def _search_failed(self, exc: BaseException) -> None:
        self._search_error = exc
        self._show_status()

    def _action_failed(self, exc: BaseException) -> None:
        """Opening a contact, revealing its number or a hold could not be done."""
        from intake.services.offline_unlock import server_did_not_answer  # noqa: PLC0415

        self._opening = None  # it may be tried again
        self.status.setText(
            _(
                "The shared server cannot be reached: nothing was opened or changed. Try again "
                "when it answers."
            )
            if server_did_not_answer(exc)
            else _("That could not be done. Try again.")
        )

    def _fit_columns(self) -> None:
        self._fit_pending = not self.isVisible()
        if not self._fit_pending and not self._widths_chosen:
            self.table.resizeColumnsToContents()

    def _column_resized(self) -> None:
        # Only a drag on the header resizes a column with a mouse button down; fitting, the
        # last column stretching with the window and a language switch do not.
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._widths_chosen = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self._fit_columns()

    def _show_status(self) -> None:
        """How many contacts are listed; or, when the list or the search could not be read
        (the shared server cannot be reached, say), that it is not the full history: never a
        bare "0 contacts", which reads as "this caller never called"."""
        from intake.services.offline_unlock import server_did_not_answer  # noqa: PLC0415

        # Rows arrive after the header was sized: fit the columns to them (no "2026-…"). Not
        # while the screen is hidden (a language switch during a call refitted it for nothing,
        # 10 ms of asking every cell): when it is shown.
        self._fit_columns()
        count = self.model.rowCount()
        more = self.model.canFetchMore(QModelIndex())
        search, listing = self._search_error, self.model.error
        if search is not None and server_did_not_answer(search):
            text = _(
                "The shared server cannot be reached: the notes could not be searched. No "
                "result here does not mean there is none."
            )
        elif search is not None:
            text = _("The search could not run. Try again.")
        elif listing is not None and server_did_not_answer(listing):
            text = _(
                "The shared server cannot be reached: this is not the full history. Try again "
                "when it answers."
            )
        elif listing is not None:
            text = _(
                "The history could not be read in full: this is not the whole list. Try again."
            )
        elif more:
            text = _("{count}+ contacts (scroll for more)").format(count=count)
        else:
            text = ngettext("{count} contact", "{count} contacts", count).format(count=count)
        self.status.setText(text)
        self.status.setProperty("caution", search is not None or listing is not None)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # Opening a record -------------------------------------------------------------------
    def selected_id(self) -> str | None:
        selected = self.table.selectionModel().selectedRows()
        if not selected or selected[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[selected[0].row()].id

    def open_selected(self) -> None:
        contact_id = self.selected_id()
        if contact_id is not None and contact_id != self._opening:  # not twice (audited)
            self._open(contact_id)

    def _selection_moved(self, *_args: object) -> None:
        contact_id = self.selected_id()
        if contact_id is not None and (
            self._opened is None or self._opened.record.id != contact_id
        ):
            self._open(contact_id)

    def _forget_opened(self) -> None:
        """The list changed (a search, a filter): what was open may not be in it any more, and
        nothing is selected, so the detail asks for a choice rather than show another contact.
        Nothing opens by itself: every opening is a person's choice, and audited."""
        self._opened = None
        self._opening = None
        self._number = None
        self._show_detail()

    def _open(self, contact_id: str) -> None:
        from intake.services.history import open_contact  # noqa: PLC0415

        store, actor = self.store, self.account.id
        self._opening = contact_id
        ops.run_in_background(
            # open_contact audits who opened what, and when.
            lambda: open_contact(store, contact_id, actor),
            self._opened_record,
            self._action_failed,
            name="open-contact",
        )

    def _opened_record(self, detail: ContactDetail) -> None:
        if detail.record.id != self._opening or detail.record.id != self.selected_id():
            return  # another row was chosen meanwhile: show that one, not this
        if self._opened is None or self._opened.record.id != detail.record.id:
            self._number = None
        self._opened = detail
        self._show_detail()

    def reveal_number(self) -> None:
        from intake.services.history import reveal_number  # noqa: PLC0415

        if self._opened is None:
            return
        store, actor, contact_id = self.store, self.account.id, self._opened.record.id
        ops.run_in_background(
            lambda: (contact_id, reveal_number(store, contact_id, actor)),
            self._number_revealed,
            self._action_failed,
            name="reveal-number",
        )

    def toggle_hold(self) -> None:
        from intake.services.history import hold_record  # noqa: PLC0415

        if self._opened is None:
            return
        store, actor = self.store, self.account.id
        contact_id, hold = self._opened.record.id, not self._opened.on_hold

        def hold_it() -> str:
            hold_record(store, actor, contact_id, hold)
            return contact_id

        ops.run_in_background(
            hold_it,
            self._open,
            self._action_failed,
            name="legal-hold",
        )

    def _number_revealed(self, result: tuple[str, str | None]) -> None:
        contact_id, number = result
        if self._opened is not None and self._opened.record.id == contact_id:
            self._number = number or ""
            self._show_detail()

    def complete_followup(self) -> None:
        from intake.services.history import complete_followup  # noqa: PLC0415

        if self._opened is None or not self._opened.followups:
            return
        store, actor = self.store, self.account.id
        followup, contact_id = self._opened.followups[0].id, self._opened.record.id
        self.followup_done.setEnabled(False)
        ops.run_in_background(
            lambda: (complete_followup(store, followup, actor), contact_id)[1],
            self._followup_completed,
            self._followup_failed,
            name="followup-done",
        )

    def _followup_failed(self, exc: BaseException) -> None:
        from intake.ui.failures import explain  # noqa: PLC0415

        self.followup_done.setEnabled(True)
        title, advice = explain(exc)()
        self.status.setText(f"{title}. {advice}")

    def _followup_completed(self, contact_id: str) -> None:
        self.followup_done.setEnabled(True)
        self._open(contact_id)
        self.apply_filters()  # it leaves the "follow-up due" list

    def _programs(self, referrals: tuple[dict[str, Any], ...]) -> str:
        language = current_language()
        names = []
        for referral in referrals:
            code = str(referral.get("program"))
            name = self.program_names(code, language) if self.program_names else ""
            # A program no longer in the directory keeps its id, marked as such.
            names.append(name or _("{id} (no longer in the directory)").format(id=code))
        return ", ".join(names) or "—"

    def _callback_lines(self, detail: ContactDetail) -> list[str]:
        lines = []
        for callback in detail.callbacks:
            if callback.best_time in ("morning", "afternoon", "evening"):
                best = label("best-time", callback.best_time)
            elif callback.best_time:
                best = when_with_zone(callback.best_time, callback.time_zone)
            else:
                best = "—"
            lines.append(
                _("Callback: {best} · {status}").format(
                    best=best, status=label("work-status", callback.status)
                )
            )
        for item in detail.work:
            lines.append(
                _("Worklist: {kind}, due {due}, {status}").format(
                    kind=label("work-kind", item.kind),
                    due=when_with_zone(item.due_at),
                    status=label("work-status", item.status)
                    if item.outcome is None
                    else label("work-outcome", item.outcome),
                )
            )
            for at, result in item.attempts:
                lines.append(
                    "  · "
                    + _("{when}: {result}").format(
                        when=when_with_zone(at), result=label("attempt", result)
                    )
                )
        return lines

    def _show_detail(self) -> None:
        detail = self._opened
        self.followup_done.setVisible(bool(detail and detail.followups))
        if detail is not None and detail.followups:
            due = when_with_zone(detail.followups[0].due_at)
            # Short enough to sit beside the other buttons on a 1280-px screen in French; the
            # due time (with its zone) is in the tooltip and in the detail above.
            self.followup_done.setText(_("Mark the follow-up as done"))
            self.followup_done.setToolTip(_("Follow-up due {when}").format(when=due))
        has_number = detail is not None and (
            any(c.has_number for c in detail.callbacks) or detail.record.callback_number
        )
        self.reveal_button.setVisible(
            bool(detail and detail.may_reveal and has_number and self._number is None)
        )
        self.reveal_button.setText(_("Show the callback number"))
        self.hold_button.setVisible(detail is not None and self.account.role is Role.SUPERVISOR)
        self.hold_button.setText(
            _("Release the legal hold")
            if detail is not None and detail.on_hold
            else _("Put on legal hold")
        )
        if detail is None:
            self.detail.setText(_("Choose a contact and press Enter to open it."))
            return
        record, notes = detail.record, detail.notes
        caller_zone = next((c.time_zone for c in detail.callbacks if c.time_zone), None)
        if caller_zone is None and record.province in PROVINCES:
            caller_zone = PROVINCES[record.province].zone
        lines = [
            _("Started: {when}").format(when=when_with_zone(record.started_at)),
            _("Channel: {channel}").format(channel=_channel(record.channel)),
            _("Province or territory: {province}").format(province=_province(record.province)),
            _("Caller's time zone: {zone}").format(
                zone=zone_label(datetime.now(zone(caller_zone)), current_language())
                if caller_zone
                else "—"
            ),
            _("Who: {role}").format(role=label("role", record.role)),
            _("Risk: {tier}").format(
                # Stored as "none" with this mark (records.history_page lists it the same way).
                tier=_risk(
                    "not-screened"
                    if "safety-not-screened" in record.crisis_actions
                    else record.risk
                )
            ),
            _("Topics: {topics}").format(
                topics=", ".join(label("topic", t) for t in record.topics) or "—"
            ),
            _("Kind of help: {need}").format(need=label("need", record.need)),
            _("Formats: {formats}").format(
                formats=", ".join(label("format", f) for f in record.formats) or "—"
            ),
            _("Programs offered: {programs}").format(programs=self._programs(record.referrals)),
            _("Crisis route: {actions}").format(
                actions=", ".join(label("crisis-action", a) for a in record.crisis_actions) or "—"
            ),
            _("Outcome: {outcome}").format(outcome=_outcome(record.outcome)),
            *self._callback_lines(detail),
        ]
        if self._number is not None:
            lines.append(_("Callback number: {number}").format(number=self._number or "—"))
        if detail.on_hold:
            lines.append(_("On legal hold: kept past the retention period."))
        if not record.consent_notes:
            lines.append(_("The caller declined notes."))
        for note in notes:
            lines += ["", note.body]
        self.detail.setText("\n".join(lines))

    def retranslate_ui(self) -> None:
        self.title.setText(_("History and follow-ups"))
        self.search.setPlaceholderText(_("Search the notes (press Enter)"))
        self.search.setAccessibleName(_("Search the notes"))
        self.province.setAccessibleName(pgettext("field label", "Province or territory"))
        self.outcome.setAccessibleName(pgettext("field label", "Outcome"))
        self.since.setAccessibleName(_("Period"))
        self.search_label.setText(_("Search the notes"))
        self.province_label.setText(pgettext("field label", "Province or territory"))
        self.outcome_label.setText(pgettext("field label", "Outcome"))
        self.since_label.setText(_("Period"))
        self.due.setText(_("Follow-up due"))
        self.open_button.setText(_("Open the contact"))
        self.table.setAccessibleName(_("Past contacts"))
        self._fill_choices()
        self.model.retranslate()
        self._widths_chosen = False  # the texts changed: fitted to the new ones
        self._show_status()
        self._show_detail()
