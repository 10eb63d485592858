"""The worklist window (F9 from anywhere in the main window): every callback and follow-up still
owed, in the order to work them, with what a volunteer does to each. Thin: the rules and the
store live in intake.services.worklist; every call runs on a worker thread."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDateTime, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account, Role
from intake.i18n import _, current_language, ngettext, pgettext
from intake.i18n.formatting import QT_DATETIME_FORMATS, format_date, format_stamp
from intake.provinces import PROVINCES, province_name
from intake.services.session import StoreError
from intake.services.worklist import FirstContactWork, Summary, WorkItem, tracks_first_contacts
from intake.ui import ops
from intake.ui.history import when_with_zone
from intake.ui.language import Retranslatable
from intake.ui.widgets import heading, refill_combo
from intake.vocabulary import WORK_OUTCOMES
from intake.vocabulary_labels import label

if TYPE_CHECKING:
    from intake.services.worklist import WorkStore


WORKLIST_KEY = "F9"
PAGE_SIZE = 60  # more than a large screen shows; each row read costs page decryptions
Index = QModelIndex | QPersistentModelIndex
COLUMNS = 6


class WorklistModel(QAbstractTableModel):
    """A screenful at a time, in working order; scrolling to the end asks for the next."""

    more_wanted = QtSignal(tuple)  # the key to continue after

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.items: list[WorkItem] = []
        self._more = False
        self._loading = False
        self.now = datetime.now(UTC)
        # A row's words, made the first time the row is shown (dates in two zones are costly to
        # format; with 5,000 items only the rows on screen are ever formatted).
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_items(self, items: list[WorkItem], *, more: bool = False) -> None:
        self.beginResetModel()
        self.items = items
        self.now = datetime.now(UTC)
        self._texts = {}
        self._more, self._loading = more, False
        self.endResetModel()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading and bool(self.items)

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._loading = True
            self.more_wanted.emit(self.items[-1].key)

    def append(self, result: tuple[tuple[int, str, str], list[WorkItem]]) -> None:
        after, items = result
        if not self.items or self.items[-1].key != after:
            return  # the list was refreshed meanwhile
        self._loading = False
        self._more = len(items) == PAGE_SIZE
        if items:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
            self.items.extend(items)
            self.endInsertRows()

    def row_texts(self, row: int) -> tuple[str, ...]:
        texts = self._texts.get(row)
        if texts is None:
            item = self.items[row]
            texts = tuple(self.text(item, column) for column in range(COLUMNS))
            self._texts[row] = texts
        return texts

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def text(self, item: WorkItem, column: int) -> str:  # noqa: PLR0911 - one per column
        if column == 0:
            risk = label("risk", item.risk)
            return "⚠ " + risk if item.alert else risk
        if column == 1:
            kind = label("work-kind", item.kind)
            if item.messages_ok:
                return _("{kind} · message OK").format(kind=kind)
            return kind
        if column == 2:
            # The zone's name on a line of its own: on one line ("heure normale de
            # Terre-Neuve"...) it pushed "Best time" off a 1280-pixel screen in French.
            due = when_with_zone(item.due_at.isoformat(), item.time_zone).replace(" (", "\n(", 1)
            if item.overdue(self.now):
                return _("Overdue: {when}").format(when=due)
            return due
        if column == 3:  # the header says whose time: no zone name needed
            return format_stamp(item.due_at.astimezone(), language=current_language())
        if column == 4:
            if item.best_time in ("morning", "afternoon", "evening"):
                return label("best-time", item.best_time)
            return "—"
        return item.claimed_by_name or "—"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.row_texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and (
            item.alert or (index.column() == 2 and item.overdue(self.now))
        ):
            return QBrush(QColor("#fde2e1"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            pgettext("column", "Risk"),
            pgettext("column", "What"),
            pgettext("column", "Due (caller's time)"),
            pgettext("column", "Due (your time)"),
            pgettext("column", "Best time"),
            pgettext("column", "Taken by"),
        )[section]

    def retranslate(self) -> None:
        self._texts = {}
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, COLUMNS - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)


class WorklistPage(Retranslatable, QWidget):
    """The list, the selected item's actions, and a status line that says what happened."""

    changed = QtSignal()  # an item was claimed, tried, moved or closed: counts elsewhere follow

    def __init__(self, store: WorkStore, account: Account, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("worklist-page")
        self.store = store
        self.account = account
        self._number: tuple[str, str | None] | None = None  # (item, number) revealed
        self.title = heading(self, "worklist-title")
        self.alert = QLabel(self)
        self.alert.setObjectName("worklist-alert")
        self.alert.setProperty("risk", "imminent")
        self.alert.setWordWrap(True)
        self.alert.hide()
        self.status = QLabel(self)
        self.status.setObjectName("worklist-status")
        self.status.setWordWrap(True)
        self.model = WorklistModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("worklist-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Two lines to a row: the caller's time, then its zone's name.
        self.table.verticalHeader().setDefaultSectionSize(
            2 * self.table.fontMetrics().lineSpacing() + 10
        )
        header = self.table.horizontalHeader()
        # Columns are fitted to the first rows (the most urgent) when the list arrives and when
        # the language changes, not re-measured on every repaint: Qt would ask every cell again.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(40)
        # (a column's width is measured over the rows the *vertical* header's precision says)
        self.table.verticalHeader().setResizeContentsPrecision(40)
        self._fitted = False
        self.detail = QLabel(self)
        self.detail.setObjectName("worklist-detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.claim_button = QPushButton(self)
        self.claim_button.setObjectName("worklist-claim")
        self.release_button = QPushButton(self)
        self.release_button.setObjectName("worklist-release")
        self.release_button.setProperty("secondary", True)
        self.number_button = QPushButton(self)
        self.number_button.setObjectName("worklist-number")
        self.attempt_buttons = {}
        for code in ("reached", "no-answer", "message-left"):
            button = QPushButton(self)
            button.setObjectName(f"worklist-attempt-{code}")
            button.clicked.connect(lambda _c=False, c=code: self.record_attempt(c))
            self.attempt_buttons[code] = button
        self.when = QDateTimeEdit(self)
        self.when.setObjectName("worklist-when")
        self.when.setCalendarPopup(True)
        self.reschedule_button = QPushButton(self)
        self.reschedule_button.setObjectName("worklist-reschedule")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("worklist-outcome")
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("worklist-close")
        # A match's first contact (coordinators): what matched peers still owe, soonest first.
        # A volunteer never sees the matching work; a peer sees their own on "My matches".
        self.coordinates = account.role in (
            Role.SUPERVISOR,
            Role.COORDINATOR,
        ) and tracks_first_contacts(store)
        self.firsts: list[FirstContactWork] = []
        self.first_title = QLabel(self)
        self.first_title.setObjectName("worklist-first-title")
        self.first_title.setWordWrap(True)
        self.first_table = QTableWidget(0, 3, self)
        self.first_table.setObjectName("worklist-first-contacts")
        self.first_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.first_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.first_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.first_table.verticalHeader().hide()
        self.first_table.horizontalHeader().setStretchLastSection(True)
        self.first_table.setMaximumHeight(150)
        self.first_button = QPushButton(self)
        self.first_button.setObjectName("worklist-first-contact")
        self.first_button.setEnabled(False)
        self.first_button.clicked.connect(self.first_contact_made)
        self.first_table.itemSelectionChanged.connect(
            lambda: self.first_button.setEnabled(self._first_selected() is not None)
        )
        first = QHBoxLayout()
        for widget in (self.claim_button, self.release_button, self.number_button):
            first.addWidget(widget)
        first.addStretch(1)
        second = QHBoxLayout()
        for button in self.attempt_buttons.values():
            second.addWidget(button)
        second.addStretch(1)
        third = QHBoxLayout()
        third.addWidget(self.when)
        third.addWidget(self.reschedule_button)
        third.addSpacing(24)
        third.addWidget(self.outcome)
        third.addWidget(self.close_button)
        third.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.alert)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addLayout(third)
        first_row = QHBoxLayout()
        first_row.addWidget(self.first_title, 1)
        first_row.addWidget(self.first_button)
        layout.addLayout(first_row)
        layout.addWidget(self.first_table)
        for shown in (self.first_title, self.first_table, self.first_button):
            shown.setVisible(self.coordinates)
        self.claim_button.clicked.connect(self.claim)
        self.release_button.clicked.connect(self.release)
        self.number_button.clicked.connect(self.reveal_number)
        self.reschedule_button.clicked.connect(self.reschedule)
        self.close_button.clicked.connect(self.close_item)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._message = ""
        self._summary = Summary(0, 0, 0)
        self.model.more_wanted.connect(self._fetch_more)
        self.retranslate_ui()
        self.refresh()

    def _fetch_more(self, after: tuple[int, str, str]) -> None:
        from intake.services.worklist import open_items  # noqa: PLC0415

        store = self.store
        ops.run_in_background(
            lambda: (after, open_items(store, PAGE_SIZE, after)),
            self.model.append,
            self._load_failed,
            name="worklist-more",
        )

    # Loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """The counts and the first screenful (the most urgent); more as the list scrolls."""
        from intake.services.worklist import open_items, summary  # noqa: PLC0415

        store = self.store
        ops.run_in_background(
            lambda: (summary(store), open_items(store, PAGE_SIZE)),
            self._arrived,
            self._load_failed,
            name="worklist",
        )
        if self.coordinates:
            from intake.services.worklist import first_contacts  # noqa: PLC0415

            actor = self.account.id
            ops.run_in_background(
                lambda: first_contacts(store, actor, datetime.now().astimezone().date()),
                self._firsts_arrived,
                self._load_failed,
                name="worklist-first-contacts",
            )

    def _firsts_arrived(self, firsts: list[FirstContactWork]) -> None:
        self.firsts = firsts
        self._show_firsts()

    def _first_selected(self) -> FirstContactWork | None:
        rows = self.first_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.firsts):
            return None
        return self.firsts[rows[0].row()]

    def _show_firsts(self) -> None:
        late = sum(1 for work in self.firsts if work.overdue)
        title = ngettext(
            "First contacts owed by matched peer supporters: {count}",
            "First contacts owed by matched peer supporters: {count}",
            len(self.firsts),
        ).format(count=len(self.firsts))
        if late:
            title += " · " + ngettext("{count} overdue", "{count} overdue", late).format(count=late)
        if not self.firsts:
            title = _("No first contact is owed: every accepted match has been reached.")
        self.first_title.setText(title)
        self.first_table.setHorizontalHeaderLabels(
            [
                pgettext("column", "Peer supporter"),
                pgettext("column", "Physician's site"),
                pgettext("column", "First contact due by"),
            ]
        )
        self.first_table.setRowCount(len(self.firsts))
        for row, work in enumerate(self.firsts):
            item = work.item
            due = format_date(datetime.combine(date.fromisoformat(item.due), time(12), UTC))
            cells = (
                item.peer_name or "—",
                f"{province_name(item.province, current_language())} · {item.site}"
                if item.province in PROVINCES
                else item.site,
                _("Overdue since {day}").format(day=due) if work.overdue else due,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 2 and work.overdue:
                    cell.setBackground(QBrush(QColor("#fde2e1")))
                self.first_table.setItem(row, column, cell)
        self.first_table.resizeColumnsToContents()
        self.first_table.setVisible(self.coordinates and bool(self.firsts))
        self.first_button.setEnabled(self._first_selected() is not None)

    def first_contact_made(self) -> None:
        """The peer reached the physician (a coordinator records it): the item closes."""
        from intake.services.worklist import record_first_contact  # noqa: PLC0415

        work = self._first_selected()
        if work is None:
            return
        store, actor, match_id = self.store, self.account.id, work.item.match_id

        def finished(_result: object) -> None:
            self._message = _("First contact recorded; the item is closed.")
            self.changed.emit()
            self.refresh()

        ops.run_in_background(
            lambda: record_first_contact(store, match_id, actor, datetime.now(UTC)),
            finished,
            self._failed,
            name="worklist-first-contact",
        )

    def _arrived(self, result: tuple[Summary, list[WorkItem]]) -> None:
        self._summary, items = result
        keep = self.selected()
        self.model.set_items(items, more=len(items) == PAGE_SIZE)
        if not self._fitted and items:
            self.table.resizeColumnsToContents()
            self._fitted = True
        if keep is not None:
            for row, item in enumerate(items):
                if item.id == keep.id:
                    self.table.selectRow(row)
                    break
        self._show_selected()
        self._show_summary()

    def _load_failed(self, _exc: BaseException) -> None:
        self._message = _("The worklist could not be read. Try again.")
        self.retranslate_ui()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            title, advice = exc.explain()
            self._message = f"{title}. {advice}"
        else:
            self._message = _("That could not be done. Try again.")
        self.retranslate_ui()
        self.refresh()

    def selected(self) -> WorkItem | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.model.items):
            return None
        return self.model.items[rows[0].row()]

    # Actions -----------------------------------------------------------------------------
    def _run(self, action: Any, done: str) -> None:
        item = self.selected()
        if item is None:
            return
        store, actor, item_id = self.store, self.account.id, item.id

        def finished(_result: object) -> None:
            self._message = done
            self.changed.emit()
            self.refresh()

        ops.run_in_background(
            lambda: action(store, item_id, actor), finished, self._failed, name="worklist-action"
        )

    def claim(self) -> None:
        from intake.services.worklist import claim  # noqa: PLC0415

        self._run(claim, _("You are now working on this item."))

    def release(self) -> None:
        from intake.services.worklist import release  # noqa: PLC0415

        self._number = None
        self._run(release, _("The item is back on the list for anyone."))

    def record_attempt(self, result: str) -> None:
        from intake.services.worklist import record_attempt  # noqa: PLC0415

        self._run(
            lambda store, item, actor: record_attempt(store, item, actor, result),
            _("Recorded: {result}.").format(result=label("attempt", result)),
        )

    def reschedule(self) -> None:
        from intake.services.worklist import check_due, outside_daytime, reschedule  # noqa: PLC0415

        item = self.selected()
        if item is None:
            return
        picked = self.when.dateTime().toPython()  # this computer's local time, naive
        assert isinstance(picked, datetime)
        due = picked.astimezone().astimezone(UTC)
        try:
            check_due(due)
        except StoreError as exc:
            title, advice = exc.explain()
            self._message = f"{title}. {advice}"
            self.retranslate_ui()
            return
        if outside_daytime(due, item.time_zone):
            answer = QMessageBox.question(
                self,
                _("Outside the caller's daytime"),
                _(
                    "That is {when} for the caller, outside 8 a.m. to 9 p.m. in their time zone. "
                    "Keep it anyway?"
                ).format(when=when_with_zone(due.isoformat(), item.time_zone)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(
            lambda store, item_id, actor: reschedule(store, item_id, actor, due),
            _("Moved to {when}.").format(when=when_with_zone(due.isoformat(), item.time_zone)),
        )

    def close_item(self) -> None:
        from intake.services.worklist import close  # noqa: PLC0415

        outcome = self.outcome.currentData()
        if outcome is None:
            self._message = _("Choose how it ended before closing the item.")
            self.retranslate_ui()
            self.outcome.setFocus()
            return
        self._number = None
        self._run(
            lambda store, item_id, actor: close(store, item_id, actor, outcome),
            _("Closed: {outcome}.").format(outcome=label("work-outcome", outcome)),
        )

    def reveal_number(self) -> None:
        from intake.services.worklist import reveal_number  # noqa: PLC0415

        item = self.selected()
        if item is None:
            return
        store, actor, item_id = self.store, self.account.id, item.id
        ops.run_in_background(
            lambda: (item_id, reveal_number(store, item_id, actor)),
            self._revealed,
            self._failed,
            name="worklist-number",
        )

    def _revealed(self, result: tuple[str, str | None]) -> None:
        self._number = result
        self._show_selected()

    # Showing -----------------------------------------------------------------------------
    def _selection_changed(self, *_args: object) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        item = self.selected()
        mine = item is not None and item.claimed_by == self.account.id
        for widget in (self.claim_button, self.number_button):
            widget.setEnabled(item is not None)
        self.claim_button.setVisible(not mine)
        self.release_button.setVisible(mine)
        for code, button in self.attempt_buttons.items():
            button.setEnabled(mine and (code != "message-left" or bool(item and item.messages_ok)))
        for control in (self.when, self.reschedule_button):
            control.setEnabled(mine)
        self.close_button.setEnabled(mine)
        self.outcome.setEnabled(mine)
        if item is None:
            self.detail.setText(_("Choose an item to see what to do."))
            return
        lines = [
            _("{kind} · {risk} · {channel} · {province}").format(
                kind=label("work-kind", item.kind),
                risk=label("risk", item.risk),
                channel=label("channel", item.channel),
                province=province_name(item.province, current_language())
                if item.province in PROVINCES
                else "—",
            ),
            _("Due: {caller} for the caller; {yours} for you.").format(
                caller=when_with_zone(item.due_at.isoformat(), item.time_zone),
                yours=when_with_zone(item.due_at.isoformat()),
            ),
            ngettext("{count} attempt so far.", "{count} attempts so far.", item.attempts).format(
                count=item.attempts
            ),
        ]
        if item.messages_ok:
            lines.append(_("A message may be left: the person agreed to one."))
        else:
            lines.append(_("No message may be left: the person did not agree to one."))
        if self._number is not None and self._number[0] == item.id:
            lines.append(_("Callback number: {number}").format(number=self._number[1] or "—"))
        self.detail.setText("\n".join(lines))

    def _show_summary(self) -> None:
        counts = self._summary
        alerts = counts.alerts
        self.alert.setVisible(alerts > 0)
        self.alert.setText(
            ngettext(
                "⚠ {count} kiosk visitor at high risk asked for a callback: call first.",
                "⚠ {count} kiosk visitors at high risk asked for a callback: call them first.",
                alerts,
            ).format(count=alerts)
        )
        overdue = counts.overdue
        summary = ngettext("{count} item open", "{count} items open", counts.open).format(
            count=counts.open
        )
        if overdue:
            summary += " · " + ngettext("{count} overdue", "{count} overdue", overdue).format(
                count=overdue
            )
        self.status.setText(summary + (f" — {self._message}" if self._message else ""))

    def retranslate_ui(self) -> None:
        self.title.setText(_("Worklist: callbacks and follow-ups"))
        self._show_summary()
        self.claim_button.setText(_("Claim"))
        self.release_button.setText(_("Give it back"))
        self.number_button.setText(_("Show the number"))
        for code, button in self.attempt_buttons.items():
            button.setText(label("attempt", code))
        self.reschedule_button.setText(_("Reschedule"))
        self.close_button.setText(_("Close the item"))
        self.first_button.setText(_("First contact made"))
        self._show_firsts()
        refill_combo(
            self.outcome,
            [
                (pgettext("no choice yet", "Choose…"), None),
                *((label("work-outcome", code), code) for code in WORK_OUTCOMES),
            ],
        )
        self.when.setDisplayFormat(QT_DATETIME_FORMATS[current_language()])
        if self.when.dateTime() < QDateTime.currentDateTime():
            self.when.setDateTime(QDateTime.currentDateTime().addDays(1))
        self.table.setAccessibleName(_("Worklist"))
        self.model.retranslate()
        if self._fitted:
            self.table.resizeColumnsToContents()
        self._show_selected()
