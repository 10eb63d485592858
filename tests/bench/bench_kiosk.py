"""Kiosk speed: screen-to-screen transition and the idle wipe (goal: under 50 ms each).

    make bench   (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_kiosk.py)

Measured on the real kiosk window at 1080×1920 over a real encrypted store, each step timed from
the tap until the work it queued has run and the next frame is painted (frames.until_painted). Side by side, in the same run and alternating:
a bare QStackedWidget page switch of the same size (what Qt itself costs), so the ratio shows
what our screens add. A benchmark, not a test: pytest does not collect it; --quick runs three visits (the test suite
runs that so the script cannot rot); BENCH_VISITS overrides the 40 visits.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from frames import flush, until_painted
from PySide6.QtWidgets import QApplication, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from intake.accounts import Account, Role
from intake.directory.load import load_directory
from intake.guidance import load_guidance
from intake.pins import hash_pin
from intake.routing.engine import Router
from intake.services.kiosk import KioskDesk
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account, list_accounts
from intake.storage.db import create_store
from intake.ui import ops
from intake.ui.app import create_qapplication
from intake.ui.kiosk.session import KioskServices
from intake.ui.kiosk.window import KioskWindow
from intake.ui.language import LanguageManager

ROUNDS = int(os.environ.get("BENCH_VISITS", "0")) or 40
GOAL_MS = 50.0
SIZE = (1080, 1920)
ANSWERS = (
    ("who", "physician"),
    ("province", "QC"),
    ("safety", "no"),
    ("need", "peer"),
    ("format", "one-on-one"),
    ("service_language", "en"),
)


def settle(app: QApplication) -> None:
    while ops.running():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def idle_until_prepared(app: QApplication, window: KioskWindow) -> None:
    """The kiosk waits at its welcome screen for the next visitor: the session builds the
    screens a visit needs meanwhile (KioskSession._prepare_next). A visitor arriving sooner
    waits for one screen's build at most; this benchmark times the usual case."""
    deadline = time.perf_counter() + 10
    while not window.session.prepared and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)


def timed(action: object, window: QWidget) -> float:
    return until_painted(action, window)  # type: ignore[arg-type]


def flip(stack: QStackedWidget) -> None:
    stack.setCurrentIndex(1 - stack.currentIndex())


def bare_stack() -> tuple[QStackedWidget, list[QPushButton]]:
    stack = QStackedWidget()
    buttons = []
    for _page in range(2):
        page = QWidget()
        layout = QVBoxLayout(page)
        for index in range(6):
            button = QPushButton(f"Answer {index}", page)
            layout.addWidget(button)
            buttons.append(button)
        stack.addWidget(page)
    stack.setFixedSize(*SIZE)
    stack.show()
    return stack, buttons


def summary(name: str, samples: list[float], baseline: list[float]) -> str:
    median, base = statistics.median(samples), statistics.median(baseline)
    p95 = statistics.quantiles(samples, n=20)[18]
    return (
        f"{name:<28} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
        f"ratio {median / base:5.1f}x a bare page switch ({base:.1f} ms)  "
        f"{median / GOAL_MS:4.2f}x the {GOAL_MS:.0f} ms goal"
    )


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="kiosk transitions and the idle wipe")
    parser.add_argument("--quick", action="store_true", help="three visits, a few seconds")
    rounds = 3 if parser.parse_args().quick else ROUNDS
    app = create_qapplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as folder:
        work = Path(folder)
        store = create_store(
            work / "store.db",
            "correct horse battery staple",
            initialize=lambda conn: insert_account(
                conn, "Bench", Role.SUPERVISOR.value, hash_pin("123456")
            ),
        )
        account: Account = list_accounts(store)[0]
        manager = LanguageManager(SettingsFile(work / "settings.json"))
        manager.apply("en")
        services = KioskServices(
            router=Router(load_directory()),
            guidance=load_guidance(),
            desk=KioskDesk(store, account.id),
            account_id=account.id,
            default_province=None,
            now=lambda: datetime.now().astimezone(),
        )
        window = KioskWindow(
            manager,
            services,
            [account],
            default_language="en",
            idle_seconds=3600,
            countdown_seconds=30,
        )
        window.setFixedSize(*SIZE)
        window.show()
        stack, bare_buttons = bare_stack()
        settle(app)

        transitions: list[float] = []
        results: list[float] = []
        wipes: list[float] = []
        bare: list[float] = []
        for round_ in range(rounds):
            idle_until_prepared(app, window)
            session = window.session
            # Between taps the event loop runs, as it does while a person reads a screen.
            transitions.append(timed(session.welcome.buttons["en"].click, window))
            settle(app)
            for step, value in ANSWERS[:-1]:
                transitions.append(timed(session.questions[step].choices[value].click, window))
                settle(app)
                bare.append(timed(partial(flip, stack), stack))
            last_step, last_value = ANSWERS[-1]
            results.append(timed(session.questions[last_step].choices[last_value].click, window))
            settle(app)  # the coded record is saved on a worker thread: not part of the tap
            wipes.append(timed(window.wipe, window))  # the old session's deletion included
            bare.append(timed(bare_buttons[round_ % len(bare_buttons)].click, stack))
            settle(app)

        print(
            f"Kiosk at {SIZE[0]}×{SIZE[1]}, {rounds} visits, each tap timed until its queued "
            "work has run and the next frame is painted"
        )
        print(summary("question to question", transitions, bare))
        print(summary("last answer to results", results, bare))
        print(summary("idle wipe to welcome", wipes, bare))
        window.allow_exit()
        window.close()
        for widget in (window, stack):
            widget.deleteLater()
        flush()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
