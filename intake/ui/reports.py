"""The sponsors' reports in the window: choose whole months, see each table as published (small
counts shown as x) with its chart, and export the CSV or the PDF. The same service builds what
`intake report` writes; every export is recorded in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account
from intake.i18n import _, translate
from intake.services.reports import (
    AnyStore,
    Period,
    Report,
    StoreError,
    audit_export,
    label,
    make_report,
    suppression_rule,
    write_csv,
)
from intake.ui import ops
from intake.ui.language import Retranslatable
from intake.ui.widgets import MessageBanner, heading, hint

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

Clock = Callable[[], datetime]


def load_charting() -> None:
    """Import the plotting library: 350-400 ms, paid on the worker that works out the first
    report, so the page is on screen at once (saying the report is being worked out)."""
    from matplotlib.backends import backend_qtagg  # noqa: F401, PLC0415

    from intake.services import report_pdf  # noqa: F401, PLC0415 - its charts


def _now() -> datetime:
    return datetime.now(UTC)


def _month_end(day: date) -> date:
    first_next = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


class ReportsPage(Retranslatable, QWidget):
    def __init__(
        self, store: AnyStore, account: Account, parent: QWidget | None = None, now: Clock = _now
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reports-page")
        self.store = store
        self.account = account
        self.now = now
        self.report: Report | None = None
        # Each report asked for gets a number; a report worked out in the background is shown
        # only if nothing was asked for since (a period chosen meanwhile stays on screen).
        self._asked = 0
        self._first_started = False
        self._working = False  # the first report is being worked out
        self.title = heading(self, "reports-title")
        self.banner = MessageBanner(self)
        self.rule = hint(self, "reports-rule")
        today = now().date()
        self.start = QDateEdit(self)
        self.start.setObjectName("report-from")
        self.start.setDisplayFormat("yyyy-MM")
        self.start.setDate(QDate(today.year, 1, 1))
        self.end = QDateEdit(self)
        self.end.setObjectName("report-to")
        self.end.setDisplayFormat("yyyy-MM")
        self.end.setDate(QDate(today.year, today.month, 1))
        self.from_label = QLabel(self)
        self.from_label.setBuddy(self.start)
        self.to_label = QLabel(self)
        self.to_label.setBuddy(self.end)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("report-show")
        self.csv_button = QPushButton(self)
        self.csv_button.setObjectName("report-csv")
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("report-pdf")
        self.tables = QComboBox(self)
        self.tables.setObjectName("report-tables")
        self.grid = QTableWidget(self)
        self.grid.setObjectName("report-grid")
        # The chart is made when there is a report to draw (_chart), once the plotting library
        # is loaded; until then its place is kept empty.
        self.chart_box = QWidget(self)
        self.chart_box.setObjectName("report-chart-box")
        QVBoxLayout(self.chart_box).setContentsMargins(0, 0, 0, 0)
        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        bar = QHBoxLayout()
        for widget in (self.from_label, self.start, self.to_label, self.end, self.show_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        body = QHBoxLayout()
        body.addWidget(self.grid, 1)
        body.addWidget(self.chart_box, 1)
        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addWidget(self.banner)
        page.addLayout(bar)
        page.addWidget(self.rule)
        page.addWidget(self.tables)
        page.addLayout(body, 1)
        self.show_button.clicked.connect(self.build)
        self.tables.currentIndexChanged.connect(lambda _i: self.show_table())
        self.csv_button.clicked.connect(lambda: self._ask_and_export("csv"))
        self.pdf_button.clicked.connect(lambda: self._ask_and_export("pdf"))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Program reports"))
        self.from_label.setText(_("From"))
        self.to_label.setText(_("To"))
        self.show_button.setText(_("Show the report"))
        self.tables.setPlaceholderText(
            _("Working out this year's report…")
            if self._working and self.report is None
            else _("Choose the months, then show the report")
        )
        self.csv_button.setText(_("Export CSV…"))
        self.pdf_button.setText(_("Export PDF…"))
        self.rule.setText(suppression_rule())
        self.banner.retranslate_ui()
        self._fill_tables()

    def period(self) -> Period:
        start = self.start.date().toPython()
        end = self.end.date().toPython()
        assert isinstance(start, date)
        assert isinstance(end, date)
        return Period(date(start.year, start.month, 1), _month_end(end))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._first_started and self.report is None:
            self._first_started = True
            self._build_in_background()

    def _build_in_background(self) -> None:
        """This year's report, worked out off the UI thread when the page is first opened."""
        self._asked += 1
        asked, period, now, store = self._asked, self.period(), self.now(), self.store
        self._working = True
        self.retranslate_ui()  # the placeholder says it is being worked out

        def work() -> tuple[int, Report]:
            load_charting()
            return asked, make_report(store, period, now)

        ops.run_in_background(
            work,
            self._first_arrived,
            self._first_failed,
            name="first-report",
        )

    def _first_arrived(self, result: tuple[int, Report]) -> None:
        asked, report = result
        self._working = False
        if asked == self._asked:  # nothing asked for since
            self.report = report
            self.banner.clear()
        self.retranslate_ui()

    def _first_failed(self, exc: BaseException) -> None:
        self._working = False
        if self.report is None:
            self._say_failure(exc)
        self.retranslate_ui()

    def _say_failure(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            self.banner.show_message(exc.explain)
        else:
            self.banner.show_message(
                lambda: (_("The report could not be worked out"), _("Try again."))
            )

    def build(self) -> None:
        self._asked += 1
        period = self.period()
        if period.end < period.start:
            self.banner.show_message(
                lambda: (_("The period ends before it starts"), _("Choose the months again."))
            )
            return
        try:
            self.report = make_report(self.store, period, self.now())
        except Exception as exc:  # said in the banner, never a traceback
            self._say_failure(exc)
            return
        self.banner.clear()
        self._fill_tables()

    def _fill_tables(self) -> None:
        keep = max(self.tables.currentIndex(), 0)
        self.tables.blockSignals(True)
        self.tables.clear()
        if self.report is not None:
            for table in self.report.tables:
                self.tables.addItem(translate(table.title), table.key)
            self.tables.setCurrentIndex(min(keep, self.tables.count() - 1))
        self.tables.blockSignals(False)
        self.show_table()

    def show_table(self) -> None:
        self.grid.clear()
        if self.report is None or self.tables.currentIndex() < 0:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            if self.figure is not None and self.canvas is not None:
                self.figure.clear()
                self.canvas.draw_idle()  # type: ignore[no-untyped-call]
            return
        table = self.report.tables[self.tables.currentIndex()]
        pub = table.published
        two_way = len(table.columns) > 1
        headers = [label(table.column_kind, c) for c in table.columns]
        if two_way:
            headers.append(_("Total"))
        rows = [label(table.row_kind, r) for r in table.rows] + [_("Total")]
        self.grid.setColumnCount(len(headers))
        self.grid.setRowCount(len(rows))
        self.grid.setHorizontalHeaderLabels(headers)
        self.grid.setVerticalHeaderLabels(rows)
        lines = [
            list(pub.cells[r]) + ([pub.row_totals[r]] if two_way else [])
            for r in range(len(table.rows))
        ]
        lines.append(list(pub.column_totals) + ([pub.total] if two_way else []))
        for r, line in enumerate(lines):
            for c, value in enumerate(line):
                self.grid.setItem(r, c, QTableWidgetItem("x" if value is None else str(value)))
        self.grid.resizeColumnsToContents()
        from intake.services.report_pdf import table_figure  # noqa: PLC0415 - see load_charting

        figure, canvas = self._chart()
        table_figure(table, figure)
        canvas.draw_idle()  # type: ignore[no-untyped-call]

    def _chart(self) -> tuple[Figure, FigureCanvasQTAgg]:
        if self.figure is None or self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # noqa: PLC0415
            from matplotlib.figure import Figure  # noqa: PLC0415

            self.figure = Figure(figsize=(6, 4))
            self.canvas = FigureCanvasQTAgg(self.figure)  # type: ignore[no-untyped-call]
            self.canvas.setObjectName("report-chart")
            layout = self.chart_box.layout()
            assert layout is not None
            layout.addWidget(self.canvas)
        return self.figure, self.canvas

    def export(self, kind: str, path: Path) -> None:
        """Write the shown report (the window's export buttons, and the tests, call this)."""
        if self.report is None:
            self.build()
        report = self.report
        if report is None:
            return
        try:
            if kind == "csv":
                write_csv(report, path)
            else:
                from intake.services.report_pdf import write_pdf  # noqa: PLC0415

                write_pdf(report, path, self.now())
            audit_export(self.store, report, self.account.id, kind)
        except StoreError as exc:
            self.banner.show_message(exc.explain)
            return
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.banner.show_message(lambda: (_("The report could not be written"), reason))
            return
        self.banner.show_message(lambda: (_("Report written"), str(path)))

    def _ask_and_export(self, kind: str) -> None:
        pattern = "CSV (*.csv)" if kind == "csv" else "PDF (*.pdf)"
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Export the report"), "", pattern)
        if chosen:
            self.export(kind, Path(chosen))
