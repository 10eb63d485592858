"""The directory browser: every program, searchable and filterable during or outside a call,
with each fact's verification status and date, and contacts ready to read out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from intake.directory.browse import COST_NAMES, KIND_NAMES, STATUS_NAMES, BrowseFilter, browse
from intake.directory.model import Program, Provenance
from intake.i18n import _, current_language, language_name, pgettext, translate
from intake.i18n.formatting import format_date
from intake.provinces import ALL, ROLE_NAMES, province_name, provinces_by_name
from intake.routing.engine import Router, may_not_run
from intake.routing.reasons import FIELDS, warning_text
from intake.routing.render import contact_line
from intake.ui.call.steps import FORMAT_NAMES
from intake.ui.language import Retranslatable
from intake.ui.widgets import heading, refill_combo


class DirectoryBrowser(Retranslatable, QWidget):
    def __init__(self, router: Router, now: Callable[[], datetime], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("directory-browser")
        self.router = router
        self.now = now
        self.title = heading(self, "directory-title")
        self.search = QLineEdit(self)
        self.search.setObjectName("directory-search")
        self.search.setClearButtonEnabled(True)
        self.province = QComboBox(self)
        self.province.setObjectName("directory-province")
        self.kind = QComboBox(self)
        self.kind.setObjectName("directory-kind")
        self.format = QComboBox(self)
        self.format.setObjectName("directory-format")
        self.language = QComboBox(self)
        self.language.setObjectName("directory-language")
        self.cost = QComboBox(self)
        self.cost.setObjectName("directory-cost")
        self.open_now = QCheckBox(self)
        self.open_now.setObjectName("directory-open-now")
        self.count = QLabel(self)
        self.count.setObjectName("directory-count")
        self.count.setProperty("hint", True)
        filters = QGridLayout()
        filters.addWidget(self.search, 0, 0, 1, 3)
        filters.addWidget(self.open_now, 0, 3)
        for column, combo in enumerate((self.province, self.kind, self.format)):
            filters.addWidget(combo, 1, column)
        filters.addWidget(self.language, 2, 0)
        filters.addWidget(self.cost, 2, 1)
        self.results = QListWidget(self)
        self.results.setObjectName("directory-results")
        # Long program names wrap instead of running under a horizontal scroll bar.
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.detail = QLabel(self)
        self.detail.setObjectName("directory-detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        splitter = QSplitter(self)
        splitter.addWidget(self.results)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)
        self.search.textChanged.connect(self.refresh)
        for combo in (self.province, self.kind, self.format, self.language, self.cost):
            combo.currentIndexChanged.connect(self.refresh)
        self.open_now.toggled.connect(self.refresh)
        self.results.currentItemChanged.connect(self._show_detail)
        self.retranslate_ui()

    @staticmethod
    def _fill(combo: QComboBox, label: str, items: list[tuple[str, str]]) -> None:
        refill_combo(combo, [(label, None), *items])
        combo.setAccessibleName(label)

    def filters(self) -> BrowseFilter:
        return BrowseFilter(
            text=self.search.text(),
            province=self.province.currentData(),
            kind=self.kind.currentData(),
            format=self.format.currentData(),
            language=self.language.currentData(),
            cost=self.cost.currentData(),
            open_at=self.now() if self.open_now.isChecked() else None,
        )

    def refresh(self) -> None:
        language = current_language()
        selected = self.results.currentItem()
        keep = selected.data(Qt.ItemDataRole.UserRole) if selected else None
        self.results.blockSignals(True)
        self.results.clear()
        for program in browse(self.router.programs, self.filters(), language):
            name = program.name.text.get(language)
            kind = translate(KIND_NAMES[program.kind])
            if may_not_run(program):
                # As the call's recommendations warn; never on 9-1-1 or 9-8-8.
                name = _("{name} (may no longer run)").format(name=name)
                kind = f"{kind}\n{warning_text('may-not-run')}"
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, program.id)
            item.setToolTip(kind)
            self.results.addItem(item)
            if program.id == keep:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        self.count.setText(
            _("{count} of {total} programs").format(
                count=self.results.count(), total=len(self.router.programs)
            )
        )
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.results.currentItem()
        program = self.router.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.detail.setText(
            describe(program, self.now()) if program else _("Choose a program to see its facts.")
        )

    def retranslate_ui(self) -> None:
        language = current_language()
        self.title.setText(_("Program directory"))
        self.search.setPlaceholderText(_("Search by name or description"))
        self.search.setAccessibleName(_("Search the directory"))
        self.open_now.setText(_("Open now"))
        self._fill(self.province, _("Any province or territory"), provinces_by_name(language))
        self._fill(
            self.kind,
            _("Any kind"),
            [(translate(label), code) for code, label in KIND_NAMES.items()],
        )
        self._fill(
            self.format,
            _("Any format"),
            [(translate(label), code) for code, label in FORMAT_NAMES.items()],
        )
        self._fill(
            self.language,
            _("Any language of service"),
            [
                (pgettext("service language", "In English"), "en"),
                (pgettext("service language", "In French"), "fr"),
            ],
        )
        self._fill(
            self.cost,
            _("Any cost"),
            [(translate(label), code) for code, label in COST_NAMES.items()],
        )
        self.refresh()


def _status(provenance: Provenance) -> str:
    text = _("{status}, checked {date}").format(
        status=translate(STATUS_NAMES[provenance.status]),
        date=format_date(datetime.combine(provenance.checked, datetime.min.time()).astimezone()),
    )
    return f"[{text}; {provenance.source}]"


def _fact(field: str, value: str, provenance: Provenance) -> str:
    return _("{field}: {value} {status}").format(
        field=_(FIELDS[field]).capitalize(), value=value, status=_status(provenance)
    )


def describe(program: Program, now: datetime) -> str:
    """Every fact of a program, each with how sure we are of it, in the interface language."""
    language = current_language()
    other = "en" if language == "fr" else "fr"
    provinces, roles = program.eligibility.value
    where = (
        _("All of Canada")
        if ALL in provinces
        else ", ".join(province_name(c, language) for c in sorted(provinces))
    )
    who = ", ".join(_(ROLE_NAMES[r]) for r in sorted(roles) if r in ROLE_NAMES) or "—"
    modes, channels = program.formats.value
    formats = ", ".join(
        translate(FORMAT_NAMES[f]) for f in sorted(modes | channels) if f in FORMAT_NAMES
    )
    languages = ", ".join(language_name(code) for code in sorted(program.languages.value)) or "—"
    open_now = program.hours.open_at(now)
    hours = (
        _("Open 24/7")
        if program.hours.always_open
        else _("Open now")
        if open_now
        else _("Hours not confirmed")
        if open_now is None
        else _("Closed now")
    )
    lines = [
        program.name.text.get(language),
        f"({program.name.text.get(other)}) {_status(program.name.provenance)}",
        translate(KIND_NAMES[program.kind]),
        "",
    ]
    if may_not_run(program) and program.doubt is not None:
        lines += [f"! {warning_text('may-not-run')} {program.doubt.get(language)}", ""]
    lines += [
        program.description.get(language),
        program.serves.get(language),
        "",
        _fact("eligibility", f"{where} — {who}", program.eligibility.provenance),
        _fact("languages", languages, program.languages.provenance),
        _fact("format", formats or "—", program.formats.provenance),
        _fact("cost", translate(COST_NAMES[program.cost.value]), program.cost.provenance),
        _fact("hours", hours, program.hours.provenance),
    ]
    if program.hours.after_hours:
        lines.append(program.hours.after_hours.get(language))
    if program.listing == "hide-until-verified":
        lines.append(_("Not offered in recommendations until someone verifies it."))
    lines.append("")
    for contact in program.contacts:
        line = contact_line(contact, language, with_status=False)
        lines.append(f"{line} {_status(contact.provenance)}")
    return "\n".join(lines)
