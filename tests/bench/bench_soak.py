"""Soak: a kiosk that runs for months and a phone line open for a whole shift leave nothing behind.

    make bench   (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_soak.py [--quick])

Through the real application over a real encrypted store, as a person uses it:
1. Kiosk visits in French (the kiosk starts in English; each visitor picks French, answers every
   question, sees the results; then the idle wipe): 10,000 visits.
2. Interface-language switches on the phone line with a call open: 1,000 switches.
Growth is counted as live Qt objects (every object in the application's trees and every Qt
object Python still holds, as tests/gui/test_no_growth.py counts them) and as resident memory,
measured after a warm-up and at every tenth of the run, each after queued work and deferred
deletions have run and Python's cycle collector has passed. Printed: the counts at the start
and the end, and the ratio end/start (goal: 1.00x for Qt objects, flat memory). The process
exits non-zero if live Qt objects grew after the first tenth, or if resident memory grew by
more than 10 KB a repetition (the least-squares slope over the tenths after the first, in runs
of 100 or more: the leaks this soak was written for were 50 KB a visit and 87 KB a switch).

How long: a visit is the kiosk's real work, not the soak's: each of its ten question screens is
built for this visitor alone (a session never reuses another's widgets), shown and laid out,
about 0.45 s of CPU a visit (profiled over 40 visits: the answers' handlers, which build and
show the screens, about 70% of the time; the wait for the visit's save and the wipe most of the
rest; the soak's own counting under 3%). 10,000 visits are therefore over an hour on a free
core and several under load: `make bench` runs 300 visits and the 1,000 switches (a few
minutes), which any per-visit leak of a Qt object fails at once and a 10 KB one by its slope;
`make soak` runs the whole 10,000. --quick runs 15 visits and 30 switches (the test suite runs it so it cannot rot);
tests/gui/test_no_growth.py is the shorter check that runs with every test run.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

from intake.accounts import Role
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account
from intake.storage.db import create_store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.kiosk import session as kiosk_session

PASSPHRASE = "benchmark passphrase, not a secret"
PIN = "246810"
WARM = 5  # repetitions before the first count: caches filled, first-use objects built
SLOPE_LIMIT_KB = 10.0  # resident memory a repetition may add, fitted over the run
SLOPE_JUDGED_FROM = 100  # repetitions: over fewer, the allocator's steps outweigh a slope
VISIT = (
    ("who", "physician"),
    ("province", "QC"),
    ("safety", "no"),
    ("safety:in_progress", "no"),
    ("safety:plan", "no"),
    ("safety:timing", "no"),
    ("safety:means", "no"),
    ("need", "peer"),
    ("format", "one-on-one"),
    ("service_language", "fr"),
)


def wait(until: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the application did not get there in time")
        QApplication.processEvents()
        time.sleep(0.002)


def settle() -> None:
    """Worker results delivered, queued events and deferred deletions run, cycles collected."""
    wait(lambda: not ops.running())
    for _round in range(3):
        QCoreApplication.sendPostedEvents(None, 0)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()


def live_qt_objects(controller: IntakeApplication) -> int:
    app = QApplication.instance()
    assert app is not None
    roots: list[QObject] = [app, controller, *QApplication.topLevelWidgets()]
    in_trees = sum(1 + len(root.findChildren(QObject)) for root in roots)
    wrapped = sum(1 for o in shiboken6.getAllValidWrappers() if isinstance(o, QObject))
    return in_trees + wrapped


def rss_mb() -> float:
    with open("/proc/self/statm") as fp:
        return int(fp.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def signed_in(folder: Path, *, kiosk: bool) -> IntakeApplication:
    """A fresh store, unlocked and signed in through the real pages."""
    path = folder / "store.db"
    holder: dict[str, str] = {}

    def init(conn: object) -> None:
        holder["id"] = insert_account(conn, "Soak", Role.SUPERVISOR.value, hash_pin(PIN))

    create_store(path, PASSPHRASE, initialize=init).close()
    settings = SettingsFile(folder / "settings.json")
    settings.save(replace(settings.load().with_language("en"), kiosk_language="en"))
    controller = IntakeApplication(path, settings, kiosk=kiosk)
    controller.start()
    gate = controller.gate
    gate.unlock.passphrase.setText(PASSPHRASE)
    gate.unlock.unlock_button.click()
    wait(lambda: gate.pages.currentWidget() is gate.signin)
    gate.signin.pin.setText(PIN)
    gate.signin.signin_button.click()
    if kiosk:
        wait(lambda: controller.kiosk_window is not None)
    else:
        wait(lambda: controller.main_window is not None)
    settle()
    return controller


def soak(label: str, controller: IntakeApplication, repeat: Callable[[], None], times: int) -> bool:
    for _warm in range(WARM):
        repeat()
    settle()
    objects, memory, at = [live_qt_objects(controller)], [rss_mb()], [0]
    tenth = max(1, times // 10)
    begin, cpu = time.perf_counter(), time.process_time()
    for done in range(1, times + 1):
        repeat()
        if done % tenth == 0 or done == times:
            settle()
            objects.append(live_qt_objects(controller))
            memory.append(rss_mb())
            at.append(done)
    took, cpu = time.perf_counter() - begin, time.process_time() - cpu
    print(
        f"{label}: {times:,} in {took:.0f} s ({took / times * 1000:.0f} ms each; "
        f"CPU {cpu / times * 1000:.0f} ms each)"
    )
    print(f"  live Qt objects at each tenth: {objects}")
    print(f"  resident memory (MB) at each tenth: {[round(m, 1) for m in memory]}")
    print(
        f"  ratio end/start: live Qt objects {objects[-1] / objects[0]:.2f}x (goal 1.00x), "
        f"memory {memory[-1] / memory[0]:.2f}x "
        f"({(memory[-1] - memory[0]) / times * 1000:+.1f} MB per 1,000)"
    )
    # Judged from the first tenth on: a few objects made once, late (a timer's first use),
    # are not growth; one object per repetition shows in every later tenth.
    grew = objects[-1] > objects[1]
    if grew:
        print(f"  GROWTH: {objects[-1] - objects[1]} live Qt objects after the first tenth")
    slope_kb = 0.0
    if len(at) > 3:  # enough tenths to fit a line
        slope_kb = statistics.linear_regression(at[1:], memory[1:]).slope * 1024
        print(
            f"  memory slope after the first tenth: {slope_kb:+.2f} KB per repetition "
            f"(limit {SLOPE_LIMIT_KB:.0f} KB)"
        )
    leaks = times >= SLOPE_JUDGED_FROM and slope_kb > SLOPE_LIMIT_KB
    if leaks:
        print("  GROWTH: resident memory grows with every repetition")
    return not grew and not leaks


def kiosk_visits(folder: Path, times: int) -> bool:
    controller = signed_in(folder, kiosk=True)
    window = controller.kiosk_window
    assert window is not None

    def visit() -> None:
        session = window.session
        session.welcome.buttons["fr"].click()
        for step, choice in VISIT:
            session.questions[step].choices[choice].click()
        wait(lambda: not ops.running())
        window.wipe()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        wait(lambda: window.session.prepared)  # counted as a waiting kiosk holds it

    # Visitors one after another: each new session prepares its screens at once, not after
    # the pause a real kiosk waits (10,000 of them would add most of an hour of waiting).
    kiosk_session.PREPARE_AFTER_MS = 0
    return soak("kiosk visits in French, each ended by the idle wipe", controller, visit, times)


def language_switches(folder: Path, times: int) -> bool:
    controller = signed_in(folder, kiosk=False)
    window = controller.main_window
    assert window is not None
    window.new_call()
    buttons = window.language_switch.buttons
    state = {"next": "fr"}

    def switch() -> None:
        buttons[state["next"]].click()
        state["next"] = "en" if state["next"] == "fr" else "fr"

    return soak("interface-language switches, a call open", controller, switch, times)


def main() -> int:
    parser = argparse.ArgumentParser(description="long runs leave nothing behind")
    parser.add_argument("--quick", action="store_true", help="15 visits and 30 switches")
    parser.add_argument("--only", choices=["kiosk", "switches"], help="run one part alone")
    parser.add_argument("--times", type=int, help="visits and switches, instead of the defaults")
    parser.add_argument("--visits", type=int, help="kiosk visits (default 10,000)")
    parser.add_argument("--switches", type=int, help="language switches (default 1,000)")
    args = parser.parse_args()
    visits, switches = (15, 30) if args.quick else (10_000, 1_000)
    if args.times:
        visits = switches = args.times
    visits, switches = args.visits or visits, args.switches or switches
    create_qapplication(sys.argv[:1])
    flat = True
    with tempfile.TemporaryDirectory(prefix="intake-bench-soak-") as folder:
        if args.only in (None, "kiosk"):
            (Path(folder) / "kiosk").mkdir()
            flat &= kiosk_visits(Path(folder) / "kiosk", visits)
        if args.only in (None, "switches"):
            (Path(folder) / "line").mkdir()
            flat &= language_switches(Path(folder) / "line", switches)
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
