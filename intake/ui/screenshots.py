"""Render every screen to PNG, headlessly, in English and French.

    QT_QPA_PLATFORM=offscreen python -m intake.ui.screenshots --out docs/screenshots [--lang fr]

Uses a throw-away store and settings file in a temporary folder; nothing of the person's own
installation is read or written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget

from intake.i18n import LANGUAGES, Language
from intake.services import session
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication

DEMO_PASSPHRASE = "correct horse battery staple"
DEMO_PIN = "246810"


def settle(
    app: QApplication, until: Callable[[], bool] = lambda: True, timeout: float = 10
) -> None:
    deadline = time.monotonic() + timeout
    while (ops.running() or not until()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def save(widget: QWidget, out: Path, name: str, language: Language) -> Path:
    path = out / f"{name}-{language}.png"
    # Layout requests post further layout requests (height-for-width labels): let them all run,
    # so the picture is what a person sees a moment later, not a half-laid-out frame.
    app = QApplication.instance()
    for _ in range(5):
        if app is not None:
            app.processEvents()
        time.sleep(0.02)
    widget.grab().save(str(path))
    return path


def demo_store(path: Path) -> None:
    """A throw-away store with one supervisor, unless it already exists."""
    if not path.exists():
        session.create(path, DEMO_PASSPHRASE, "Alex Tremblay", DEMO_PIN).close()


def signed_in(
    app: QApplication, store_path: Path, settings: SettingsFile, *, kiosk: bool = False
) -> IntakeApplication:
    """Start the application, unlock and sign in through the real pages; wait for the result."""
    controller = IntakeApplication(store_path, settings, kiosk=kiosk)
    controller.start()
    gate = controller.gate
    gate.unlock.passphrase.setText(DEMO_PASSPHRASE)
    gate.unlock.unlock_button.click()
    settle(app, lambda: gate.pages.currentWidget() is gate.signin)
    gate.signin.pin.setText(DEMO_PIN)
    gate.signin.signin_button.click()
    settle(app, lambda: (controller.kiosk_window if kiosk else controller.main_window) is not None)
    return controller


def render(language: Language, out: Path, workdir: Path) -> list[Path]:
    app = create_qapplication(sys.argv[:1])
    shots: list[Path] = []
    settings = SettingsFile(workdir / f"settings-{language}.json")
    settings.save(settings.load().with_language(language))
    store_path = workdir / f"store-{language}.db"

    first = IntakeApplication(store_path, settings)
    first.start()
    first.gate.setup.passphrase.setText("short one")
    settle(app)
    shots.append(save(first.gate, out, "setup", language))
    first.gate.close()
    first.shutdown()

    demo_store(store_path)
    controller = IntakeApplication(store_path, settings)
    controller.start()
    gate = controller.gate
    settle(app)
    shots.append(save(gate, out, "unlock", language))
    gate.unlock.passphrase.setText("not the passphrase")
    gate.unlock.unlock_button.click()
    settle(app, gate.unlock.banner.isVisible)
    shots.append(save(gate, out, "unlock-wrong-passphrase", language))
    gate.unlock.passphrase.setText(DEMO_PASSPHRASE)
    gate.unlock.unlock_button.click()
    settle(app, lambda: gate.pages.currentWidget() is gate.signin)
    shots.append(save(gate, out, "sign-in", language))
    gate.signin.pin.setText(DEMO_PIN)
    gate.signin.signin_button.click()
    settle(app, lambda: controller.main_window is not None)
    window = controller.main_window
    assert window is not None
    settle(app)
    shots.append(save(window, out, "main", language))
    window.show_about()
    settle(app)
    about = window.findChild(QWidget, "about-box")
    if about is not None:
        shots.append(save(about, out, "about", language))
        about.close()
    window.lock()
    settle(app)
    shots.append(save(window, out, "locked", language))
    window.close()
    controller.shutdown()
    return shots


def render_call(language: Language, out: Path, workdir: Path) -> list[Path]:
    """Every step of a phone-line call, the crisis route and the resume offer."""
    app = create_qapplication(sys.argv[:1])
    settings = SettingsFile(workdir / f"call-settings-{language}.json")
    settings.save(
        replace(settings.load(), ui_language=language, on_call_contact="Dr Lee, 613 555 0100")
    )
    store_path = workdir / f"call-store-{language}.db"
    demo_store(store_path)
    controller = signed_in(app, store_path, settings)
    window = controller.main_window
    assert window is not None
    window.resize(1200, 860)
    shots: list[Path] = []

    def shot(name: str) -> None:
        settle(app)
        shots.append(save(window, out, f"call-{name}", language))

    window.new_call()
    page = window.call_page
    assert page is not None
    other = "fr" if language == "en" else "en"
    page.set_caller_language(language)
    page.steps["greeting"].consent_yes.click()  # type: ignore[attr-defined]
    shot("greeting")
    page.next_step()
    who = page.steps["who"]
    who.role.setCurrentIndex(who.role.findData("resident"))  # type: ignore[attr-defined]
    who.number.setText("514 555 0199")  # type: ignore[attr-defined]
    who.number.textEdited.emit("514 555 0199")  # type: ignore[attr-defined]
    shot("who")
    who.use_suggestion.click()  # type: ignore[attr-defined]
    page.next_step()
    safety = page.steps["safety"]
    safety.questions["thoughts"][1]["unsure"].click()  # type: ignore[attr-defined]
    shot("safety")
    page.next_step()
    needs = page.steps["needs"]
    needs.topics["burnout"].click()  # type: ignore[attr-defined]
    needs.needs["peer"][0].click()  # type: ignore[attr-defined]
    shot("needs")
    page.next_step()
    shot("recommendations")
    page.set_caller_language(other)  # type: ignore[arg-type]
    shot("recommendations-other-language")
    page.set_caller_language(language)
    page.next_step()
    wrapup = page.steps["wrapup"]
    wrapup.notes.setPlainText("Night shifts; wants to talk to a peer this week.")  # type: ignore[attr-defined]
    wrapup.followup.click()  # type: ignore[attr-defined]
    shot("wrapup")
    page.open_crisis()
    shot("crisis")
    page.leave_crisis()
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("referred"))  # type: ignore[attr-defined]
    wrapup.followup_number.setText("514 555 0199")  # type: ignore[attr-defined]
    wrapup.save_button.click()  # type: ignore[attr-defined]
    settle(app, lambda: window.call_page is None)
    shot("saved")
    window.show_history()
    history = window.history_page
    assert history is not None
    settle(app, lambda: history.model.rowCount() > 0)
    history.table.selectRow(0)
    history.open_selected()
    settle(app)
    shot("history")
    window.show_directory()
    directory = window.directory_page
    assert directory is not None
    directory.province.setCurrentIndex(directory.province.findData("QC"))
    for row in range(directory.results.count()):
        if directory.results.item(row).data(Qt.ItemDataRole.UserRole) == "qc-pamq":
            directory.results.setCurrentRow(row)
    shot("directory")
    # The team's pages: the worklist (the follow-up just promised), the supervisor console, and
    # the coordinator's matching and reports, at the smallest supported size and a large one.
    for size in ((1280, 720), (1920, 1080)):
        window.resize(*size)
        for name, show in (
            ("worklist", window.show_worklist),
            ("console", window.show_console),
            ("matching", window.show_matching),
            ("reports", window.show_reports),
            ("station-settings", window.show_station_settings),
        ):
            show()
            settle(app)
            shots.append(save(window, out, f"team-{name}-{size[0]}", language))
        # The console's other tabs: the settings (the kiosk's among them), directory checks.
        window.show_console()
        console = window.console_page
        if console is not None and console.directory_tab is not None:
            table = console.directory_tab.table

            def loaded(table: QTableWidget = table) -> bool:
                return table.rowCount() > 0

            console.tabs.setCurrentIndex(1)
            settle(app)
            shots.append(save(window, out, f"team-console-settings-{size[0]}", language))
            console.tabs.setCurrentIndex(2)
            settle(app, loaded, timeout=30)
            shots.append(save(window, out, f"team-console-directory-{size[0]}", language))
            console.tabs.setCurrentIndex(0)
    window.resize(1200, 860)
    window.new_call()
    assert window.call_page is not None
    window.call_page.steps["greeting"].consent_yes.click()  # type: ignore[attr-defined]
    window.close()  # mid-call: the draft is saved, and offered at the next sign-in
    controller.shutdown()

    again = signed_in(app, store_path, settings)
    assert again.main_window is not None
    again.main_window.resize(1200, 860)
    settle(app)
    shots.append(save(again.main_window, out, "call-resume", language))
    again.main_window.close()
    again.shutdown()
    return shots


KIOSK_SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def _open_kiosk(language: Language, workdir: Path) -> IntakeApplication:
    app = create_qapplication(sys.argv[:1])
    settings = SettingsFile(workdir / f"kiosk-settings-{language}.json")
    settings.save(replace(settings.load(), ui_language=language, kiosk_language=language))
    store_path = workdir / f"kiosk-store-{language}.db"
    demo_store(store_path)
    return signed_in(app, store_path, settings, kiosk=True)


def render_kiosk(language: Language, out: Path, workdir: Path) -> list[Path]:
    """Every kiosk screen, portrait and landscape: a physician's path, a colleague's path, a
    family member's results, the crisis screen, a mistyped callback number, "are you still
    there?" and the staff panel."""
    app = create_qapplication(sys.argv[:1])
    controller = _open_kiosk(language, workdir)
    window = controller.kiosk_window
    assert window is not None
    window.showNormal()
    shots: list[Path] = []
    for orientation, (width, height) in KIOSK_SIZES.items():
        window.setFixedSize(width, height)

        def shot(name: str, orientation: str = orientation) -> None:
            settle(app)
            shots.append(save(window, out, f"kiosk-{name}-{orientation}", language))

        session = window.session
        shot("welcome")
        session.welcome.buttons[language].click()
        for step, answer in (
            ("who", "physician"),
            ("province", "QC"),
            ("safety", "no"),
            ("safety:in_progress", "no"),
            ("safety:plan", "no"),
            ("safety:timing", "no"),
            ("safety:means", "no"),
            ("need", "peer"),
            ("format", "one-on-one"),
            ("service_language", language),
        ):
            if ":" not in step:  # one picture of the safety questions is enough
                shot(step.replace("_", "-"))
            session.questions[step].choices[answer].click()
        shot("results")
        session.results.callback_button.click()
        session.callback.number.setText("514 555 01")
        session.callback.submit_button.click()
        shot("callback-mistyped")
        session.back()
        session.results.finish_button.click()
        session.feedback.rating_buttons[4].click()
        shot("feedback")
        window.wipe()
        session = window.session
        session.welcome.buttons[language].click()
        session.questions["who"].choices["colleague"].click()
        session.questions["province"].choices["NB"].click()
        shot("safety-colleague")
        for step, answer in (
            ("safety", "yes"),
            ("safety:in_progress", "no"),
            ("safety:plan", "yes"),
            ("safety:timing", "no"),
            ("safety:means", "no"),
        ):
            session.questions[step].choices[answer].click()
        shot("crisis")  # high: 9-8-8 first, and the staff flag raised
        session.crisis.continue_button.click()
        for step, answer in (
            ("need", "peer"),
            ("format", "either"),
            ("service_language", "either"),
        ):
            session.questions[step].choices[answer].click()
        shot("results-colleague")
        window.wipe()
        session = window.session
        session.welcome.buttons[language].click()
        for step, answer in (
            ("who", "family"),
            ("province", "ON"),
            ("safety", "no"),
            ("safety:in_progress", "no"),
            ("safety:plan", "no"),
            ("safety:timing", "no"),
            ("safety:means", "no"),
            ("need", "peer"),
            ("format", "either"),
            ("service_language", "either"),
        ):
            session.questions[step].choices[answer].click()
        shot("results-family")  # the family guidance beside or above the programs
        window.wipe()
        window.session.welcome.buttons[language].click()
        window.session.questions["who"].choices["resident"].click()
        window.session.questions["province"].choices["NU"].click()
        window.help_now()
        shot("crisis-nunavut")
        window.session.back()  # the crisis screen waits much longer before "still there?"
        window.idle.expire()
        shot("still-there")
        window.open_staff()
        shot("staff")
        window.wipe()
    window.allow_exit()
    window.close()
    controller.shutdown()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the application's screens to PNG.")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument(
        "--only", choices=("windows", "kiosk", "call"), help="render only these screens"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="intake-shots-") as workdir:
        for language in args.lang or LANGUAGES:
            paths = []
            if args.only in (None, "windows"):
                paths += render(language, args.out, Path(workdir))
            if args.only in (None, "call"):
                paths += render_call(language, args.out, Path(workdir))
            if args.only in (None, "kiosk"):
                paths += render_kiosk(language, args.out, Path(workdir))
            for path in paths:
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
