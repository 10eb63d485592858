"""Starting kiosk mode for a test, and walking a visitor through it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication
from intake.ui.kiosk.session import KioskSession
from intake.ui.kiosk.window import KioskWindow
from tests.gui.conftest import AppFactory, sign_in, wait_idle

PORTRAIT = (1080, 1920)

# The kiosk's safety questions after the first one ("safety"), in the order asked.
SAFETY_NO = (
    ("safety", "no"),
    ("safety:in_progress", "no"),
    ("safety:plan", "no"),
    ("safety:timing", "no"),
    ("safety:means", "no"),
)
PHYSICIAN_ANSWERS = (
    ("who", "physician"),
    ("province", "QC"),
    *SAFETY_NO,
    ("need", "peer"),
    ("format", "one-on-one"),
    ("service_language", "fr"),
)


def start_kiosk(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    language: Language,
    *,
    size: tuple[int, int] | None = PORTRAIT,
    **settings: object,
) -> tuple[IntakeApplication, KioskWindow]:
    """Unlock and sign in through the real pages with kiosk mode on; wait for the kiosk."""
    settings_file.save(replace(settings_file.load(), kiosk_language=language, **settings))  # type: ignore[arg-type]
    app = make_app(language, kiosk=True)
    sign_in(qtbot, app)
    qtbot.waitUntil(lambda: app.kiosk_window is not None, timeout=10_000)
    window = app.kiosk_window
    assert window is not None
    if size is not None:
        window.setFixedSize(*size)
    return app, window


def answer(session: KioskSession, answers: tuple[tuple[str, str], ...]) -> None:
    for step, value in answers:
        assert session.current is session.questions[step], step
        session.questions[step].choices[value].click()


def begin(window: KioskWindow, language: Language) -> KioskSession:
    session = window.session
    session.welcome.buttons[language].click()
    return session


def text_fields(root: QWidget) -> list[QLineEdit]:
    return root.findChildren(QLineEdit)


def checked_buttons(root: QWidget) -> list[str]:
    return [
        b.objectName() or b.text()
        for b in root.findChildren(QAbstractButton)
        if b.isCheckable() and b.isChecked() and not b.objectName().startswith("language-")
    ]


def finish_saves(qtbot: QtBot) -> None:
    wait_idle(qtbot)
