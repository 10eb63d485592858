"""A call about a physician in the caller's family: the who-is-calling step, the guidance read
aloud, the safety questions and the recommendations, with the real window over a real store."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.guidance import family_guidance
from intake.i18n import Language
from tests.gui.conftest import AppFactory
from tests.gui.test_call import crisis_entries, start_call, steps
from tests.gui.texts import foreign_texts


def test_a_spouse_calling_about_their_physician_partner(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, safety, _needs, recommendations, _wrapup = steps(page)
    greeting.consent_no.click()
    page.next_step()
    who.role.setCurrentIndex(who.role.findData("family"))
    who.about_colleague.click()
    assert page.call.about_colleague
    who.about_family.click()
    # About a family member or about a colleague, never both.
    assert page.call.about_family
    assert not page.call.about_colleague
    assert not who.about_colleague.isChecked()
    assert who.guidance.isVisible()
    read_aloud = who.guidance.findChildren(type(who.title))
    spoken = " ".join(label.text() for label in read_aloud)
    yourself = next(s for s in family_guidance() if s.id == "yourself")
    assert yourself.title.get(lang).upper() in spoken
    assert "9-8-8" in spoken
    who.province.setCurrentIndex(who.province.findData("ON"))
    assert foreign_texts(window, lang) == []
    page.next_step()
    # The safety questions are about the person the caller worries about.
    yes_no = [q for q in page.services.screen.questions if q.id in safety.questions]
    assert yes_no
    for question in yes_no:
        script, _buttons = safety.questions[question.id]
        assert question.ask_about_other.get(lang) in " ".join(
            label.text() for label in script.findChildren(type(who.title))
        )
    for _script, buttons in safety.questions.values():
        buttons["no"].click()
    page.next_step()
    page.next_step()
    assert recommendations.result is not None
    shown = [r.program.id for r in recommendations.result.recommendations]
    assert shown[0] == "on-oma-php"  # supports the family and the physician
    assert "ca-kids-help-phone" not in shown
    assert "on-oma-peer-support" in shown  # for the physician they worry about


def test_the_crisis_panel_of_a_family_call_names_the_line_that_serves_families(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """An NWT spouse worried about their physician partner: the crisis panel gives 9-8-8 and
    emergency services first, the NWT Help Line, and the AMA's Physician and Family Support
    Program that NWT Medical Association members use (the recommendations list it too)."""
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, *_rest = steps(page)
    greeting.consent_no.click()
    page.next_step()
    who.role.setCurrentIndex(who.role.findData("family"))
    who.about_family.click()
    who.province.setCurrentIndex(who.province.findData("NT"))
    page.open_crisis()  # as F12 or the crisis button does, from any step
    assert page.current_step == "crisis"
    qtbot.waitUntil(lambda: "crisis-entry-nt-nwtma" in crisis_entries(page), timeout=5_000)
    entries = [e for e in crisis_entries(page) if e.startswith("crisis-entry-")]
    assert entries.index("crisis-entry-ca-988") < entries.index("crisis-entry-nt-nwtma")
    assert entries.index("crisis-entry-ca-911") < entries.index("crisis-entry-nt-nwtma")
    assert "crisis-entry-nt-help-line" in entries
    assert foreign_texts(window, lang) == []
