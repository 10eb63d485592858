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
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from intake.accounts import Role
from intake.i18n import LANGUAGES, Language
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account
from intake.storage.db import create_store
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
    widget.grab().save(str(path))
    return path


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

    create_store(
        store_path,
        DEMO_PASSPHRASE,
        initialize=lambda conn: insert_account(
            conn, "Alex Tremblay", Role.SUPERVISOR.value, hash_pin(DEMO_PIN)
        ),
    ).close()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the application's screens to PNG.")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="intake-shots-") as workdir:
        for language in args.lang or LANGUAGES:
            for path in render(language, args.out, Path(workdir)):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
