"""The coordinator's matching page: the open requests, a new request, the roster's candidates
for the selected request with their reasons, and each step of the match (propose, the peer's
answer, the first contact, closure).

Every action is one service call (one transaction, audited). A refusal from the store (not a
coordinator, a match someone else moved on) is shown in place, in the person's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from intake.accounts import Account
from intake.call import TOPICS
from intake.i18n import NP_, _, current_language, language_name, pgettext, translate
from intake.provinces import province_name, provinces_by_name
from intake.services import matching
from intake.services.matching import AnyStore, StoreError
from intake.ui.language import Retranslatable
from intake.ui.widgets import MessageBanner, heading, hint, refill_combo
from intake.vocabulary import MATCH_OUTCOMES
from intake.vocabulary_labels import label as vocabulary_label

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def reason_text(code: str) -> str:
    """A ranking reason or exclusion in words."""
    if code.startswith("topic:"):
        topic = code.removeprefix("topic:")
        return _("comfortable with: {topic}").format(
            topic=translate(TOPICS[topic]) if topic in TOPICS else topic
        )
    if code.startswith("spare:"):
        return _("room for {count} more").format(count=code.removeprefix("spare:"))
    texts = {
        "language": _("speaks the requester's language"),
        "no-language": _("does not speak the requester's language"),
        "same-site": _("same site"),
        "same-organization": _("same organization"),
        "same-province": _("same province or territory"),
        "other-site": _("another site in the province or territory"),
        "other-province": _("another province or territory"),
        "format": _("offers the format asked for"),
        matching.SAME_SITE: _("left out: from the requester's own site"),
        matching.CONFLICT: _("left out: a declared conflict"),
        matching.ALREADY_ASKED: _("left out: already declined this request"),
        matching.FULL: _("left out: no room or unavailable"),
    }
    return texts.get(code, code)


def topic_names(codes: tuple[str, ...]) -> str:
    """What a request is about, in words (the one vocabulary's labels)."""
    return ", ".join(vocabulary_label("topic", c) for c in codes)


def format_name(code: str | None) -> str:
    """A format asked for, in words ("" when none was)."""
    return vocabulary_label("format", code) if code else ""


SOURCES_TEXT: dict[str, Callable[[], str]] = {
    "phone": lambda: _("a call to the line"),
    "kiosk": lambda: _("the kiosk"),
    "coordinator": lambda: _("the coordinator"),
}

STATUS = {
    "open": NP_("request status", "Waiting for a proposal"),
    "proposed": NP_("request status", "Proposed, waiting for the peer's answer"),
    "matched": NP_("request status", "Matched"),
    "closed": NP_("request status", "Closed"),
    "withdrawn": NP_("request status", "Withdrawn"),
}


class MatchingPage(Retranslatable, QWidget):
    def __init__(
        self, store: AnyStore, account: Account, parent: QWidget | None = None, now: Clock = _now
    ) -> None:
        super().__init__(parent)
        self.setObjectName("matching-page")
        self.store = store
        self.account = account
        self.now = now
        self.title = heading(self, "matching-title")
        self.banner = MessageBanner(self)

        # Left: the requests, and a new one.
        self.requests = QListWidget(self)
        self.requests.setObjectName("match-requests")
        # A long line wraps instead of scrolling sideways.
        self.requests.setWordWrap(True)
        self.requests.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form = QGroupBox(self)
        form = QFormLayout(self.form)
        self.name = QLineEdit(self.form)
        self.name.setObjectName("request-name")
        self.reach = QLineEdit(self.form)
        self.reach.setObjectName("request-reach")
        self.province = QComboBox(self.form)
        self.province.setObjectName("request-province")
        self.site = QLineEdit(self.form)
        self.site.setObjectName("request-site")
        self.department = QLineEdit(self.form)
        self.department.setObjectName("request-department")
        self.language = QComboBox(self.form)
        self.language.setObjectName("request-language")
        self.topic = QComboBox(self.form)
        self.topic.setObjectName("request-topic")
        self.outside = QCheckBox(self.form)
        self.outside.setObjectName("request-outside")
        self.add_button = QPushButton(self.form)
        self.add_button.setObjectName("request-add")
        self._labels: list[tuple[QLabel, Callable[[], str]]] = []
        for field, text in (
            (self.name, lambda: _("Name")),
            (self.reach, lambda: _("How to reach them")),
            (self.province, lambda: _("Province or territory")),
            (self.site, lambda: _("Site or community")),
            (self.department, lambda: _("Department")),
            (self.language, lambda: _("Language")),
            (self.topic, lambda: _("About")),
        ):
            caption = QLabel(self.form)
            caption.setBuddy(field)
            self._labels.append((caption, text))
            form.addRow(caption, field)
        form.addRow(self.outside)
        form.addRow(self.add_button)

        # Right: the selected request and its candidates.
        self.detail = QLabel(self)
        self.detail.setObjectName("request-detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.candidates_title = heading(self, "candidates-title", 2)
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("candidates")
        self.candidates.setWordWrap(True)
        self.propose_button = QPushButton(self)
        self.propose_button.setObjectName("propose")
        self.accept_button = QPushButton(self)
        self.accept_button.setObjectName("peer-accepted")
        self.decline_button = QPushButton(self)
        self.decline_button.setObjectName("peer-declined")
        self.conflict_button = QPushButton(self)
        self.conflict_button.setObjectName("peer-conflict")
        self.contact_button = QPushButton(self)
        self.contact_button.setObjectName("first-contact")
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("close-request")
        self.close_outcome = QComboBox(self)
        self.close_outcome.setObjectName("close-outcome")
        self.roster_note = hint(self, "roster-note")
        # The short anonymous survey offered at closure: its answers are not linked to the
        # request (nor to anyone), and dated to the day only.
        self.survey = QGroupBox(self)
        self.survey.setObjectName("closure-survey")
        # Two questions one under the other: side by side they made the page wider than a
        # 1280-pixel screen (a horizontal scroll bar).
        survey = QGridLayout(self.survey)
        self.helpful_label = QLabel(self.survey)
        self.helpful = QComboBox(self.survey)
        self.helpful.setObjectName("survey-helpful")
        self.helpful_label.setBuddy(self.helpful)
        self.recommend_label = QLabel(self.survey)
        self.recommend = QComboBox(self.survey)
        self.recommend.setObjectName("survey-recommend")
        self.recommend_label.setBuddy(self.recommend)
        for box in (self.helpful, self.recommend):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.survey_button = QPushButton(self.survey)
        self.survey_button.setObjectName("survey-save")
        survey.addWidget(self.helpful_label, 0, 0)
        survey.addWidget(self.helpful, 0, 1)
        survey.addWidget(self.recommend_label, 1, 0)
        survey.addWidget(self.recommend, 1, 1)
        survey.addWidget(self.survey_button, 2, 1)
        survey.setColumnStretch(2, 1)

        # An empty list says why it is empty and where requests come from.
        self.requests_empty = hint(self, "match-requests-empty")
        self.requests_empty.hide()
        requests_tab = QWidget(self)
        column = QVBoxLayout(requests_tab)
        column.addWidget(self.requests_empty)
        column.addWidget(self.requests, 1)
        column.addWidget(self.form)
        self.roster_panel = RosterPanel(store, account, self)
        self.roster_panel.changed.connect(self.show_request)
        left = QTabWidget(self)
        left.setObjectName("matching-tabs")
        left.addTab(requests_tab, "")
        left.addTab(self.roster_panel, "")
        self.tabs = left
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.detail)
        side.addWidget(self.candidates_title)
        side.addWidget(self.candidates, 1)
        # Two to a row: seven actions side by side made the page wider than a 1280-pixel screen.
        actions = QGridLayout()
        for index, widget in enumerate(
            (
                self.propose_button,
                self.accept_button,
                self.decline_button,
                self.conflict_button,
                self.contact_button,
            )
        ):
            actions.addWidget(widget, index // 2, index % 2)
        actions.addWidget(self.close_outcome, 3, 0)
        actions.addWidget(self.close_button, 3, 1)
        actions.setColumnStretch(2, 1)
        side.addLayout(actions)
        side.addWidget(self.survey)
        side.addWidget(self.roster_note)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addWidget(self.banner)
        page.addWidget(split, 1)

        self.add_button.clicked.connect(self.add_request)
        self.requests.currentItemChanged.connect(lambda *_args: self.show_request())
        self.propose_button.clicked.connect(self.propose)
        self.accept_button.clicked.connect(lambda: self.answer("accepted"))
        self.decline_button.clicked.connect(lambda: self.answer("declined"))
        self.conflict_button.clicked.connect(lambda: self.answer("conflict"))
        self.contact_button.clicked.connect(self.first_contact)
        self.close_button.clicked.connect(self.close_request)
        self.survey_button.clicked.connect(self.save_survey)
        self._rows: list[matching.RequestRow] = []
        self._current: matching.RequestRecord | None = None
        self._match: matching.MatchRecord | None = None
        self._ranking: matching.Ranking | None = None
        self._names: dict[str, str | None] = {}
        self.retranslate_ui()
        self.refresh()

    # --- text ---------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        language = current_language()
        self.title.setText(_("Peer matching"))
        self.tabs.setTabText(0, _("Requests"))
        self.tabs.setTabText(1, _("Roster"))
        self.form.setTitle(_("New match request"))
        for caption, text in self._labels:
            caption.setText(text())
        self.outside.setText(_("Wants a peer from outside their own site"))
        self.add_button.setText(_("Add the request"))
        refill_combo(self.province, provinces_by_name(language))
        refill_combo(self.language, [(language_name(c), c) for c in ("en", "fr")])
        refill_combo(
            self.topic,
            [(pgettext("topic", "Not said"), "")]
            + [(translate(label), code) for code, label in TOPICS.items()],
        )
        self.candidates_title.setText(_("Candidates, best first"))
        self.propose_button.setText(_("Propose this peer"))
        self.accept_button.setText(_("The peer accepted"))
        self.decline_button.setText(_("The peer declined"))
        self.conflict_button.setText(_("The peer has a conflict"))
        self.contact_button.setText(_("First contact made"))
        self.close_button.setText(_("Close the request"))
        refill_combo(
            self.close_outcome,
            [(vocabulary_label("match-outcome", code), code) for code in MATCH_OUTCOMES],
        )
        self.survey.setTitle(_("Anonymous survey at closure"))
        self.helpful_label.setText(_("How helpful (1 to 5)"))
        refill_combo(
            self.helpful,
            [(pgettext("survey answer", "Not answered"), None)]
            + [(str(n), n) for n in range(1, 6)],
        )
        self.recommend_label.setText(_("Would recommend it"))
        refill_combo(
            self.recommend,
            [
                (pgettext("survey answer", "Not answered"), None),
                (pgettext("survey answer", "Yes"), True),
                (pgettext("survey answer", "No"), False),
            ],
        )
        self.survey_button.setText(_("Save the answers"))
        self.roster_note.setText(
            _(
                "The requester's name and contact are shown only to coordinators and to the "
                "peer who accepted. Every opening is recorded."
            )
        )
        self.requests_empty.setText(
            _(
                "No match request yet. Requests arrive from calls and kiosk visits when the "
                "person agrees to be matched, or add one below."
            )
        )
        self.banner.retranslate_ui()
        self._fill_requests()
        self._render()

    # --- data ---------------------------------------------------------------------------------
    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except StoreError as exc:
            self.banner.show_message(exc.explain)
            return False
        self.banner.clear()
        return True

    def refresh(self) -> None:
        def load() -> None:
            self._rows = matching.request_list(self.store, self.account.id)

        self._guard(load)
        self._fill_requests()

    def _fill_requests(self) -> None:
        keep = self._current.id if self._current else None
        self.requests.blockSignals(True)
        self.requests.clear()
        today = self.now().date()
        for row in self._rows:
            status = translate(STATUS[row.status])
            text = _("{day} · {province} · {site} · {status}").format(
                day=row.created_at[:10],
                province=row.province,
                site=row.site,
                status=status,
            )
            if matching.is_overdue(row.first_contact_due, row.first_contact_at, today):
                text += " · " + _("first contact overdue")
            item = QListWidgetItem(text, self.requests)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if row.id == keep:
                self.requests.setCurrentItem(item)
        self.requests.blockSignals(False)
        self.requests_empty.setVisible(not self._rows)

    def _selected_id(self) -> str | None:
        item = self.requests.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def add_request(self) -> None:
        site = self.site.text().strip()
        if not site:
            self.banner.show_message(
                lambda: (_("The site is missing"), _("Type the requester's site or community."))
            )
            self.site.setFocus()
            return
        topic = self.topic.currentData()
        record = matching.RequestRecord(
            id=str(uuid.uuid4()),
            source="coordinator",
            province=str(self.province.currentData()),
            site=site,
            department=self.department.text().strip(),
            language=str(self.language.currentData()),
            consent=True,
            wants_outside=self.outside.isChecked(),
            topics=(topic,) if topic else (),
            requester_name=self.name.text().strip() or None,
            requester_reach=self.reach.text().strip() or None,
        )
        if self._guard(lambda: matching.add_request(self.store, record, self.account.id)):
            for field in (self.name, self.reach, self.site, self.department):
                field.setText("")
            self.outside.setChecked(False)
            self.refresh()
            for index in range(self.requests.count()):
                item = self.requests.item(index)
                if item.data(Qt.ItemDataRole.UserRole) == record.id:
                    self.requests.setCurrentItem(item)

    def show_request(self) -> None:
        """Open the selected request (audited) and rank the roster for it."""
        request_id = self._selected_id()
        self._current = None
        self._match = None
        self._ranking = None
        self._names = {}
        if request_id is not None:

            def load() -> None:
                self._current = matching.open_request(self.store, request_id, self.account.id)
                self._match = matching.live_match(self.store, request_id)
                if self._current.status == "open":
                    self._ranking = matching.rank_for(self.store, self._current)
                    self._names = matching.roster_names(self.store, self.account.id)

            self._guard(load)
        self._render()

    def _render(self) -> None:
        """Show what was loaded, in the current language (a language switch reads nothing)."""
        self.candidates.clear()
        request = self._current
        if request is None:
            self.detail.setText(_("Choose a request, or add one."))
            self._enable()
            return
        who = request.requester_name or _("(name not shown)")
        lines = [
            _("{name}, {site} ({province})").format(
                name=who,
                site=request.site,
                province=province_name(request.province, current_language())
                if request.province
                else "",
            ),
            _("Reach: {how}").format(how=request.requester_reach or "—"),
            _("Language: {language}").format(language=language_name(request.language)),
            _("Outside their own site: {answer}").format(
                answer=_("yes") if request.wants_outside else _("no")
            ),
            _("What it is about: {topics}").format(
                topics=topic_names(request.topics) or pgettext("topic", "Not said")
            ),
            _("Format: {format}").format(
                format=format_name(request.format) or pgettext("format", "No preference")
            ),
            _("Asked through: {source}").format(
                source=SOURCES_TEXT.get(request.source, lambda: "—")()
            ),
            _("Status: {status}").format(status=translate(STATUS[request.status])),
        ]
        if self._match is not None and self._match.first_contact_due:
            due = self._match.first_contact_due
            late = matching.is_overdue(due, self._match.first_contact_at, self.now().date())
            if self._match.first_contact_at:
                lines.append(
                    _("First contact made on {day}").format(day=self._match.first_contact_at[:10])
                )
            else:
                lines.append(
                    (
                        _("First contact overdue since {day}")
                        if late
                        else _("First contact due by {day}")
                    ).format(day=due)
                )
        self.detail.setText("\n".join(lines))
        ranking = self._ranking
        if ranking is not None:
            for candidate in ranking.candidates:
                text = "{name} — {site} ({province})\n{reasons}".format(
                    name=self._names.get(candidate.peer.id) or "—",
                    site=candidate.peer.site,
                    province=candidate.peer.province,
                    reasons="; ".join(reason_text(r) for r in candidate.reasons),
                )
                item = QListWidgetItem(text, self.candidates)
                item.setData(Qt.ItemDataRole.UserRole, candidate.peer.id)
            for left_out in ranking.excluded:
                item = QListWidgetItem(
                    "{name} — {reason}".format(
                        name=self._names.get(left_out.peer_id) or "—",
                        reason=reason_text(left_out.reason),
                    ),
                    self.candidates,
                )
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            if ranking.candidates:
                self.candidates.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        request, match = self._current, self._match
        status = request.status if request else None
        self.propose_button.setEnabled(status == "open" and bool(ranking_row(self.candidates)))
        waiting = match is not None and match.answer is None
        for button in (self.accept_button, self.decline_button, self.conflict_button):
            button.setEnabled(waiting)
        self.contact_button.setEnabled(
            match is not None and match.answer == "accepted" and match.first_contact_at is None
        )
        self.close_button.setEnabled(status in ("open", "proposed", "matched"))
        self.close_outcome.setEnabled(self.close_button.isEnabled())

    # --- steps --------------------------------------------------------------------------------
    def propose(self) -> None:
        peer_id = ranking_row(self.candidates)
        if self._current is None or peer_id is None:
            return
        request_id = self._current.id
        self._guard(
            lambda: matching.propose(
                self.store, str(uuid.uuid4()), request_id, peer_id, self.account.id, when=self.now()
            )
        )
        self.refresh()
        self.show_request()

    def answer(self, response: str) -> None:
        if self._match is None or self._current is None:
            return
        match_id, province = self._match.id, self._current.province
        if response == "accepted":
            self._guard(
                lambda: matching.accept(self.store, match_id, province, self.account.id, self.now())
            )
        else:
            self._guard(
                lambda: matching.decline(
                    self.store,
                    match_id,
                    self.account.id,
                    self.now(),
                    conflict=response == "conflict",
                )
            )
        self.refresh()
        self.show_request()

    def first_contact(self) -> None:
        if self._match is None:
            return
        match_id = self._match.id
        self._guard(
            lambda: matching.record_first_contact(self.store, match_id, self.account.id, self.now())
        )
        self.refresh()
        self.show_request()

    def close_request(self) -> None:
        if self._current is None:
            return
        request_id = self._current.id
        outcome = str(self.close_outcome.currentData() or "supported")
        self._guard(
            lambda: matching.close(self.store, request_id, outcome, self.account.id, self.now())
        )
        self._current = None
        self.refresh()
        self.show_request()

    def save_survey(self) -> None:
        helpful = self.helpful.currentData()
        recommend = self.recommend.currentData()
        language = self._current.language if self._current else current_language()
        result: list[str] = []
        saved = self._guard(
            lambda: result.append(
                matching.save_closure_survey(
                    self.store,
                    str(uuid.uuid4()),
                    day=self.now().date(),
                    language=language,
                    helpful=helpful,
                    recommend=recommend,
                )
            )
        )
        if saved and result == ["created"]:
            self.helpful.setCurrentIndex(0)
            self.recommend.setCurrentIndex(0)
            self.banner.show_message(lambda: (_("Thank you: the answers were saved"), ""))
        elif saved:
            self.banner.show_message(
                lambda: (_("Nothing to save"), _("Choose at least one answer first."))
            )


def ranking_row(candidates: QListWidget) -> str | None:
    item = candidates.currentItem()
    if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
        return None
    value = item.data(Qt.ItemDataRole.UserRole)
    return None if value is None else str(value)


class RosterPanel(Retranslatable, QWidget):
    """The roster: who is on it (with their load), and a form to add a trained peer supporter."""

    changed = QtSignal()

    def __init__(self, store: AnyStore, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roster-panel")
        self.store = store
        self.account = account
        self.banner = MessageBanner(self)
        self.peers = QListWidget(self)
        self.peers.setObjectName("roster-peers")
        self.form = QGroupBox(self)
        form = QFormLayout(self.form)
        # A long caption goes above its field rather than widening the page past the screen.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QLineEdit(self.form)
        self.name.setObjectName("peer-name")
        self.province = QComboBox(self.form)
        self.province.setObjectName("peer-province")
        self.organization = QLineEdit(self.form)
        self.organization.setObjectName("peer-organization")
        self.site = QLineEdit(self.form)
        self.site.setObjectName("peer-site")
        self.department = QLineEdit(self.form)
        self.department.setObjectName("peer-department")
        self.english = QCheckBox(self.form)
        self.english.setObjectName("peer-english")
        self.english.setChecked(True)
        self.french = QCheckBox(self.form)
        self.french.setObjectName("peer-french")
        self.topic = QComboBox(self.form)
        self.topic.setObjectName("peer-topic")
        self.capacity = QSpinBox(self.form)
        self.capacity.setObjectName("peer-capacity")
        self.capacity.setRange(0, 20)
        self.capacity.setValue(2)
        self.trained_by = QLineEdit(self.form)
        self.trained_by.setObjectName("peer-trained-by")
        self.conflict_site = QLineEdit(self.form)
        self.conflict_site.setObjectName("peer-conflict-site")
        self.conflict_department = QLineEdit(self.form)
        self.conflict_department.setObjectName("peer-conflict-department")
        self.account_link = QComboBox(self.form)
        self.account_link.setObjectName("peer-account")
        self.add_button = QPushButton(self.form)
        self.add_button.setObjectName("peer-add")
        languages = QHBoxLayout()
        languages.addWidget(self.english)
        languages.addWidget(self.french)
        self._labels: list[tuple[QLabel, Callable[[], str]]] = []
        rows: list[tuple[QWidget | QHBoxLayout, Callable[[], str]]] = [
            (self.name, lambda: _("Name")),
            (self.province, lambda: _("Province or territory")),
            (self.organization, lambda: _("Organization")),
            (self.site, lambda: _("Site or community")),
            (self.department, lambda: _("Department")),
            (languages, lambda: _("Languages")),
            (self.topic, lambda: _("Comfortable supporting")),
            (self.capacity, lambda: _("How many at once")),
            (self.trained_by, lambda: _("Trained by")),
            (self.conflict_site, lambda: _("Conflict declared: site")),
            (self.conflict_department, lambda: _("Conflict declared: department")),
            (self.account_link, lambda: _("Their account (to see their own matches)")),
        ]
        for field, text in rows:
            caption = QLabel(self.form)
            if isinstance(field, QWidget):
                caption.setBuddy(field)
            self._labels.append((caption, text))
            form.addRow(caption, field)
        form.addRow(self.add_button)
        column = QVBoxLayout(self)
        column.addWidget(self.banner)
        column.addWidget(self.peers, 1)
        column.addWidget(self.form)
        self.add_button.clicked.connect(self.add_peer)
        self._peers: list[matching.PeerRecord] = []
        self._accounts = matching.peer_accounts(store)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.form.setTitle(_("Add a trained peer supporter"))
        for caption, text in self._labels:
            caption.setText(text())
        self.english.setText(language_name("en"))
        self.french.setText(language_name("fr"))
        refill_combo(self.province, provinces_by_name(current_language()))
        refill_combo(
            self.topic,
            [(pgettext("topic", "Not said"), "")]
            + [(translate(label), code) for code, label in TOPICS.items()],
        )
        self.add_button.setText(_("Add to the roster"))
        refill_combo(
            self.account_link,
            [(pgettext("peer account", "None"), None), *self._accounts],
        )
        self.banner.retranslate_ui()
        self._render()

    def refresh(self) -> None:
        """Read the roster (audited as a view) and show it."""
        try:
            self._peers = matching.roster(self.store, self.account.id)
        except StoreError as exc:
            self.banner.show_message(exc.explain)
            return
        self._render()

    def _render(self) -> None:
        self.peers.clear()
        for peer in self._peers:
            QListWidgetItem(
                _("{name} · {site} ({province}) · {active} of {capacity}").format(
                    name=peer.name or "—",
                    site=peer.site,
                    province=peer.province,
                    active=peer.active,
                    capacity=peer.capacity,
                ),
                self.peers,
            )

    def add_peer(self) -> None:
        name, site = self.name.text().strip(), self.site.text().strip()
        if not name or not site:
            self.banner.show_message(
                lambda: (
                    _("The name or the site is missing"),
                    _("Type the peer supporter's name and site."),
                )
            )
            return
        languages = tuple(
            code for code, box in (("en", self.english), ("fr", self.french)) if box.isChecked()
        )
        conflict_site = self.conflict_site.text().strip()
        topic = self.topic.currentData()
        peer = matching.PeerRecord(
            id=str(uuid.uuid4()),
            name=name,
            province=str(self.province.currentData()),
            organization=self.organization.text().strip(),
            site=site,
            department=self.department.text().strip(),
            languages=languages or ("en",),
            topics=(topic,) if topic else (),
            conflicts=(
                (
                    matching.Conflict(
                        "same-department", conflict_site, self.conflict_department.text().strip()
                    ),
                )
                if conflict_site
                else ()
            ),
            trained_on=datetime.now(UTC).date().isoformat(),
            trained_by=self.trained_by.text().strip() or None,
            capacity=self.capacity.value(),
            account_id=self.account_link.currentData(),
        )
        try:
            matching.save_peer(self.store, peer, self.account.id)
        except StoreError as exc:
            self.banner.show_message(exc.explain)
            return
        self.banner.clear()
        for field in (
            self.name,
            self.organization,
            self.site,
            self.department,
            self.trained_by,
            self.conflict_site,
            self.conflict_department,
        ):
            field.setText("")
        self.refresh()
        self.changed.emit()
