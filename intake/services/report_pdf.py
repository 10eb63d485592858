"""The sponsors' report as a PDF: a title page (period, the suppression rule), then one page per
table with its chart.

Drawn with matplotlib's own PDF backend (no Qt, no window: the command line and scheduled
exports use it too; the window shows the same figures through matplotlib's Qt canvas). Only the
published values are drawn: a suppressed value is an "x" in the table and a missing bar.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from intake.i18n import _, translate
from intake.services.reports import Report, Table, label, period_text, suppression_rule

PAGE = (8.27, 11.69)  # A4 portrait, inches
BAR = "#2f6b8f"


def _chart_values(table: Table) -> tuple[list[str], list[float], list[bool]]:
    """What the chart shows: per row, its total (two-way) or its count (one column)."""
    pub = table.published
    names, values, hidden = [], [], []
    for r, code in enumerate(table.rows):
        value = pub.row_totals[r] if len(table.columns) > 1 else pub.cells[r][0]
        names.append(label(table.row_kind, code))
        values.append(0.0 if value is None else float(value))
        hidden.append(value is None)
    return names, values, hidden


def table_figure(table: Table, figure: Figure | None = None) -> Figure:
    """One table's page; given the window's figure, the chart alone fills it (the window shows
    the table in a grid beside it)."""
    fig = figure if figure is not None else Figure(figsize=PAGE)
    fig.clear()
    title = translate(table.title)
    fig.suptitle(title, fontsize=13 if figure is None else 10, x=0.06, ha="left")
    names, values, hidden = _chart_values(table)
    chart = fig.add_axes((0.3, 0.58, 0.62, 0.32) if figure is None else (0.3, 0.08, 0.62, 0.8))
    positions = list(range(len(names)))
    chart.barh(positions, values, color=BAR)
    chart.set_yticks(positions, labels=names, fontsize=8)
    chart.invert_yaxis()
    # Counts: from 0, whole numbers, and a scale even when every bar is hidden or zero.
    chart.set_xlim(0, max([*values, 1.0]) * 1.12)
    chart.xaxis.set_major_locator(MaxNLocator(integer=True))
    chart.tick_params(axis="x", labelsize=8)
    for y, (value, gone) in enumerate(zip(values, hidden, strict=True)):
        chart.text(
            value,
            y,
            " x" if gone else f" {value:.0f}",
            va="center",
            fontsize=7,
            color="#555555" if gone else "#000000",
        )
    chart.spines[["top", "right"]].set_visible(False)
    if figure is not None:
        return fig
    pub = table.published
    two_way = len(table.columns) > 1
    total = _("Total")
    header = [label(table.column_kind, c) for c in table.columns] + ([total] if two_way else [])
    body = []
    for r, code in enumerate(table.rows):
        row = ["x" if v is None else str(v) for v in pub.cells[r]]
        if two_way:
            row.append("x" if pub.row_totals[r] is None else str(pub.row_totals[r]))
        body.append([label(table.row_kind, code), *row])
    footer = [total, *("x" if v is None else str(v) for v in pub.column_totals)]
    if two_way:
        footer.append("x" if pub.total is None else str(pub.total))
    body.append(footer)
    grid = fig.add_axes((0.06, 0.04, 0.88, 0.48))
    grid.axis("off")
    shown = body[:30]  # a page holds 30 rows; longer tables are whole in the CSV
    cells = grid.table(cellText=shown, colLabels=["", *header], loc="upper center", cellLoc="right")
    cells.auto_set_font_size(False)
    cells.set_fontsize(8)
    cells.scale(1, 1.25)
    return fig


def title_figure(report: Report, generated: datetime) -> Figure:
    fig = Figure(figsize=PAGE)
    fig.text(0.08, 0.8, _("Peer support program report"), fontsize=18, weight="bold", wrap=True)
    fig.text(0.08, 0.75, period_text(report.period), fontsize=13)
    fig.text(
        0.08,
        0.71,
        _("Prepared on {day}").format(day=generated.date().isoformat()),
        fontsize=11,
    )
    rule = suppression_rule()
    fig.text(0.08, 0.6, _("How small numbers are protected"), fontsize=13, weight="bold")
    fig.text(0.08, 0.57, rule, fontsize=10, wrap=True, va="top")
    fig.text(
        0.08,
        0.45,
        _(
            "This report holds counts of coded answers only: no names, numbers or notes. "
            "Comparing it with a report of an overlapping period can reveal a small number, "
            "so reports are made for whole months and every export is recorded."
        ),
        fontsize=10,
        wrap=True,
        va="top",
    )
    lines = []
    for stat in report.statistics:
        value = "x" if stat.value is None else f"{stat.value:g}"
        lines.append(_("{label}: {value}").format(label=translate(stat.title), value=value))
    fig.text(0.08, 0.3, "\n".join(lines), fontsize=10, va="top")
    return fig


def write_pdf(report: Report, path: Path, generated: datetime) -> None:
    """Write the PDF owner-readable only, through a temporary file beside it (a failed write
    never leaves half a report under the final name)."""
    # Imported here, not with the module: the Reports screen draws its charts with this
    # module's table_figure at its first opening, and the PDF writer (with fontTools) added
    # about 90 ms to that opening for a file only an export writes.
    from matplotlib.backends.backend_pdf import PdfPages  # noqa: PLC0415

    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, PdfPages(out, metadata={"Creator": ""}) as pdf:
            pdf.savefig(title_figure(report, generated))
            for table in report.tables:
                pdf.savefig(table_figure(table))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
