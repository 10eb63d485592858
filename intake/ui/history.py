"""Past contacts and follow-ups: a lazy list that stays fast with 100,000 records, note search,
filters, and opening a record (audited). Volunteers see their own contacts, supervisors all.

Every query runs on a worker thread; the list asks for the next page only when it is scrolled
to the end (Qt's canFetchMore/fetchMore), and each page is found by keyset, not by offset.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
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
from intake.call import CRISIS_ACTIONS, OUTCOMES, TOPICS
from intake.i18n import _, current_language, ngettext, pgettext, translate
from intake.i18n.formatting import format_stamp
from intake.provinces import PROVINCES, province_name, provinces_by_name
from intake.storage.db import Store
from intake.storage.records import (
    ContactRecord,
    FollowUp,
    HistoryFilter,
    HistoryRow,
    Note,
    Page,
)
from intake.ui import ops
from intake.ui.call.steps import RISK_NAMES
from intake.ui.language import Retranslatable
from intake.ui.widgets import collated, heading, refill_combo

PAGE_SIZE = 100
Index = QModelIndex | QPersistentModelIndex


def _when(iso: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone()
    return format_stamp(moment, language=current_language())


def _channel(code: str) -> str:
    return pgettext("channel", "Phone") if code == "phone" else pgettext("channel", "Kiosk")


def _province(code: str | None) -> str:
    return province_name(code, current_language()) if code in PROVINCES else "—"


def _risk(code: str) -> str:
    return translate(RISK_NAMES.get(code, RISK_NAMES["none"]))


def _outcome(code: str | None) -> str:
    return translate(OUTCOMES[code]) if code in OUTCOMES else (code or "—")


class HistoryModel(QAbstractTableModel):
    """Rows arrive a page at a time from a worker thread; nothing is loaded before it is needed."""

    loaded = QtSignal()

    def __init__(self, store: Store, filters: HistoryFilter, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.filters = filters
        self.rows: list[HistoryRow] = []
        self._next: tuple[str, str] | None = None
        self._more = True
        self._loading = False
        self._generation = 0  # a reset makes results of earlier queries stale

    def reset(self, filters: HistoryFilter) -> None:
        self.beginResetModel()
        self.filters = filters
        self.rows = []
        self._next = None
        self._more = True
        self._loading = False
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
        from intake.storage.records import history_page  # noqa: PLC0415

        self._loading = True
        store, after, filters, generation = self.store, self._next, self.filters, self._generation
        ops.run_in_background(
            lambda: (generation, history_page(store, after, PAGE_SIZE, filters)),
            self._arrived,
            self._failed,
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

    def _failed(self, _exc: BaseException) -> None:
        self._loading = False
        self._more = False
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
    def __init__(self, store: Store, account: Account, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("history-page")
        self.store = store
        self.account = account
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
        for column, (label, combo) in enumerate(
            (
                (self.province_label, self.province),
                (self.outcome_label, self.outcome),
                (self.since_label, self.since),
            )
        ):
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(label, 2, column)
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
        # Columns as wide as their title and contents; the last takes what is left.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("history-open")
        self.followup_done = QPushButton(self)
        self.followup_done.setObjectName("history-followup-done")
        self.followup_done.hide()
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
        right_layout.addWidget(self.followup_done, 0, Qt.AlignmentFlag.AlignRight)
        # The contact opened under the list, not beside it: the table keeps the full width for
        # its labelled columns, and a long record scrolls instead of being cut.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self._opened: tuple[ContactRecord, list[Note]] | None = None
        self._followups: list[FollowUp] = []
        self._fill_choices()
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.province, self.outcome, self.since):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.due.toggled.connect(self.apply_filters)
        self.table.activated.connect(self.open_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.followup_done.clicked.connect(self.complete_followup)
        self.model.loaded.connect(self._show_status)
        self.retranslate_ui()
        self.apply_filters()

    # Filters ----------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        every = (pgettext("filter", "All"), None)
        refill_combo(self.province, [every, *collated(provinces_by_name(current_language()))])
        outcomes = ((translate(label), code) for code, label in OUTCOMES.items())
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
        text = self.search.text().strip()
        if not text:
            self.model.reset(self.current_filters())
            return
        from intake.storage.records import search_notes  # noqa: PLC0415

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

    def _search_failed(self, _exc: BaseException) -> None:
        self.status.setText(_("The search could not run. Try again."))

    def _show_status(self) -> None:
        count = self.model.rowCount()
        more = self.model.canFetchMore(QModelIndex())
        if more:
            text = _("{count}+ contacts (scroll for more)")
        else:
            text = ngettext("{count} contact", "{count} contacts", count)
        self.status.setText(text.format(count=count))

    # Opening a record -------------------------------------------------------------------
    def open_selected(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return
        self._open(self.model.rows[selected[0].row()].id)

    def _open(self, contact_id: str) -> None:
        from intake.storage.records import get_contact, open_followups  # noqa: PLC0415

        store, actor = self.store, self.account.id
        ops.run_in_background(
            # get_contact audits who opened what, and when.
            lambda: (get_contact(store, contact_id, actor), open_followups(store, contact_id)),
            self._opened_record,
            self._search_failed,
            name="open-contact",
        )

    def _opened_record(
        self, result: tuple[tuple[ContactRecord, list[Note]], list[FollowUp]]
    ) -> None:
        self._opened, self._followups = result
        self._show_detail()

    def complete_followup(self) -> None:
        from intake.storage.records import complete_followup  # noqa: PLC0415

        if not self._followups or self._opened is None:
            return
        store, actor = self.store, self.account.id
        followup, contact_id = self._followups[0].id, self._opened[0].id
        self.followup_done.setEnabled(False)
        ops.run_in_background(
            lambda: (complete_followup(store, followup, actor), contact_id)[1],
            self._followup_completed,
            self._search_failed,
            name="followup-done",
        )

    def _followup_completed(self, contact_id: str) -> None:
        self.followup_done.setEnabled(True)
        self._open(contact_id)
        self.apply_filters()  # it leaves the "follow-up due" list

    def _show_detail(self) -> None:
        self.followup_done.setVisible(bool(self._followups))
        if self._followups:
            due = _when(self._followups[0].due_at)
            self.followup_done.setText(_("Mark the follow-up due {when} as done").format(when=due))
        if self._opened is None:
            self.detail.setText(_("Choose a contact and press Enter to open it."))
            return
        record, notes = self._opened
        lines = [
            _("Started: {when}").format(when=_when(record.started_at)),
            _("Channel: {channel}").format(channel=_channel(record.channel)),
            _("Province or territory: {province}").format(province=_province(record.province)),
            _("Risk: {tier}").format(
                # Stored as "none" with this mark (records.history_page lists it the same way).
                tier=_risk(
                    "not-screened"
                    if "safety-not-screened" in record.crisis_actions
                    else record.risk
                )
            ),
            _("Topics: {topics}").format(
                topics=", ".join(translate(TOPICS[t]) for t in record.topics if t in TOPICS) or "—"
            ),
            _("Programs offered: {programs}").format(
                programs=", ".join(str(r.get("program")) for r in record.referrals) or "—"
            ),
            _("Crisis route: {actions}").format(
                actions=", ".join(
                    translate(CRISIS_ACTIONS[a])
                    for a in record.crisis_actions
                    if a in CRISIS_ACTIONS
                )
                or "—"
            ),
            _("Outcome: {outcome}").format(outcome=_outcome(record.outcome)),
        ]
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
        self._show_status()
        self._show_detail()
