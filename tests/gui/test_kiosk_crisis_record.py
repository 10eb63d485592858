"""A kiosk visit that reaches only the crisis screen is recorded at once (coded: the tier, the
crisis screen, the staff alerted), not only if the visit carries on or times out: the count of
people who needed help now must not depend on what happened after."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.kiosk_helpers import answer, begin, start_kiosk
from tests.gui.test_kiosk import safety_replies


def test_a_visit_that_reaches_only_the_crisis_screen_is_saved_there_and_then(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang, kiosk_staff_alert="flag")
    session = begin(window, lang)
    answer(session, (("who", "physician"), ("province", "QC"), *safety_replies("imminent")))
    assert session.current is session.crisis
    wait_idle(qtbot)
    rows = store_of(app).query("SELECT risk, outcome, crisis_actions FROM contacts")
    assert len(rows) == 1
    risk, outcome, actions = rows[0]
    assert (risk, outcome) == ("imminent", "crisis-screen")
    assert {"kiosk-crisis-screen", "kiosk-staff-alerted"} <= set(json.loads(actions))
    assert session.current is session.crisis  # still showing, nothing cleared
