"""The phone-line workflow, measured through the real windows over a real encrypted store.

    make bench   (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_call.py)

Measured side by side in one run:
1. Sign-in to the main window on screen (PIN check, directory, safety screen and drafts loaded
   on a worker thread, the window built), against loading that data alone. ("New call" is
   timed in 7: the page it shows is built while the volunteer looks at the home screen.)
2. Step-to-step transition (with a repaint), against a bare QStackedWidget page switch.
3. Interface-language switch on a fully filled call, and the caller-language switch. Goal 50 ms.
4. Opening the history list and searching the notes with 100,000 stored contacts (one note
   each; the History screen was built in a pause after sign-in, as the window does). Goal 50 ms each (issue 14: any window action), from the click to the rows on screen.
5. Autosave: time on the UI thread (the save itself runs on a worker). Goal under 5 ms.
6. Resident memory after 100 whole calls (filled and saved), against right after the first;
   then the pause of one collection of each generation on the UI thread (the collector's
   tick, intake/ui/collector.py).
7. "New call", the click to the greeting on screen: the page built while the volunteer waited
   for the phone, against the same click before it was built (every new call until now); and
   the first visit of each step on either page, once its steps are prepared.
Window actions are timed until the work they queued has run and the next frame is painted
(frames.until_painted); the old clock (the click and one repaint) is printed beside the
language switch for comparison. Not collected by pytest. BENCH_CONTACTS overrides the 100,000,
BENCH_SWITCHES the 20 interface-language switches;
--quick runs every part on small data in seconds (the test suite runs it so it cannot rot).
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from frames import click_and_repaint, until_painted
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from intake.accounts import Role
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account
from intake.storage.db import create_store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.call.page import CallPage
from intake.ui.main_window import MainWindow
from intake.vocabulary import ABANDON_REASONS

PASSPHRASE = "benchmark passphrase, not a secret"
PIN = "246810"
CONTACTS = int(os.environ.get("BENCH_CONTACTS", "100000"))
WORDS = [
    "shifts",
    "night",
    "complaint",
    "grief",
    "burnout",
    "résidence",
    "garde",
    "deuil",
    "famille",
]


def settle(app: QApplication, until: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + 60
    while (ops.running() or not until()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()


def scheduler() -> tuple[float, float]:
    """This thread's time on a core and time waiting for one (ms), from Linux's schedstat;
    zeros elsewhere. The rest of a wall-clock interval is time the thread was blocked: waiting
    for the GIL held by a worker, for a lock, for the disk, or sleeping."""
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as stat:
            on_core, waiting, _slices = stat.read().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(on_core) / 1e6, int(waiting) / 1e6


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def line(
    name: str, samples: list[float], *, base: list[float] | None = None, goal: float | None = None
) -> str:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    text = f"{name:<36} median {median:7.1f} ms  p95 {p95:7.1f} ms"
    if base:
        text += f"  ratio {median / statistics.median(base):5.1f}x baseline ({statistics.median(base):.1f} ms)"
    if goal:
        text += f"  {median / goal:4.2f}x the {goal:.0f} ms goal"
    return text


def seed(path: Path, count: int, supervisor: str) -> None:
    """Bulk-load `count` past contacts with a note each (one transaction, as an import would)."""
    from intake.storage.db import open_store

    store = open_store(path, PASSPHRASE)
    with store.transaction() as conn:
        contacts, notes = [], []
        for index in range(count):
            contact_id = str(uuid.UUID(int=index + 1))
            started = f"2026-{1 + index % 11:02d}-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:00+00:00"
            contacts.append((contact_id, started, supervisor))
            words = " ".join(WORDS[(index * k) % len(WORDS)] for k in (1, 3, 7))
            notes.append((f"n{index}", contact_id, supervisor, started, f"{words} #{index}"))
        conn.executemany(
            "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, "
            "province, risk, outcome, consent_notes, created_by) "
            "VALUES (?, 'phone', ?, 'en', 'en', 'QC', 'none', 'referred', 1, ?)",
            contacts,
        )
        conn.executemany(
            "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?)",
            notes,
        )
    store.close()


def fill(page: CallPage) -> None:
    greeting, who, safety, needs = (page.steps[s] for s in ("greeting", "who", "safety", "needs"))
    greeting.consent_yes.click()  # type: ignore[attr-defined]
    who.role.setCurrentIndex(who.role.findData("physician"))  # type: ignore[attr-defined]
    who.province.setCurrentIndex(who.province.findData("ON"))  # type: ignore[attr-defined]
    for _script, buttons in safety.questions.values():  # type: ignore[attr-defined]
        buttons["no"].click()
    needs.topics["burnout"].click()  # type: ignore[attr-defined]
    needs.needs["peer"][0].click()  # type: ignore[attr-defined]
    page.show_step("recommendations")
    wrapup = page.steps["wrapup"]
    wrapup.notes.setPlainText("Night shifts; wants a peer this week. " * 4)  # type: ignore[attr-defined]
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("referred"))  # type: ignore[attr-defined]


def rss_mb() -> float:
    with open("/proc/self/statm") as fp:
        return int(fp.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sizes:
    def __init__(self, quick: bool) -> None:
        self.contacts = 500 if quick else CONTACTS
        self.rounds = 2 if quick else 10  # step cycles, history openings and searches
        self.switches = 4 if quick else int(os.environ.get("BENCH_SWITCHES", "20"))
        self.autosaves = 5 if quick else 50
        self.calls = 3 if quick else 100


def time_new_call(
    app: QApplication, window: MainWindow, rounds: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """7. "New call": the click to the greeting on screen, with the page built while the
    volunteer waited for the phone, and (alternating) clicked before it was built, as every new
    call was until now. Then the first visit of each step, once the steps are prepared (while
    the greeting is read), on either page. Each call is then abandoned (its page is dropped, as
    after a save)."""
    waited: list[float] = []
    at_click: list[float] = []
    visits_waited: list[float] = []
    visits_at_click: list[float] = []
    for _round in range(rounds):
        for samples, visits, ready_first in (
            (waited, visits_waited, True),
            (at_click, visits_at_click, False),
        ):
            if ready_first:
                settle(app, lambda: window.spare_call is not None)
            else:
                assert window.spare_call is None  # the call just ended: none built yet
            samples.append(until_painted(window.new_call_button.click, window))
            page = window.call_page
            assert page is not None
            settle(app, lambda p=page: p.stack.prepared)
            for step in ("who", "safety", "needs", "recommendations", "wrapup"):
                visits.append(until_painted(lambda s=step, p=page: p.show_step(s), window))
            page.abandon(ABANDON_REASONS[0])
            settle(app, lambda: window.call_page is None)
    return waited, at_click, visits_waited, visits_at_click


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="the phone-line workflow in the real windows")
    parser.add_argument("--quick", action="store_true", help="small data, a few seconds")
    parser.add_argument(
        "--profile-switch",
        action="store_true",
        help="also print where the interface-language switches spend their time (cProfile)",
    )
    args = parser.parse_args()
    sizes = Sizes(args.quick)
    app = create_qapplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as folder:
        work = Path(folder)
        path = work / "store.db"
        holder: dict[str, str] = {}

        def init(conn: object) -> None:
            holder["id"] = insert_account(conn, "Bench", Role.SUPERVISOR.value, hash_pin(PIN))

        create_store(path, PASSPHRASE, initialize=init).close()
        started = time.perf_counter()
        seed(path, sizes.contacts, holder["id"])
        seeding = ms(started)
        settings = SettingsFile(work / "settings.json")
        settings.save(settings.load().with_language("en"))
        controller = IntakeApplication(path, settings)
        controller.start()
        gate = controller.gate
        gate.unlock.passphrase.setText(PASSPHRASE)
        gate.unlock.unlock_button.click()
        settle(app, lambda: gate.pages.currentWidget() is gate.signin)

        # 1. Sign-in to the main window on screen, and loading its data alone beside it.
        gate.signin.pin.setText(PIN)
        start = time.perf_counter()
        gate.signin.signin_button.click()
        settle(app, lambda: controller.main_window is not None)
        window = controller.main_window
        assert isinstance(window, MainWindow)
        window.repaint()
        ready = [ms(start)]
        # The volunteer looks at the home screen; the next call's page and the History screen
        # are built meanwhile, each in a pause.
        settle(app, lambda: window.spare_call is not None and window.history_page is not None)
        window.new_call()
        # Beside it: the worker-thread part alone (directory, safety screen, guidance, drafts).
        from intake.ui.call.start import load_call_data

        assert controller.session is not None
        assert controller.account is not None
        loading = []
        for _round in range(5):
            start = time.perf_counter()
            load_call_data(controller.session, controller.account.id)
            loading.append(ms(start))
        page = window.call_page
        assert page is not None
        # The volunteer reads the greeting to the caller meanwhile: the other steps are prepared.
        settle(app, lambda: page.stack.prepared)

        # 2. Step transitions, and a bare stacked widget beside them.
        stack = QStackedWidget()
        for _page in range(2):
            stack.addWidget(QWidget())
        stack.resize(900, 700)
        stack.show()
        fill(page)
        settle(app)  # the queued work of filling the call is not the first step's
        steps_ms, bare_steps = [], []
        for _round in range(sizes.rounds):
            for step in ("greeting", "who", "safety", "needs", "recommendations", "wrapup"):
                steps_ms.append(until_painted(lambda s=step: page.show_step(s), window))
                bare_steps.append(
                    until_painted(lambda: stack.setCurrentIndex(1 - stack.currentIndex()), stack)
                )

        # 3. Language switches on the filled call.
        ui_switch, ui_old_clock, caller_switch = [], [], []
        ui_cpu: list[
            float
        ] = []  # the process's CPU time: the wall clock also counts waiting for a core
        # Where the wall clock of a switch goes (the UI thread): on a core, waiting for one
        # (the machine is busy), or blocked (the GIL held by a worker, a lock, the disk).
        ui_on_core: list[float] = []
        ui_waiting: list[float] = []
        ui_blocked: list[float] = []
        profiler = cProfile.Profile() if args.profile_switch else None
        for index in range(sizes.switches):
            button = window.language_switch.buttons["fr" if index % 2 == 0 else "en"]
            if index < sizes.switches // 2:
                settle(app)  # the last switch's settings write is not this one's
                cpu_start = time.process_time()
                on_core, waiting = scheduler()
                with profiler or contextlib.nullcontext():
                    ui_switch.append(until_painted(button.click, window))
                ui_cpu.append((time.process_time() - cpu_start) * 1000)
                on_core_after, waiting_after = scheduler()
                ui_on_core.append(on_core_after - on_core)
                ui_waiting.append(waiting_after - waiting)
                ui_blocked.append(ui_switch[-1] - ui_on_core[-1] - ui_waiting[-1])
            else:
                ui_old_clock.append(click_and_repaint(button.click, window))
                settle(app)
            caller_switch.append(until_painted(page.toggle_caller_language, window))
        controller.language.apply("en")
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

        # 5. Autosave: what the UI thread pays.
        autosave_ui = []
        for _round in range(sizes.autosaves):
            page._dirty = True
            start = time.perf_counter()
            page.save_draft()
            autosave_ui.append(ms(start))
            settle(app)

        # 4. History and search over the stored contacts.
        opening, searching = [], []
        for round_ in range(sizes.rounds):
            window.pages.setCurrentWidget(window.home)
            start = time.perf_counter()
            window.show_history()
            history = window.history_page
            assert history is not None
            settle(app, lambda h=history: h.model.rowCount() > 0)
            window.repaint()
            opening.append(ms(start))
            word = WORDS[round_ % len(WORDS)]
            arrivals: list[int] = []
            history.model.loaded.connect(lambda a=arrivals: a.append(1))
            start = time.perf_counter()
            history.search.setText(word)
            history.search.returnPressed.emit()
            settle(app, lambda a=arrivals: bool(a))
            window.repaint()
            searching.append(ms(start))
            history.search.setText("")

        # 6. Memory over 100 whole calls.
        window.pages.setCurrentWidget(window.call_page or window.home)
        page.steps["wrapup"].save_button.click()  # type: ignore[attr-defined]
        settle(app, lambda: window.call_page is None)

        waited, at_click, visits_waited, visits_at_click = time_new_call(app, window, sizes.rounds)
        first = rss_mb()
        with counting_collections() as collected:
            for _call in range(sizes.calls):
                window.new_call()
                call = window.call_page
                assert call is not None
                fill(call)
                call.steps["wrapup"].save_button.click()  # type: ignore[attr-defined]
                settle(app, lambda: window.call_page is None)
            settle(app)
        after = rss_mb()
        pauses = collector_pauses()

        print(
            f"Phone-line workflow; {sizes.contacts:,} stored contacts (seeded in {seeding / 1000:.1f} s)"
        )
        print(
            line("sign-in to the main window", ready, base=loading)
            + "  (baseline: loading its data alone)"
        )
        print(line("step to step", steps_ms, base=bare_steps, goal=50))
        print(line("interface language, filled call", ui_switch, goal=50))
        print(line("  the same, CPU time of the process", ui_cpu, goal=50))
        if any(ui_on_core):
            print(line("  UI thread on a core", ui_on_core, goal=50))
            print(line("  UI thread waiting for a core", ui_waiting))
            print(line("  UI thread blocked (GIL, locks, disk)", ui_blocked))
        print(line("  the same, old clock (click+repaint)", ui_old_clock, goal=50))
        print(line("caller language, filled call", caller_switch, goal=50))
        print(line("open history (first page shown)", opening, goal=50))
        print(line("search notes (rows shown)", searching, goal=50))
        print(line("autosave, UI thread", autosave_ui, goal=5))
        print(
            line("new call, page built while waiting", waited, base=at_click, goal=50)
            + "  (baseline: built at the click)"
        )
        print(
            line("  first visit of each step", visits_waited, base=visits_at_click, goal=50)
            + "  (baseline: on a page built at the click)"
        )
        print(
            f"{'resident memory':<36} after 1 call {first:.0f} MB, after {sizes.calls + 1} calls {after:.0f} MB "
            f"({(after - first) / first * 100:+.1f}%)"
        )
        print("\n".join(line(f"collector tick, generation {g}", p, goal=50) for g, p in pauses))
        print(
            f"{'collections during those calls':<36} "
            + ", ".join(f"generation {g}: {collected.count(g)}" for g in range(3))
        )
        window.close()
        stack.close()
        controller.shutdown()
    return 0


@contextlib.contextmanager
def counting_collections() -> Iterator[list[int]]:
    """The generation of every collection that starts meanwhile."""
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield started
    finally:
        gc.callbacks.remove(record)


def collector_pauses() -> list[tuple[int, list[float]]]:
    """What one tick of the UI thread's cycle collector (intake.ui.collector) can cost the
    window after a shift's calls: each generation collected ten times. Generation 2, the
    slowest, falls due after ten of generation 1; the directory is out of its way (gc.freeze)."""
    samples: list[list[float]] = [[], [], []]
    for _ in range(10):
        for generation in (0, 1, 2):
            start = time.perf_counter()
            gc.collect(generation)
            samples[generation].append(ms(start))
    return list(enumerate(samples))


if __name__ == "__main__":
    sys.exit(main())
