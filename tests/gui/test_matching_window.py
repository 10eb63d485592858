"""The coordinator's flow through the real window, in both languages: a peer on the roster,
a new request for someone outside the requester's site, the ranked candidates with reasons,
propose, acceptance with its due date, first contact, closure; then the reports page and its
CSV and PDF exports (sentinel-scanned, the PDF rendered to an image)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.storage.account_store import list_accounts
from intake.storage.roster import Conflict, PeerRecord, save_peer
from intake.ui.matching import MatchingPage
from intake.ui.reports import ReportsPage
from tests.conftest import make_store
from tests.gui.conftest import AppFactory, main_window_of, store_of
from tests.matching.seed import SENTINELS, seed

REQUESTER = "Aurelian Fitzquark"


def shown_page(window: QWidget) -> QWidget | None:
    """The page on screen: the coordinator's pages sit in a scroll area (1280x720 screens)."""
    shown = window.pages.currentWidget()  # type: ignore[attr-defined]
    return shown.widget() if isinstance(shown, QScrollArea) else shown


def _roster(path: Path) -> tuple[str, str, str]:
    store = make_store(path) if not path.exists() else None
    assert store is not None
    actor = list_accounts(store)[0].id
    own = PeerRecord(
        id=str(uuid.uuid4()),
        name="Dr Own Site",
        province="BC",
        organization="Fraser",
        site="Surrey Memorial",
        department="Emergency",
        languages=("en", "fr"),
    )
    far = PeerRecord(
        id=str(uuid.uuid4()),
        name="Dr Far Away",
        province="BC",
        organization="Interior",
        site="Kelowna General",
        department="Surgery",
        languages=("en", "fr"),
        topics=("grief",),
    )
    boss = PeerRecord(
        id=str(uuid.uuid4()),
        name="Dr Supervisor",
        province="BC",
        organization="Island",
        site="Nanaimo",
        languages=("en", "fr"),
        conflicts=(Conflict("supervises", "Surrey Memorial", "Surgery"),),
    )
    for peer in (own, far, boss):
        save_peer(store, peer, actor)
    seed(store, actor, contacts=400, requests=80)
    store.close()
    return own.id, far.id, boss.id


def test_the_coordinator_matches_a_request_and_exports_the_report(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language, tmp_path: Path
) -> None:
    own, far, boss = _roster(store_path)
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    assert window.matching_button.isVisibleTo(window)
    window.matching_action.trigger()
    page = shown_page(window)
    assert isinstance(page, MatchingPage)

    qtbot.keyClicks(page.name, REQUESTER)
    qtbot.keyClicks(page.reach, "+16045550123")
    page.province.setCurrentIndex(page.province.findData("BC"))
    qtbot.keyClicks(page.site, "Surrey Memorial")
    qtbot.keyClicks(page.department, "Surgery")
    page.topic.setCurrentIndex(page.topic.findData("grief"))
    page.outside.setChecked(True)
    page.add_button.click()
    assert page.site.text() == ""
    assert REQUESTER in page.detail.text()  # a coordinator sees who asked

    offered = [page.candidates.item(i).data(0x0100) for i in range(page.candidates.count())]
    assert offered[0] == far  # the only one left: own site and a conflict are out
    assert own not in offered[:1]
    assert boss not in offered[:1]
    listed = "\n".join(page.candidates.item(i).text() for i in range(page.candidates.count()))
    assert "Dr Own Site" in listed
    assert "Dr Supervisor" in listed
    assert page.propose_button.isEnabled()

    page.propose_button.click()
    assert page.accept_button.isEnabled()
    page.accept_button.click()
    assert page.contact_button.isEnabled()
    before = page.detail.text()
    page.contact_button.click()
    assert page.detail.text() != before
    page.close_button.click()
    store = store_of(app)
    [(status, outcome)] = store.query(
        "SELECT status, outcome FROM match_requests WHERE requester_name = ?", (REQUESTER,)
    )
    assert (status, outcome) == ("closed", "supported")
    opens = store.query(
        "SELECT count(*) FROM audit WHERE action = 'open' AND detail LIKE 'match-request%'"
    )[0][0]
    assert opens >= 4

    window.reports_action.trigger()
    reports = shown_page(window)
    assert isinstance(reports, ReportsPage)
    reports.start.setDate(reports.start.date().fromString("2026-01", "yyyy-MM"))
    reports.end.setDate(reports.end.date().fromString("2026-12", "yyyy-MM"))
    reports.show_button.click()
    assert reports.tables.count() == 17
    assert reports.grid.rowCount() == 13  # twelve months and the totals
    csv_path, pdf_path = tmp_path / "report.csv", tmp_path / "report.pdf"
    reports.export("csv", csv_path)
    reports.export("pdf", pdf_path)
    text = csv_path.read_text(encoding="utf-8")
    pdf_bytes = pdf_path.read_bytes()
    for sentinel in (*SENTINELS, REQUESTER, "+16045550123", "Dr Far Away"):
        assert sentinel not in text
        assert sentinel.encode() not in pdf_bytes
    document = pdfium.PdfDocument(str(pdf_path))
    assert len(document) == 18
    words = document[0].get_textpage().get_text_range()
    assert ("Période" in words) == (lang == "fr")
    assert all(sentinel not in words for sentinel in SENTINELS)
    image = document[1].render(scale=0.5).to_pil()
    lo, hi = image.convert("L").getextrema()
    assert (lo, hi) == (lo, 255)
    assert lo < 100
    assert store.query("SELECT count(*) FROM audit WHERE action = 'export'")[0][0] == 2


def test_the_closure_survey_is_saved_anonymously_and_an_empty_one_is_refused(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    make_store(store_path).close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.matching_action.trigger()
    page = shown_page(window)
    assert isinstance(page, MatchingPage)
    page.survey_button.click()  # nothing chosen
    assert page.banner.isVisibleTo(page)
    assert store_of(app).query("SELECT count(*) FROM survey")[0][0] == 0
    page.helpful.setCurrentIndex(page.helpful.findData(4))
    page.recommend.setCurrentIndex(1)  # "Yes" (after "Not answered")
    page.survey_button.click()
    rows = store_of(app).query("SELECT channel, language, helpful, recommend FROM survey")
    assert rows == [("closure", lang, 4, 1)]
    assert page.helpful.currentIndex() == 0  # ready for the next person


def test_a_coordinator_adds_a_peer_to_the_roster_and_a_blank_one_is_refused(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    make_store(store_path).close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.matching_action.trigger()
    page = shown_page(window)
    assert isinstance(page, MatchingPage)
    panel = page.roster_panel
    panel.add_button.click()
    assert panel.banner.isVisibleTo(panel)
    assert store_of(app).query("SELECT count(*) FROM peers")[0][0] == 0
    qtbot.keyClicks(panel.name, "Dr Noor Haddad")
    panel.province.setCurrentIndex(panel.province.findData("QC"))
    qtbot.keyClicks(panel.site, "CHUM")
    panel.french.setChecked(True)
    qtbot.keyClicks(panel.conflict_site, "CHUM")
    qtbot.keyClicks(panel.conflict_department, "Urgence")
    panel.add_button.click()
    assert panel.peers.count() == 1
    assert "Dr Noor Haddad" in panel.peers.item(0).text()
    [(languages, conflicts)] = store_of(app).query("SELECT languages, conflicts FROM peers")
    assert languages == '["en", "fr"]'
    assert "Urgence" in conflicts
