"""A trained peer supporter asked for at the end of a call or a kiosk visit (issue 17): saved as
a match request for the coordinator only with the person's explicit yes, through the real
windows, in both languages; no consent, no site: nothing saved, said in the person's language."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.settings import SettingsFile
from intake.ui import ops
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, answer, begin, start_kiosk
from tests.gui.test_call import fill_whole_call, start_call, steps

SITE = "Civic Campus"


def _requests(app: object) -> list[tuple[object, ...]]:
    return store_of(app).query(  # type: ignore[arg-type]
        "SELECT source, province, site, language, wants_outside, format, topics, contact_id, "
        "requester_name, requester_reach, consent FROM match_requests"
    )


def test_a_call_asks_for_a_peer_with_the_callers_yes(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    box = wrapup.peer
    assert box.isVisibleTo(window)
    assert not box.consent.isChecked()  # default no
    assert not box.site.isEnabled()  # nothing to fill in before the caller says yes
    box.consent.click()
    assert box.site.isEnabled()
    assert box.reach.text()  # the number they already gave, offered again
    box.site.setFocus()
    qtbot.keyClicks(box.site, SITE)
    box.outside.click()
    box.format.setCurrentIndex(box.format.findData("virtual"))
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    rows = _requests(app)
    assert len(rows) == 1
    source, province, site, language, outside, fmt, topics, contact, _name, reach, consent = rows[0]
    assert (source, province, site, language, outside, fmt, consent) == (
        "phone",
        "ON",
        SITE,
        lang,
        1,
        "virtual",
        1,
    )
    assert "burnout" in str(topics)
    assert contact == page.call.contact_id
    assert reach
    assert "613" in str(reach).replace(" ", "")
    # In the coordinator's queue, with an audit entry of its creation (codes only).
    actions = store_of(app).query("SELECT detail FROM audit WHERE detail LIKE 'match-request%'")
    assert ("match-request source=phone",) in actions


def test_no_yes_from_the_caller_no_request(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The caller did not agree: the fields typed before unticking are not saved anywhere."""
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    box = steps(page)[5].peer
    box.consent.click()
    qtbot.keyClicks(box.site, SITE)
    box.consent.click()  # they said no after all
    assert not box.site.isEnabled()
    assert page.call.payload()["peer_name"] == ""
    steps(page)[5].save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert _requests(app) == []
    assert store_of(app).query("SELECT count(*) FROM contacts") == [(1,)]


def test_a_yes_without_a_site_is_refused_in_the_callers_words(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    wrapup.peer.consent.click()
    wrapup.save_button.click()
    assert wrapup.banner.isVisibleTo(window)
    assert wrapup.banner.title.text() == _("The site is missing")
    assert (wrapup.banner.title.text() == "The site is missing") == (lang == "en")
    assert window.call_page is page  # still open, nothing lost
    assert wrapup.save_button.isEnabled()
    assert _requests(app) == []
    # Typing the site lets it through.
    qtbot.keyClicks(wrapup.peer.site, SITE)
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert [r[2] for r in _requests(app)] == [SITE]


def test_a_kiosk_visitor_asks_for_a_peer_and_stays_anonymous(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    wait_idle(qtbot)
    assert session.results.peer_button.isVisibleTo(window)
    session.results.peer_button.click()
    screen = session.peer
    assert session.current is screen
    assert not screen.consent.isChecked()  # default no
    assert screen.language_buttons["fr"].isChecked()  # the service language they chose
    assert screen.format_buttons["phone"].isChecked() is False
    # No consent: refused on the screen, in the visitor's language; nothing saved.
    screen.topic_buttons["grief"].click()
    screen.site.setFocus()
    qtbot.keyClicks(screen.site, SITE)
    screen.outside.click()
    screen.submit_button.click()
    assert screen.error.isVisibleTo(window)
    assert screen.error.text() == _(
        "Tap “I agree” above to send it, or go back if you would rather not."
    )
    wait_idle(qtbot)
    assert _requests(app) == []
    # With consent: saved, anonymous (no way to reach them was given), pointing at the visit.
    screen.consent.click()
    screen.submit_button.click()
    qtbot.waitUntil(lambda: session.current is session.feedback, timeout=10_000)
    wait_idle(qtbot)
    assert session.feedback.confirmation.isVisibleTo(window)
    rows = _requests(app)
    assert len(rows) == 1
    source, province, site, language, outside, _fmt, topics, contact, name, reach, consent = rows[0]
    assert (source, province, site, language, outside, consent) == ("kiosk", "QC", SITE, "fr", 1, 1)
    assert "grief" in str(topics)
    assert (name, reach) == (None, None)
    assert store_of(app).query("SELECT id FROM contacts") == [(contact,)]


def test_a_kiosk_request_without_a_site_is_refused(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    wait_idle(qtbot)
    session.results.peer_button.click()
    screen = session.peer
    screen.consent.click()
    qtbot.keyClicks(screen.reach, "pat@example.org")
    screen.submit_button.click()
    assert screen.error.text() == _("Type your site or community: the coordinator matches from it.")
    wait_idle(qtbot)
    assert _requests(app) == []
    qtbot.keyClicks(screen.site, SITE)
    screen.submit_button.click()
    qtbot.waitUntil(lambda: session.current is session.feedback, timeout=10_000)
    wait_idle(qtbot)
    assert [r[9] for r in _requests(app)] == ["pat@example.org"]


def test_a_peer_request_that_fails_after_the_visit_was_saved_does_not_unsay_the_callback(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """The visitor confirms a callback and then asks for a peer while the results are still being
    saved, so both go in the same save; the store refuses the peer request after it has kept the
    visit and its callback. The screens must say what is true: the callback was kept (never
    "could not be saved"), only the peer request was not; later saves keep the number."""
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    store = store_of(app)
    # The store itself refuses the second write (as a full disk would): a real trigger.
    with store.transaction() as conn:
        conn.execute(
            "CREATE TRIGGER test_refuse_requests BEFORE INSERT ON match_requests "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)  # the results' save starts; not waited for
    assert ops.running()
    session.results.callback_button.click()
    callback = session.callback
    callback.number.setText("613 555 0142")
    callback.time_buttons["morning"].click()
    callback.consent.click()
    callback.submit_button.click()  # waits for the results' save
    session.back()
    session.results.peer_button.click()
    peer = session.peer
    peer.site.setText(SITE)
    peer.consent.click()
    peer.submit_button.click()  # waits too: one save carries both
    wait_idle(qtbot)
    # What is true: the visit and its callback are kept, the request is not.
    assert store.query("SELECT callback_number, outcome FROM contacts") == [
        ("+16135550142", "callback-requested")
    ]
    assert store.query("SELECT number FROM callbacks") == [("+16135550142",)]
    assert _requests(app) == []
    # The callback screen does not say it was not kept; the feedback screen says it was.
    assert not callback.error.isVisibleTo(callback)  # (shown if the visitor goes back there)
    assert session.feedback.confirmation.text() == _("Your callback request was saved. Thank you.")
    # The peer screen, where the visitor is, says its request was not saved, in their language.
    assert session.current is peer
    assert peer.error.isVisibleTo(window)
    assert peer.error.text() == _(
        "Your request could not be saved. Nothing you entered is lost: please tell the "
        "staff at the desk, or try again."
    )
    assert peer.submit_button.isEnabled()
    # Trying again once the store accepts it: the request is saved, the callback still there.
    with store.transaction() as conn:
        conn.execute("DROP TRIGGER test_refuse_requests")
    peer.submit_button.click()
    qtbot.waitUntil(lambda: session.current is session.feedback, timeout=10_000)
    wait_idle(qtbot)
    assert len(_requests(app)) == 1
    assert store.query("SELECT callback_number, outcome FROM contacts") == [
        ("+16135550142", "callback-requested")
    ]
    assert store.query("SELECT number FROM callbacks") == [("+16135550142",)]
    assert session.feedback.confirmation.text() == "\n".join(
        (
            _("Your callback request was saved. Thank you."),
            _("Your request for a peer supporter was sent to the coordinator."),
        )
    )
