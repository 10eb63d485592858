"""Cold start to first painted window: the application vs a bare PySide6 label, side by side.

    make bench        (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py)

--quick runs two rounds (the test suite runs it so the script cannot rot).

Each run is a whole new Python process, timed from spawn until the child reports the first
Paint event of its top-level window. Runs alternate (bare, app, bare, app, ...) so machine noise
hits both alike. Both start as an installed application does, from compiled bytecode: with
PYTHONDONTWRITEBYTECODE set (as in this project's shells and CI) the application's ~60 modules
were compiled from source at every start (about 25 ms) while PySide6 and the standard library,
installed with their .pyc files, were not. The children write and read their bytecode in a
temporary PYTHONPYCACHEPREFIX (the first, untimed run of each fills it), never in the tree. The unlock time (dominated by SQLCipher's PBKDF2 key derivation) is reported
separately, measured in-process on the same store. Not collected by pytest: a benchmark, not a test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
PASSPHRASE = "benchmark passphrase, not secret"

PAINT_HOOK = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            import time
            print("painted", time.process_time(), flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False
"""

BARE = (
    PAINT_HOOK
    + """
from PySide6.QtWidgets import QLabel
app = QApplication([])
label = QLabel("Peer Support Intake")
hook = FirstPaint()
label.installEventFilter(hook)
label.show()
app.exec()
"""
)

APP = (
    PAINT_HOOK
    + """
import sys
from pathlib import Path
from intake.cli import build_parser
build_parser(full=False).parse_args(["--store", sys.argv[1]])  # as `intake --store` does
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication, create_qapplication
app = create_qapplication(sys.argv[:1], defer_input_filter=True)  # as `run` does
controller = IntakeApplication(Path(sys.argv[1]), SettingsFile(Path(sys.argv[2])))
hook = FirstPaint()
controller.gate.installEventFilter(hook)
controller.start()
app.exec()
controller.shutdown()
"""
)


CPU: dict[str, list[float]] = {"bare": [], "app": []}  # start to exit
PAINT_CPU: dict[str, list[float]] = {"bare": [], "app": []}  # start to first paint
ENV: dict[str, str] = {}  # the children's environment, set in main


def time_child(code: str, *args: str) -> float:
    """Seconds from spawn to the first paint; the child's CPU time (user + system, start to
    exit, which follows the paint at once) goes to CPU: on a busy machine the wall clock also
    counts waiting for a core, the CPU time does not."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    CPU["app" if args else "bare"].append(usage.ru_utime + usage.ru_stime)
    word, _, cpu = line.partition(" ")
    if word != "painted":
        raise RuntimeError("child did not paint")
    PAINT_CPU["app" if args else "bare"].append(float(cpu))
    return elapsed


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="start-up to first paint, against bare PySide6")
    parser.add_argument("--quick", action="store_true", help="two rounds, a few seconds")
    runs = 2 if parser.parse_args().quick else RUNS
    from installed import from_bytecode

    from intake.accounts import Role
    from intake.pins import hash_pin
    from intake.settings import SettingsFile
    from intake.storage.account_store import insert_account
    from intake.storage.db import create_store, open_store

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as folder:
        ENV.update(from_bytecode(Path(folder)))
        store = Path(folder) / "store.db"
        settings = Path(folder) / "settings.json"
        SettingsFile(settings).save(SettingsFile(settings).load().with_language("en"))
        pin_hash = hash_pin("1234")
        create_store(
            store,
            PASSPHRASE,
            initialize=lambda c: insert_account(c, "Bench", Role.SUPERVISOR.value, pin_hash),
        ).close()

        time_child(BARE), time_child(APP, str(store), str(settings))  # warm the file cache
        bare: list[float] = []
        app: list[float] = []
        for _ in range(runs):
            bare.append(time_child(BARE))
            app.append(time_child(APP, str(store), str(settings)))

        unlock: list[float] = []
        for _ in range(2 if runs < 5 else max(5, runs // 2)):
            start = time.perf_counter()
            open_store(store, PASSPHRASE).close()
            unlock.append(time.perf_counter() - start)

    ratio = statistics.median(app) / statistics.median(bare)
    bare_cpu, app_cpu = CPU["bare"][1:], CPU["app"][1:]  # the warming runs left out
    bare_paint, app_paint = PAINT_CPU["bare"][1:], PAINT_CPU["app"][1:]
    print(f"cold start to first paint, {runs} alternating runs each")
    print(f"  bare PySide6 label : {ms(bare)}")
    print(f"  application        : {ms(app)}")
    print(f"  ratio app / bare   : {ratio:.2f}x   (goal: at most 1.30x)")
    print(
        f"  CPU time, start to first paint: bare {ms(bare_paint)}, app {ms(app_paint)}; "
        f"ratio {statistics.median(app_paint) / statistics.median(bare_paint):.2f}x"
    )
    print(
        f"  CPU time, start to exit: bare {ms(bare_cpu)}, app {ms(app_cpu)}; "
        f"ratio {statistics.median(app_cpu) / statistics.median(bare_cpu):.2f}x"
    )
    print(f"unlock (open_store: key derivation + checks + migrations): {ms(unlock)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
